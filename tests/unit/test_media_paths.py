"""Where media files are read from and where their copies are published: only files inside the
content folder are ever opened, and a published name comes from the file itself, never from the
`file:` text, so no copy can land outside the site folder."""

from __future__ import annotations

import re

import io
import os
import posixpath
import unicodedata
from pathlib import Path

from PIL import Image

from generator.collection import load_collection
from generator.diagnostics import Diagnostics
from generator.media import publish_media
from tests.cli.helpers import check_json
from tests.unit.test_media import mp4
from tests.unit.test_validation import VALID_CASE, make_content

ENTRY_FOLDER = "media/excellent/changning-test/"


def photo(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(out, "JPEG")
    return out.getvalue()


# through the linked folder `deep` (-> a/b/c/d/e) this climbs back into the entry's own sub/; read
# as text it climbs three folders above the site
DEEP = "deep/" + "../" * 7 + "excellent/changning-test/sub/photo.jpg"
NAMES = ["photo.jpg", "../changning-other/photo.jpg", "sub/photo.jpg", "photo.png", "活动 1.jpg", ".hidden.jpg",
         "a..b.jpg", "link.jpg", "./sub/../Photo.JPG", DEEP]


def tricky_content(tmp_path: Path) -> Path:
    items = "".join(f"  - {{file: '{name}', alt: 说明}}\n" for name in NAMES)
    items += "  - {kind: video, file: walk.mp4, caption: 视频}\n  - {kind: video, file: sub/walk.mp4, caption: 视频}\n"
    root = make_content(tmp_path, {"excellent/changning-test.yaml": VALID_CASE + "media:\n" + items,
                                   "excellent/changning-other.yaml": VALID_CASE.replace("changning-test", "changning-other")})
    folder, other = root / "excellent" / "changning-test", root / "excellent" / "changning-other"
    (folder / "sub").mkdir(parents=True)
    other.mkdir()
    (other / "photo.jpg").write_bytes(photo((200, 0, 0)))  # the same name, another file
    for i, name in enumerate(["photo.jpg", "sub/photo.jpg", "活动 1.jpg", ".hidden.jpg", "a..b.jpg", "Photo.JPG"]):
        (folder / name).write_bytes(photo((10 * i, 100, 100)))
    png = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 0, 200)).save(png, "PNG")
    (folder / "photo.png").write_bytes(png.getvalue())
    # a link (inside the content folder) to a file whose name carries an ESC sequence and a
    # right-to-left override: its name is what would be published
    (folder / "sub" / "x\x1b[31m\u202egpj.exe.jpg").write_bytes(photo((0, 200, 0)))
    os.symlink(folder / "sub" / "x\x1b[31m\u202egpj.exe.jpg", folder / "link.jpg")
    (folder / "a" / "b" / "c" / "d" / "e").mkdir(parents=True)
    os.symlink(folder / "a" / "b" / "c" / "d" / "e", folder / "deep")
    (folder / "walk.mp4").write_bytes(mp4())
    (folder / "sub" / "walk.mp4").write_bytes(mp4() + b"\0")
    return root


