"""Markdown written by staff -> safe HTML.

Content is untrusted: whatever a YAML file says, the output contains no script, no event handler,
no iframe and no image or style from another host. Markdown is rendered first, then the HTML is
cleaned with an allow-list (nh3, the Rust `ammonia` sanitiser).
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "strong", "b", "em", "i", "u", "s", "del", "sup", "sub", "small", "abbr",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "caption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Headings inside an entry's body sit under the page's own headings: the body's highest level
# becomes `top` (h3 under a page's <h2> section) and each lower level the next one, so the
# headings go down one step at a time whether the text starts at `#` or `##` (WCAG 1.3.1).
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _shift_headings(html: str, top: int) -> str:
    levels = sorted({int(level) for _, level in _HEADING.findall(html)})
    rank = {level: min(top + i, 6) for i, level in enumerate(levels)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{rank[int(m.group(2))]}", html)


@lru_cache(maxsize=1)
def _renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def render_markdown(text: str, top: int = 3) -> str:
    """`top`: the level of the body's highest heading (3 under a page's <h2>, 2 right under its
    <h1>)."""
    md = _renderer()
    md.reset()
    html = _shift_headings(md.convert(text), top)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")
