"""One type for everything the pipeline has to tell an editor: errors, warnings and notes.

Diagnostics are data. Stages return them; the caller (plugin, CLI, tests) decides when to print
them, and `Diagnostic.report` how: one rule for `showcase check` and the build alike. Every
message exists in Chinese and English: the reader's language comes first (`showcase --lang`,
SHOWCASE_LANG, the locale; Chinese when the locale says nothing), and an error repeats itself in
the other language on the next, indented line, so that a member of staff can forward it as it is
to a developer who reads only English.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal
from collections.abc import Iterable

from .content.clean import visible

Lang = Literal["zh", "en"]


class Severity(StrEnum):
    ERROR = "error"  # the build refuses the content
    WARNING = "warning"  # the build goes on; an editor should fix it
    INFO = "info"  # nothing to fix: how the site shows something the content says as it is


@dataclass(frozen=True)
class Bilingual:
    """A message in both languages."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str  # stable machine-readable kind, e.g. "unknown_district"
    file: str  # path shown to the user, relative to the project where possible
    line: int | None
    field: str | None  # dotted path inside the entry, e.g. "media[2].file"
    message: Bilingual
    hint: Bilingual | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def format(self, lang: Lang) -> str:
        """`file:line: field: message; hint` — the shape compilers use, so editors can jump to it."""
        parts = [self.location()]
        if self.field:
            parts.append(self.field)
        text = self.message.get(lang)
        if self.hint:
            sep = "；" if lang == "zh" else "; "
            text = f"{text}{sep}{self.hint.get(lang)}"
        parts.append(text)
        # a file name or quoted value may hold an ESC or another control character: show it,
        # never send it to the terminal or the log as it is
        return visible(": ".join(parts))

    def format_bilingual(self) -> str:
        label = LABELS[self.severity]
        return f"[{label.zh}] {self.format('zh')}\n[{label.en}] {self.format('en')}"

    def report(self, lang: Lang) -> str:
        """What `showcase check` and the build print, the same for both:

            错误 cases/excellent/x.yaml:5: district: '长林' 不是上海的区；您是不是要写 长宁区 (changning)？
                error cases/excellent/x.yaml:5: district: '长林' is not a Shanghai district; did you mean …?

        the reader's language first; an error also in the other language, on an indented line
        (a warning or a note only in the reader's language)."""
        text = f"{LABELS[self.severity].get(lang)} {self.format(lang)}"
        if self.is_error:
            other: Lang = "en" if lang == "zh" else "zh"
            text += f"\n{REPORT_INDENT}{LABELS[self.severity].get(other)} {self.format(other)}"
        return text

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.field or "", self.code)


@dataclass
class Diagnostics:
    """An ordered, de-duplicated bag of diagnostics collected across a whole run."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        items, self.items = self.items, []
        self.extend(items)

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self._seen:  # a set: thousands of warnings must not cost n² comparisons
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.is_warning]

    @property
    def notes(self) -> list[Diagnostic]:
        """Information (Severity.INFO): neither an error nor a warning."""
        return [d for d in self.sorted() if d.severity is Severity.INFO]

    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)

    def __iter__(self):
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)

    def summary(self) -> Bilingual:
        e, w, n = len(self.errors), len(self.warnings), len(self.notes)
        zh, en = f"{e} 个错误，{w} 个警告", f"{e} error(s), {w} warning(s)"
        if n:  # information: counted apart, never as a warning
            zh, en = f"{zh}，{n} 条说明", f"{en}, {n} note(s)"
        return Bilingual(zh=zh, en=en)


def error(code: str, file: str, line: int | None, field: str | None, zh: str, en: str,
          hint: Bilingual | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, file, line, field, Bilingual(zh, en), hint)


def warning(code: str, file: str, line: int | None, field: str | None, zh: str, en: str,
            hint: Bilingual | None = None) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, file, line, field, Bilingual(zh, en), hint)


def info(code: str, file: str, line: int | None, field: str | None, zh: str, en: str,
         hint: Bilingual | None = None) -> Diagnostic:
    return Diagnostic(Severity.INFO, code, file, line, field, Bilingual(zh, en), hint)


LABELS = {Severity.ERROR: Bilingual("错误", "error"), Severity.WARNING: Bilingual("警告", "warning"),
          Severity.INFO: Bilingual("说明", "note")}
REPORT_INDENT = "    "


# What an operating-system error means, for a person: errno's name never reaches them, nor
# Python's "[Errno 2] No such file or directory: '/home/…'" (English, and an absolute path).
_OS_ERROR_NAMES = {
    "ENOENT": ("文件不存在", "the file does not exist"),
    "EACCES": ("没有读写权限", "permission denied"),
    "EPERM": ("没有读写权限", "permission denied"),
    "ENOSPC": ("磁盘已满", "the disk is full"),
    "EDQUOT": ("磁盘配额已用完", "the disk quota is used up"),
    "EROFS": ("所在磁盘只读", "the disk is read-only"),
    "EISDIR": ("这是一个文件夹，不是文件", "it is a folder, not a file"),
    "ENOTDIR": ("路径中的某一级不是文件夹", "a part of the path is not a folder"),
    "EEXIST": ("文件已存在", "the file already exists"),
    "ENAMETOOLONG": ("文件名太长", "the file name is too long"),
    "EMFILE": ("同时打开的文件太多", "too many files are open"),
    "EBUSY": ("文件正被其他程序占用", "the file is in use by another program"),
    "ELOOP": ("链接指向自己（循环链接）", "a link points to itself (a link loop)"),
    "EIO": ("读写磁盘时出错", "the disk could not be read or written"),
}
_OS_ERRORS = {getattr(errno, name): text for name, text in _OS_ERROR_NAMES.items() if hasattr(errno, name)}


def os_error(exc: OSError) -> Bilingual:
    """Why a file could not be read or written, in both languages, without the path (the message
    around it names the file, relative to the project) and without errno numbers."""
    zh, en = _OS_ERRORS.get(exc.errno or 0, ("无法读写文件", "the file cannot be read or written"))
    return Bilingual(zh, en)


def os_error_text(exc: OSError, lang: Lang, root: str | os.PathLike | None = None) -> str:
    """`os_error`, with the file it concerns (relative to `root`, or the current folder)."""
    reason = os_error(exc).get(lang)
    name = exc.filename
    if name is None:
        return reason
    shown = os.fsdecode(name)
    try:
        relative = os.path.relpath(shown, os.fspath(root) if root is not None else os.getcwd())
        if not relative.startswith(".."):
            shown = relative
    except ValueError:  # another drive (Windows)
        pass
    return f"{visible(shown)}：{reason}" if lang == "zh" else f"{visible(shown)}: {reason}"


def format_path(loc: Iterable[str | int]) -> str:
    """('media', 1, 'file') -> 'media[2].file'.

    List positions are counted from 1: the people reading this count list items, they do not index
    arrays (the line number is printed beside it anyway)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out