def test_published_names_come_from_the_file_and_stay_inside_the_site_folder(tmp_path):
    root = tricky_content(tmp_path)
    collection, diagnostics = load_collection(root, display_root=tmp_path)
    assert collection is not None, [d.format("en") for d in diagnostics]
    built = Diagnostics()
    published = publish_media(collection, tmp_path / "cache", built)
    assert not built.errors, [d.format("en") for d in built]

    site = (tmp_path / "site").resolve()
    for site_path, _file in published.files:
        assert site_path.startswith(ENTRY_FOLDER) or site_path.startswith("media/excellent/changning-other/"), site_path
        name = site_path.rsplit("/", 1)[1]
        assert site_path.count("/") == 3 and "\\" not in name and ".." not in name and not name.startswith("."), site_path
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name), site_path
        assert posixpath.normpath(site_path) == site_path and (site / site_path).resolve().is_relative_to(site)

    largest = {name: published.get("excellent", "changning-test", name).largest for name in NAMES}
    # distinct files, distinct names (Photo.JPG and photo.jpg too: some file systems ignore case)
    assert len({path.casefold() for path in largest.values()}) == len(NAMES) - 1
    assert largest["./sub/../Photo.JPG"] != largest["photo.jpg"] and largest[DEEP] == largest["sub/photo.jpg"]
    # readable: the file's own name, Chinese kept; a digest only where two files share a name
    # (each copy's name also carries the hash of the photo's content: <stem>.<hash>-<size>.<fmt>)
    stem = {name: re.sub(r"\.[0-9a-f]{10}(-[0-9a-z]+\.[a-z]+)$", r"\1", path) for name, path in largest.items()}
    assert all(stem[name] != largest[name] for name in largest), largest
    assert stem["活动 1.jpg"] == ENTRY_FOLDER + "活动 1-300.jpg"
    assert stem[".hidden.jpg"] == ENTRY_FOLDER + "hidden-300.jpg"
    assert stem["a..b.jpg"] == ENTRY_FOLDER + "a.b-300.jpg"
    assert stem["link.jpg"].startswith(ENTRY_FOLDER + "x-[31m-gpj.exe-300")
    for name in ("photo.jpg", "../changning-other/photo.jpg", "sub/photo.jpg", "photo.png", DEEP):
        assert stem[name].removeprefix(ENTRY_FOLDER).startswith("photo-") and len(stem[name]) == len(ENTRY_FOLDER + "photo-12345678-300.jpg")
    videos = [published.get("excellent", "changning-test", name).site_path for name in ("walk.mp4", "sub/walk.mp4")]
    assert videos[0] != videos[1] and all(v.startswith(ENTRY_FOLDER + "walk") and v.endswith(".mp4") for v in videos)

    # the same content gives the same names (a rebuild, another machine)
    again = publish_media(load_collection(root, display_root=tmp_path)[0], tmp_path / "cache", Diagnostics())
    assert sorted(s for s, _ in again.files) == sorted(s for s, _ in published.files)


GOOD_CASE = """\
id: {id}
title: {{zh: 测试案例, en: Test case}}
district: 长宁区
year: 2024
types: [人民坊]
location: {{lat: 31.2196, lon: 121.4242}}
summary: {{zh: 摘要。, en: Summary.}}
media:
  - {{file: '{file}', alt: {{zh: 照片, en: Photo}}}}
"""


def test_files_outside_the_content_folder_are_reported_once_and_never_opened(tmp_path):
    """`/etc/passwd` used to come back as "not an image" as well, which told whoever wrote the
    entry that the file exists; a link out of the folder to a small photo drew a "too small"."""
    secret = tmp_path / "secret.jpg"  # outside cases/
    secret.write_bytes(photo((1, 2, 3)))
    cases = {"absolute": "/etc/passwd", "climbing": "../../../../etc/passwd",
             "to-the-root": "../" * 40 + "etc/passwd", "link": "link.jpg", "missing": "nowhere.jpg"}
    root = make_content(tmp_path, {f"excellent/{entry}.yaml": GOOD_CASE.format(id=entry, file=name) for entry, name in cases.items()})
    (root / "excellent" / "link").mkdir()
    os.symlink(secret, root / "excellent" / "link" / "link.jpg")

    collection, _ = load_collection(root, display_root=tmp_path, keep_partial=True)
    for entry in cases:
        assert collection.media_path("excellent", entry, collection.cases[entry].media[0]) is None, entry

    code, report = check_json(root)
    assert code == 1
    for entry, name in cases.items():
        about = [d for d in report["diagnostics"] if d["file"].endswith(f"excellent/{entry}.yaml")]
        expected = "media_missing" if entry == "missing" else "media_outside"
        assert [(d["code"], d["field"], d["line"]) for d in about] == [(expected, "media[1].file", 9)], (entry, about)
