"""Digests of what a page is made from: the keys of the page cache (render/cache.py).

A page's HTML is a pure function of its template, the labels, the code and what the renderer
hands the template. `Fingerprinter.digest` reduces such a context (entries, lists, dicts, the
reference lists' terms, map definitions, the helpers' closures) to 16 bytes. Entries are digested
once per build, with the photos and videos they publish (whose names carry their content's hash),
so a page that shows an entry, or a card of it, changes key when the entry or its media change.

Anything it does not know how to digest raises `Unfingerprintable`: that page is then simply
rendered every time, never served from a stale cache. Knows nothing of MkDocs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import marshal
import types
from collections.abc import Iterable
from pathlib import Path, PurePath

from pydantic import BaseModel


class Unfingerprintable(TypeError):
    """A value whose digest would not be trustworthy: the page is rendered, not cached."""


def _hash():
    return hashlib.blake2b(digest_size=16)


def digest_of(*values) -> bytes:
    """One digest of plain values (bytes, strings, numbers, lists, dicts…), each kept apart from
    the next: the keys made outside a page's context (the theme's output, the search bundle)."""
    return Fingerprinter().digest_many(*values)


def files_digest(*roots: Path, suffixes: tuple[str, ...] | None = None) -> bytes:
    """One digest of every file under `roots` (names and bytes, in a fixed order); caches and
    compiled files (__pycache__, .pyc) are left out. A missing root counts as empty."""
    h = _hash()
    for root in roots:
        root = Path(root)
        h.update(b"\x00root\x00" + str(root).encode("utf-8", "surrogateescape"))
        if root.is_file():
            h.update(root.read_bytes())
            continue
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                           and p.suffix != ".pyc" and (suffixes is None or p.suffix in suffixes)):
            h.update(b"\x00file\x00" + path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\x00")
            h.update(path.read_bytes())
    return h.digest()


def _plain(value) -> bytes | None:
    """`value`'s bytes when it holds plain values only: marshal (format 2, which never refers
    back to an earlier object, so equal values give equal bytes) refuses anything else, str
    subclasses such as Markup included. A set's order follows the process's hash seed: it only
    makes a key miss, never match wrongly."""
    try:
        return marshal.dumps(value, 2)
    except ValueError:
        return None


class Fingerprinter:
    """Digests values for one build. `owner(model)` names an entry ((kind, id)), or None for a
    model that is not an entry (a media item, a text); `media((kind, id))` lists what the entry
    publishes (digested with it, once per build); `constants` are objects whose state the global digest already covers (the renderer,
    the published media), digested by their type's name only."""

    def __init__(self, owner=None, media=None, constants: Iterable[object] = ()):
        self._owner = owner or (lambda model: None)
        self._media = media or (lambda owner: ())
        self._constants = {id(x) for x in constants}
        self._memo: dict[int, bytes] = {}
        self._alive: list[object] = []  # keeps memoised objects alive, so their ids stay theirs

    def digest(self, value) -> bytes:
        h = _hash()
        self._feed(h, value, 0)
        return h.digest()

    def digest_many(self, *values) -> bytes:
        h = _hash()
        for value in values:
            self._feed(h, value, 0)
        return h.digest()

    # --- internals ---------------------------------------------------------------------------
    def _memoised(self, value, make) -> bytes:
        key = id(value)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
            self._alive.append(value)
        return found

    def _feed(self, h, value, depth: int) -> None:
        if depth > 64:
            raise Unfingerprintable("nested too deeply")
        kind = type(value)
        if value is None or kind is bool:
            h.update(b"N" if value is None else (b"T" if value else b"F"))
        elif isinstance(value, str):  # also Markup
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data))
            h.update(data)
        elif kind is int or isinstance(value, enum.Enum) or kind is float:
            h.update(b"n" + repr(value).encode() + b";")
        elif isinstance(value, bytes):
            h.update(b"b%d:" % len(value) + value)
        elif (kind is list or kind is dict) and (data := _plain(value)) is not None:
            h.update(b"r%d:" % len(data))  # plain data (lists, dicts, strings, numbers) at C speed
            h.update(data)
        elif kind is list or kind is tuple:
            h.update(b"[%d" % len(value))
            for item in value:
                self._feed(h, item, depth + 1)
            h.update(b"]")
        elif isinstance(value, dict):
            h.update(b"{%d" % len(value))
            for key, item in value.items():
                self._feed(h, key, depth + 1)
                self._feed(h, item, depth + 1)
            h.update(b"}")
        elif isinstance(value, (set, frozenset)):
            h.update(b"<" + b"".join(sorted(self.digest(item) for item in value)) + b">")
        elif id(value) in self._constants:
            h.update(b"c" + kind.__qualname__.encode())
        elif isinstance(value, BaseModel):
            h.update(b"m" + self._memoised(value, lambda: self._model(value)))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            h.update(b"d" + self._memoised(value, lambda: self._dataclass(value, depth)))
        elif isinstance(value, (dt.date, dt.time)):
            h.update(b"t" + value.isoformat().encode())
        elif isinstance(value, PurePath):
            h.update(b"p" + str(value).encode("utf-8", "surrogateescape") + b";")
        elif isinstance(value, functools.partial):
            h.update(b"P")
            self._feed(h, (value.func, value.args, value.keywords), depth + 1)
        elif isinstance(value, types.FunctionType):
            h.update(b"f" + value.__module__.encode() + b"." + value.__qualname__.encode())
            self._feed(h, tuple(cell.cell_contents for cell in value.__closure__ or ()), depth + 1)
            self._feed(h, value.__defaults__ or (), depth + 1)
        elif isinstance(value, types.MethodType):
            h.update(b"M" + value.__func__.__qualname__.encode())
            self._feed(h, value.__self__, depth + 1)
        else:
            raise Unfingerprintable(f"cannot digest a {kind.__qualname__}")

    def _model(self, model: BaseModel) -> bytes:
        h = _hash()
        h.update(type(model).__qualname__.encode())
        owner = self._owner(model)
        if owner is not None:
            self._feed(h, owner, 1)
            self._feed(h, self._media(owner), 1)
        for name in type(model).model_fields:
            h.update(b"\x00" + name.encode())
            self._feed(h, getattr(model, name), 1)
        return h.digest()

    def _dataclass(self, value, depth: int) -> bytes:
        h = _hash()
        h.update(type(value).__qualname__.encode())
        for item in dataclasses.fields(value):
            h.update(b"\x00" + item.name.encode())
            self._feed(h, getattr(value, item.name), depth + 1)
        return h.digest()
