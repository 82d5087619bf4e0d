"""The publishing plan of generator/publish/upload.py on a small hand-made site, and the order in
which it drives rclone: quick checks beside the real-store test (test_publish_s3.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.publish import SiteHeaders
from generator.publish.headers import IMMUTABLE, REVALIDATE
from generator.publish.upload import (PublishError, Rclone, RemoteFile, Stage, check_remote, execute, make_plan,
                                      read_site, rclone_binary)

FILES = {
    "index.html": "<h1>首页</h1>",
    "404.html": "<h1>404</h1>",
    "en/index.html": "<h1>Home</h1>",
    "en/404.html": "<h1>Not found</h1>",
    "cases/a/index.html": "<h1>a</h1>",
    "en/cases/a/index.html": "<h1>a</h1>",
    "stylesheets/extra.0123456789.css": "body{}" * 400,
    "stylesheets/extra.0123456789.css.gz": "(gzip)",
    "pagefind/fragment/zh_1a2b3c4.pf_fragment": "x",
    "pagefind/pagefind-entry.json": "{}",
    "sitemap.xml": "<urlset/>",
    "sitemap.xml.gz": "(gzip)",
    "downloads/entries.csv.gz": "(a download that is a gzip file of its own)",
}


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    SiteHeaders.compute(root, []).write(root)
    return root


def test_what_is_uploaded_and_in_which_order(site):
    local = read_site(site)
    paths = [f.path for f in local.files]
    assert not [p for p in paths if p.startswith(".deploy/")]
    assert sorted(local.compressed_copies) == ["sitemap.xml.gz", "stylesheets/extra.0123456789.css.gz"]
    assert "downloads/entries.csv.gz" in paths  # a .gz with nothing beside it is a file like any other
    plan = make_plan(local, "oss:bucket", {})
    stages = {f.path: f.stage for f in plan.upload}
    assert stages["stylesheets/extra.0123456789.css"] == stages["pagefind/fragment/zh_1a2b3c4.pf_fragment"] == Stage.HASHED
    assert stages["pagefind/pagefind-entry.json"] == stages["sitemap.xml"] == Stage.OTHER
    assert stages["cases/a/index.html"] == stages["en/cases/a/index.html"] == Stage.PAGES
    assert {p for p, s in stages.items() if s == Stage.ENTRY} == {"index.html", "404.html", "en/index.html", "en/404.html"}
    order = [f.stage for f in plan.upload]
    assert order == sorted(order)
    by_path = {f.path: f for f in plan.upload}
    assert (by_path["stylesheets/extra.0123456789.css"].cache_control, by_path["index.html"].cache_control) == (IMMUTABLE, REVALIDATE)
    assert by_path["downloads/entries.csv.gz"].content_type == "application/gzip"
    # one rclone run per stage and pair of headers, stages in order
    batches = plan.batches()
    assert [b.stage for b in batches] == sorted(b.stage for b in batches)
    assert len({(b.stage, b.content_type, b.cache_control) for b in batches}) == len(batches)


def test_unchanged_changed_and_gone(site):
    local = read_site(site)
    same = {f.path: RemoteFile(f.path, f.size, f.md5) for f in local.files}
    same["sitemap.xml"] = RemoteFile("sitemap.xml", 9, "0" * 32)  # same size, other bytes
    same["old/index.html"] = RemoteFile("old/index.html", 10, "1" * 32)
    same["stylesheets/extra.0123456789.css.gz"] = RemoteFile("stylesheets/extra.0123456789.css.gz", 6, "2" * 32)
    plan = make_plan(local, "oss:bucket", same)
    assert [f.path for f in plan.upload] == ["sitemap.xml"] and plan.reasons["sitemap.xml"] == "changed"
    assert [f.path for f in plan.delete] == ["old/index.html", "stylesheets/extra.0123456789.css.gz"]
    assert len(plan.unchanged) == len(local.files) - 1


def test_headers_are_compared_only_when_asked(site):
    local = read_site(site)
    remote = {f.path: RemoteFile(f.path, f.size, f.md5, f.content_type, f.cache_control) for f in local.files}
    remote["index.html"] = RemoteFile("index.html", remote["index.html"].size, remote["index.html"].md5, "text/html", "max-age=600")
    assert not make_plan(local, "oss:b", remote).changes
    plan = make_plan(local, "oss:b", remote, check_headers=True)
    assert [f.path for f in plan.upload] == ["index.html"] and plan.reasons["index.html"] == "headers"


class Recorder(Rclone):
    """Records what would be asked of rclone; `fail_at` makes that copy fail."""

    def __init__(self, fail_at: int | None = None):
        super().__init__(binary="rclone", env={})
        self.calls: list[tuple[list[str], list[str]]] = []
        self.fail_at = fail_at

    def run(self, args, *, timeout=None):
        listed = Path(args[args.index("--files-from-raw") + 1]).read_text(encoding="utf-8").splitlines()
        self.calls.append((args, listed))
        failed = args[0] == "copy" and len(self.calls) == self.fail_at
        return subprocess.CompletedProcess(args, 1 if failed else 0, "", "ERROR : boom" if failed else "")


def test_uploads_run_in_order_and_deletion_comes_last(site):
    local = read_site(site)
    plan = make_plan(local, "cos:bucket/prefix", {"gone.html": RemoteFile("gone.html", 1, "a" * 32)})
    rclone = Recorder()
    execute(plan, rclone)
    kinds = [args[0] for args, _ in rclone.calls]
    assert kinds == ["copy"] * len(plan.batches()) + ["delete"]
    uploaded = [path for args, listed in rclone.calls if args[0] == "copy" for path in listed]
    assert uploaded == [f.path for f in plan.upload]
    copy, listed = rclone.calls[0]
    batch = plan.batches()[0]
    assert copy[1:3] == [str(site), "cos:bucket/prefix"] and "--no-check-dest" in copy
    assert f"Content-Type: {batch.content_type}" in copy and f"Cache-Control: {batch.cache_control}" in copy
    assert rclone.calls[-1] == (["delete", "cos:bucket/prefix", "--files-from-raw", rclone.calls[-1][0][3], "--no-traverse"], ["gone.html"])


def test_nothing_is_deleted_after_a_failed_upload(site):
    plan = make_plan(read_site(site), "oss:bucket", {"gone.html": RemoteFile("gone.html", 1, "a" * 32)})
    rclone = Recorder(fail_at=2)
    with pytest.raises(PublishError) as caught:
        execute(plan, rclone)
    assert [args[0] for args, _ in rclone.calls] == ["copy", "copy"]
    assert "nothing was deleted" in caught.value.message.en and "没有删除任何文件" in caught.value.message.zh
    assert "boom" in caught.value.detail


def test_not_a_finished_build(tmp_path, site):
    (site / ".deploy" / "headers.json").unlink()
    with pytest.raises(PublishError, match="not a finished build"):
        read_site(site)
    with pytest.raises(PublishError, match="no site folder"):
        read_site(tmp_path / "nothing")


@pytest.mark.parametrize("remote, ok", [("oss:my-bucket", "oss:my-bucket"), ("cos:b-125/showcase/", "cos:b-125/showcase"),
                                        ("oss:", None), ("bucket", None), ("/srv/site", None)])
def test_remote_paths(remote, ok):
    if ok:
        assert check_remote(remote) == ok
    else:
        with pytest.raises(ValueError):
            check_remote(remote)


def test_rclone_comes_from_the_wheel():
    import sysconfig

    binary = Path(rclone_binary())
    assert binary.name == "rclone" and binary.parent == Path(sysconfig.get_path("scripts")).resolve()
    version = subprocess.run([str(binary), "version"], capture_output=True, text=True, timeout=30)
    assert version.returncode == 0 and version.stdout.startswith("rclone v1.")


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4))
def test_any_photo_name_reaches_rclone_as_exactly_its_file(tmp_path_factory, names):
    """Whatever a person named a photo (quotes, spaces, #, ;, a leading -, RTL marks, line breaks…),
    the name the build publishes it under (media.safe_stem) is uploaded as itself: it is one line of
    rclone's --files-from-raw list (read verbatim: no comments, no trimming, no patterns), it is in
    the plan with its own headers, and nothing in it is read as an option or a second file."""
    from generator.media import safe_stem
    from generator.publish.upload import _write_list

    root = tmp_path_factory.mktemp("named") / "site"
    (root / "media/excellent/x").mkdir(parents=True)
    (root / "index.html").write_text("<h1>首页</h1>", encoding="utf-8")
    published = sorted({f"media/excellent/x/{safe_stem(name)}.0123456789-960.jpg" for name in names})
    for key in published:
        (root / key).write_bytes(b"\xff\xd8 jpeg")
    SiteHeaders.compute(root, []).write(root)
    local = read_site(root)
    photos = {f.path: f for f in local.files if f.path.startswith("media/")}
    assert sorted(photos) == published
    assert all(f.cache_control == IMMUTABLE and f.content_type == "image/jpeg" and f.stage == Stage.HASHED for f in photos.values())
    listing = _write_list(root.parent, "list.txt", photos)
    assert listing.read_text(encoding="utf-8").split("\n")[:-1] == list(photos)
