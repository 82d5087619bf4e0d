"""The page cache: what a page was made into, by the digest of everything it was made from
(render/fingerprint.py), kept between builds in the cache folder.

One file of records, each its key and its value (`marshal`, plain values only: nothing in it can
run; compressed with zlib). Opening it reads the keys and where each value lies, not the values:
a value is read when a build asks for it. A build writes the records it used, as it goes, to a
new file that replaces the old one when the build ends, so neither a cold build of 5,000 cases
nor a warm one holds every page in memory. Only records used by the last build are kept (a
renamed or deleted case leaves nothing behind). A file from another Python, or a damaged one,
counts as empty; a failed build leaves the last whole file as it was.
"""

from __future__ import annotations

import marshal
import os
import queue
import struct
import sys
import tempfile
import threading
import zlib
from pathlib import Path

FORMAT = b"showcase-pages-2 %d.%d\n" % sys.version_info[:2]
_HEAD = struct.Struct("<HI")  # key length, value length


class PageCache:
    def __init__(self, path: Path | None = None):
        self.path = path  # None: kept in memory only
        self._index: dict[bytes, tuple[int, int]] | None = None  # key -> (offset, length) in `path`
        self._memory: dict[bytes, bytes] = {}  # key -> stored value, when there is no file
        self._reader = None  # the cache file, open while a build reads it
        self._writer: threading.Thread | None = None  # writes this build's file
        self._queue: queue.Queue | None = None
        self._out_name: str | None = None
        self._failed: Exception | None = None
        self._written: set[bytes] = set()
        self.hits = self.misses = 0

    # --- reading -----------------------------------------------------------------------------
    def _load_index(self) -> dict[bytes, tuple[int, int]]:
        if self._index is None:
            self._index = {}
            if self.path is not None and self.path.is_file():
                try:
                    self._index = _read_index(self.path)
                except (OSError, ValueError, struct.error):
                    self._index = {}
        return self._index

    def _stored(self, key: bytes) -> bytes | None:
        if self.path is None:
            return self._memory.get(key)
        where = self._load_index().get(key)
        if where is None:
            return None
        try:
            if self._reader is None:
                self._reader = open(self.path, "rb")
            self._reader.seek(where[0])
            data = self._reader.read(where[1])
        except OSError:
            return None
        return data if len(data) == where[1] else None

    def get(self, key: bytes):
        stored = self._stored(key)
        value = None
        if stored is not None:
            try:
                value = marshal.loads(zlib.decompress(stored))
            except (ValueError, EOFError, TypeError, zlib.error):
                value = None
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._keep(key, None, stored)
        return value

    # --- writing -----------------------------------------------------------------------------
    # Records are compressed and written by a thread of their own (zlib lets go of the
    # interpreter while it works), so the build goes on meanwhile; the queue is short, so a
    # build never holds more than a few pages waiting to be written.
    def put(self, key: bytes, value) -> None:
        self._keep(key, value, None)

    def _keep(self, key: bytes, value, stored: bytes | None) -> None:
        if key in self._written:
            return
        self._written.add(key)
        if self.path is None:
            self._memory[key] = stored if stored is not None else _pack(value)
            return
        if self._writer is None:
            self._queue = queue.Queue(maxsize=64)
            self._writer = threading.Thread(target=self._write_all, name="page-cache", daemon=True)
            self._writer.start()
        self._queue.put((key, value, stored))

    def _write_all(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, self._out_name = tempfile.mkstemp(prefix=self.path.name + ".", dir=self.path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(FORMAT)
                while (item := self._queue.get()) is not None:
                    key, value, stored = item
                    stored = stored if stored is not None else _pack(value)
                    out.write(_HEAD.pack(len(key), len(stored)) + key + stored)
        except Exception as exc:  # noqa: BLE001 - a cache that cannot be written only costs time
            self._failed = exc
            while self._queue.get() is not None:  # let the build go on
                pass

    def _stop_writer(self) -> str | None:
        """Wait for the writer; the file it wrote (None: nothing written, or it failed)."""
        writer, self._writer = self._writer, None
        if writer is None:
            return None
        self._queue.put(None)
        writer.join()
        name, self._out_name = self._out_name, None
        if self._failed is not None:
            self._failed = None
            if name:
                Path(name).unlink(missing_ok=True)
            return None
        return name

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def finish(self) -> None:
        """End of a build: what it used becomes the cache; the rest is dropped."""
        self._close_reader()
        self.hits = self.misses = 0
        written, self._written = self._written, set()
        if self.path is None:
            self._memory = {key: value for key, value in self._memory.items() if key in written}
            return
        name = self._stop_writer()
        if name is not None:
            os.replace(name, self.path)
        else:
            self.path.unlink(missing_ok=True)
        self._index = None  # read again from the new file when next asked

    def abandon(self) -> None:
        """A build that failed: its half-written file goes, the last whole cache stays."""
        self._close_reader()
        self._written = set()
        name = self._stop_writer()
        if name is not None:
            Path(name).unlink(missing_ok=True)


def _pack(value) -> bytes:
    return zlib.compress(marshal.dumps(value), 1)


def _read_index(path: Path) -> dict[bytes, tuple[int, int]]:
    index: dict[bytes, tuple[int, int]] = {}
    with open(path, "rb") as handle:
        if handle.readline() != FORMAT:
            return {}
        size = os.fstat(handle.fileno()).st_size
        while True:
            head = handle.read(_HEAD.size)
            if len(head) < _HEAD.size:
                break
            key_length, value_length = _HEAD.unpack(head)
            key = handle.read(key_length)
            offset = handle.tell()
            if len(key) != key_length or offset + value_length > size:
                break  # cut short: what came before is whole
            index[key] = (offset, value_length)
            handle.seek(value_length, os.SEEK_CUR)
    return index
