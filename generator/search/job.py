"""The search index, made beside the rest of the build.

Pagefind is a process of its own: started as soon as the pages' bodies exist, it indexes on the
other core while MkDocs prints the pages, and the build only waits for it at the end. Its bundle
is kept in the cache folder by the digest of everything it was given, so a build whose search
documents are all unchanged (nothing edited, or an edit search does not see) takes the bundle
from there, byte for byte what Pagefind would make again.
"""

from __future__ import annotations

import json
import marshal
import os
import sys
import tempfile
import threading
from pathlib import Path

from ..content.models import LANGS
from .index import SearchIndexError, index_files, write_files
from .records import RecordBuilder

# the glossary's names for the search box (RecordBuilder.glossary_names), in the bundle
GLOSSARY_FILE = "glossary-{lang}.json"

KEEP = 3  # bundles kept in the cache folder (a few: switching back and forth costs nothing)


class SearchJob:
    def __init__(self, documents: list[tuple[str, str, str]], cache_dir: Path | None,
                 extra: dict[str, bytes] | None = None):
        self.documents = documents
        self.cache_dir = cache_dir
        self.extra = extra or {}  # files of the bundle made here, not by Pagefind (the glossary's names)
        from ..render.fingerprint import digest_of

        from .index import CHUNK_SIZE

        # what Pagefind is given: the documents and how it is to chunk them
        chunking = os.environ.get("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", str(CHUNK_SIZE))
        self.key = digest_of([*documents, ("chunk-size", chunking)], sorted(self.extra.items())).hex()
        self.result: tuple[dict[str, bytes], dict[str, int]] | None = None
        self.error: BaseException | None = None
        self.from_cache = False
        self._thread: threading.Thread | None = None

    @classmethod
    def start(cls, collection, specs, strings, cache_dir: Path | None, begin: bool = True) -> "SearchJob":
        """Index `specs` (PageSpecs whose `extra` is their search document, see
        RecordBuilder.page_record) and the milestones; returns at once. `begin=False`: Pagefind
        waits for `begin()` (a preview starts it once the pages are shown, not beside them)."""
        documents = [spec.extra for spec in specs if spec.extra]
        builder = RecordBuilder(collection, strings.get)
        documents += builder.milestone_records()
        documents += builder.glossary_records()
        extra = {GLOSSARY_FILE.format(lang=lang): json.dumps(builder.glossary_names(lang), ensure_ascii=False,
                                                            separators=(",", ":")).encode("utf-8") for lang in LANGS}
        job = cls(documents, cache_dir, extra)
        job.result = job._cached()
        if job.result is not None:
            job.from_cache = True
            job.result = ({**job.result[0], **extra}, job.result[1])
        elif begin:
            job.begin()
        return job

    def begin(self, background: bool = False) -> None:
        """Start Pagefind (`background`: at a low priority)."""
        self.background = background
        if self._thread is None and self.result is None:
            self._thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
            self._thread.start()

    def done(self) -> bool:
        return self.result is not None or self.error is not None

    def wait(self) -> None:
        """Until Pagefind is done; raises SearchIndexError."""
        self.begin()
        if self._thread is not None:
            self._thread.join()
        if self.error is not None:
            raise self.error

    def finish(self, site_dir: Path) -> dict[str, int]:
        """Wait for the index, write it into `site_dir/pagefind/` (a folder being built, not yet
        served); the record count per language. Raises SearchIndexError."""
        self.wait()
        assert self.result is not None
        files, counts = self.result
        write_files(files, Path(site_dir), live=False)
        return counts

    # --- internals ---------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            # at a low priority, always: the pages being printed come first; Pagefind takes the
            # other core, and both once the build only waits for it
            files, counts = index_files(self.documents, background=True)
            self.result = ({**files, **self.extra}, counts)
            self._keep()
        except BaseException as exc:  # handed to finish(), in the build's thread
            self.error = exc if isinstance(exc, SearchIndexError) else SearchIndexError(
                f"意外错误：{type(exc).__name__}: {exc}", f"unexpected error: {type(exc).__name__}: {exc}")

    def _path(self) -> Path | None:
        return self.cache_dir / f"{self.key}.marshal" if self.cache_dir is not None else None

    def _cached(self):
        path = self._path()
        if path is None or not path.is_file():
            return None
        try:
            with open(path, "rb") as handle:
                stamp, files, counts = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if stamp != sys.version_info[:2] or not isinstance(files, dict) or not isinstance(counts, dict):
            return None
        os.utime(path)  # recently used: kept
        return files, counts

    def _keep(self) -> None:
        path = self._path()
        if path is None or self.result is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                marshal.dump((sys.version_info[:2], *self.result), out)
            os.replace(temporary, path)
            kept = sorted(path.parent.glob("*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[KEEP:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs time
