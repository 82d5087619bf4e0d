"""Glossary terms explained where they appear.

On every page, the first use of each glossary term in running text (a paragraph, list item,
quotation or caption) becomes a link to its definition on the glossary page, with the term's
one-sentence explanation beside it as a tooltip:

    <span class="sc-term"><a class="sc-term__link" href="../glossary/#renminfang"
      aria-describedby="sc-tip-renminfang">人民坊</a><span class="sc-term__tip" role="tooltip"
      id="sc-tip-renminfang" hidden>集中布局…</span></span>

Without JavaScript it is a plain link (the tooltip stays hidden; a screen reader still reads it
as the link's description). assets/javascripts/terms.js shows it on hover, on keyboard focus and
on a first tap (a second tap follows the link), and Esc hides it (WCAG 1.4.13).

Never inside a heading, a link, a button, a form, code, a card or figure list, the site's
chrome, nor inside the term's own definition (`data-sc-term-own="<id>"` on the glossary page).

The page's HTML is our own template output (entry text in it is escaped or sanitised already):
this walks it tag by tag, only ever inserting markup between tags, and the words it wraps are
matched in their escaped form, so nothing an entry says can open or close an element here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..content.models import Lang

# Elements whose text is running text: a term's first use there is linked.
_RUNNING = frozenset({"p", "li", "blockquote", "figcaption", "dd"})
# Elements inside which nothing is linked.
_NEVER = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "select", "option", "textarea",
                    "code", "pre", "kbd", "samp", "script", "style", "svg", "math", "nav", "form", "dialog", "summary",
                    "dt", "th", "title", "template", "time", "abbr", "dfn", "cite", "noscript", "header", "footer"})
# Our own blocks that are lists, labels or chrome rather than prose (by class name prefix).
_NEVER_CLASS = re.compile(r'\bclass="[^"]*\b(?:sc-card|sc-chip|sc-kicker|sc-facts|sc-sources|sc-search|sc-map|sc-places'
                          r'|sc-home-way|sc-cards|sc-read-aloud|sc-filter|sc-exhibition-card|sc-lightbox|sc-term|sc-serve'
                          r'|sc-visit|sc-related|sc-shown-in|sc-home__tagline|md-)')
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
_TOKEN = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|</?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>", re.S | re.I)
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?")
_OWN = re.compile(r'\bdata-sc-term-own="([a-z0-9-]+)"')


@dataclass(frozen=True)
class Term:
    id: str
    names: tuple[str, ...]  # the spellings linked in this language, as written
    tip: str  # the one-sentence explanation, plain text


class TermLinker:
    """Links the first use of each term on a page to its definition (see the module's note)."""

    def __init__(self, terms: list[Term], more: str = ""):
        self.terms = {t.id: t for t in terms}
        self.more = more  # "tap again for the whole definition", in the page's language
        spellings: list[tuple[str, str]] = []  # (escaped spelling, term id)
        for term in terms:
            spellings += [(str(escape(name)), term.id) for name in term.names if name]
        # the longest spelling first: 十全十美生活圈 before 十全十美
        spellings.sort(key=lambda pair: -len(pair[0]))
        self._owner = {s.casefold(): term_id for s, term_id in spellings}
        self._spellings = spellings
        self._patterns: dict[frozenset, re.Pattern] = {}  # by the terms a page holds

    def _pattern_for(self, folded_page: str) -> re.Pattern | None:
        """The pattern of the spellings that occur in the page at all (found by plain substring
        search, far quicker than trying every spelling at every position of every page)."""
        present = frozenset(term_id for spelling, term_id in self._spellings if spelling.casefold() in folded_page)
        if not present:
            return None
        pattern = self._patterns.get(present)
        if pattern is None:
            chosen = [spelling for spelling, term_id in self._spellings if term_id in present]
            # the lookahead turns most positions away at one character, before the alternatives
            first = "".join(sorted({re.escape(s[0]) for s in chosen}))
            pattern = self._patterns[present] = re.compile(
                f"(?=[{first}])(?:" + "|".join(_bounded(s) for s in chosen) + ")", re.I)
        return pattern

    def link(self, html: str, href: Callable[[str], str]) -> tuple[str, int]:
        """The page with its terms linked, and how many it linked; `href(term_id)` is the
        address of a term's definition from this page.

        The spellings are found first, in one pass of one pattern; the page's tags are then
        followed only as far as the last spelling still to decide, and only at a spelling is its
        place looked at (which elements are open around it)."""
        pattern = self._pattern_for(html.casefold()) if self._spellings else None
        if pattern is None:
            return html, 0
        found: list[tuple[int, int, str]] = []  # (start, end, term id) of each term's first linkable use
        done: set[str] = set()
        stack: list[tuple[str, bool, bool, str | None]] = []  # open elements: (name, running, never, own term)
        tags = _TOKEN.finditer(html)
        pending = next(tags, None)  # the next tag not yet followed
        text_start = 0  # where the text the current spelling stands in begins
        for match in pattern.finditer(html):
            term_id = self._owner.get(match.group(0).casefold())
            if term_id is None or term_id in done:
                continue
            start, end = match.span()
            while pending is not None and pending.end() <= start:
                _follow(pending, stack)
                text_start = pending.end()
                pending = next(tags, None)
            text_end = pending.start() if pending is not None else len(html)
            if start < text_start or end > text_end:
                continue  # inside a tag, a comment or a script
            if not any(running for _, running, _, _ in stack) or any(never for _, _, never, _ in stack):
                continue
            if any(own == term_id for *_, own in stack):
                continue  # the term's own definition
            if _cuts_reference(html, text_start, text_end, start, end):
                continue
            found.append((start, end, term_id))
            done.add(term_id)
            if len(done) == len(self.terms):
                break
        if not found:
            return html, 0
        out: list[str] = []
        position = 0
        for start, end, term_id in found:
            out += [html[position:start], self._wrap(term_id, html[start:end], href(term_id))]
            position = end
        out.append(html[position:])
        return "".join(out), len(found)

    def _wrap(self, term_id: str, written: str, href: str) -> str:
        term = self.terms[term_id]
        tip_id = f"sc-tip-{term_id}"
        more = Markup('<span class="sc-term__more">{}</span>').format(self.more) if self.more else ""
        # `written` is a piece of the page's own (escaped) text: kept as it is
        return str(Markup('<span class="sc-term"><a class="sc-term__link" href="{href}" aria-describedby="{tip}">{written}</a>'
                          '<span class="sc-term__tip" role="tooltip" id="{tip}" hidden>{text}{more}</span></span>').format(
            href=href, tip=tip_id, written=Markup(written), text=term.tip, more=more))


def _follow(tag: re.Match, stack: list) -> None:
    """Open or close the element of one tag on `stack`."""
    name = (tag.group(2) or "").lower()
    if not name or tag.group(1):
        return  # a comment, or a whole script or style
    text = tag.group(0)
    if text.startswith("</"):
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == name:
                del stack[depth:]
                break
        return
    if name in _VOID or text.endswith("/>"):
        return
    own = _OWN.search(text)
    stack.append((name, name in _RUNNING, name in _NEVER or bool(_NEVER_CLASS.search(text)), own.group(1) if own else None))


def _cuts_reference(html: str, text_start: int, text_end: int, start: int, end: int) -> bool:
    """Whether a match would begin or end inside a character reference ("lt" in "&lt;", "39" in
    "&#39;"): a reference is one character."""
    for ref in _REFERENCE.finditer(html, max(text_start, start - 40), min(text_end, end + 40)):
        if ref.start() < start < ref.end() or ref.start() < end < ref.end():
            return True
    return False


def _bounded(escaped: str) -> str:
    """A spelling as a pattern: a Latin word is matched whole (Renminfang, not Renminfangs)."""
    pattern = re.escape(escaped)
    if re.match(r"[A-Za-z0-9]", escaped):
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if re.search(r"[A-Za-z0-9]$", escaped):
        pattern += r"(?![A-Za-z0-9])"
    return pattern


def terms_for(glossary, lang: Lang, fallback_label: str = "") -> list[Term]:
    """The glossary's terms with their spellings in `lang` (a Chinese page links Chinese words,
    an English page English ones) and their one-sentence explanation in that language; where
    English is missing, the Chinese, said to be so ("(Chinese only)") as everywhere on the site."""
    return [Term(id=t.id, names=tuple(t.names(lang)),
                 tip=t.short.get(lang) if t.short.has(lang) else f"{t.short.zh} ({fallback_label})".replace(" ()", ""))
            for t in glossary]


__all__ = ["Term", "TermLinker", "terms_for"]
