"""Hostile text in every text field of every entry kind: either a clean diagnostic, or a site and
exports where the text appears as text, everywhere it is shown (issue 13).

Each example is a content folder with one entry of each kind (strategies.SKELETONS), every text
field holding drawn text: HTML, JavaScript, Jinja and CSS, formula prefixes, control characters,
bidirectional marks, long words. It goes through load -> validate -> review -> media -> pages ->
maps -> search records -> XLSX, CSV, JSON, GeoJSON and DOCX, and is held against its sentinel
twin (the same folder with a plain token in each field): every page, element, attribute, map,
search record, cell and paragraph must be the twin's with each token replaced by the text it
stands for; Markdown may add only what the sanitiser allows; no text reaches a template compiler,
no payload is evaluated, no cell is a formula. The PDF is checked in test_pdf.py.
"""

from __future__ import annotations

from hypothesis import assume, given

from .checks import assert_no_canary_in_input, check_content
from .profiles import settings_for
from .strategies import contents


@settings_for(20, slow=True)
@given(content=contents())
def test_hostile_text_is_text_everywhere_or_a_clean_diagnostic(property_workspace, content):
    assume(assert_no_canary_in_input(content))
    root, image, cache = property_workspace
    check_content(content, root / "site-and-exports", image, cache)
