"""Glossary term links (generator/render/terms.py) on hostile text: the linker only ever inserts
its own link and tooltip between the page's characters, never inside a tag, a character
reference, a heading, a link or the term's own definition; the tooltip's words are escaped; each
term is linked at most once; and taking the inserted markup out gives back the page byte for byte.

The term names, tooltips and page texts are drawn from the same hostile text as the other property
tests (tests/property/strategies.py), plus the programme's own words so that terms do occur.
(The build-wide twin comparisons of test_site_and_exports.py compare each page's body as written,
before its terms are linked: whether a term is linked depends on two fields holding the same
words, which a twin built of unique tokens cannot mirror. test_hostile_build.py builds a real site
whose glossary term is hostile text and is linked wherever that text recurs.)"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator.render.terms import Term, TermLinker

from .strategies import WORDS_LIST, hostile_text

_name = st.one_of(st.sampled_from(WORDS_LIST + ["lt", "amp", "39", "x3C", "R&D", "<b>", "1+N", "a b"]),
                  hostile_text.filter(lambda s: 0 < len(s) < 40))
_text = st.one_of(hostile_text, st.lists(st.sampled_from(WORDS_LIST + ["lt", "&", "<", "R&D", "1+N", " "]),
                                         max_size=8).map("".join))


@st.composite
def glossaries(draw):
    terms, seen = [], set()
    for number in range(draw(st.integers(1, 4))):
        names = [n for n in draw(st.lists(_name, min_size=1, max_size=3)) if n.strip() and n.casefold() not in seen]
        seen.update(n.casefold() for n in names)
        if names:
            terms.append(Term(id=f"t{number}", names=tuple(names), tip=draw(hostile_text)))
    return terms


BLOCKS = [
    "<p>{}</p>", "<h2 id=\"h\">{}</h2>", "<p><a href=\"x/\">{}</a> {}</p>", "<ul><li>{}</li><li>{}</li></ul>",
    "<section data-sc-term-own=\"t0\"><p>{}</p></section>", "<p class=\"sc-card__summary\">{}</p>",
    "<blockquote><p>{}<br>{}</p></blockquote>", "<div>{}</div>", "<p>{}<code>{}</code>{}</p>",
    "<!-- {} --><p>{}</p>", "<figure><img alt=\"{}\" src=\"a.jpg\"><figcaption>{}</figcaption></figure>",
]


@st.composite
def pages(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        block = draw(st.sampled_from(BLOCKS))
        texts = [str(escape(draw(_text))) for _ in range(block.count("{}"))]
        if block.startswith("<!--"):
            texts[0] = texts[0].replace("--", "")
        parts.append(block.format(*texts))
    return "".join(parts)


_INSERTED = re.compile(
    r'<span class="sc-term"><a class="sc-term__link" href="([^"]*)" aria-describedby="sc-tip-([a-z0-9-]+)">(.*?)</a>'
    r'<span class="sc-term__tip" role="tooltip" id="sc-tip-\2" hidden>([^<]*)<span class="sc-term__more">MORE</span></span></span>',
    re.S)


class _Text(HTMLParser):
    """The page's text as a browser reads it (character references resolved), tooltips left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tip_depth = 0  # >0 inside a tooltip

    def handle_starttag(self, tag, attrs):
        if self.tip_depth:
            self.tip_depth += tag != "br"
        elif tag == "span" and dict(attrs).get("class") == "sc-term__tip":
            self.tip_depth = 1

    def handle_endtag(self, tag):
        if self.tip_depth:
            self.tip_depth -= 1

    def handle_data(self, data):
        if not self.tip_depth:
            self.parts.append(data)

    @classmethod
    def of(cls, page: str) -> str:
        parser = cls()
        parser.feed(page)
        parser.close()
        return "".join(parser.parts)


class _Structure(HTMLParser):
    """Open elements at every piece of text, and whether every element closed."""

    VOID = {"br", "img"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack: list[tuple[str, dict]] = []
        self.balanced = True
        self.linked_inside: list[tuple[str, ...]] = []  # the open elements around each term link

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("class") == "sc-term__link":
            self.linked_inside.append(tuple(t for t, _ in self.stack) + tuple(
                f"own:{a['data-sc-term-own']}" for _, a in self.stack if "data-sc-term-own" in a) + tuple(
                f"class:{a.get('class')}" for _, a in self.stack if a.get("class")))
        if tag not in self.VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.balanced = False
            return
        self.stack.pop()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms=glossaries(), page=pages())
def test_linking_only_inserts_our_markup_where_prose_is(terms, page):
    linker = TermLinker(terms, more="MORE")
    linked, count = linker.link(page, lambda term_id: f"../glossary/#{term_id}")

    found = _INSERTED.findall(linked)
    assert len(found) == count, "every insertion is exactly our markup"
    # taken out again, the page is what it was, byte for byte: nothing else moved or was unescaped
    assert _INSERTED.sub(lambda m: m.group(3), linked) == page
    # and a reader reads the same words (no character reference cut in two: "&lt;" stays "<")
    assert _Text.of(linked) == _Text.of(page)

    by_id = {t.id: t for t in terms}
    ids = [term_id for _href, term_id, _written, _tip in found]
    assert len(ids) == len(set(ids)), "a term is linked once per page"
    for href, term_id, written, tip in found:
        term = by_id[term_id]
        assert href == f"../glossary/#{term_id}"
        assert tip == str(escape(term.tip)), "the tooltip is the term's explanation, escaped"
        assert "<" not in written and ">" not in written
        assert html_lib.unescape(written).casefold() in {n.casefold() for n in term.names}

    structure = _Structure()
    structure.feed(linked)
    structure.close()
    assert structure.balanced and not structure.stack
    for around in structure.linked_inside:
        assert not {"a", "h2", "code"} & set(around), around
        assert not any(part.startswith("class:sc-card") for part in around), around
        assert any(tag in ("p", "li", "blockquote", "figcaption") for tag in around), around
    for (_href, term_id, _w, _t), around in zip(found, structure.linked_inside):
        assert f"own:{term_id}" not in around, "never inside the term's own definition"


@given(terms=glossaries())
@settings(max_examples=100, deadline=None)
def test_a_term_in_plain_running_text_is_linked(terms):
    """The first plain spelling of each term in a paragraph of its own gets its link."""
    assume(terms)  # every name drawn may be blank or taken: then there is no term to look for
    term = terms[0]
    name = term.names[0]
    page = f"<h2>{escape(name)}</h2><p>{escape(name)}</p>"
    linked, _count = TermLinker(terms, more="MORE").link(page, lambda term_id: f"#{term_id}")
    found = _INSERTED.findall(linked)
    # the heading is never linked; the paragraph's word is, by this term or by one whose longer
    # (or equal) spelling covers it
    assert linked.startswith(f"<h2>{escape(name)}</h2>")
    assert found, linked
