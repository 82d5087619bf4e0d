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
import os
import hashlib
import json
import shutil
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path, PurePosixPath

from . import records as _records
from .records import EXCLUDE_SELECTORS, Record

BUNDLE_DIR = "pagefind"
# Words (Pagefind counts a word's locations) per word index chunk. A query loads every chunk its
# tokens fall in; Pagefind's default (20,000 locations) put rare pairs beside common ones, so a
# six-character word loaded five chunks of 15-20 KB gzip each. Set through Pagefind's
# PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE (1.5; its name says it may change: without it the index is
# the same, in larger chunks). Measured at 1,000 cases: benchmarks/search_bench.py --query-words.
CHUNK_SIZE = 2000
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
    files, counts = index_files([(r.url, r.lang, r.html()) for r in records], timeout)
    write_files(files, site_dir)
    return counts


def index_files(documents: list[tuple[str, str, str]], timeout: float = 300.0,
                background: bool = False) -> tuple[dict[str, bytes], dict[str, int]]:
    """Pagefind's bundle for `documents` ((url, language, html) each), checked, with its filter
    files in a fixed order; and the record count per language. `background`: Pagefind runs at a
    low priority (a preview's index must not slow the page being shown or the next save).

    Pagefind indexes on one core, and each language's index is a world of its own (its own
    metadata, word index, fragments and filters): one Pagefind per language, side by side, and the
    two bundles joined, give the same files as one Pagefind for both (1,000 cases: 7.3 s -> 5.1 s).
    """
    by_lang: dict[str, list[tuple[str, str, str]]] = {}
    for document in documents:
        by_lang.setdefault(document[1], []).append(document)
    if len(by_lang) <= 1:
        return _index_one(documents, timeout, background)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(by_lang)) as pool:
        parts = list(pool.map(lambda part: _index_one(part, timeout, background), by_lang.values()))
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    entry: dict | None = None
    for part_files, part_counts in parts:
        part_entry = _entry(part_files)
        if entry is None:
            entry = part_entry
        elif {k: v for k, v in part_entry.items() if k != "languages"} != {k: v for k, v in entry.items() if k != "languages"}:
            raise SearchIndexError("各语言的 Pagefind 索引版本不一致", "the languages' Pagefind indexes disagree on their version")
        else:
            entry["languages"].update(part_entry["languages"])
        for name, data in part_files.items():
            if name != "pagefind-entry.json" and files.setdefault(name, data) != data:
                raise SearchIndexError(f"各语言的 Pagefind 索引中 {name} 不同", f"the languages' Pagefind indexes differ in {name}")
        counts.update(part_counts)
    assert entry is not None
    entry["languages"] = dict(sorted(entry["languages"].items()))
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files, dict(sorted(counts.items(), key=lambda item: [d[1] for d in documents].index(item[0])))


def _index_one(documents: list[tuple[str, str, str]], timeout: float, background: bool) -> tuple[dict[str, bytes], dict[str, int]]:
    with _Service(binary(), timeout, nice=10 if background else 0) as service:
        index_id = service.call({"type": "NewIndex", "config": {"exclude_selectors": EXCLUDE_SELECTORS}})["index_id"]
        ids = [service.send({"type": "AddFile", "index_id": index_id, "url": url,
                             "file_contents": html, "file_path": None}) for url, _lang, html in documents]
        for message_id, (url, _lang, _html) in zip(ids, documents):
            service.wait(message_id, what=url)
        # The files come back in the answer and are written here. Pagefind's own WriteFiles answers
        # before its files are on disk: CI once read an empty pagefind-entry.json after it.
        answer = service.call({"type": "GetFiles", "index_id": index_id})
    files = _decode_files(answer)
    _check_files(files)
    counts = _check([lang for _url, lang, _html in documents], files)
    _stable_filters(files)
    return files, counts


def write_files(files: dict[str, bytes], site_dir: Path, live: bool = True) -> None:
    """The bundle into `site_dir/pagefind/`. `live`: the folder is being served, so the bundle is
    written beside the old one and swapped in; otherwise (a folder being built, which nobody
    reads yet) files are written in place, and one already there with the same bytes is only
    marked as written (os.utime; reading is cheaper than writing): folders and new files cost
    most to make."""
    if live:
        _write_files(files, site_dir / BUNDLE_DIR)
        return
    out = site_dir / BUNDLE_DIR
    made: set[Path] = set()
    for name, data in files.items():
        path = out / name
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        try:
            same = path.stat().st_size == len(data) and path.read_bytes() == data
        except OSError:
            same = False
        if same:
            os.utime(path)
        else:
            path.write_bytes(data)


