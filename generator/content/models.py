"""Typed content models: what a valid entry is.

Pure data and validation rules; no MkDocs, no Jinja2, no files. Enumerations accept what staff
naturally write and store a canonical key (see reference.py). Unknown fields are errors, so a
typo such as `titel` is reported instead of silently dropped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..diagnostics import Bilingual
from .reference import UnknownTerm, reference

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class Strict(BaseModel):
    # inf and nan are numbers to Python and YAML (.inf, .nan) but no area or coordinate
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, allow_inf_nan=False)


# --- bilingual text -------------------------------------------------------------------------

class Text(Strict):
    """Human-readable text in both languages. Chinese is required; English may follow later and
    falls back visibly to the Chinese until it does."""

    zh: str = Field(min_length=1)
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_chinese(cls, value: Any) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return {"zh": str(value)}
        if isinstance(value, dict) and isinstance(value.get("en"), str) and not value["en"].strip():
            return {**value, "en": None}
        return value

    def get(self, lang: Lang) -> str:
        """The text in `lang`, falling back to Chinese (callers mark the fallback, see `has`)."""
        return self.en if lang == "en" and self.en else self.zh

    def has(self, lang: Lang) -> bool:
        return lang == "zh" or bool(self.en)


# --- partial dates --------------------------------------------------------------------------

@dataclass(frozen=True)
class PartialDate:
    """A year, a year-month or a full date: sources often give only 2014 or 2024年4月."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out

    def sort_key(self) -> tuple[int, int, int]:
        # "April 2024" sorts after "9 April 2024": an event known only to the month is usually
        # one that the dated events of that month set in motion (a plan, then its competition).
        return (self.year, self.month or 13, self.day or 32)

    def display(self, lang: Lang) -> str:
        if lang == "zh":
            out = f"{self.year}年"
            if self.month:
                out += f"{self.month}月"
                if self.day:
                    out += f"{self.day}日"
            return out
        if self.day:
            return dt.date(self.year, self.month, self.day).strftime("%-d %B %Y")
        if self.month:
            return dt.date(self.year, self.month, 1).strftime("%B %Y")
        return str(self.year)

    def __str__(self) -> str:
        return self.iso()


_DATE_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?$"),
]
# What people write that is almost a date: any number of digits, and a time after a full date
# (2024-02-30T10:00 is what YAML reads as a timestamp). Used to say what exactly is wrong.
_DATE_LIKE = [
    re.compile(r"^(?P<y>\d+)[-/.](?P<m>\d+)[-/.](?P<d>\d+)(?P<time>[Tt ].*)?$"),
    re.compile(r"^(?P<y>\d+)[-/.](?P<m>\d+)$"),
    re.compile(r"^(?P<y>\d+)$"),
    re.compile(r"^(?P<y>\d+)年(?:(?P<m>\d+)月(?:(?P<d>\d+)日)?)?$"),
]
DATE_YEARS = (1900, 2100)
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def _date_fault(y: int, m: int | None, d: int | None, year_digits: int = 4) -> tuple[str, str] | None:
    """What is wrong with year y, month m, day d, in both languages; None when it is a date."""
    if year_digits != 4:
        return "年份要写满四位数（例如 2024）", "the year must have four digits (e.g. 2024)"
    if not DATE_YEARS[0] <= y <= DATE_YEARS[1]:
        return (f"年份 {y} 不在 {DATE_YEARS[0]}–{DATE_YEARS[1]} 之间",
                f"the year {y} is not between {DATE_YEARS[0]} and {DATE_YEARS[1]}")
    if m is not None and not 1 <= m <= 12:
        return f"没有 {m} 月：月份只有 1–12", f"there is no month {m}: months run from 1 to 12"
    if d is not None and m is not None:
        days = calendar.monthrange(y, m)[1]
        if not 1 <= d <= days:
            last = f"{y:04d}-{m:02d}-{days:02d}"
            if d == 0:
                return "没有 0 日：日期从 1 日开始", "there is no day 0: days start at 1"
            return (f"{y}年{m}月只有{days}天（最后一天是 {last}）",
                    f"{_MONTH_NAMES[m - 1]} {y} has {days} days (its last day is {last})")
    return None


