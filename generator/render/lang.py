"""`lang` on every fragment in the other language (WCAG 3.1.2): on an English page, each run of
Chinese characters in the text (a name, a document number, a term such as 十全十美) is wrapped in
<span lang="zh-Hans">, so a screen reader reads it with a Chinese voice. Text already inside an
element marked Chinese, and the contents of script, style, title, textarea, option and SVG, are
left as they are; tags and attribute values are never touched."""

from __future__ import annotations

import re

# a run starts with a Han character and may go on through Han, CJK punctuation, full-width forms
# and digits (沪规划资源详〔2024〕123号), ending on Han or CJK punctuation
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = _HAN + "\u3000-\u303f\uff00-\uffef\u00b7"
_RUN = re.compile(f"[{_HAN}](?:[{_CJK}0-9]*[{_CJK}])?")
_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_ZH_LANG = re.compile(r"""\slang\s*=\s*["']?zh""", re.I)
_RAW = {"script", "style", "title", "textarea", "option", "svg"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def mark_chinese(html: str) -> str:
    out = []
    skip: list[str] = []  # the element whose contents are left alone, and open ones of its name
    for token in _TOKEN.split(html):
        if not token:
            continue
        tag = _TAG.fullmatch(token) if token.startswith("<") else None
        if tag:
            closing, name, rest = tag.group(1), tag.group(2).lower(), tag.group(3)
            if skip:
                if name == skip[0] and name not in _VOID and not rest.rstrip().endswith("/"):
                    if closing:
                        skip.pop()
                    else:
                        skip.append(name)
            elif not closing and name not in _VOID and (name in _RAW or _ZH_LANG.search(rest)):
                skip.append(name)
            out.append(token)
        elif skip or token.startswith("<"):
            out.append(token)
        else:
            out.append(_RUN.sub(lambda m: f'<span lang="zh-Hans">{m.group(0)}</span>', token))
    return "".join(out)
