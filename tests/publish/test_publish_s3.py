"""`showcase publish` against a real S3-compatible object store (SeaweedFS, started by conftest.py),
through the installed console script as staff run it, with the sample site the session builds.

What is checked is what the store then serves: every file of the site is there with the
Content-Type and Cache-Control of the site's header rules (fetched anonymously, as a browser or a
CDN fetches from a public-read bucket), `.deploy/` and the nginx `.gz` copies are not; a second
publish sends nothing unchanged and deletes what the build no longer has; `--dry-run` changes
nothing; a folder that is not a finished build is refused."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from generator.publish import DEPLOY_DIR, SiteHeaders, precompress
from generator.publish.headers import CONTENT_TYPES, IMMUTABLE, REVALIDATE
from tests.cli.helpers import showcase
from tests.publish.conftest import REMOTE_NAME, S3Server, make_bucket

BUCKET = "showcase-site"


@pytest.fixture(scope="module")
def built_site(sample_site, tmp_path_factory) -> Path:
    """The session's sample build, copied: the tests change their own copies, never the build."""
    site = tmp_path_factory.mktemp("publish") / "site"
    shutil.copytree(sample_site, site)
    if not (site / DEPLOY_DIR / "headers.json").is_file():
        # The build writes .deploy/headers.json (and the .gz copies) once the plugin's publishing
        # step (generator/mkdocs_plugin.py, issue 16) is in; until then the test makes them the
        # same way that step does, from the built folder.
        SiteHeaders.compute(site, []).write(site)
    if not any(p.name.endswith((".css.gz", ".js.gz")) for p in site.rglob("*.gz")):
        precompress(site)
    return site


def site_copy(built_site: Path, folder: Path) -> Path:
    target = folder / "site"
    shutil.copytree(built_site, target)
    return target


def expected_keys(site: Path) -> set[str]:
    """What a bucket holding this site must hold: every file, less .deploy/ and the .gz beside a file."""
    keys = set()
    for path in site.rglob("*"):
        key = path.relative_to(site).as_posix()
        if not path.is_file() or key.startswith(DEPLOY_DIR + "/"):
            continue
        if key.endswith(".gz") and path.with_name(path.name[:-3]).is_file():
            continue
        keys.add(key)
    return keys


def expected_headers(site: Path, key: str) -> tuple[str, str]:
    wanted = SiteHeaders.read(site).headers_for(key)
    content_type = CONTENT_TYPES[".gz"] if key.endswith(".gz") else wanted["Content-Type"]  # a .gz of its own
    return content_type, wanted["Cache-Control"]


def listing(server: S3Server, bucket_path: str) -> dict[str, dict]:
    """The bucket as rclone lists it: path -> size, MD5 and Last-Modified (btime)."""
    import json

    from generator.publish.upload import Rclone

    result = Rclone(env={**os.environ, **server.env()}).run(
        ["lsjson", "--recursive", "--files-only", "--hash", "--metadata", f"{REMOTE_NAME}:{bucket_path}"])
    assert result.returncode == 0, result.stderr
    return {item["Path"]: {"size": item["Size"], "md5": (item.get("Hashes") or {}).get("md5"),
                           "btime": (item.get("Metadata") or {}).get("btime")} for item in json.loads(result.stdout)}


def publish(server: S3Server, *args: str, lang: str = "en", input: str | None = None):
    return showcase("publish", *args, lang=lang, env=server.env(), input=input)


def uploaded_count(stdout: str) -> tuple[int, int, int]:
    match = re.search(r"published to \S+: (\d+) files uploaded \([^)]*\), (\d+) unchanged, (\d+) deleted", stdout)
    assert match, stdout
    return int(match[1]), int(match[2]), int(match[3])


