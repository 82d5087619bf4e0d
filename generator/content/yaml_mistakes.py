"""Plain-language explanations of the YAML mistakes people really make when they edit a case file.

YAML's parser notices a mistake where it can no longer go on, which is often far from where the
mistake is (an unclosed quote on line 8 is "did not find expected key" on line 25), and it says
so in English parser terms. Here each common mistake is recognised from the text itself and
explained in both languages, naming the line to change and what to write there instead.

A candidate is only accepted when mending that one line makes the file readable (or carries the
parser past the place it stopped): the explanation is never a guess that sends people to the
wrong line. When nothing matches, the message says where to look in our words and gives the
parser's own text as a marked detail.

Knows YAML text, nothing about the schema; the loader (generator/load.py) calls it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import yaml

from ..diagnostics import Bilingual

try:
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

# How many re-reads of the file one explanation may cost (each a few milliseconds for a case file).
MAX_TRIALS = 60
# Longest excerpt of a line quoted in a message.
SHOWN = 90

PREFIX = Bilingual("YAML 格式错误：", "YAML syntax error: ")


@dataclass(frozen=True)
class Explanation:
    line: int  # the line to change, counted by line feeds from 1
    message: Bilingual  # what is wrong (with the PREFIX)
    hint: Bilingual  # what to write instead


def _said(zh: str, en: str) -> Bilingual:
    return Bilingual(PREFIX.zh + zh, PREFIX.en + en)


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _show(text: str) -> str:
    text = text.strip()
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


# --- reading lines ----------------------------------------------------------------------------

# indentation, list dashes, an optional `key:` and the value after it
_LINE = re.compile(r"""^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?:(?P<key>[^\s#'"\[\]{},:&*!|>%@`?-][^:#]*?|"[^"]*"|'[^']*')[ ]*:(?:[ ]+|$))?(?P<value>.*)$""")
_BLOCK_HEADER = re.compile(r"^[|>][-+0-9]*[ ]*(?:#.*)?$")
_PLAIN_KEY = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_]*)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _parts(line: str) -> re.Match:
    match = _LINE.match(line)
    assert match is not None  # every part is optional
    return match


def _block_lines(lines: list[str]) -> set[int]:
    """Line numbers (from 1) inside `|` or `>` texts: written words, not YAML structure."""
    inside: set[int] = set()
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if line.strip() == "" or line.lstrip().startswith("#"):
            continue
        if _BLOCK_HEADER.match(_parts(line)["value"].strip() or "-"):
            level = _indent(line)
            while number < len(lines) and (lines[number].strip() == "" or _indent(lines[number]) > level):
                number += 1
                inside.add(number)
    return inside


