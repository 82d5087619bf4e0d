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
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "caption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Headings inside an entry's body sit under the page's own <h2> sections: shift them down.
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _shift_heading(match: re.Match) -> str:
    level = min(int(match.group(2)) + 2, 5)
    return f"<{match.group(1)}h{level}"


@lru_cache(maxsize=1)
def _renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def render_markdown(text: str) -> str:
    md = _renderer()
    md.reset()
    html = _HEADING.sub(_shift_heading, md.convert(text))
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")