@pytest.fixture(scope="module")
def published(s3_server, built_site):
    """The sample site published once into an empty bucket."""
    make_bucket(s3_server, BUCKET)
    result = publish(s3_server, f"{REMOTE_NAME}:{BUCKET}", "--site", str(built_site), "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_every_file_is_published_with_its_content_type_and_cache_control(published, s3_server, built_site):
    keys = expected_keys(built_site)
    assert uploaded_count(published.stdout) == (len(keys), 0, 0)
    held = listing(s3_server, BUCKET)
    assert set(held) == keys
    wrong = []
    for key in sorted(keys):
        head = s3_server.head(BUCKET, key)
        want = expected_headers(built_site, key)
        got = (head.headers.get("content-type"), head.headers.get("cache-control"))
        if head.status != 200 or got != want:
            wrong.append(f"{key}: {head.status} {got}, expected {want}")
        assert held[key]["size"] == (built_site / key).stat().st_size, key
    assert not wrong, "\n".join(wrong[:20])


def test_each_kind_of_file_gets_the_right_caching(published, s3_server, built_site):
    keys = expected_keys(built_site)

    def one(pattern: str) -> str:
        found = sorted(k for k in keys if re.search(pattern, k))
        assert found, f"the sample site has no file like {pattern}"
        return found[0]

    cases = {
        one(r"^(stylesheets/[^/]+\.[0-9a-f]{10}\.css|assets/stylesheets/main\.[0-9a-f]{8}\.min\.css)$"): ("text/css; charset=utf-8", IMMUTABLE),
        one(r"^pagefind/fragment/[^/]+\.pf_fragment$"): ("application/octet-stream", IMMUTABLE),
        "pagefind/pagefind-entry.json": ("application/json", REVALIDATE),
        one(r"^cases/[^/]+/index\.html$"): ("text/html; charset=utf-8", REVALIDATE),
        "index.html": ("text/html; charset=utf-8", REVALIDATE),
        "en/index.html": ("text/html; charset=utf-8", REVALIDATE),
    }
    for key, (content_type, cache_control) in cases.items():
        head, body = s3_server.request("GET", BUCKET, key)
        assert head.status == 200, key
        assert (head.headers["content-type"], head.headers["cache-control"]) == (content_type, cache_control), key
        assert body == (built_site / key).read_bytes(), f"{key}: the bytes served are not the site's"


def test_deploy_folder_and_precompressed_copies_are_not_uploaded(published, s3_server, built_site):
    held = listing(s3_server, BUCKET)
    gz_siblings = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.gz") if p.with_name(p.name[:-3]).is_file()]
    assert gz_siblings and (built_site / DEPLOY_DIR / "headers.json").is_file()  # there was something to leave out
    assert not [k for k in held if k.startswith(DEPLOY_DIR + "/") or k.endswith(".gz")]
    assert s3_server.head(BUCKET, f"{DEPLOY_DIR}/headers.json").status == 404
    assert s3_server.head(BUCKET, gz_siblings[0]).status == 404
    assert f"{len(gz_siblings)} .gz pre-compressed copies" in published.stdout


def test_a_second_publish_sends_only_what_changed_and_deletes_what_is_gone(s3_server, built_site, tmp_path):
    """Into a folder of a bucket (`cos:bucket/prefix` form): publish, delete a page and change a
    file locally, publish again: the page is gone from the bucket, the changed file is the only
    upload, every other object is the same object as before (its Last-Modified unchanged)."""
    make_bucket(s3_server, "showcase-second")  # a bucket of its own: publishing owns what is under REMOTE
    remote = "showcase-second/site"
    site = site_copy(built_site, tmp_path)
    first = publish(s3_server, f"{REMOTE_NAME}:{remote}", "--site", str(site), "--yes")
    assert first.returncode == 0, first.stdout + first.stderr
    before = listing(s3_server, remote)
    assert set(before) == expected_keys(site)

    time.sleep(1.1)  # Last-Modified counts seconds: a re-upload would now show
    page = "en/about/index.html"
    (site / page).unlink()
    again = publish(s3_server, f"{REMOTE_NAME}:{remote}", "--site", str(site), "--yes")
    assert again.returncode == 0, again.stdout + again.stderr
    assert uploaded_count(again.stdout) == (0, len(before) - 1, 1)
    after = listing(s3_server, remote)
    assert set(after) == set(before) - {page}
    assert {k: v["btime"] for k, v in after.items()} == {k: before[k]["btime"] for k in after}, "nothing else was re-uploaded"
    assert s3_server.head(remote, page).status == 404

    sitemap = site / "sitemap.xml"
    sitemap.write_bytes(sitemap.read_bytes() + b"\n")
    third = publish(s3_server, f"{REMOTE_NAME}:{remote}", "--site", str(site), "--yes")
    assert third.returncode == 0, third.stdout + third.stderr
    assert uploaded_count(third.stdout) == (1, len(after) - 1, 0)
    head, body = s3_server.request("GET", remote, "sitemap.xml")
    assert body == sitemap.read_bytes() and head.headers["cache-control"] == REVALIDATE


def test_check_headers_mends_an_object_uploaded_with_other_headers(s3_server, built_site, tmp_path):
    """Same bytes, other headers (uploaded by another tool): the usual comparison of size and MD5
    leaves it; --check-headers uploads it again with the rules' headers."""
    from generator.publish.upload import Rclone

    make_bucket(s3_server, "showcase-headers")
    remote = "showcase-headers"
    site = site_copy(built_site, tmp_path)
    assert publish(s3_server, f"{REMOTE_NAME}:{remote}", "--site", str(site), "--yes").returncode == 0
    by_hand = Rclone(env={**os.environ, **s3_server.env()}).run(
        ["copyto", str(site / "sitemap.xml"), f"{REMOTE_NAME}:{remote}/sitemap.xml", "--ignore-times",
         "--header-upload", "Cache-Control: public, max-age=600", "--header-upload", "Content-Type: text/plain"])
    assert by_hand.returncode == 0, by_hand.stderr
    assert s3_server.head(remote, "sitemap.xml").headers["cache-control"] == "public, max-age=600"

    plain = publish(s3_server, f"{REMOTE_NAME}:{remote}", "--site", str(site), "--yes")
    assert plain.returncode == 0 and "is up to date" in plain.stdout, plain.stdout + plain.stderr
    checked = publish(s3_server, f"{REMOTE_NAME}:{remote}", "--site", str(site), "--yes", "--check-headers")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 with other headers only" in checked.stdout and uploaded_count(checked.stdout)[0] == 1
    head = s3_server.head(remote, "sitemap.xml")
    assert (head.headers["content-type"], head.headers["cache-control"]) == ("application/xml", REVALIDATE)


def test_dry_run_lists_and_changes_nothing(published, s3_server, built_site, tmp_path):
    site = site_copy(built_site, tmp_path)
    (site / "en/about/index.html").unlink()
    (site / "robots-extra.txt").write_text("new\n", encoding="utf-8")
    before = listing(s3_server, BUCKET)
    result = publish(s3_server, f"{REMOTE_NAME}:{BUCKET}", "--site", str(site), "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  + robots-extra.txt" in result.stdout and "  - en/about/index.html" in result.stdout
    assert "upload 1 files" in result.stdout and "delete 1 " in result.stdout
    assert "dry run: nothing was uploaded or deleted" in result.stdout
    assert listing(s3_server, BUCKET) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_folder_without_headers_json_is_refused(published, s3_server, built_site, tmp_path, lang):
    site = site_copy(built_site, tmp_path)
    shutil.rmtree(site / DEPLOY_DIR)
    before = listing(s3_server, BUCKET)
    result = publish(s3_server, f"{REMOTE_NAME}:{BUCKET}", "--site", str(site), "--yes", lang=lang)
    assert result.returncode == 1
    zh = "不是一次完整生成的结果" in result.stderr and "请先运行 make build" in result.stderr
    en = "is not a finished build" in result.stderr and "Run make build first" in result.stderr
    assert zh and en, result.stderr  # both languages: the message can be forwarded as it is
    first = result.stderr.splitlines()[0]
    assert first.startswith("错误 " if lang == "zh" else "error "), result.stderr
    assert listing(s3_server, BUCKET) == before


def test_a_folder_without_index_html_is_refused(published, s3_server, built_site, tmp_path):
    site = site_copy(built_site, tmp_path)
    (site / "index.html").unlink()
    result = publish(s3_server, f"{REMOTE_NAME}:{BUCKET}", "--site", str(site), "--yes")
    assert result.returncode == 1
    assert "holds no index.html" in result.stderr and "没有 index.html" in result.stderr
    assert s3_server.head(BUCKET, "index.html").status == 200


def test_a_missing_bucket_or_remote_is_a_clear_error(s3_server, built_site):
    missing = publish(s3_server, f"{REMOTE_NAME}:no-such-bucket", "--site", str(built_site), "--yes")
    assert missing.returncode == 1
    assert "does not exist: create the bucket in the cloud console first" in missing.stderr
    unknown = publish(s3_server, "nowhere:bucket", "--site", str(built_site), "--yes")
    assert unknown.returncode == 1
    assert "could not list nowhere:bucket" in unknown.stderr and "rclone said:" in unknown.stderr


@pytest.mark.parametrize("remote, words", [("just-a-name", "is not an rclone remote path"), ("oss:", "names no bucket")])
def test_a_remote_that_is_not_a_bucket_is_wrong_usage(remote, words, built_site):
    result = showcase("publish", remote, "--site", str(built_site), lang="en")
    assert result.returncode == 2 and words in result.stderr and "--help" in result.stderr


def test_changes_are_not_made_without_yes_when_nobody_can_be_asked(published, s3_server, built_site, tmp_path):
    site = site_copy(built_site, tmp_path)
    (site / "en/about/index.html").unlink()
    before = listing(s3_server, BUCKET)
    result = publish(s3_server, f"{REMOTE_NAME}:{BUCKET}", "--site", str(site), input="")
    assert result.returncode == 2 and "add --yes" in result.stderr, result.stdout + result.stderr
    assert "  - en/about/index.html" in result.stdout  # what it would have deleted was shown
    assert listing(s3_server, BUCKET) == before


def test_help_in_both_languages():
    zh = showcase("publish", "--help", lang="zh")
    en = showcase("publish", "--help", lang="en")
    assert zh.returncode == en.returncode == 0
    assert "用法" in zh.stdout and "对象存储" in zh.stdout
    assert "Usage" in en.stdout and "object storage" in en.stdout
    for option in ("--site", "--dry-run", "--yes", "--check-headers"):
        assert option in zh.stdout and option in en.stdout
    assert "  publish " in showcase("--help", lang="en").stdout and "  publish " in showcase("--help", lang="zh").stdout
