"""Ways into the collection for readers: the case list's facets and orders, and related cases.

Reads the Collection only; the page renderer turns these into HTML and `browse.js` repeats the
same rules in the browser (facet semantics: OR within a facet, AND across facets). Keeping the
rules here, in one place, is what lets the tests compare the page with the entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .collection import Collection
from .content.models import Case, Lang

# The case list's facets, in the order the filter panel shows them: (facet key, vocabulary, how
# to read the values of a case). The facet key is also the URL parameter (?district=…).
FACETS: tuple[tuple[str, str], ...] = (
    ("district", "districts"),
    ("service", "services"),
    ("type", "case_types"),
    ("year", ""),
    ("construction", "construction"),
    ("status", "status"),
)
SORTS = ("year", "title", "district")  # the first is the default (also the order without JavaScript)
RELATED_LIMIT = 6


def facet_values(case: Case, facet: str) -> tuple[str, ...]:
    """The facet's values of one case: several for services and types, at most one otherwise."""
    if facet == "district":
        return (case.district,)
    if facet == "service":
        return tuple(case.services)
    if facet == "type":
        return tuple(case.types)
    if facet == "year":
        return (str(case.year),)
    value = getattr(case, facet)
    return (value,) if value else ()


@dataclass(frozen=True)
class FacetOption:
    value: str
    label_key: tuple[str, str] | None  # (vocabulary, key) for a term; None for a year
    count: int  # cases in the whole collection with this value


@dataclass(frozen=True)
class Facet:
    key: str
    options: tuple[FacetOption, ...]


def facets(collection: Collection) -> list[Facet]:
    """Every facet with the options that at least one case has, in the vocabulary's order (years
    newest first), each with its count over all cases."""
    cases = list(collection.cases.values())
    out = []
    for key, vocabulary in FACETS:
        counts: dict[str, int] = {}
        for case in cases:
            for value in facet_values(case, key):
                counts[value] = counts.get(value, 0) + 1
        if vocabulary:
            terms = getattr(collection.reference, vocabulary)
            options = [FacetOption(t.key, (vocabulary, t.key), counts[t.key]) for t in terms if t.key in counts]
        else:
            options = [FacetOption(v, None, counts[v]) for v in sorted(counts, reverse=True)]
        if options:
            out.append(Facet(key, tuple(options)))
    return out


@lru_cache(maxsize=4096)
def title_sort_key(title: str, lang: Lang) -> str:
    """Chinese titles sort by pinyin (what a reader expects of 拼音 order, and what the browser's
    zh collation does), English ones case-insensitively."""
    if lang == "zh":
        return " ".join(lazy_pinyin(title, style=Style.TONE3)).casefold()
    return title.casefold()


def sort_cases(collection: Collection, cases: list[Case], lang: Lang, by: str = "year") -> list[Case]:
    """Cases in one of the list's orders: newest year first then title; title; district then title."""
    district_order = {t.key: t.order for t in collection.reference.districts}

    def title(case: Case) -> str:
        return title_sort_key(case.title.get(lang), lang)

    if by == "title":
        return sorted(cases, key=lambda c: (title(c), c.id))
    if by == "district":
        return sorted(cases, key=lambda c: (district_order[c.district], title(c), c.id))
    return sorted(cases, key=lambda c: (-c.year, title(c), c.id))


def related_cases(collection: Collection, case: Case, limit: int = RELATED_LIMIT) -> list[Case]:
    """Up to `limit` other cases sharing the district or a service, the closest first.

    Score: a shared district counts as much as two shared services (a reader on a case page is
    usually asking "what else is near here" or "what else does this kind of thing"); shared case
    types break ties, then the newer year, then the id so the order never wobbles between builds.
    """
    return RelatedCases(collection).of(case, limit)


class RelatedCases:
    """`related_cases` for every case of a collection, scored for all cases at once: the cases'
    services, types and districts as 0/1 matrices, so a case's shared services with every other
    is one matrix-vector product (1,000 cases: 2 s of the build spent scoring every pair in
    Python, 30 ms this way). Same rule, same order, as `_score_one` below, which the tests use."""

    def __init__(self, collection: Collection):
        import numpy as np

        self.cases = sorted(collection.cases.values(), key=lambda c: c.id)  # a row's number orders ties by id
        self.row = {case.id: n for n, case in enumerate(self.cases)}

        def matrix(values_of) -> "np.ndarray":
            columns = {value: n for n, value in enumerate(sorted({v for case in self.cases for v in values_of(case)}))}
            out = np.zeros((len(self.cases), max(1, len(columns))), dtype=np.int32)
            for n, case in enumerate(self.cases):
                for value in set(values_of(case)):
                    out[n, columns[value]] = 1
            return out

        self.services = matrix(lambda case: case.services)
        self.types = matrix(lambda case: case.types)
        districts = {key: n for n, key in enumerate(sorted({case.district for case in self.cases}))}
        self.districts = np.array([districts[case.district] for case in self.cases], dtype=np.int32)
        self.years = np.array([case.year for case in self.cases], dtype=np.int64)

    def of(self, case: Case, limit: int = RELATED_LIMIT) -> list[Case]:
        import numpy as np

        n = self.row.get(case.id)
        if n is None or self.cases[n] is not case:
            return _score_one(self.cases, case, limit)
        shared = self.services @ self.services[n]
        same = self.districts == self.districts[n]
        candidate = (shared > 0) | same
        candidate[n] = False
        rows = np.flatnonzero(candidate)
        score = 2 * same[rows].astype(np.int64) + shared[rows]
        overlap = (self.types[rows] @ self.types[n]).astype(np.int64)
        order = np.lexsort((rows, -self.years[rows], -overlap, -score))  # the last key sorts first
        return [self.cases[r] for r in rows[order[:limit]]]


def _score_one(cases, case: Case, limit: int) -> list[Case]:
    """The rule, one pair at a time: candidates share a service or the district; a shared
    district counts as much as two shared services, then shared case types, the newer year, the id."""
    services, types = set(case.services), set(case.types)
    scored = []
    for other in cases:
        if other.id == case.id:
            continue
        shared = len(services & set(other.services))
        if not shared and other.district != case.district:
            continue
        score = 2 * (other.district == case.district) + shared
        scored.append((-score, -len(types & set(other.types)), -other.year, other.id, other))
    return [item[-1] for item in sorted(scored, key=lambda item: item[:-1])[:limit]]


def cases_with_service(collection: Collection, lang: Lang, service: str) -> list[Case]:
    return sort_cases(collection, [c for c in collection.cases.values() if service in c.services], lang)
