"""Read content files: safe YAML with a line number for every key and list item.

Loading knows YAML and files, nothing about pages or the schema. It returns plain Python data
plus a map from each value's path to its source line, so that later stages can point an editor
at `cases/x.yaml:12` for any problem they find.
"""

from __future__ import annotations

import bisect
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .content import yaml_mistakes
from .content.clean import UNWANTED, clean_text, describe
from .diagnostics import Bilingual, Diagnostic, error, format_path, os_error, warning

# A case file is a page of text. Anything far larger is a mistake (a pasted binary, a runaway
# export) and would only slow the build.
MAX_FILE_BYTES = 1024 * 1024

try:  # libyaml's parser is several times faster on large content folders
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# An entry is a handful of levels deep (rooms -> items -> caption -> zh). Far deeper is a mistake
# or an attack, and Python's own recursion would give out near 1,000 levels.
MAX_DEPTH = 32
# Enough for any figure a document prints; a longer run of digits is a paste gone wrong (Python
# refuses to convert more than 4,300 digits at all).
MAX_NUMBER_DIGITS = 30

Loc = tuple[str | int, ...]
_STR_TAG = "tag:yaml.org,2002:str"
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# What entries are made of. YAML also knows !!binary, !!set, !!omap…: none is content, and
# !!binary would carry bytes (control characters included) past every check on text.
_SCALAR_TAGS = {_STR_TAG, _TIMESTAMP_TAG, *_NUMBER_TAGS, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass
class SourceFile:
    """One YAML file as read from disk."""

    path: Path  # absolute
    display: str  # what users see in messages, e.g. "cases/excellent/x.yaml"
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_for(self, loc: Loc) -> int | None:
        """The line of the deepest known prefix of `loc` (a missing field points at its parent)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


# Stands in for a raw control character while YAML reads the file: a non-character (never in text
# people send), printable to YAML, taken out of every value afterwards.
PLACEHOLDER = "\ufdd0"  # a non-character, itself unwanted (content/clean.py): never kept in a value
PLACEHOLDER_NAME = describe(PLACEHOLDER)
_RAW_UNWANTED = re.compile(UNWANTED.pattern.replace("\x7f-\x9f", "\x7f-\x84\x86-\x9f"))
assert _RAW_UNWANTED.pattern != UNWANTED.pattern
_RAW_LINES: ContextVar[frozenset[int]] = ContextVar("raw_lines", default=frozenset())
_RAW_FIELDS: ContextVar[dict[int, Loc]] = ContextVar("raw_fields")
_TEXT: ContextVar[str] = ContextVar("text", default="")  # what YAML reads: to look at a value as written
_ANCHORS: ContextVar[list[tuple[int, Loc]]] = ContextVar("anchors")


def _has_raw_line(node) -> bool:
    raw = _RAW_LINES.get()
    return any(line in raw for line in range(_line(node.start_mark), _line(node.end_mark) + 1))

# YAML counts U+2028 and U+2029 (and NEL) as line breaks; editors and people do not. When a file
# has them, lines are counted from the line feeds before a position instead.
_LINE_FEEDS: ContextVar[list[int] | None] = ContextVar("line_feeds", default=None)


def _line(mark) -> int:
    feeds = _LINE_FEEDS.get()
    if feeds is None:
        return mark.line + 1
    return bisect.bisect_left(feeds, mark.index) + 1


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first_line: int):
        self.key, self.line, self.first_line = key, line, first_line


class _AliasUsed(Exception):
    def __init__(self, line: int):
        self.line = line


class _BadValue(Exception):
    """A value that YAML recognises but cannot turn into data (2024-02-30, a 200,000-digit number,
    a nesting hundreds of levels deep): reported with its line and field, never as a traceback."""

    def __init__(self, code: str, line: int, loc: Loc, zh: str, en: str, hint: Bilingual):
        self.code, self.line, self.loc, self.zh, self.en, self.hint = code, line, loc, zh, en, hint


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def neutralise(text: str) -> tuple[str, dict[int, list[str]]]:
    """The file's text ready for a YAML parser, and what was taken out of each line.

    Line breaks become what YAML reads (CR LF and a lone CR are one break) before anything looks
    at lines. Raw control characters (pasted from Word or WeChat) stop YAML's reader with a
    message that names no line. Each (but NEL, U+0085, which YAML reads as a line break and YAML
    writers use as one: it is left to YAML) becomes a placeholder that YAML reads as an ordinary character (so a value keeps its
    meaning: `section: <U+202E>1.2` stays text, where removing the character would turn it into
    a number); the placeholder is taken out of the values once they are read (`without_placeholder`).
    In the indentation, where it would change the structure, the character is dropped. The round-
    trip editor (authoring/yamledit.py) reads files through this too, so both agree on every value."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_removed: dict[int, list[str]] = {}
    if _RAW_UNWANTED.search(text):
        kept_lines = []
        for number, line_text in enumerate(text.split("\n"), start=1):
            if _RAW_UNWANTED.search(line_text):
                raw_removed[number] = list(dict.fromkeys(describe(c) for c in _RAW_UNWANTED.findall(line_text)))
                body = line_text.lstrip(" \t" + "".join(set(_RAW_UNWANTED.findall(line_text))))
                indent = _RAW_UNWANTED.sub("", line_text[: len(line_text) - len(body)])
                line_text = indent + _RAW_UNWANTED.sub(PLACEHOLDER, body)
            kept_lines.append(line_text)
        text = "\n".join(kept_lines)
    return text, raw_removed


def without_placeholder(value: str) -> str:
    return value.replace(PLACEHOLDER, "") if PLACEHOLDER in value else value


def read_yaml(path: Path, root: Path) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read one YAML file. Never raises for bad content: problems come back as diagnostics."""
    shown = display_path(path, root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = os_error(exc)
        return None, [error("unreadable_file", shown, None, None,
                            f"无法读取文件：{reason.zh}", f"cannot read the file: {reason.en}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [error("file_too_large", shown, None, None,
                            f"文件过大（{len(raw) // 1024} KB），上限 {MAX_FILE_BYTES // 1024} KB",
                            f"file is too large ({len(raw) // 1024} KB, the limit is {MAX_FILE_BYTES // 1024} KB)",
                            Bilingual("照片等媒体请放在条目的媒体文件夹中，不要写进 YAML",
                                      "keep photos and other media in the entry's media folder, not inside the YAML"))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error("not_utf8", shown, line, None,
                            "文件不是 UTF-8 编码", "the file is not UTF-8 text",
                            Bilingual("请在编辑器中以 UTF-8 编码另存（Excel/记事本常用 GBK）",
                                      "save it as UTF-8 in your editor (Excel and Notepad often use GBK)"))]

    text, raw_removed = neutralise(text)

    feeds = [m.start() for m in re.finditer("\n", text)] if ("\u2028" in text or "\u2029" in text or "\x85" in text) else None
    token = _LINE_FEEDS.set(feeds)
    raw_token = _RAW_LINES.set(frozenset(raw_removed))
    raw_fields: dict[int, Loc] = {}
    fields_token = _RAW_FIELDS.set(raw_fields)
    text_token, anchors_token = _TEXT.set(text), _ANCHORS.set([])
    loader = _Loader(text)
    cleaned_values: list[tuple[Loc, int, list[str]]] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [error("empty_file", shown, 1, None, "文件为空", "the file is empty",
                                Bilingual("可复制一个现有条目作为模板", "copy an existing entry as a starting point"))]
        lines: dict[Loc, int] = {(): _line(node.start_mark)}
        data = _to_python(loader, node, (), lines, set(), cleaned_values)
        if _ANCHORS.get():  # `en: &Huayang`: an anchor nothing refers to is a value gone astray
            line, loc = _ANCHORS.get()[0]
            raise _mistake(yaml_mistakes.reserved_at(text, line, "&"), loc)
    except _DuplicateKey as exc:
        return None, [error("duplicate_key", shown, exc.line, exc.key,
                            f"字段 “{exc.key}” 重复出现（第一次在第 {exc.first_line} 行）",
                            f"the field '{exc.key}' appears twice (first on line {exc.first_line})",
                            Bilingual("删除其中一个", "keep only one of them"))]
    except _AliasUsed as exc:
        return None, [error("yaml_alias", shown, exc.line, None,
                            "不支持 YAML 锚点和别名（& 和 *）", "YAML anchors and aliases (& and *) are not supported",
                            Bilingual("请直接写出内容", "write the value out in full"))]
    except _BadValue as exc:
        return None, [error(exc.code, shown, exc.line, format_path(exc.loc) or None, exc.zh, exc.en, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(shown, exc, text)]
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        return None, [error("yaml_syntax", shown, None, None, f"YAML 格式错误：{exc}", f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
        _LINE_FEEDS.reset(token)
        _RAW_LINES.reset(raw_token)
        _RAW_FIELDS.reset(fields_token)
        _TEXT.reset(text_token)
        _ANCHORS.reset(anchors_token)
    found = [_removed_warning(shown, line, loc, removed) for loc, line, removed in cleaned_values]
    if raw_removed:
        by_line = {**_deepest_loc_by_line(lines), **raw_fields}  # a value spanning several lines: its field
        found += [_removed_warning(shown, line, by_line.get(line), removed) for line, removed in sorted(raw_removed.items())]
    return SourceFile(path=path, display=shown, data=data, lines=lines), found


def _removed_warning(shown: str, line: int, loc: Loc | None, removed: list[str]) -> Diagnostic:
    names = ", ".join(removed)
    return warning("control_characters", shown, line, format_path(loc) if loc else None,
                   f"已去掉看不见的控制字符 {names}", f"invisible control characters were removed: {names}",
                   Bilingual("这类字符常随从 Word、微信或 PDF 复制的文字带入；网站和导出文件不含它们。可在编辑器中删去这一处重新输入",
                             "they often come with text copied from Word, WeChat or a PDF; the site and the exports leave them out. "
                             "Retype the text here in your editor to get rid of them"))


def _deepest_loc_by_line(lines: dict[Loc, int]) -> dict[int, Loc]:
    out: dict[int, Loc] = {}
    for loc, line in lines.items():
        if loc and (line not in out or len(loc) > len(out[line])):
            out[line] = loc
    return out


def _to_python(loader, node, loc: Loc, lines: dict[Loc, int], seen: set[int],
               cleaned: list[tuple[Loc, int, list[str]]]) -> Any:
    # The composer resolves an alias to the very node object it names; meeting a node twice
    # therefore means an alias. Refusing them rules out "billion laughs" expansion too.
    if id(node) in seen:
        raise _AliasUsed(lines.get(loc, _line(node.start_mark)))
    seen.add(id(node))
    line = _line(node.start_mark)
    if _TEXT.get()[node.start_mark.index: node.start_mark.index + 1] == "&":
        _ANCHORS.get().append((line, loc))
    if len(loc) > MAX_DEPTH:
        raise _BadValue("too_deep", line, loc[:3], f"内容嵌套超过 {MAX_DEPTH} 层",
                        f"the content is nested more than {MAX_DEPTH} levels deep",
                        Bilingual("检查缩进和括号：条目只有几层", "check the indentation and brackets: an entry is only a few levels deep"))
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
        raise _unsupported_tag(node, loc)
    if isinstance(node, yaml.MappingNode):
        if node.flow_style:
            _comma_fragments(node, loc)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _BadValue("yaml_key", _line(key_node.start_mark), loc, "字段名必须是一段文字", "a field name must be plain text",
                                Bilingual("写成“字段: 值”，例如 title: 标题", "write 'field: value', e.g. title: …"))
            key = _scalar(loader, key_node, loc, cleaned)
            key_line = _line(key_node.start_mark)
            if key in out:
                raise _DuplicateKey(str(key), key_line, lines[loc + (key,)])
            lines[loc + (key,)] = key_line
            out[key] = _to_python(loader, value_node, loc + (key,), lines, seen, cleaned)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = _line(item.start_mark)
            items.append(_to_python(loader, item, loc + (index,), lines, seen, cleaned))
        return items
    raw = _RAW_LINES.get()
    if raw:  # which value each line belongs to, for the lines a raw character was taken from
        start, end = _line(node.start_mark), _line(node.end_mark)
        for number in raw:
            if start <= number <= end:
                _RAW_FIELDS.get()[number] = loc
    return _scalar(loader, node, loc, cleaned)


def _scalar(loader, node, loc: Loc, cleaned: list[tuple[Loc, int, list[str]]]) -> Any:
    """One scalar as Python data: text cleaned of control characters (YAML's escapes such as
    "\\v" or "\\e" let them through the reader), numbers and dates checked before they are built."""
    line = _line(node.start_mark)
    if node.tag == _STR_TAG:  # most values: skip the generic constructor (a third of load time)
        value, removed = clean_text(node.value)
        if removed and PLACEHOLDER_NAME in removed and _has_raw_line(node):
            removed = [r for r in removed if r != PLACEHOLDER_NAME]  # a stand-in: its line is warned about

        if removed:
            cleaned.append((loc, line, removed))
        return value
    if node.tag not in _SCALAR_TAGS:
        raise _unsupported_tag(node, loc)
    if node.tag in _NUMBER_TAGS and sum(ch.isdigit() for ch in node.value) > MAX_NUMBER_DIGITS:
        raise _BadValue("number_too_long", line, loc, f"数字太长（{len(node.value)} 位）", f"the number is too long ({len(node.value)} digits)",
                        Bilingual("核对这一项：年份、面积、人数等都只有几位数", "check this value: years, areas and counts have only a few digits"))
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:
        if node.tag == _TIMESTAMP_TAG:
            from .content.models import explain_bad_date  # not at the top: models import the vocabularies

            message, hint = explain_bad_date(node.value)
            raise _BadValue("invalid_date", line, loc, message.zh, message.en, hint) from None
        raise _BadValue("invalid_value", line, loc, f"无法读取这个值：{exc}", f"this value cannot be read: {exc}",
                        Bilingual("把它放在引号里当作文字，或改正写法", "put it in quotes as text, or correct it")) from None
    if isinstance(value, str):
        value, removed = clean_text(value)
        if removed:
            cleaned.append((loc, line, removed))
    return value


def _mistake(found: yaml_mistakes.Explanation, loc: Loc) -> _BadValue:
    return _BadValue("yaml_syntax", found.line, loc, found.message.zh, found.message.en, found.hint)


def _comma_fragments(node, loc: Loc) -> None:
    """`{zh: …, en: 200 Tianlin Road, Xuhui}`: YAML ends the value at the comma and reads `Xuhui`
    as a field without a value. A name with no colon after it, following a value in { }, is
    always such a fragment: say so, instead of "unknown field Xuhui"."""
    text = _TEXT.get()
    pairs = node.value
    for index in range(1, len(pairs)):
        if not _is_fragment(text, *pairs[index]):
            continue
        key_node, value_node = pairs[index - 1]
        if not (isinstance(key_node, yaml.ScalarNode) and isinstance(value_node, yaml.ScalarNode)):
            return
        last = index
        while last + 1 < len(pairs) and _is_fragment(text, *pairs[last + 1]):
            last += 1
        end = pairs[last][0].end_mark.index
        fragment = text[pairs[index][0].start_mark.index: end]
        meant = (text[value_node.start_mark.index: end] if value_node.style in (None, "")
                 else f"{value_node.value}, {fragment}")
        found = yaml_mistakes.comma_fragment(_line(pairs[index][0].start_mark), str(key_node.value), meant, fragment)
        raise _mistake(found, loc + (key_node.value,))


def _is_fragment(text: str, key_node, value_node) -> bool:
    if not (isinstance(key_node, yaml.ScalarNode) and key_node.style in (None, "") and isinstance(value_node, yaml.ScalarNode)
            and value_node.tag == "tag:yaml.org,2002:null" and value_node.value == ""):
        return False
    return text[key_node.end_mark.index: key_node.end_mark.index + 200].lstrip(" \t\n")[:1] != ":"


def _unsupported_tag(node, loc: Loc) -> _BadValue:
    if not node.tag.startswith("tag:yaml.org,2002:"):  # `en: !重要 …`: a value that happens to start with !
        return _mistake(yaml_mistakes.reserved_at(_TEXT.get(), _line(node.start_mark), "!"), loc)
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return _BadValue("yaml_tag", _line(node.start_mark), loc, f"不支持 YAML 标记 {tag}", f"the YAML tag {tag} is not supported",
                     Bilingual("去掉以 ! 开头的标记，直接写文字或数字", "remove the tag starting with ! and write the text or number itself"))


def _syntax_error(shown: str, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    """Our own explanation of the mistake (content/yaml_mistakes.py), at the line to change; lines
    are counted by line feeds there, as editors count them."""
    found = yaml_mistakes.explain(text, exc)
    return error("yaml_syntax", shown, found.line, None, found.message.zh, found.message.en, found.hint)
