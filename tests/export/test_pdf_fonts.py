"""The printed book never loses its Chinese. On a machine without the CJK fonts the print templates
name (here: fontconfig pointed at a fonts.conf with DejaVu only, as on a fresh machine before
scripts/setup.sh), `showcase export pdf` and the site build stop with a message that names the
missing font and how to install it, write no PDF and leave the published site as it was. A PDF
whose Chinese would print as boxes is refused when it is read back, and the downloads are cached
under the fonts actually used, so installing or updating a font makes the book again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.export import ExportJob, Selection
from generator.export import downloads as downloads_module
from generator.export.fonts import FontsMissing, FontsNotEmbedded, check_pdf, print_fonts, resolve, template_families
from generator.export.pdf import TEMPLATES_DIR, write_pdf
from tests.cli.helpers import showcase, tree_digest
from tests.helpers import ROOT, build

pypdf = pytest.importorskip("pypdf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NOTO = resolve("Noto Sans CJK SC")
pytestmark = [
    pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").is_file(), reason="fonts-dejavu-core not installed"),
    pytest.mark.skipif("Noto Sans CJK SC" not in NOTO.found, reason="fonts-noto-cjk not installed (scripts/setup.sh)"),
]
INSTALL = "apt install fonts-noto-cjk"


def fonts_conf(tmp_path: Path, *folders: Path, name: str = "fonts.conf") -> Path:
    """A fontconfig configuration that knows only the fonts in `folders` (its cache in tmp_path)."""
    dirs = "".join(f"  <dir>{folder}</dir>\n" for folder in folders)
    conf = tmp_path / name
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                    f"<fontconfig>\n{dirs}  <cachedir>{tmp_path / 'fontconfig-cache'}</cachedir>\n</fontconfig>\n",
                    encoding="utf-8")
    return conf


def says_what_is_missing_and_how_to_install_it(text: str) -> None:
    assert "Noto Sans CJK SC" in text, text
    assert INSTALL in text and "scripts/setup.sh" in text, text
    zh, en = text.find("缺少印刷版 PDF 需要的字体"), text.find("the fonts the printed PDF needs are not installed")
    assert 0 <= zh < en, text  # Chinese first, then English


# --- which fonts are checked --------------------------------------------------------------------

def test_the_fonts_checked_are_the_families_the_print_css_names(tmp_path):
    # the project's templates: every family a font-family declaration names is checked
    css = (TEMPLATES_DIR / "print" / "collection.css").read_text(encoding="utf-8")
    assert '"Noto Sans CJK SC", "Noto Serif CJK SC"' in css
    checked = template_families(TEMPLATES_DIR / "print")
    assert {"Noto Sans CJK SC", "Noto Serif CJK SC"} <= set(checked)
    # templates that name another family: that is the one asked for (a comment does not count)
    other = tmp_path / "print"
    other.mkdir()
    (other / "book.css").write_text('/* font-family: "Commented Out Sans" */\n'
                                    "h1 { font-family: 'Showcase Test Family', serif; }\n", encoding="utf-8")
    with pytest.raises(FontsMissing) as caught:
        print_fonts(other)
    assert caught.value.missing == ["Showcase Test Family"]
    assert "Showcase Test Family" in caught.value.zh and "Showcase Test Family" in caught.value.en


# --- without the CJK fonts: nothing is written ----------------------------------------------------

def test_export_pdf_without_the_cjk_fonts_stops_and_writes_no_pdf(tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    (out / "excellent-cases.pdf").write_bytes(b"the previous book")
    before = tree_digest(out)
    result = showcase("export", "pdf", "--id", "changning-ningjuli", "-o", str(out), "--overwrite",
                      env={"FONTCONFIG_FILE": str(fonts_conf(tmp_path, DEJAVU))})
    assert result.returncode == 1, result.stdout + result.stderr
    says_what_is_missing_and_how_to_install_it(result.stdout)
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_digest(out) == before  # the previous file is untouched, nothing was added


def test_a_build_without_the_cjk_fonts_fails_and_keeps_the_published_site(tmp_path, monkeypatch):
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "downloads").mkdir(parents=True)
    (site / "index.html").write_text("<p>the last good site</p>", encoding="utf-8")
    (site / "downloads" / "excellent-cases.pdf").write_bytes(b"the last good book")
    before = tree_digest(site)
    monkeypatch.setenv("FONTCONFIG_FILE", str(fonts_conf(tmp_path, DEJAVU)))
    result = build(ROOT / "cases", site, cache)
    assert result.returncode != 0, result.stderr[-2000:]
    says_what_is_missing_and_how_to_install_it(result.stderr)
    assert tree_digest(site) == before
    assert not list(cache.rglob("*.pdf")), "a PDF was cached"  # and no book of boxes waits in the cache
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", "cache", "fonts.conf", "fontconfig-cache"])


# --- the cache follows the fonts ----------------------------------------------------------------------

def test_check_reports_the_missing_fonts_that_the_build_would_stop_for():
    """`check` reports everything the build would refuse: here the machine, not the content."""
    import json

    with_fonts = showcase("check", "--format", "json", "--errors-only", lang="en")
    assert with_fonts.returncode == 0, with_fonts.stdout
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        result = showcase("check", "--format", "json", "--errors-only", lang="en",
                          env={"FONTCONFIG_FILE": str(fonts_conf(Path(folder), DEJAVU))})
    assert result.returncode == 1, result.stdout + result.stderr
    (item,) = json.loads(result.stdout)["diagnostics"]
    assert (item["code"], item["file"], item["field"]) == ("print_fonts_missing", "mkdocs.yml", "downloads")
    says_what_is_missing_and_how_to_install_it(item["message"]["zh"] + item["message"]["en"])


@pytest.fixture
def produce(sample_collection, tmp_path, monkeypatch):
    """produce_downloads(["pdf"]) under a fonts.conf: (the cache folder's name, made now); the
    book itself is a stand-in (the real one takes a minute), the calls are in produce.made."""
    from generator.media import PublishedMedia
    from generator.render.pages import Strings

    made = []

    def write_exports(job, keys, folder, strings, progress=None):
        made.append(folder)
        (folder / "excellent-cases.pdf").write_bytes(b"%PDF-1.7 stand-in")
        return {"pdf": [folder / "excellent-cases.pdf"]}

    monkeypatch.setattr(downloads_module, "write_exports", write_exports)
    strings = Strings(TEMPLATES_DIR / "strings.yaml")

    def run(conf: Path) -> tuple[str, bool]:
        monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
        files, fresh = downloads_module.produce_downloads(sample_collection, PublishedMedia(), tmp_path / "cache",
                                                          TEMPLATES_DIR, ["pdf"], strings)
        return files[0].source.parent.name, fresh

    run.made = made
    return run


def test_without_the_fonts_the_downloads_make_and_cache_no_pdf(produce, tmp_path):
    with pytest.raises(FontsMissing):
        produce(fonts_conf(tmp_path, DEJAVU))
    assert produce.made == [] and not (tmp_path / "cache" / "downloads").exists()


def test_the_downloads_are_made_again_when_the_fonts_change(produce, tmp_path):
    noto = Path(NOTO.file).parent
    installed = fonts_conf(tmp_path, DEJAVU, noto, name="installed.conf")
    key, fresh = produce(installed)
    assert fresh and produce(installed) == (key, False)  # nothing changed: from the cache
    # the same families from other files: made again
    copy = tmp_path / "dejavu-copy"
    copy.mkdir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy2(DEJAVU / name, copy / name)
    elsewhere = fonts_conf(tmp_path, copy, noto, name="copy.conf")
    other_key, fresh = produce(elsewhere)
    assert fresh and other_key != key
    # a font file updated in place (same path, a new version): made again
    font = copy / "DejaVuSans.ttf"
    stat = font.stat()
    font.write_bytes(font.read_bytes() + b"\0\0\0\0")
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    updated_key, fresh = produce(elsewhere)
    assert fresh and updated_key not in (key, other_key)
    assert len(produce.made) == 3


# --- the finished PDF is read back ------------------------------------------------------------------

BOOK_HTML = ('<html lang="zh-Hans"><style>html { font-family: "Noto Sans CJK SC", sans-serif }</style>'
             "<p>华阳人民坊 Huayang <b>宁聚里</b></p></html>")


def weasyprint_pdf(path: Path, env: dict | None = None) -> bytes:
    """A PDF made by WeasyPrint directly (as the export did before it checked anything)."""
    script = f"import sys; from weasyprint import HTML; HTML(string={BOOK_HTML!r}).write_pdf(sys.argv[1])"
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, env={**os.environ, **(env or {})})
    return path.read_bytes()


def test_a_pdf_whose_chinese_would_be_boxes_is_refused(tmp_path):
    good = weasyprint_pdf(tmp_path / "good.pdf")
    fonts = check_pdf(good)
    assert any(f.chinese and "Noto-Sans-CJK-SC" in f.name for f in fonts), fonts
    boxed = weasyprint_pdf(tmp_path / "boxed.pdf", {"FONTCONFIG_FILE": str(fonts_conf(tmp_path, DEJAVU))})
    with pytest.raises(FontsNotEmbedded) as caught:
        check_pdf(boxed)
    assert "方框" in caught.value.zh and "boxes" in caught.value.en and "DejaVu" in caught.value.en
    assert "华" in caught.value.zh and INSTALL in caught.value.en


def test_a_pdf_with_a_font_that_is_not_embedded_is_refused(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    writer.write(tmp_path / "loose.pdf")
    with pytest.raises(FontsNotEmbedded) as caught:
        check_pdf((tmp_path / "loose.pdf").read_bytes())
    assert "Helvetica" in caught.value.zh and "not embedded" in caught.value.en


def test_a_book_printed_without_its_fonts_is_read_back_and_not_written(sample_collection, tmp_path, monkeypatch):
    """Should fontconfig ever be fooled (the check before laying out passes, the layout still
    finds no CJK font), the PDF is read back, refused, and no file is written."""
    from generator.export import pdf as pdf_module

    monkeypatch.setattr(pdf_module, "print_fonts", lambda print_dir: (), raising=False)  # the check before layout, fooled
    monkeypatch.setenv("FONTCONFIG_FILE", str(fonts_conf(tmp_path, DEJAVU)))  # WeasyPrint loads it per book
    job = ExportJob.prepare(sample_collection, Selection(ids=("changning-ningjuli",)))
    out = tmp_path / "out" / "book.pdf"
    with pytest.raises(FontsNotEmbedded) as caught:
        write_pdf(job, out)
    assert "DejaVu" in caught.value.en
    assert not out.parent.exists() or list(out.parent.iterdir()) == []
