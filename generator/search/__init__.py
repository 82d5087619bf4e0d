"""Site search: a static Pagefind index per language, written into the site being built.

- `records.py` turns the rendered pages and the Collection into one record per page and language
  (plus one per milestone and one per glossary term), with filters (kind, district, year, case
  type) taken from the entries, not scraped from HTML; and the glossary's names for the search
  box (glossary-<lang>.json in the bundle: a query that names a term shows its definition first).
- `index.py` hands the records to Pagefind's extended build (its Python package ships the binary)
  and checks what it wrote.
- Chinese is indexed by pairs of characters (each character a token holding it and the next) and
  the search box looks a query's pairs up in order (records.split_han, assets/javascripts/search.js):
  Pagefind's own jieba segmentation (no user dictionary) and the browser's query segmentation
  disagree and lose words, and single characters made long words load too much index.
- `words.txt` is the programme's own vocabulary; `dictionary_words` adds every name the content
  holds. The browser tests check that each of these words that the content contains is found.

The header's search box (site_templates/overrides/partials/header.html, assets/javascripts/search.js)
loads Pagefind's script only when a reader opens it. Knows nothing of MkDocs.
"""

from __future__ import annotations

from pathlib import Path

from .index import BUNDLE_DIR, SearchIndexError, write_index
from .job import SearchJob
from .records import KINDS, Record, RecordBuilder, dictionary_words

WORDS_FILE = Path(__file__).with_name("words.txt")

__all__ = ["BUNDLE_DIR", "KINDS", "Record", "RecordBuilder", "SearchIndexError", "SearchJob", "WORDS_FILE",
           "dictionary_words", "ui_labels", "write_index"]


def ui_labels(strings, lang: str) -> dict[str, str]:
    """Every `search_*` label in one language, for the header's search box."""
    return {key: strings.get(key, lang) for key in strings.table if key.startswith("search_")}