def explain_bad_date(value: Any) -> tuple[Bilingual, Bilingual]:
    """(what is wrong, what to write instead) for a value that is not a date: the one wording of
    the loader, the check, the build and the workbook import."""
    text = str(value).strip()
    shown = text if len(text) <= 40 else text[:39] + "…"
    reason: tuple[str, str] | None = None
    compact = text.replace(" ", "") if "年" in text else text
    for pattern in _DATE_LIKE:
        match = pattern.match(compact)
        if not match:
            continue
        parts = match.groupdict()
        y, m, d = (int(parts[k]) if parts.get(k) else None for k in ("y", "m", "d"))
        assert y is not None
        reason = _date_fault(y, m, d, len(parts["y"]))
        if reason is None and parts.get("time"):
            reason = ("时间部分无法读取；日期不需要写时间", "the time after the date cannot be read; a date needs no time")
        break
    if reason is None:
        reason = ("这不是一个日期", "this is not a date")
    message = Bilingual(f"“{shown}”不是有效日期：{reason[0]}", f"'{shown}' is not a valid date: {reason[1]}")
    hint = Bilingual("可写年份、年月或完整日期：2024、2024-04、2024-04-09 或 2024年4月9日",
                     "write a year, a year and month, or a full date: 2024, 2024-04, 2024-04-09 or 2024年4月9日")
    return message, hint


def parse_partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                y, m, d = (int(g) if g else None for g in (match["y"], match.groupdict().get("m"), match.groupdict().get("d")))
                assert y is not None
                if _date_fault(y, m, d) is not None:  # explain_bad_date says what (month 13, 30 February…)
                    break
                return PartialDate(y, m, d)
    raise PydanticCustomError("invalid_date", "invalid date {value}", {"value": value})


DateLike = Annotated[PartialDate, PlainValidator(parse_partial_date), PlainSerializer(str)]


# --- vocabulary-backed fields ----------------------------------------------------------------

def _vocabulary_field(name: str):
    def resolve(value: Any) -> str:
        vocabulary = getattr(reference(), name)
        try:
            return vocabulary.resolve(value)
        except UnknownTerm as exc:
            raise PydanticCustomError(
                "unknown_term", "{value!r} is not a {noun}",
                {"vocabulary": name, "value": value, "noun": vocabulary.noun_en,
                 "suggestions": [t.key for t in exc.suggestions]},
            ) from None
    return Annotated[str, BeforeValidator(resolve)]


District = _vocabulary_field("districts")
Service = _vocabulary_field("services")
CaseType = _vocabulary_field("case_types")
Construction = _vocabulary_field("construction")
Status = _vocabulary_field("status")
Award = _vocabulary_field("award")
MediaKind = _vocabulary_field("media_kind")
MeetingKind = _vocabulary_field("meeting_kind")

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # also what makes an id safe as a file and folder name
SLUG_LENGTH = (2, 80)
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=SLUG_LENGTH[0], max_length=SLUG_LENGTH[1])]


def is_slug(value: str) -> bool:
    return SLUG_LENGTH[0] <= len(value) <= SLUG_LENGTH[1] and re.fullmatch(SLUG_PATTERN, value) is not None
Year = Annotated[int, Field(ge=2014, le=2100)]


# --- shared parts ---------------------------------------------------------------------------

# A generous box around Shanghai's 16 districts (WGS-84): catches swapped or mistyped
# coordinates. Whether a point lies in its *stated* district is a later, map-based check.
SHANGHAI_LAT = (30.60, 31.95)
SHANGHAI_LON = (120.80, 122.30)


class Location(Strict):
    lat: float = Field(description="latitude, WGS-84")
    lon: float = Field(description="longitude, WGS-84")
    approximate: bool = False  # street-level placement, not the building's own position
    note: Text | None = None
    # What the file's numbers are in. Chinese map apps (Amap, Baidu's GCJ mode, Tencent) show
    # GCJ-02, a few hundred metres off WGS-84 in Shanghai; such points are converted on loading,
    # so `lat`/`lon` of a loaded Location are always WGS-84.
    datum: Literal["wgs84", "gcj02"] = "wgs84"

    @model_validator(mode="before")
    @classmethod
    def _to_wgs84(cls, value: Any) -> Any:
        if not isinstance(value, dict) or "datum" not in value:
            return value
        datum = str(value.get("datum") or "").lower().replace("-", "").replace("_", "").replace(" ", "")
        datum = {"wgs84": "wgs84", "gcj02": "gcj02", "gcj": "gcj02", "火星坐标": "gcj02"}.get(datum, value.get("datum"))
        value = {**value, "datum": datum}
        lat, lon = value.get("lat"), value.get("lon")
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon))
        if datum == "gcj02" and numbers:
            from ..geo import gcj02_to_wgs84  # the geo module has no model imports: no cycle
            value["lat"], value["lon"] = gcj02_to_wgs84(float(lat), float(lon))
        return value

    @model_validator(mode="after")
    def _inside_shanghai(self) -> Location:
        inside = SHANGHAI_LAT[0] <= self.lat <= SHANGHAI_LAT[1] and SHANGHAI_LON[0] <= self.lon <= SHANGHAI_LON[1]
        if not inside:
            swapped = SHANGHAI_LAT[0] <= self.lon <= SHANGHAI_LAT[1] and SHANGHAI_LON[0] <= self.lat <= SHANGHAI_LON[1]
            raise PydanticCustomError("outside_shanghai", "({lat}, {lon}) is outside Shanghai",
                                      {"lat": self.lat, "lon": self.lon, "swapped": swapped})
        return self


