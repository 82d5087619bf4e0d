"""Read content files: safe YAML with a line number for every key and list item.

Loading knows YAML and files, nothing about pages or the schema. It returns plain Python data
plus a map from each value's path to its source line, so that later stages can point an editor
at `cases/x.yaml:12` for any problem they find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Bilingual, Diagnostic, error

# A case file is a page of text. Anything far larger is a mistake (a pasted binary, a runaway
# export) and would only slow the build.
MAX_FILE_BYTES = 1024 * 1024

try:  # libyaml's parser is several times faster on large content folders
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Loc = tuple[str | int, ...]
_STR_TAG = "tag:yaml.org,2002:str"


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


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first_line: int):
        self.key, self.line, self.first_line = key, line, first_line


class _AliasUsed(Exception):
    def __init__(self, line: int):
        self.line = line


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_yaml(path: Path, root: Path) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read one YAML file. Never raises for bad content: problems come back as diagnostics."""
    shown = display_path(path, root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error("unreadable_file", shown, None, None,
                            f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}")]
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

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [error("empty_file", shown, 1, None, "文件为空", "the file is empty",
                                Bilingual("可复制一个现有条目作为模板", "copy an existing entry as a starting point"))]
        lines: dict[Loc, int] = {(): node.start_mark.line + 1}
        data = _to_python(loader, node, (), lines, set())
    except _DuplicateKey as exc:
        return None, [error("duplicate_key", shown, exc.line, exc.key,
                            f"字段 “{exc.key}” 重复出现（第一次在第 {exc.first_line} 行）",
                            f"the field '{exc.key}' appears twice (first on line {exc.first_line})",
                            Bilingual("删除其中一个", "keep only one of them"))]
    except _AliasUsed as exc:
        return None, [error("yaml_alias", shown, exc.line, None,
                            "不支持 YAML 锚点和别名（& 和 *）", "YAML anchors and aliases (& and *) are not supported",
                            Bilingual("请直接写出内容", "write the value out in full"))]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(shown, exc, text)]
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        return None, [error("yaml_syntax", shown, None, None, f"YAML 格式错误：{exc}", f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    return SourceFile(path=path, display=shown, data=data, lines=lines), []


def _to_python(loader, node, loc: Loc, lines: dict[Loc, int], seen: set[int]) -> Any:
    # The composer resolves an alias to the very node object it names; meeting a node twice
    # therefore means an alias. Refusing them rules out "billion laughs" expansion too.
    if id(node) in seen:
        raise _AliasUsed(lines.get(loc, node.start_mark.line + 1))
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in out:
                raise _DuplicateKey(str(key), line, lines[loc + (key,)])
            lines[loc + (key,)] = line
            out[key] = _to_python(loader, value_node, loc + (key,), lines, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = item.start_mark.line + 1
            items.append(_to_python(loader, item, loc + (index,), lines, seen))
        return items
    if node.tag == _STR_TAG:  # most values: skip the generic constructor (a third of load time)
        return node.value
    return loader.construct_object(node, deep=True)


_SYNTAX_HINTS: list[tuple[re.Pattern, Bilingual]] = [
    (re.compile(r"found character '\\t'"),
     Bilingual("缩进请用空格，不要用 Tab 键", "indent with spaces, not tabs")),
    (re.compile(r"mapping values are not allowed"),
     Bilingual("内容里有冒号时，请把整段文字放在引号里，例如 title: \"标题：副标题\"",
               "when a value contains a colon, put it in quotes, e.g. title: \"Title: subtitle\"")),
    (re.compile(r"could not find expected ':'"),
     Bilingual("检查上一行是否缺少冒号，或引号是否成对", "check the line above for a missing colon or an unclosed quote")),
    (re.compile(r"found undefined tag|could not determine a constructor"),
     Bilingual("不支持以 ! 开头的标记", "tags starting with ! are not supported")),
    (re.compile(r"expected <block end>|did not find expected key"),
     Bilingual("检查这一行的缩进是否与同级字段对齐", "check that this line is indented like its neighbours")),
]


_TAB_HINT = _SYNTAX_HINTS[0][1]


def _syntax_error(shown: str, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    problem = exc.problem or str(exc)
    mark = exc.problem_mark or exc.context_mark
    # An unclosed bracket or quote is only noticed at the end of the file; where it was opened
    # (the context mark) is the line to fix.
    context = exc.context or ""
    if exc.context_mark and ("flow" in context or "quoted" in context or ("end" in problem and "stream" in problem)):
        mark = exc.context_mark
    line = mark.line + 1 if mark else None
    source_lines = text.splitlines()
    # libyaml and PyYAML word errors differently: look at the offending line itself for tabs.
    if line and 0 < line <= len(source_lines) and "\t" in source_lines[line - 1]:
        hint = _TAB_HINT
    else:
        hint = next((h for pattern, h in _SYNTAX_HINTS if pattern.search(problem)), None)
    if hint is None:
        hint = Bilingual("检查缩进、冒号和引号", "check indentation, colons and quotes")
    return error("yaml_syntax", shown, line, None,
                 f"YAML 格式错误：{problem}", f"YAML syntax error: {problem}", hint)
