"""Run Pagefind (extended build) on the search records.

Pagefind's binary comes from the `pagefind[extended]` package (its `get_executable` also honours
PAGEFIND_BINARY_PATH). It is driven through its service mode (`--service`: base64 JSON messages
separated by commas on stdin/stdout), the protocol the package's Python API speaks. That API
reads one answer per 100 ms, which made indexing 2,000 records take minutes; this client pipes
every record at once and reads answers as they come.

A failure of any kind (binary missing or crashing, a record refused, nothing written, a language
missing from what was written) raises SearchIndexError with a message in both languages; the
caller fails the build, so the last good site stays published.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

from .records import EXCLUDE_SELECTORS, Record

BUNDLE_DIR = "pagefind"
# Pagefind also writes its ready-made UIs; the site uses its own box on the search API only.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(RuntimeError):
    def __init__(self, zh: str, en: str):
        super().__init__(f"搜索索引生成失败：{zh} / search index failed: {en}")
        self.zh, self.en = zh, en


def binary() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    path = get_executable() if get_executable else None
    if path is None:
        raise SearchIndexError("找不到 Pagefind 程序；请运行 scripts/setup.sh 安装 pagefind[extended]",
                               "the Pagefind binary is missing; run scripts/setup.sh to install pagefind[extended]")
    return Path(path)


def write_index(records: list[Record], site_dir: Path, timeout: float = 300.0) -> dict[str, int]:
    """Index `records` into `site_dir/pagefind/`; returns the record count per language."""
    out = site_dir / BUNDLE_DIR
    if out.exists():
        shutil.rmtree(out)
    with _Service(binary(), timeout) as service:
        index_id = service.call({"type": "NewIndex", "config": {"exclude_selectors": EXCLUDE_SELECTORS}})["index_id"]
        ids = [service.send({"type": "AddFile", "index_id": index_id, "url": record.url,
                             "file_contents": record.html(), "file_path": None}) for record in records]
        for message_id, record in zip(ids, records):
            service.wait(message_id, what=record.url)
        service.call({"type": "WriteFiles", "index_id": index_id, "output_path": str(out)})
    counts = _check(records, out)
    _check_files(out)
    _stable_filters(out)
    for name in _UNUSED:
        (out / name).unlink(missing_ok=True)
    return counts


def _check_files(out: Path) -> None:
    """Every file Pagefind wrote is gzip and complete: a cut-short file would only show as a
    search that fails in the reader's browser."""
    for path in sorted(out.rglob("*")):
        if path.suffix not in (".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"):
            continue
        data = path.read_bytes()
        try:
            complete = bool(data) and bool(gzip.decompress(data))
        except (OSError, EOFError, ValueError):
            complete = False
        if not complete:
            name = path.relative_to(out).as_posix()
            raise SearchIndexError(f"Pagefind 写出的 {name} 不完整（{len(data)} 字节）；请重新生成",
                                   f"Pagefind wrote an incomplete {name} ({len(data)} bytes); build again")