class Media(Strict):
    """A photo, drawing or model image in the entry's media folder; or a video (a local MP4, or a
    page on a video site). `before`/`after` items with the same `pair` are shown as a comparison."""

    file: str | None = Field(default=None, min_length=1)  # relative to the entry's media folder
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")  # videos only: a page on a video site
    poster: str | None = Field(default=None, min_length=1)  # videos only: an image in the media folder
    kind: MediaKind = "photo"
    pair: Slug | None = None  # before/after: the same key on both photos of one view
    caption: Text | None = None
    alt: Text | None = None
    credit: Text | None = None
    placeholder: bool = False  # generated by the project, not a real photograph

    @model_validator(mode="after")
    def _consistent(self) -> Media:
        if self.kind == "video":
            if bool(self.file) == bool(self.url):
                raise PydanticCustomError("video_source", "a video needs either file or url", {})
            if self.file and not self.file.lower().endswith(".mp4"):
                raise PydanticCustomError("video_format", "a video file must be an MP4", {"value": self.file})
        else:
            if not self.file:
                raise PydanticCustomError("media_file", "an image needs a file", {})
            if self.url or self.poster:
                raise PydanticCustomError("video_only", "url and poster are for videos", {})
        if self.pair and self.kind not in ("before", "after"):
            raise PydanticCustomError("pair_kind", "pair is for before/after photos", {"kind": self.kind})
        return self


class Meeting(Strict):
    """One meeting of the 一图三会 process (consultation before, coordination during, review after)."""

    kind: MeetingKind
    date: DateLike | None = None
    summary: Text | None = None
    participants: int | None = Field(default=None, ge=0)


class SourceRef(Strict):
    """A citation of a document in `documents.yaml`."""

    document: Slug
    section: str | None = None  # e.g. 任务10, 附件2


class Entry(Strict):
    id: Slug
    illustrative: bool = False  # the text goes beyond what the sources say
    sources: list[SourceRef] = []


# --- entry kinds ----------------------------------------------------------------------------

class Case(Entry):
    """An excellent case (优秀案例)."""

    title: Text
    district: District
    street: Text | None = None  # 街道 / 镇
    year: Year  # selection year
    award: Award | None = None
    types: list[CaseType] = Field(min_length=1)
    services: list[Service] = []
    construction: Construction | None = None
    status: Status | None = None
    completed: DateLike | None = None
    floor_area_m2: float | None = Field(default=None, gt=0)
    site_area_m2: float | None = Field(default=None, gt=0)
    location: Location | None = None
    address: Text | None = None
    summary: Text
    body: Text | None = None  # Markdown
    media: list[Media] = []
    participation: list[Meeting] = []

    @field_validator("types", "services")
    @classmethod
    def _no_repeats(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))


class CompetitionSite(Entry):
    """One of the 人民坊 design-competition sites (Annex 2 of the 2024 action plan)."""

    year: Year = 2024
    number: int = Field(ge=1, le=999)  # 序号 as printed
    district: District
    street: Text  # 街道 / 镇
    name: Text  # 项目名称
    construction: Construction
    floor_area_m2: float = Field(gt=0)
    location: Location | None = None
    case: Slug | None = None  # the excellent case the built project became
    summary: Text | None = None
    body: Text | None = None
    media: list[Media] = []


class Milestone(Entry):
    """A dated step of the programme since the concept was first proposed in 2014."""

    date: DateLike
    title: Text
    body: Text | None = None
    documents: list[SourceRef] = []
    media: list[Media] = []


class Page(Entry):
    """A free page such as About; `body` is Markdown."""

    title: Text
    summary: Text | None = None
    body: Text


# --- the glossary ------------------------------------------------------------------------------

class TermNames(Strict):
    """Other spellings of a term that readers write or search for, per language."""

    zh: list[str] = []
    en: list[str] = []


_QUOTES = re.compile("[\u201c\u201d\"\u2018\u2019'\u300c\u300d\u300a\u300b]")