def _decode_files(answer: dict) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    try:
        for item in answer["files"]:
            name = PurePosixPath(item["path"])
            if name.is_absolute() or ".." in name.parts or not name.parts:
                raise ValueError(f"unexpected file name {item['path']!r}")
            if name.as_posix() not in _UNUSED:
                files[name.as_posix()] = base64.b64decode(item["content"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise SearchIndexError(f"Pagefind 返回的文件列表格式不对（{exc}）；请检查 pagefind 的版本",
                               f"Pagefind returned its files in an unexpected shape ({exc}); check the pagefind version") from None
    return files


def _check_files(files: dict[str, bytes]) -> None:
    """Every index file is gzip and complete: a cut-short file would only show as a search that
    fails in the reader's browser."""
    for name, data in sorted(files.items()):
        if PurePosixPath(name).suffix not in (".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"):
            continue
        try:
            complete = bool(data) and bool(gzip.decompress(data))
        except (OSError, EOFError, ValueError):
            complete = False
        if not complete:
            raise SearchIndexError(f"Pagefind 生成的 {name} 不完整（{len(data)} 字节）；请重新生成",
                                   f"Pagefind made an incomplete {name} ({len(data)} bytes); build again")


def _write_files(files: dict[str, bytes], out: Path) -> None:
    """Write the bundle beside the old one and swap it in, so no reader sees half of each."""
    fresh = out.with_name(out.name + ".new")
    if fresh.exists():
        shutil.rmtree(fresh)
    for name, data in files.items():
        path = fresh / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if out.exists():
        shutil.rmtree(out)
    fresh.rename(out)


class _Service:
    def __init__(self, path: Path, timeout: float, nice: int = 0):
        self.path, self.deadline = path, time.monotonic() + timeout
        self.nice = nice
        self.timeout = timeout
        self.answers: dict[int, dict] = {}
        self.next_id = 0
        self.ended = False
        self.stderr: list[str] = []
        self.lock = threading.Condition()

    def __enter__(self) -> "_Service":
        try:
            env = dict(os.environ)
            env.setdefault("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", str(CHUNK_SIZE))
            self.proc = subprocess.Popen([str(self.path), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, env=env)
        except OSError as exc:
            raise SearchIndexError(f"无法启动 Pagefind（{self.path}：{exc.strerror or exc}）；请运行 scripts/setup.sh",
                                   f"cannot start Pagefind ({self.path}: {exc.strerror or exc}); run scripts/setup.sh") from None
        if self.nice:
            try:
                os.setpriority(os.PRIO_PROCESS, self.proc.pid, self.nice)
            except (AttributeError, OSError):
                pass  # not on this system: it runs at the usual priority
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
        except OSError:
            pass
        # Pagefind ends by itself at the end of its input; give it a moment before stopping it.
        if exc[0] is None:
            try:
                self.proc.wait(5)
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
        # Messages end with a comma. The answer to GetFiles is the whole index in one message
        # (megabytes): the pending bytes are only appended to, never searched or copied again.
        pending = bytearray()
        while True:
            chunk = self.proc.stdout.read1(1 << 16)
            if not chunk:
                break
            start = 0
            while (comma := chunk.find(b",", start)) >= 0:
                pending += chunk[start:comma]
                self._receive(bytes(pending))
                pending.clear()
                start = comma + 1
            pending += chunk[start:]
        with self.lock:
            self.ended = True
            self.lock.notify_all()

    def _receive(self, raw: bytes) -> None:
        try:
            answer = json.loads(base64.b64decode(raw))
        except ValueError:
            return  # not a protocol message
        if not isinstance(answer, dict):
            return
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

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if len(self.stderr) < 50:
                self.stderr.append(line.decode("utf-8", "replace").rstrip())

    def _failed(self):
        code = self.proc.poll()
        detail = "; ".join(self.stderr[-5:]) or f"exit code {code}"
        raise SearchIndexError(f"Pagefind 程序意外退出（{detail}）", f"the Pagefind binary exited unexpectedly ({detail})")


def _entry(files: dict[str, bytes]) -> dict:
    try:
        entry = json.loads(files["pagefind-entry.json"].decode("utf-8"))
        if not isinstance(entry.get("languages"), dict):
            raise ValueError("no languages")
        return entry
    except KeyError:
        raise SearchIndexError("Pagefind 没有生成 pagefind-entry.json", "Pagefind made no pagefind-entry.json") from None
    except (ValueError, UnicodeDecodeError, AttributeError) as exc:
        raise SearchIndexError(f"Pagefind 生成的 pagefind-entry.json 无法读取（{exc}）；请重新生成",
                               f"Pagefind made an unreadable pagefind-entry.json ({exc}); build again") from None


def _check(records: list, files: dict[str, bytes]) -> dict[str, int]:
    """`records`: Records, or their languages."""
    languages = _entry(files)["languages"]
    expected = Counter(getattr(record, "lang", record) for record in records)
    for lang, count in expected.items():
        written = languages.get(_records.INDEX_LANG.get(lang, lang), {}).get("page_count", 0)
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


def _read_cbor(files: dict[str, bytes], name: str):
    import cbor2

    raw = gzip.decompress(files.pop(name))
    if not raw.startswith(_MAGIC):
        raise ValueError(f"{name}: not a Pagefind index file")
    return cbor2.loads(raw[len(_MAGIC):])


def _add_cbor(files: dict[str, bytes], pattern: str, lang: str, data, digits: int) -> str:
    """Add `data` as a Pagefind file named by its content; returns the name ("zh_1a2b3c4")."""
    import cbor2

    raw = _MAGIC + cbor2.dumps(data)
    name = f"{lang}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    files[pattern.format(name)] = gzip.compress(raw, compresslevel=9, mtime=0)
    return name


def _stable_filters(files: dict[str, bytes]) -> None:
    entry = _entry(files)
    try:
        for lang, info in entry["languages"].items():
            meta = _read_cbor(files, f"pagefind.{info['hash']}.pf_meta")
            # [version, pages, word index chunks, filters [[name, file]...], sorts, meta fields]
            renamed = []
            for name, old in sorted(meta[3], key=lambda f: f[0]):
                filter_name, values = _read_cbor(files, f"filter/{old}.pf_filter")
                values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])
                renamed.append([name, _add_cbor(files, "filter/{}.pf_filter", lang, [filter_name, values], 7)])
            meta[3] = renamed
            info["hash"] = _add_cbor(files, "pagefind.{}.pf_meta", lang, meta, 10)
    except (ValueError, KeyError, IndexError, TypeError, EOFError, OSError) as exc:
        raise SearchIndexError(f"Pagefind 生成的索引格式与预期不同（{exc}）；请检查 pagefind 的版本",
                               f"Pagefind made an index of an unexpected shape ({exc}); check the pagefind version") from None
    entry["languages"] = dict(sorted(entry["languages"].items()))
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