def _closing(value: str, start: int) -> int | None:
    """Where the quote opened at `value[start]` closes on this line, or None."""
    quote = value[start]
    i = start + 1
    while i < len(value):
        ch = value[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if quote == "'" and value[i + 1: i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def _scalar_starts(value: str) -> Iterator[int]:
    """Positions in `value` where a value may begin: its start, and inside [ ] or { } after a
    bracket, a comma or `key: `. Quoted texts are skipped over."""
    yield 0
    if not value[:1] in ("[", "{"):
        return
    i, expect = 1, True
    while i < len(value):
        ch = value[i]
        if ch in "\"'":
            if expect:
                yield i
            end = _closing(value, i)
            if end is None:
                return
            i, expect = end + 1, False
            continue
        if ch in "[{,":
            expect = True
            if ch != ",":
                pass
            i += 1
            while i < len(value) and value[i] == " ":
                i += 1
            if i < len(value) and value[i] not in "\"'":
                expect = False
            continue
        if ch == ":" and value[i + 1: i + 2] == " ":
            i += 1
            while i < len(value) and value[i] == " ":
                i += 1
            expect = True
            if i < len(value) and value[i] not in "\"'":
                expect = False
            continue
        i += 1


def _unclosed_quote(line: str) -> int | None:
    """The column of a quote opened on `line` and not closed on it."""
    match = _parts(line)
    value, offset = match["value"], match.start("value")
    for start in _scalar_starts(value):
        if value[start: start + 1] in ('"', "'") and _closing(value, start) is None:
            return offset + start
    return None


def _quoted(value: str) -> str:
    """`value` as a quoted YAML text."""
    value = value.strip()
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


# --- the parser --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Stop:
    """Where YAML stopped reading: lines from 1, by line feeds."""

    line: int
    column: int
    context_line: int | None
    problem: str
    context: str


class _Reader:
    def __init__(self) -> None:
        self.trials = 0

    def stop(self, text: str) -> _Stop | None:
        """Where YAML stops reading `text`, or None when it reads to the end."""
        loader = _Loader(text)
        try:
            loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            return _stop_of(text, exc)
        except (yaml.YAMLError, ValueError, OverflowError):
            return _Stop(10**9, 0, None, "", "")
        finally:
            loader.dispose()
        return None


def _stop_of(text: str, exc: yaml.MarkedYAMLError) -> _Stop:
    feeds = [m.start() for m in re.finditer("\n", text)]

    def line(mark) -> int:
        return bisect.bisect_left(feeds, mark.index) + 1

    mark = exc.problem_mark or exc.context_mark
    return _Stop(line(mark) if mark else 1, mark.column if mark else 0,
                 line(exc.context_mark) if exc.context_mark else None, exc.problem or "", exc.context or "")


# --- explaining ----------------------------------------------------------------------------------

class _Explainer:
    def __init__(self, text: str, stop: _Stop):
        self.text = text
        self.lines = text.split("\n")
        self.stop = stop
        self.block = _block_lines(self.lines)
        self.reader = _Reader()

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def at_stop(self) -> tuple[int, str, re.Match, str]:
        """The line YAML stopped at: its number, its text, its parts and its value (right-stripped)."""
        number = self.stop.line
        line = self.line(number)
        match = _parts(line)
        return number, line, match, match["value"].rstrip()

    def mended(self, number: int, new_line: str) -> bool:
        """Whether replacing line `number` by `new_line` lets YAML read the file, or read it past
        the place it stopped (another mistake further on)."""
        if self.reader.trials >= MAX_TRIALS:
            return False
        self.reader.trials += 1
        lines = list(self.lines)
        lines[number - 1: number] = new_line.split("\n")
        after = self.reader.stop("\n".join(lines))
        if after is None:
            return True
        shifted = new_line.count("\n")
        return (after.line - shifted > self.stop.line and "end of stream" not in after.problem
                and "quoted scalar" not in after.context and not (after.context_line and after.context_line <= number))

    def candidates(self, last: int | None = None) -> Iterator[int]:
        """Lines that hold YAML structure, from the line where YAML stopped back to the first."""
        last = min(last or self.stop.line, len(self.lines))
        for number in range(last, 0, -1):
            if number not in self.block and self.line(number).strip() and not self.line(number).lstrip().startswith("#"):
                yield number

    def near(self) -> list[int]:
        """The line where YAML stopped, the line its context opened and the two lines above."""
        out = [self.stop.line]
        if self.stop.context_line:
            out.append(self.stop.context_line)
        out += [self.stop.line - 1, self.stop.line - 2]
        return [n for n in dict.fromkeys(out) if 0 < n <= len(self.lines) and n not in self.block]

    # each returns an Explanation or None; explain() tries them in order -------------------------

    def tab(self) -> Explanation | None:
        for number in self.near():
            line = self.line(number)
            lead = line[: len(line) - len(line.lstrip(" \t\u3000"))]
            after_key = re.match(r"^[ ]*(?:-[ ]+)*[^\s:#]+:\t", line)
            if "\t" in lead:
                levels = self._levels(number) or [0]
                spaces = next((n for n in levels if self.mended(number, " " * n + line.lstrip(" \t"))), levels[0])
                return Explanation(number, _said("这一行用 Tab 键缩进，YAML 只认空格",
                                                 "this line is indented with a tab; YAML accepts only spaces"),
                                   Bilingual(f"把行首的 Tab 删掉，改为 {spaces} 个空格（与同级字段对齐）",
                                             f"indent with spaces, not tabs: replace the tab at the start of the line with {_spaces(spaces)} (in line with the fields at its level)"))
            if after_key:
                return Explanation(number, _said("字段名的冒号后面是 Tab 键", "the colon after the field name is followed by a tab"),
                                   Bilingual("冒号后面用一个空格，不要用 Tab", "put one space after the colon, not a tab"))
        return None

    def _levels(self, number: int) -> list[int]:
        """Indentations of the structure lines above `number`, nearest first."""
        seen: list[int] = []
        for other in self.candidates(number - 1):
            line = self.line(other)
            if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
                continue
            level = _indent(line)
            if level not in seen:
                seen.append(level)
                seen += [level + len(m.group(0)) for m in [re.match(r"(?:-[ ]+)+", line[level:])] if m]
                if level + 2 not in seen and line.rstrip().endswith(":"):
                    seen.insert(len(seen) - 1, level + 2)
            if len(seen) > 8:
                break
        return seen

    def full_width(self) -> Explanation | None:
        for number in self.candidates():
            line = self.line(number)
            key = _PLAIN_KEY.match(line)
            lead = line[: len(line) - len(line.lstrip(" \u3000"))]
            if "\u3000" in lead:
                fixed = lead.replace("\u3000", "  ") + line.lstrip(" \u3000")
                levels = [n for n in self._levels(number)] or [0]
                fixed_ok = next((" " * n + line.lstrip(" \u3000") for n in levels if self.mended(number, " " * n + line.lstrip(" \u3000"))), None)
                if fixed_ok is not None or self.mended(number, fixed):
                    spaces = _indent(fixed_ok if fixed_ok is not None else fixed)
                    return Explanation(number, _said("这一行行首有全角空格（中文输入法的空格），YAML 的缩进只认半角空格",
                                                     "this line is indented with full-width spaces (from a Chinese input method); YAML indents with ASCII spaces only"),
                                       Bilingual(f"删掉行首的全角空格，改为 {spaces} 个半角空格",
                                                 f"delete the full-width spaces at the start of the line and indent it with {spaces} ASCII space{'s' if spaces != 1 else ''}"))
            if not key:
                continue
            rest = line[key.end():]
            name = key["key"]
            if re.match(r"[ \u3000]*：", rest):
                value = re.sub(r"^[ \u3000]*：[ \u3000]*", "", rest)
                fixed = f"{line[:key.end()]}: {value}"
                if self.mended(number, fixed):
                    return Explanation(number, _said(f"字段名 {name} 后面是中文全角冒号“：”，YAML 只认英文冒号“:”",
                                                     f"the field name {name} is followed by a full-width colon '：'; YAML needs the ASCII colon ':'"),
                                       Bilingual(f"改用英文冒号，后面加一个空格：{_show(fixed)}",
                                                 f"use the ASCII colon followed by a space: {_show(fixed)}"))
            if re.match(r"[ ]*:\u3000", rest) or re.match(r"[ ]*:[^ \n]", rest) and "\u3000" in rest[:3]:
                value = re.sub(r"^[ ]*:[\u3000 ]*", "", rest)
                fixed = f"{line[:key.end()]}: {value}"
                if self.mended(number, fixed):
                    return Explanation(number, _said(f"字段名 {name} 的冒号后面是全角空格（中文输入法的空格），YAML 只认半角空格",
                                                     f"the colon after {name} is followed by a full-width space (from a Chinese input method); YAML needs an ASCII space"),
                                       Bilingual(f"把冒号后的全角空格换成半角空格：{_show(fixed)}",
                                                 f"replace the full-width space after the colon with an ASCII space: {_show(fixed)}"))
        return None

    def unclosed_quote(self) -> Explanation | None:
        for number in self.candidates():
            line = self.line(number)
            column = _unclosed_quote(line)
            if column is None:
                continue
            quote = line[column]
            body = line.rstrip()
            trailing = len(body) - len(body.rstrip("]} "))
            tries = [body + quote]
            if trailing:
                tries.append(body[: len(body) - trailing].rstrip() + quote + body[len(body) - trailing:])
            for comma in re.finditer(r",[ ]*[A-Za-z_]+:[ ]", body[column:]):
                tries.append(body[: column + comma.start()] + quote + body[column + comma.start():])
            fixed = next((t for t in tries if self.mended(number, t)), None)
            if fixed is None:
                continue
            sign = "“\"”" if quote == '"' else "“'”"
            sign_en = f"'{quote}'" if quote == '"' else f'"{quote}"'
            later = (f"，所以后面直到第 {self.stop.line} 行的内容都被当成了这段文字" if self.stop.line > number else "")
            later_en = (f", so everything up to line {self.stop.line} was read as part of that text" if self.stop.line > number else "")
            return Explanation(number, _said(f"这一行的引号 {sign} 开始后没有结束{later}",
                                             f"the quote {sign_en} opened on this line is never closed{later_en}"),
                               Bilingual(f"在这段文字的末尾补上 {quote}：{_show(fixed)}", f"close it with {quote} at the end of the text: {_show(fixed)}"))
        return None

    def after_closing(self) -> Explanation | None:
        """A value that starts with a quote or a bracket and goes on after it closes."""
        number, line, match, value = self.at_stop()
        if not value or value[0] not in "\"'[{":
            return None
        if value[0] in "\"'":
            end = _closing(value, 0)
            if end is None or not value[end + 1:].strip() or value[end + 1:].lstrip().startswith("#"):
                return None
            apostrophe = value[0] == "'" and re.match(r"\w", value[end + 1:]) is not None
            fixed_value = '"' + value[1:-1] + '"' if apostrophe and value.endswith("'") and '"' not in value else _quoted(value)
            fixed = line[: match.start("value")] + fixed_value
            if not self.mended(number, fixed):
                return None
            if apostrophe:
                return Explanation(number, _said("单引号里的撇号（'）被当成了引号的结束",
                                                 "an apostrophe (') inside single quotes was read as the closing quote"),
                                   Bilingual(f"改用双引号，或把撇号写两次（''）：{_show(fixed)}",
                                             f"use double quotes, or write the apostrophe twice (''): {_show(fixed)}"))
            return Explanation(number, _said("引号在值结束之前就关上了，引号后面的文字无法读取",
                                             "the quotes close before the value ends, and the text after them cannot be read"),
                               Bilingual(f"把整个值放在另一种引号里：{_show(fixed)}", f"put the whole value in the other kind of quotes: {_show(fixed)}"))
        fixed = line[: match.start("value")] + _quoted(value)
        if not self.mended(number, fixed):
            return None
        bracket = value[0]
        return Explanation(number, _said(f"以“{bracket}”开头的值会被当成{'列表' if bracket == '[' else '一组字段'}，括号后面的文字无法读取",
                                         f"a value starting with '{bracket}' is read as a {'list' if bracket == '[' else 'group of fields'}, and the text after the bracket cannot be read"),
                           Bilingual(f"把整个值放在引号里：{_show(fixed)}", f"put the whole value in quotes: {_show(fixed)}"))

    def dash(self) -> Explanation | None:
        for number in self.candidates():
            line = self.line(number)
            match = re.match(r"^([ ]*)-(?=[^\s\-0-9.])", line)
            if not match:
                continue
            fixed = f"{match.group(1)}- {line[match.end():]}"
            if self.mended(number, fixed):
                return Explanation(number, _said("列表项的“-”后面缺少空格", "the '-' of a list item must be followed by a space"),
                                   Bilingual(f"在“-”后面加一个空格：{_show(fixed)}", f"put a space after the '-': {_show(fixed)}"))
        return None

    def list_indent(self) -> Explanation | None:
        for number in self.near():
            line = self.line(number)
            if not re.match(r"^[ ]*-[ ]", line):
                continue
            level = _indent(line)
            sibling = self._sibling_item(number, level)
            if sibling is None:
                continue
            other, other_level = sibling
            fixed = " " * other_level + line.lstrip(" ")
            if self.mended(number, fixed):
                return Explanation(number, _said(f"这一行的列表项“-”缩进了 {level} 个空格，同一列表的上一项（第 {other} 行）缩进 {other_level} 个空格",
                                                 f"the list item '-' on this line is indented by {_spaces(level)}, the item before it in the same list (line {other}) by {other_level}"),
                                   Bilingual(f"同一列表的“-”要上下对齐：改为缩进 {other_level} 个空格",
                                             f"the '-' of the items of one list must line up: indent it by {_spaces(other_level)}"))
        return None

    def _sibling_item(self, number: int, level: int) -> tuple[int, int] | None:
        """The list item above `number` that belongs to the same list but is indented otherwise."""
        for other in self.candidates(number - 1):
            line = self.line(other)
            other_level = _indent(line)
            if re.match(r"^[ ]*-[ ]", line) and other_level != level:
                return other, other_level
            if re.match(r"^[ ]*-[ ]", line) or other_level < min(level, 2) or other_level == 0:
                return None
        return None

    def colon_in_value(self) -> Explanation | None:
        number = self.stop.line
        line = self.line(number)
        if "mapping values are not allowed" in self.stop.problem:
            match = _parts(line)
            value = match["value"]
            if match["key"] is None or ": " not in value and not value.rstrip().endswith(":"):
                return None
            fixed = line[: match.start("value")] + _quoted(value)
            if self.mended(number, fixed):
                return self._colon(number, fixed, "")
            return None
        # inside { } or [ ]: a colon in a value stops the parser at that colon
        column = self.stop.column
        if "flow" not in self.stop.context or line[column: column + 1] != ":":
            return None
        start = max(line.rfind(": ", 0, column), line.rfind("{", 0, column), line.rfind("[", 0, column), line.rfind(",", 0, column))
        if start < 0:
            return None
        start += 2 if line[start] == ":" else 1
        end = min([i for i in (line.find(",", column), line.find("}", column), line.find("]", column)) if i >= 0] or [len(line)])
        fixed = line[:start] + _quoted(line[start:end]) + line[end:]
        if self.mended(number, fixed):
            return self._colon(number, fixed, " {…} 里")
        return None

    def _colon(self, number: int, fixed: str, where: str) -> Explanation:
        return Explanation(number, _said(f"这一行{where}的值含有“: ”（冒号加空格），YAML 把它当成了新字段的开始",
                                         f"a value on this line{' inside {…}' if where else ''} contains ': ' (a colon and a space), which YAML reads as the start of another field"),
                           Bilingual(f"把整个值放在引号里：{_show(fixed)}", f"put the whole value in quotes: {_show(fixed)}"))

    def unclosed_bracket(self) -> Explanation | None:
        if "flow" not in self.stop.context or not self.stop.context_line:
            return None
        number = self.stop.context_line
        line = self.line(number).rstrip()
        opened = "[" if "sequence" in self.stop.context else "{"
        closer = "]" if opened == "[" else "}"
        if line.count(opened) <= line.count(closer):
            return None
        fixed = line + closer
        if not self.mended(number, fixed):
            return None
        return Explanation(number, _said(f"这一行的“{opened}”没有对应的“{closer}”", f"the '{opened}' on this line is never closed with '{closer}'"),
                           Bilingual(f"在末尾补上“{closer}”：{_show(fixed)}", f"close it with '{closer}' at the end: {_show(fixed)}"))

    def reserved_start(self) -> Explanation | None:
        number, line, match, value = self.at_stop()
        if not value or value[0] not in "@`%*&!|>?-":
            return None
        fixed = line[: match.start("value")] + _quoted(value)
        if not self.mended(number, fixed):
            return None
        return reserved(number, value[0], fixed)

    def missing_colon(self) -> Explanation | None:
        if "could not find expected ':'" not in self.stop.problem or not self.stop.context_line:
            return None
        number = self.stop.context_line
        line = self.line(number)
        key = _PLAIN_KEY.match(line)
        above = next(self.candidates(number - 1), None)
        if above and _BLOCK_HEADER.match(_parts(self.line(above))["value"].strip() or "-") and _indent(line) <= _indent(self.line(above)):
            level = _indent(self.line(above)) + 2
            # the text of a | or > block, written without the indentation that keeps it inside
            lines, last = [], number
            while last <= len(self.lines) and (self.line(last).strip() == "" or _indent(self.line(last)) <= _indent(self.line(above))
                                                and not _PLAIN_KEY.match(self.line(last)) or last == number):
                if self.line(last).strip() and _LINE.match(self.line(last)) and re.match(r"^[ ]*[A-Za-z_]+:( |$)", self.line(last)):
                    break
                lines.append(" " * level + self.line(last).lstrip() if self.line(last).strip() else "")
                last += 1
            name = _parts(self.line(above))["key"] or ""
            if lines and self.mended(number, "\n".join(lines).rstrip("\n")):
                return Explanation(number, _said(f"{name} 的多行文字（第 {above} 行的“{_parts(self.line(above))['value'].strip()}”之后）没有缩进",
                                                 f"the text of {name} (after the '{_parts(self.line(above))['value'].strip()}' on line {above}) is not indented"),
                                   Bilingual(f"这段文字的每一行都要比 {name} 多缩进两个空格（{level} 个空格）",
                                             f"indent every line of the text by two more spaces than {name} ({level} spaces)"))
        if not key:
            return None
        rest = line[key.end():]
        if rest.startswith(":") and not rest.startswith(": "):
            fixed = f"{line[:key.end()]}: {rest[1:]}"
            if self.mended(number, fixed):
                return Explanation(number, _said(f"字段名 {key['key']} 的冒号后面缺少空格", f"the colon after {key['key']} must be followed by a space"),
                                   Bilingual(f"在冒号后面加一个空格：{_show(fixed)}", f"put a space after the colon: {_show(fixed)}"))
        if re.match(r"^[ ]+\S", rest) and ":" not in rest.split("#")[0][:1]:
            fixed = f"{line[:key.end()]}:{rest}"
            if self.mended(number, fixed):
                return Explanation(number, _said(f"字段名 {key['key']} 后面缺少冒号", f"the field name {key['key']} is not followed by a colon"),
                                   Bilingual(f"写成“字段: 值”：{_show(fixed)}", f"write 'field: value': {_show(fixed)}"))
        return None

    def indentation(self) -> Explanation | None:
        for number in self.near():
            line = self.line(number)
            if not re.match(r"^[ ]*(?:-[ ]|[^\s:#][^:#]*:(?:[ ]|$))", line):
                continue  # only a field or a list item can be out of line
            level = _indent(line)
            fits = [other for other in self._levels(number) if other != level][:4]
            fits = [other for other in fits if self.mended(number, " " * other + line.lstrip(" "))]
            if not fits:
                continue
            examples = {other: self._example(number, other) for other in fits}
            zh = " 或 ".join(f"{other} 个空格" + (f"（如第 {examples[other]} 行）" if examples[other] else "") for other in fits)
            en = " or ".join(_spaces(other) + (f" (like line {examples[other]})" if examples[other] else "") for other in fits)
            return Explanation(number, _said(f"这一行缩进了 {level} 个空格，与同级的字段或列表项不一致",
                                             f"this line is indented by {_spaces(level)}, unlike the fields or items at its level"),
                               Bilingual(f"同级的行要上下对齐：改为缩进 {zh}", f"lines at one level must line up: indent it by {en}"))
        return None

    def _example(self, number: int, level: int) -> int | None:
        return next((other for other in self.candidates(number - 1) if _indent(self.line(other)) == level), None)

    def escape(self) -> Explanation | None:
        if "escape" not in self.stop.problem:
            return None
        number = self.stop.line
        return Explanation(number, _said("双引号里的反斜杠“\\”有特殊含义，这里的写法无法读取",
                                         "a backslash '\\' inside double quotes starts an escape, and this one cannot be read"),
                           Bilingual("改用单引号，或把每个 \\ 写成 \\\\；若是 \\u 转义，直接写出这个字符",
                                     "use single quotes, or write each \\ as \\\\; for a \\u escape, type the character itself"))


def reserved(line: int, char: str, fixed: str | None = None) -> Explanation:
    """A value that starts with a character YAML reserves (@ ` % * & ! | > ? -)."""
    why = {
        "*": ("以 * 开头的值会被当成 YAML 的引用（别名）", "a value starting with * is read as a YAML alias"),
        "&": ("以 & 开头的值会被当成 YAML 的锚点，& 后面的词被丢掉", "a value starting with & is read as a YAML anchor, and the word after & is lost"),
        "!": ("以 ! 开头的值会被当成 YAML 标记", "a value starting with ! is read as a YAML tag"),
        "|": ("以 | 开头的值会被当成多行文字的开头", "a value starting with | is read as the start of a multi-line text"),
        ">": ("以 > 开头的值会被当成多行文字的开头", "a value starting with > is read as the start of a multi-line text"),
        "-": ("以“- ”开头的值会被当成列表", "a value starting with '- ' is read as a list"),
        "?": ("以“? ”开头的值会被当成字段名", "a value starting with '? ' is read as a field name"),
    }.get(char, (f"值不能以 {char} 开头（YAML 保留了这个符号）", f"a value cannot start with {char} (YAML reserves it)"))
    example = f"：{_show(fixed)}" if fixed else ""
    example_en = f": {_show(fixed)}" if fixed else ""
    return Explanation(line, _said(*why), Bilingual(f"把整个值放在引号里{example}", f"put the whole value in quotes{example_en}"))


def reserved_at(text: str, line: int, char: str) -> Explanation:
    """`reserved` for a value found on `line` of `text` (the loader found an anchor or a tag)."""
    lines = text.split("\n")
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    match = _parts(shown)
    value = match["value"].rstrip()
    start = value.find(char)
    if start >= 0 and not value.startswith(("{", "[")):
        return reserved(line, char, shown[: match.start("value")] + _quoted(value))
    return reserved(line, char)


def comma_fragment(line: int, field: str, value: str, fragment: str) -> Explanation:
    """`{zh: …, en: 200 Tianlin Road, Xuhui}`: YAML reads the words after the comma as another
    field; `value` is what was meant (`200 Tianlin Road, Xuhui`), `fragment` the words cut off."""
    fixed = f"{field}: {_quoted(value)}"
    return Explanation(line, _said(f"{{…}} 里的逗号结束了 {field} 的值，逗号后面的“{_show(fragment)}”被当成了一个新字段",
                                   f"inside {{…}} a comma ends the value of {field}, so '{_show(fragment)}' after the comma was read as a new field"),
                       Bilingual(f"值里有逗号时，把整个值放在引号里：{_show(fixed)}",
                                 f"when a value contains a comma, put the whole value in quotes: {_show(fixed)}"))


_ORDER: list[Callable[[_Explainer], Explanation | None]] = [
    _Explainer.tab, _Explainer.escape, _Explainer.full_width, _Explainer.unclosed_quote, _Explainer.colon_in_value,
    _Explainer.after_closing, _Explainer.dash, _Explainer.list_indent, _Explainer.unclosed_bracket,
    _Explainer.reserved_start, _Explainer.missing_colon, _Explainer.indentation,
]


def explain(text: str, exc: yaml.MarkedYAMLError) -> Explanation:
    """What is wrong in `text` (as the loader gave it to YAML), which line to change and how."""
    stop = _stop_of(text, exc)
    explainer = _Explainer(text, stop)
    for method in _ORDER:
        found = method(explainer)
        if found is not None:
            return found
    return _fallback(stop, exc)


def _fallback(stop: _Stop, exc: yaml.MarkedYAMLError) -> Explanation:
    # An unclosed bracket or quote is only noticed at the end of the file: where it was opened is
    # the line to look at.
    line = stop.line
    if stop.context_line and ("flow" in stop.context or "quoted" in stop.context or "end of stream" in stop.problem):
        line = stop.context_line
    words = "; ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
    return Explanation(line, _said("这一行（或上一行）的写法无法读取", "this line (or the one above) cannot be read"),
                       Bilingual("检查缩进只用空格并与同级对齐、冒号后有空格、引号和括号成对；含冒号、逗号或以符号开头的文字放在引号里"
                                 f"（YAML 解析器原文：{words}）",
                                 "check that indentation uses spaces and lines up with its level, that each colon is followed by a space, "
                                 "that quotes and brackets are closed; put text with a colon, a comma or a leading symbol in quotes "
                                 f"(the YAML parser's own words: {words})"))