class _Service:
    def __init__(self, path: Path, timeout: float):
        self.path, self.deadline = path, time.monotonic() + timeout
        self.timeout = timeout
        self.answers: dict[int, dict] = {}
        self.next_id = 0
        self.ended = False
        self.stderr: list[str] = []
        self.lock = threading.Condition()

    def __enter__(self) -> "_Service":
        try:
            self.proc = subprocess.Popen([str(self.path), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE)
        except OSError as exc:
            raise SearchIndexError(f"无法启动 Pagefind（{self.path}：{exc.strerror or exc}）；请运行 scripts/setup.sh",
                                   f"cannot start Pagefind ({self.path}: {exc.strerror or exc}); run scripts/setup.sh") from None
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
        except OSError:
            pass
        # Pagefind answers WriteFiles before every file is on disk: let it end by itself (it does
        # on end of input) so that nothing is cut short. Killed early, it once left an empty
        # wasm file, and Chinese search failed in the browser.
        if exc[0] is None:
            try:
                self.proc.wait(max(5.0, self.deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # --- protocol ----------------------------------------------------------------------------
    def send(self, payload: dict) -> int:
        self.next_id += 1
        message = json.dumps({"message_id": self.next_id, "payload": payload}).encode("utf-8")
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(base64.b64encode(message) + b",")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._failed()
        return self.next_id

    def wait(self, message_id: int, what: str = "") -> dict:
        with self.lock:
            while message_id not in self.answers:
                if self.ended:
                    self._failed()
                left = self.deadline - time.monotonic()
                if left <= 0:
                    raise SearchIndexError(f"Pagefind 在 {self.timeout:.0f} 秒内没有完成",
                                           f"Pagefind did not finish within {self.timeout:.0f} s")
                self.lock.wait(min(left, 1.0))
            payload = self.answers.pop(message_id)
        if payload.get("type") == "Error":
            where = f"（{what}）" if what else ""
            raise SearchIndexError(f"Pagefind 报错{where}：{payload.get('message')}",
                                   f"Pagefind reported an error{' (' + what + ')' if what else ''}: {payload.get('message')}")
        return payload

    def call(self, payload: dict) -> dict:
        return self.wait(self.send(payload), what=payload["type"])

    def _read(self) -> None:
        assert self.proc.stdout is not None
        buffer = b""
        while True:
            chunk = self.proc.stdout.read1(1 << 16)
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                try:
                    answer = json.loads(base64.b64decode(raw))
                except ValueError:
                    continue  # not a protocol message
                if not isinstance(answer, dict):
                    continue
                message_id = answer.get("message_id")
                payload = answer.get("payload") or {}
                if message_id is None and payload.get("original_message"):
                    try:
                        message_id = json.loads(payload["original_message"]).get("message_id")
                    except (ValueError, AttributeError):
                        pass
                if message_id is not None:
                    with self.lock:
                        self.answers[message_id] = payload
                        self.lock.notify_all()
        with self.lock:
            self.ended = True
            self.lock.notify_all()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if len(self.stderr) < 50:
                self.stderr.append(line.decode("utf-8", "replace").rstrip())

    def _failed(self):
        code = self.proc.poll()
        detail = "; ".join(self.stderr[-5:]) or f"exit code {code}"
        raise SearchIndexError(f"Pagefind 程序意外退出（{detail}）", f"the Pagefind binary exited unexpectedly ({detail})")


def _check(records: list[Record], out: Path) -> dict[str, int]:
    entry = out / "pagefind-entry.json"
    if not entry.is_file():
        raise SearchIndexError(f"没有写出 {entry}", f"{entry} was not written")
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    expected = Counter(record.lang for record in records)
    for lang, count in expected.items():
        written = languages.get(lang, {}).get("page_count", 0)
        if written != count:
            raise SearchIndexError(f"{lang} 索引应有 {count} 条记录，实际 {written} 条",
                                   f"the {lang} index should hold {count} records, it holds {written}")
    return dict(expected)


# --- the same bytes for the same site ---------------------------------------------------------
# Pagefind (1.5) writes its filter indexes from hash maps: the values of a filter, the filters in
# the language's metadata file and the languages in pagefind-entry.json come out in a different
# order on every run, and with them the files' hashed names (upstream: Pagefind issue #638; the
# page fragments and word indexes are stable). An unchanged site would upload new search files on
# every deploy, so the order is fixed here: values and filters sorted, files renamed by their
# content. Pagefind looks files up by the names its metadata gives, so nothing else changes.
_MAGIC = b"pagefind_dcd"


def _read_cbor(path: Path):
    import cbor2

    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_MAGIC):
        raise ValueError(f"{path.name}: not a Pagefind index file")
    return cbor2.loads(raw[len(_MAGIC):])


def _write_cbor(path_for, lang: str, data, digits: int) -> str:
    """Write `data` as a Pagefind file named by its content; returns the name ("zh_1a2b3c4")."""
    import cbor2

    raw = _MAGIC + cbor2.dumps(data)
    name = f"{lang}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    path_for(name).write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return name


def _stable_filters(out: Path) -> None:
    entry_path = out / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    try:
        for lang, info in entry["languages"].items():
            meta_path = out / f"pagefind.{info['hash']}.pf_meta"
            meta = _read_cbor(meta_path)
            # [version, pages, word index chunks, filters [[name, file]...], sorts, meta fields]
            renamed = []
            for name, old in sorted(meta[3], key=lambda f: f[0]):
                path = out / "filter" / f"{old}.pf_filter"
                filter_name, values = _read_cbor(path)
                values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])
                path.unlink()
                renamed.append([name, _write_cbor(lambda n: out / "filter" / f"{n}.pf_filter", lang,
                                                  [filter_name, values], 7)])
            meta[3] = renamed
            meta_path.unlink()
            info["hash"] = _write_cbor(lambda n: out / f"pagefind.{n}.pf_meta", lang, meta, 10)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise SearchIndexError(f"Pagefind 写出的索引格式与预期不同（{exc}）；请检查 pagefind 的版本",
                               f"Pagefind wrote an index of an unexpected shape ({exc}); check the pagefind version") from None
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
