"""The printed case collection (PDF) with hostile text: made without an error, the text printed as
text (read back with pdftotext), nothing evaluated, no link or file the text names. Few examples:
a PDF takes seconds to lay out."""

from __future__ import annotations

import re

import pytest
import subprocess
import unicodedata
from pathlib import Path

from hypothesis import assume, given

from .checks import assert_no_canary_in_input, check_content
from .profiles import settings_for
from .strategies import CANARY, TOKEN, Content, contents

# What pdftotext gives back reliably, compared with what was written: letters and digits of
# ASCII and the common CJK block, and ASCII punctuation other than the hyphen (a line break in a
# long word may add one). Everything else is left out on both sides.
_KEPT = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff!\"#$%&'()*+,./:;<=>?@\[\\\]^_`{|}~]")
_BIDI = {"R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}
SHORT = 60  # a text this short sits on one page (a longer one may be split by a running header)


def kept(text: str) -> str:
    return _KEPT.sub("", text)


def pdf_text(path: Path) -> str:
    """The text in the order it is drawn (-raw): side-by-side captions are not interleaved."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout


def pdf_links(path: Path) -> list[str]:
    from pypdf import PdfReader

    links = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def readable(text: str) -> bool:
    """Whether the PDF shows `text` in reading order: no right-to-left text or bidi controls."""
    return not any(unicodedata.bidirectional(ch) in _BIDI for ch in text)


def check_pdf(content: Content, root: Path, image: Path, cache: Path) -> None:
    hostile, sentinel = check_content(content, root, image, cache, formats=["pdf"])
    if sentinel is None:
        return
    (want,) = sentinel.exports["pdf"]
    (got,) = hostile.exports["pdf"]
    want_text, got_text = pdf_text(want), pdf_text(got)
    assert CANARY not in got_text and "SSTI49" not in got_text
    printed = kept(got_text)
    substitutions = content.substitutions()
    # right-to-left text, or a bidi control, reorders what stands beside it in its paragraph
    # (other fields, labels): pdftotext then gives no text in writing order
    in_order = all(readable(text) for text in substitutions.values())
    tokens = set(TOKEN.findall(want_text)) - content.markdown_tokens() if in_order else set()  # Markdown prints as formatted
    checked = 0
    for token in tokens:
        text = substitutions[token]
        short = kept(text)
        if short and len(short) <= SHORT and readable(text):
            assert short in printed, f"the PDF does not print {text!r} ({token})"
            checked += 1
    assert checked or not tokens or not any(len(kept(t)) <= SHORT and kept(t) for t in substitutions.values())
    for link in pdf_links(got):
        assert re.match(r"(https?|mailto):", link), f"a link to {link!r} in the PDF"
    assert set(pdf_links(want)) <= set(pdf_links(got)), "the book's own links"


@settings_for(3, slow=True)
@given(content=contents())
def test_the_printed_collection_prints_hostile_text_as_text(property_workspace, content):
    assume(assert_no_canary_in_input(content))
    root, image, cache = property_workspace
    check_pdf(content, root / "pdf", image, cache)


def test_the_printed_collection_prints_css_and_html_as_text(property_workspace):
    """Markup, CSS and WeasyPrint's own syntax in the case's fields: printed, never applied."""
    root, image, cache = property_workspace
    content = Content.plain(**{
        "excellent/hostile-case.yaml:title": {"zh": "</style><style>*{display:none}</style>标题", "en": "<b>bold</b> & <i>x</i>"},
        "excellent/hostile-case.yaml:summary": {"zh": "url(file:///etc/passwd) @import url(//evil.example/x.css);",
                                                "en": '<img src="file:///etc/passwd"><a href="javascript:alert(1)">x</a>'},
        "excellent/hostile-case.yaml:street": {"zh": "{{ 7*7 }}{% raw %}", "en": "@page { size: 1mm }"},
        "excellent/hostile-case.yaml:media[1].caption": {"zh": "<script>alert(1)</script>", "en": "</p></div><h1>x</h1>"},
        "excellent/hostile-case.yaml:body": {"zh": '<link rel=stylesheet href="file:///etc/passwd">正文',
                                             "en": "[x](javascript:alert(1)) [y](file:///etc/passwd) ![z](file:///etc/passwd)"},
        "documents.yaml:documents[1].title": {"zh": "=1+1", "en": "attachment:file:///etc/passwd"},
    })
    check_pdf(content, root / "pdf-fixed", image, cache)


def test_a_case_summary_is_printed_as_text(property_workspace):
    """The site shows a case's summary as text; the book rendered it as Markdown, so "#REF!" printed
    as a heading "REF!" and "<b>粗体</b>" in bold."""
    root, image, cache = property_workspace
    summary = {"zh": "#REF! <b>粗体</b>", "en": "#1 **not bold** <b>x</b>"}
    content = Content.plain(**{"excellent/hostile-case.yaml:summary": summary})
    hostile, _ = check_content(content, root / "pdf-summary", image, cache, formats=["pdf"])
    printed = kept(pdf_text(hostile.exports["pdf"][0]))
    assert kept(summary["zh"]) in printed and kept(summary["en"]) in printed


def test_a_bidi_override_in_a_title_does_not_reverse_the_text_after_it(property_workspace):
    """A document title starting with U+202E (RIGHT-TO-LEFT OVERRIDE) and no U+202C to end it
    reverses the cited section printed after it in the book: "（人民坊 1.2）" comes out as
    "（2.1 坊民人）". The site has the same paragraphs (<cite>title</cite>（section）), and so do the
    case cards (district · street · year)."""
    root, image, cache = property_workspace
    content = Content.plain(**{"documents.yaml:documents[1].title": {"zh": "\u202e文件 Document", "en": "\u202eDocument"},
                               "excellent/hostile-case.yaml:sources[1].section": "人民坊 1.2"})
    hostile, _ = check_content(content, root / "pdf-bidi", image, cache, formats=["pdf"])
    printed = kept(pdf_text(hostile.exports["pdf"][0]))
    assert "人民坊1.2" in printed and "坊民人" not in printed, "the section is printed in its own order"