def fold_name(text: str) -> str:
    """A term's name, or a reader's query, as the two are compared: quotation marks
    (“”"" ‘’'' 「」《》) removed, spaces collapsed, trimmed, lower case. The search box folds a
    query the same way (assets/javascripts/search.js `normal`); `check` refuses two terms whose
    names fold alike, since the box could not tell which definition to show."""
    return re.sub(r"\s+", " ", _QUOTES.sub("", text)).strip().lower()


class GlossaryTerm(Entry):
    """A word of the programme (人民坊, 一图三会…), defined in the words of the document that
    defines it. Pages link the term's first use to its definition; search shows the definition
    first when a reader searches the term. `short` is one sentence: the tooltip and the search
    excerpt; `definition` is Markdown, quoted; `related` are other terms' ids; `cases` and `sites`
    the entries that illustrate it."""

    sources: list[SourceRef] = Field(min_length=1)  # the document that defines it
    term: Text
    aliases: TermNames = TermNames()
    short: Text
    definition: Text
    related: list[Slug] = []
    cases: list[Slug] = []
    sites: list[Slug] = []
    order: int = Field(default=100, ge=0, le=9999)  # place on the glossary page (then by id)

    def names(self, lang: Lang | None = None) -> list[str]:
        """Every spelling of the term (in `lang`, or in both languages), the term itself first."""
        out: list[str] = []
        for code in ((lang,) if lang else LANGS):
            own = self.term.zh if code == "zh" else self.term.en
            for name in ([own] if own else []) + list(getattr(self.aliases, code)):
                if name and name not in out:
                    out.append(name)
        return out


# --- exhibitions -----------------------------------------------------------------------------

class ExhibitItem(Strict):
    """One stop of an exhibition: an existing entry by id (`case`, `site` or `milestone`), or one
    of the exhibition's own images (`media`: a file name from its media list). `caption` is the
    curator's words, shown instead of the entry's summary."""

    case: Slug | None = None
    site: Slug | None = None
    milestone: Slug | None = None
    media: str | None = Field(default=None, min_length=1)
    caption: Text | None = None

    @model_validator(mode="after")
    def _one_thing(self) -> ExhibitItem:
        given = [name for name in ("case", "site", "milestone", "media") if getattr(self, name)]
        if len(given) != 1:
            raise PydanticCustomError("exhibit_item", "an item shows exactly one of case, site, milestone or media",
                                      {"given": ", ".join(given)})
        return self

    @property
    def ref(self) -> tuple[str, str]:
        """(content kind, id or file name) of what the item shows."""
        if self.case:
            return "excellent", self.case
        if self.site:
            return "competition", self.site
        if self.milestone:
            return "milestones", self.milestone
        return "media", self.media or ""


class Room(Strict):
    """A room (展厅) of an exhibition: a title, the curator's text (Markdown) and its items, in order."""

    title: Text
    text: Text | None = None
    items: list[ExhibitItem] = Field(min_length=1)


class Exhibition(Entry):
    """A curated walk through entries: rooms in order, each with items in order."""

    title: Text
    subtitle: Text | None = None
    opens: DateLike | None = None  # the physical exhibition, if there is one
    closes: DateLike | None = None
    venue: Text | None = None
    organisers: list[Text] = []
    cover: str | None = Field(default=None, min_length=1)  # a file name from `media`
    introduction: Text  # Markdown
    rooms: list[Room] = Field(min_length=1)
    media: list[Media] = []  # the exhibition's own images: its cover and free items


class Document(Strict):
    id: Slug
    number: str | None = None  # 文号, e.g. 沪规划资源详〔2024〕123号
    title: Text
    issuer: Text | None = None
    date: DateLike | None = None
    note: Text | None = None


class DocumentList(Strict):
    documents: list[Document] = Field(min_length=1)


PLAN_COLUMNS = ("projects", "completed", "renminfang", "renminfang_completed", "liuyiting", "liuyiting_completed")


class PlanFigures(Strict):
    projects: int = Field(ge=0)  # 项目总数
    completed: int = Field(ge=0)  # 年内完成数量
    renminfang: int = Field(ge=0)  # 人民坊 项目数量
    renminfang_completed: int = Field(ge=0)
    liuyiting: int = Field(ge=0)  # 六艺亭 项目数量
    liuyiting_completed: int = Field(ge=0)


class PlanRow(PlanFigures):
    row: int = Field(ge=1)  # 序号 as printed
    district: District


class PlanTable(Entry):
    """A yearly project-plan table such as Annex 1 of the 2024 action plan. Totals are stored as
    printed; the collection compares them with the sum of the rows and reports any difference."""

    year: Year
    title: Text
    rows: list[PlanRow] = Field(min_length=1)
    totals: PlanFigures
    note: Text | None = None
