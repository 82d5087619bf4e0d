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


class AmbiguousSpelling(ValueError):
    """A spelling in data/*.yaml that would stand for two terms of one vocabulary: a data bug."""


# Characters so common in the names that sharing one says nothing (社区议事 and 社区食堂 share 社区).
_COMMON_CHARACTERS = frozenset("社区服务中心站点设施空间")


@dataclass
class Vocabulary:
    name: str
    noun_zh: str  # "上海的区"
    noun_en: str  # "Shanghai district"
    terms: list[Term]
    command: str = ""  # what `showcase terms` calls it: district, service, type…
    title_zh: str = ""  # 区 / 十全十美服务 …: the listing's heading
    title_en: str = ""
    fields: tuple[str, ...] = ()  # where entries use it: district, services, media[].kind …
    names: tuple[str, ...] = ()  # other names `showcase terms` accepts for it (服务, services…)
    _index: dict[str, Term] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.command = self.command or self.name
        for term in self.terms:
            for spelling in (term.key, term.zh, term.en, term.short, *term.aliases):
                if not spelling:
                    continue
                other = self._index.setdefault(_norm(spelling), term)
                if other is not term:
                    raise AmbiguousSpelling(f"{self.name}: '{spelling}' names both {other.key} and {term.key}")

    def spellings(self, term: Term) -> list[str]:
        """Every other way of writing `term` that is accepted (its short name and aliases)."""
        seen = {_norm(term.key), _norm(term.zh), _norm(term.en)}
        out = []
        for spelling in (term.short, *term.aliases):
            if spelling and _norm(spelling) not in seen:
                seen.add(_norm(spelling))
                out.append(spelling)
        return out

    # --- what messages say: one wording for the check, the import and the command line -------

    def where_listed(self) -> tuple[str, str]:
        """Where the valid values are: the end of every message refusing a value (zh, en)."""
        command = f"showcase terms {self.command}"
        return f"完整列表：{command}", f"full list: {command}"

    def unknown_hint(self, suggestions: list[Term]) -> tuple[str, str]:
        """The hint after "'x' is not a …": the likely meant terms (or, for a short list, all
        of them), then where the full list is (zh, en)."""
        where_zh, where_en = self.where_listed()
        if suggestions:
            names_zh = " 或 ".join(self.describe(t) for t in suggestions)
            names_en = " or ".join(self.describe(t) for t in suggestions)
            return f"您是不是要写 {names_zh}？{where_zh}", f"did you mean {names_en}? {where_en}"
        if len(self.terms) <= 8:
            return f"可选值：{self.listing()}；{where_zh}", f"valid values: {self.listing()}; {where_en}"
        return where_zh, where_en

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

    def suggest(self, value: object, limit: int = 3) -> list[Term]:
        """The terms `value` most likely means, best first. What people write is usually a name
        or alias with a word more or less (社区长者食堂, 托育点, 浦东新): those come first; only
        without one is it a guess from similar spelling, and a Chinese value sharing only
        everyday characters (社区, 服务) with a name suggests nothing."""
        text = _norm(str(value)) if value is not None else ""
        if not text:
            return []
        found: list[tuple[float, int, Term]] = []
        minimum = 4 if text.isascii() else 2
        for spelling, term in self._index.items():
            if min(len(spelling), len(text)) < minimum:
                continue
            if spelling in text or text in spelling:
                found.append((-min(len(spelling), len(text)) / max(len(spelling), len(text)), term.order, term))
        if not found:
            for spelling in difflib.get_close_matches(text, list(self._index), n=limit, cutoff=0.5):
                term = self._index[spelling]
                if not text.isascii() and not (set(text) & set(spelling)) - _COMMON_CHARACTERS:
                    continue  # 社区食堂 is not 社区议事
                found.append((-difflib.SequenceMatcher(None, text, spelling).ratio(), term.order, term))
        if not found and not text.isascii():
            telling = set(text) - _COMMON_CHARACTERS
            for spelling, term in self._index.items():
                shared = telling & set(spelling)
                if shared and not spelling.isascii():
                    found.append((-len(shared) / len(set(spelling)), term.order, term))
        seen: list[Term] = []
        for _score, _order, term in sorted(found, key=lambda f: (f[0], f[1])):
            if term not in seen:
                seen.append(term)
        return seen[:limit]

    def _fail(self, value: object):
        raise UnknownTerm(self, value, self.suggest(value))

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

    def vocabularies(self) -> list[Vocabulary]:
        return [self.districts, self.services, self.case_types, self.construction, self.status, self.award,
                self.media_kind, self.meeting_kind]

    def vocabulary(self, name: str) -> Vocabulary | None:
        """The vocabulary called `name` in either language (district, 区, services, 服务…)."""
        wanted = _norm(name)
        for candidate in dict.fromkeys((wanted, wanted.removesuffix("s"))):  # awards, districts
            for vocabulary in self.vocabularies():
                if candidate in {_norm(n) for n in (vocabulary.command, vocabulary.name, vocabulary.title_zh,
                                                    vocabulary.title_en, *vocabulary.names)}:
                    return vocabulary
        return None


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
        districts=Vocabulary("district", "上海的区", "Shanghai district", _terms(read("districts.yaml")),
                             "district", "区", "Districts", ("district",),
                             ("districts", "区", "区县", "所在区", "行政区")),
        services=Vocabulary("service", "“十全十美”服务", "十全十美 service", _terms(read("services.yaml")),
                            "service", "“十全十美”服务", "十全十美 services", ("services",),
                            ("services", "服务", "十全十美", "十全十美服务", "公共服务")),
        case_types=Vocabulary("case_type", "案例类型", "case type", _terms(read("case_types.yaml")),
                              "type", "案例类型", "Case types", ("types",),
                              ("types", "case_type", "case-type", "case-types", "case types", "kind of case", "案例类型", "类型")),
        construction=Vocabulary("construction", "建设类型", "construction type", _terms(enums["construction"]),
                                "construction", "建设类型", "Construction", ("construction",),
                                ("建设类型", "建设方式", "新建或改造")),
        status=Vocabulary("status", "项目状态", "project status", _terms(enums["status"]),
                          "status", "项目状态", "Project status", ("status",),
                          ("状态", "项目状态", "建设状态")),
        award=Vocabulary("award", "评选级别", "award level", _terms(enums["award"]),
                         "award", "评选级别", "Award level", ("award",),
                         ("级别", "评选级别", "award level", "level")),
        media_kind=Vocabulary("media_kind", "媒体类型", "media kind", _terms(enums["media_kind"]),
                              "media", "媒体类型", "Media kinds", ("media[].kind",),
                              ("media_kind", "media-kind", "media kind", "媒体", "媒体类型", "照片类型", "photo kind")),
        meeting_kind=Vocabulary("meeting_kind", "会议类型", "meeting kind", _terms(enums["meeting_kind"]),
                                "meeting", "会议类型（一图三会）", "Meeting kinds (一图三会)", ("participation[].kind",),
                                ("meeting_kind", "meeting-kind", "meeting kind", "meetings", "participation",
                                 "会议", "会议类型", "一图三会")),
    )

