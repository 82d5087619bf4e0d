"""A real build and a real `showcase check` of media that used to break them: a 1200×17000 px
infographic (WebP holds at most 16,383 px), an animated GIF, and `file:` paths that climb out of
the entry's folder (one through a linked folder) to files inside cases/."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.cli.helpers import check_json
from tests.helpers import build, copy_content

CASE = "changning-ningjuli"
DEEP = "deep/" + "../" * 5 + f"excellent/{CASE}/placeholder-1.jpg"  # through deep -> a/b/c: back home


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("untrusted-media")
    content = copy_content(tmp)
    folder = content / "excellent" / CASE
    infographic = io.BytesIO()
    Image.new("RGB", (1200, 17000), (230, 230, 230)).save(infographic, "JPEG")
    (folder / "infographic.jpg").write_bytes(infographic.getvalue())
    frames = [Image.new("RGB", (1400, 900), colour) for colour in ((200, 40, 40), (40, 200, 40))]
    frames[0].save(folder / "dance.gif", save_all=True, append_images=frames[1:], duration=300, loop=0)
    (folder / "a" / "b" / "c").mkdir(parents=True)
    os.symlink(folder / "a" / "b" / "c", folder / "deep")
    case = folder.with_suffix(".yaml")
    text = case.read_text(encoding="utf-8")
    extra = "".join(f"  - {{file: '{name}', alt: {{zh: 图, en: Picture}}}}\n" for name in
                    ("infographic.jpg", "dance.gif", "../changning-beixinjing-eke/placeholder-1.jpg", DEEP))
    case.write_text(text.replace("media:\n", "media:\n" + extra, 1), encoding="utf-8")

    site = tmp / "site"
    result = build(content, site, tmp / "cache")
    code, report = check_json(content)
    return tmp, site, result, code, report


def test_the_build_publishes_them_and_says_what_check_says(built):
    tmp, site, result, code, report = built
    assert result.returncode == 0, result.stderr[-3000:]
    assert code == 0, [d for d in report["diagnostics"] if d["severity"] == "error"]
    (note,) = [d for d in report["diagnostics"] if d["code"] == "media_animated"]
    assert note["field"] == "media[2].file" and note["severity"] == "warning"
    log = result.stdout + result.stderr
    # a warning is printed in the reader's language only (Diagnostic.report): Chinese here, the
    # build running without SHOWCASE_LANG or a locale
    said = {lang: f"{CASE}.yaml:{note['line']}: media[2].file: {note['message'][lang]}" in log for lang in ("zh", "en")}
    assert said["zh"] or said["en"], log[-3000:]
    published = site / "media" / "excellent" / CASE
    tallest = max((Image.open(path).size for path in published.glob("infographic.*-*.webp")), key=lambda size: size[1])
    assert tallest == (1156, 16377)
    assert list(published.glob("dance.*-1400.jpg"))  # its first frame, like any photo


def test_every_published_file_lies_inside_the_site_folder(built):
    tmp, site, result, *_ = built
    assert result.returncode == 0
    root = site.resolve()
    for folder, dirs, files in os.walk(site):
        for name in dirs + files:
            assert ".." not in name and not re.search(r"[\x00-\x1f\\]", name), Path(folder) / name
            assert (Path(folder) / name).resolve().is_relative_to(root), Path(folder) / name
    assert sorted(p.name for p in tmp.iterdir()) == ["cache", "cases", "site"]  # nothing written beside it
    mine = sorted(p.name for p in (site / "media" / "excellent" / CASE).glob("placeholder-1*-480.jpg"))
    # its own placeholder-1.jpg and the neighbour's: two files, two names, each with a digest
    assert len(mine) == 2 and all(re.fullmatch(r"placeholder-1-[0-9a-f]{8}\.[0-9a-f]{10}-480\.jpg", name) for name in mine), mine
    # the neighbour's own copies are untouched by this entry
    neighbour = sorted(p.name for p in (site / "media" / "excellent" / "changning-beixinjing-eke").glob("*-480.jpg"))
    assert len(neighbour) == 1 and re.fullmatch(r"placeholder-1\.[0-9a-f]{10}-480\.jpg", neighbour[0]), neighbour
