"""Reference vocabularies: districts, 十全十美 services, case types and the small enumerations.

The data lives in `data/*.yaml` beside this module, never in code. Each vocabulary accepts what
staff naturally write (长宁区, 长宁, changning, Changning) and stores one canonical key.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Term:
    key: str
    zh: str
    en: str
    order: int
    short: str | None = None  # e.g. 长宁 for 长宁区
    group: str | None = None  # e.g. basic / quality for services
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-·•]+", "", str(text)).casefold()


class UnknownTerm(ValueError):
    def __init__(self, vocabulary: Vocabulary, value: object, suggestions: list[Term]):
        self.vocabulary, self.value, self.suggestions = vocabulary, value, suggestions
        super().__init__(f"{value!r} is not a {vocabulary.noun_en}")


@dataclass
class Vocabulary:
    name: str
    noun_zh: str  # "上海的区"
    noun_en: str  # "Shanghai district"
    terms: list[Term]
    _index: dict[str, Term] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            for spelling in (term.key, term.zh, term.en, term.short, *term.aliases):
                if spelling:
                    self._index.setdefault(_norm(spelling), term)

    def __getitem__(self, key: str) -> Term:
        return next(t for t in self.terms if t.key == key)

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def resolve(self, value: object) -> str:
        """Canonical key for any accepted spelling, or UnknownTerm with close matches."""
        if isinstance(value, str):
            term = self._index.get(_norm(value))
            if term:
                return term.key
            return self._fail(value)
        return self._fail(value)

    def _fail(self, value: object):
        text = _norm(str(value))
        spellings = list(self._index)
        close = difflib.get_close_matches(text, spellings, n=3, cutoff=0.5)
        # Chinese names are short: also suggest any term sharing a character with the value.
        if not close and text:
            close = [s for s in spellings if set(s) & set(text) and not s.isascii()][:3]
        seen: list[Term] = []
        for spelling in close:
            term = self._index[spelling]
            if term not in seen:
                seen.append(term)
        raise UnknownTerm(self, value, seen)

    def describe(self, term: Term) -> str:
        return f"{term.zh} ({term.key})"

    def listing(self, limit: int = 20) -> str:
        names = [self.describe(t) for t in self.terms[:limit]]
        return "、".join(names) + ("…" if len(self.terms) > limit else "")


@dataclass(frozen=True)
class Reference:
    districts: Vocabulary
    services: Vocabulary
    case_types: Vocabulary
    construction: Vocabulary
    status: Vocabulary
    award: Vocabulary
    media_kind: Vocabulary
    meeting_kind: Vocabulary


def _terms(items: list[dict]) -> list[Term]:
    out = []
    for position, item in enumerate(items, start=1):
        out.append(Term(
            key=item["key"], zh=item["zh"], en=item["en"], order=item.get("order", position),
            short=item.get("short"), group=item.get("group"), aliases=tuple(item.get("aliases", ())),
        ))
    return sorted(out, key=lambda t: t.order)


@cache
def reference() -> Reference:
    """The product's vocabularies, read once per process."""
    def read(name: str):
        return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))

    enums = read("enums.yaml")
    return Reference(
        districts=Vocabulary("district", "上海的区", "Shanghai district", _terms(read("districts.yaml"))),
        services=Vocabulary("service", "“十全十美”服务", "十全十美 service", _terms(read("services.yaml"))),
        case_types=Vocabulary("case_type", "案例类型", "case type", _terms(read("case_types.yaml"))),
        construction=Vocabulary("construction", "建设类型", "construction type", _terms(enums["construction"])),
        status=Vocabulary("status", "项目状态", "project status", _terms(enums["status"])),
        award=Vocabulary("award", "评选级别", "award level", _terms(enums["award"])),
        media_kind=Vocabulary("media_kind", "媒体类型", "media kind", _terms(enums["media_kind"])),
        meeting_kind=Vocabulary("meeting_kind", "会议类型", "meeting kind", _terms(enums["meeting_kind"])),
    )
