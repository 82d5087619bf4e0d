"""How a cited section of a document reads in each language.

Sections are cited as the Chinese documents number them (`任务10`, `附件2`, `开篇`, `名词解释3`,
`四、重点任务（一）`). English pages give the usual ones in English (Task 10, Annex 2, introduction,
glossary 3); a section heading quoted from the document (`四、重点任务（一）`) stays as written, the
way a Chinese title is quoted, and is marked as Chinese so that browsers and screen readers treat
it as such.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ..content.models import Document, Lang, SourceRef

_ENGLISH = [
    (re.compile(r"任务\s*(\d+)"), "Task {}"),
    (re.compile(r"附件\s*(\d+)"), "Annex {}"),
    (re.compile(r"开篇"), "introduction"),
    (re.compile(r"名词解释\s*(\d*)"), "glossary {}"),
]
# "任务1、任务4、附件1" lists several sections; the 、 in a heading number ("四、重点任务") does not
_SEPARATOR = re.compile(r"(；|、(?=任务|附件|开篇|名词解释))")
_SEPARATOR_EN = {"；": "; ", "、": ", "}


def section_parts(section: str, lang: Lang) -> list[tuple[str, bool]]:
    """The section in `lang` as (text, is_chinese) parts."""
    if lang == "zh":
        return [(section, True)]
    parts: list[tuple[str, bool]] = []
    for part in _SEPARATOR.split(section):
        if part in _SEPARATOR_EN:
            parts.append((_SEPARATOR_EN[part], False))
            continue
        for pattern, english in _ENGLISH:
            match = pattern.fullmatch(part.strip())
            if match:
                parts.append((english.format(*match.groups()).strip(), False))
                break
        else:
            if part:
                parts.append((part, True))
    return parts


def section_text(section: str, lang: Lang) -> str:
    return "".join(text for text, _ in section_parts(section, lang))


def section_html(section: str, lang: Lang, chinese_tag: str = "zh") -> Markup:
    """The section as HTML: on an English page, what stays Chinese is in <span lang="zh">."""
    return Markup("").join(
        Markup('<span lang="{}">{}</span>').format(chinese_tag, text) if chinese and lang != "zh" else escape(text)
        for text, chinese in section_parts(section, lang))


def group_citations(refs: list[SourceRef], documents: dict[str, Document]) -> list[dict]:
    """One item per cited document ({"doc", "sections"}), in order of first citation, with every
    section cited of it once."""
    grouped: dict[str, dict] = {}
    for ref in refs:
        item = grouped.setdefault(ref.document, {"doc": documents[ref.document], "sections": []})
        if ref.section and ref.section not in item["sections"]:
            item["sections"].append(ref.section)
    return list(grouped.values())


def cited_sections_html(sections: list[str], lang: Lang, strings, chinese_tag: str = "zh") -> Markup:
    """ (任务9、附件2) / (Task 9, Annex 2): the sections cited of one document, in the page's words."""
    joined = Markup(escape(strings.get("list_separator", lang))).join(
        section_html(section, lang, chinese_tag) for section in sections)
    before, _, after = strings.get("source_section", lang, section="\0").partition("\0")
    return escape(before) + joined + escape(after)
