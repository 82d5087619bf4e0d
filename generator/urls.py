"""The site's URL scheme, in one place.

A *route* is language-neutral (`cases/changning-ningjuli/`); Chinese lives at the site root and
English under `en/`. Every page's counterpart in the other language is the same route with the
other prefix, so the language switch, hreflang links and tests all use `page_url`/`counterpart`.
"""

from __future__ import annotations

import posixpath
from typing import Literal

Lang = Literal["zh", "en"]
LANG_PREFIX: dict[str, str] = {"zh": "", "en": "en/"}

HOME = ""
CASES = "cases/"
COMPETITION = "competition/"
RETROSPECTIVE = "retrospective/"
STATISTICS = "statistics/"
MAP = "map/"
DISTRICTS = "districts/"
SERVICES = "services/"
DOWNLOADS = "downloads/"
EXHIBITIONS = "exhibitions/"
GLOSSARY = "glossary/"


def exhibition(entry_id: str) -> str:
    return f"{EXHIBITIONS}{entry_id}/"


def exhibition_room(entry_id: str, number: int) -> str:
    """Room `number` (from 1) of an exhibition."""
    return f"{EXHIBITIONS}{entry_id}/{number}/"


def exhibition_guide(entry_id: str) -> str:
    """The printable gallery guide."""
    return f"{EXHIBITIONS}{entry_id}/guide/"


def glossary_term(term_id: str) -> str:
    """A term's definition: its anchor on the glossary page (the route with a fragment)."""
    return f"{GLOSSARY}#{term_id}"


def district(key: str) -> str:
    return f"{DISTRICTS}{key}/"


def service(key: str) -> str:
    return f"{SERVICES}{key}/"


def case(entry_id: str) -> str:
    return f"{CASES}{entry_id}/"


def site(entry_id: str) -> str:
    return f"{COMPETITION}{entry_id}/"


def page(entry_id: str) -> str:
    return HOME if entry_id == "home" else f"{entry_id}/"


def media(kind: str, entry_id: str, name: str) -> str:
    # Media are shared by both languages: one copy, at the root. `name` is one file name made by
    # media.published_stems, never text from an entry: anything else is a bug, stopped here.
    if not name or name.startswith(".") or "/" in name or "\\" in name or ".." in name:
        raise ValueError(f"not a published file name: {name!r}")
    return f"media/{kind}/{entry_id}/{name}"


def page_url(route: str, lang: Lang) -> str:
    """Site-relative URL of a route in a language, e.g. ('cases/x/', 'en') -> 'en/cases/x/'."""
    return LANG_PREFIX[lang] + route


def src_uri(route: str, lang: Lang) -> str:
    """The virtual Markdown file MkDocs builds the page from (directory URLs turn it into the route)."""
    url = page_url(route, lang)
    return url + "index.md" if url == "" or url.endswith("/") else url


def split(url: str) -> tuple[Lang, str]:
    """'en/cases/x/' -> ('en', 'cases/x/'); '/cases/x/' -> ('zh', 'cases/x/')."""
    url = url.lstrip("/")
    if url == "en" or url.startswith("en/"):
        return "en", url[3:]
    return "zh", url


def counterpart(url: str, lang: Lang) -> str:
    """The same page in `lang`."""
    return page_url(split(url)[1], lang)


def relative(target: str, current: str) -> str:
    """Relative link from the page at `current` to `target` (both site-relative), so the built
    site works from any folder or sub-path, including file:// on an exhibition kiosk."""
    base = current if current.endswith("/") or current == "" else posixpath.dirname(current) + "/"
    rel = posixpath.relpath("/" + target, "/" + base)
    if (target == "" or target.endswith("/")) and not rel.endswith("/") and rel not in (".", "./"):
        rel += "/"
    return "./" if rel in (".", "./") else rel
