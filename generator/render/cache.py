"""The page cache: what a page was made into, by the digest of everything it was made from
(render/fingerprint.py), kept in memory while serving and in the cache folder between builds.

Only entries used by the last build are kept (a rename or a deleted case leaves nothing behind).
The file is read with `marshal` (plain values only: nothing in it can run); a file from another
Python, or a damaged one, counts as empty.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
from pathlib import Path

FORMAT = 1


class PageCache:
    def __init__(self, path: Path | None = None):
        self.path = path  # None: memory only
        self._old: dict[bytes, object] | None = None
        self._new: dict[bytes, object] = {}
        self.hits = self.misses = 0
        self._changed = False

    def _load(self) -> dict:
        if self._old is None:
            self._old = {}
            if self.path is not None and self.path.is_file():
                try:
                    with open(self.path, "rb") as handle:
                        stamp, table = marshal.load(handle)
                    if stamp == (FORMAT, sys.version_info[:2]) and isinstance(table, dict):
                        self._old = table
                except (OSError, EOFError, ValueError, TypeError):
                    self._old = {}
        return self._old

    def get(self, key: bytes):
        value = self._new.get(key)
        if value is None:
            value = self._load().get(key)
            if value is not None:
                self._new[key] = value
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: bytes, value) -> None:
        self._new[key] = value
        self._changed = True

    def finish(self) -> None:
        """End of a build: keep what it used, drop the rest; write the file when anything changed."""
        changed = self._changed or set(self._load()) != set(self._new)
        self._old, self._new, self._changed = self._new, {}, False
        self.hits = self.misses = 0
        if changed and self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=self.path.name + ".", dir=self.path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    marshal.dump(((FORMAT, sys.version_info[:2]), self._old), out)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
