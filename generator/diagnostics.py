"""One type for everything the pipeline has to tell an editor: errors and warnings.

Diagnostics are data. Stages return them; the caller (plugin, CLI, tests) decides how to
print them. Every message exists in Chinese and English, because the people who fix content
read Chinese first and the build log has no notion of a reader's locale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal
from collections.abc import Iterable

from .content.clean import visible

Lang = Literal["zh", "en"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


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
        label = {"error": ("错误", "error"), "warning": ("警告", "warning")}[self.severity.value]
        return f"[{label[0]}] {self.format('zh')}\n[{label[1]}] {self.format('en')}"

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
        return [d for d in self.sorted() if not d.is_error]

    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)

    def __iter__(self):
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)

    def summary(self) -> Bilingual:
        e, w = len(self.errors), len(self.warnings)
        return Bilingual(zh=f"{e} 个错误，{w} 个警告", en=f"{e} error(s), {w} warning(s)")


def error(code: str, file: str, line: int | None, field: str | None, zh: str, en: str,
          hint: Bilingual | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, file, line, field, Bilingual(zh, en), hint)


def warning(code: str, file: str, line: int | None, field: str | None, zh: str, en: str,
            hint: Bilingual | None = None) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, file, line, field, Bilingual(zh, en), hint)


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
