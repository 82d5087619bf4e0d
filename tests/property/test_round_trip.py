"""The workbook round trip is a no-op (issue 14, finding 7): entries written as staff write them
(any accepted spelling of a district, award, type, service, status or construction; a date as a
year, year-month or full date, Chinese or ISO, plain or quoted; defaults written out or left out)
are exported to entries.xlsx and imported back with --update, and not a byte of any file changes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.content.reference import reference
from tests.helpers import ROOT

from .profiles import settings_for

CASE = "excellent/changning-beixinjing-eke.yaml"
SITE = "competition/2024-07-jiangwan.yaml"
MILESTONE = "milestones/2023-05-19-chongming-action-plan.yaml"


def quoted(draw, text: str) -> str:
    """`text` as YAML that reads back as that text: plain where PyYAML reads it as text, else quoted."""
    import yaml

    plain_ok = re.fullmatch(r"[^\s:#'\"{}\[\],&*!|>%@`-][^:#{}\[\],]*", text) and not text.endswith(" ") \
        and yaml.safe_load(f"x: {text}") == {"x": text}
    style = draw(st.sampled_from(["plain", "single", "double"])) if plain_ok else "double"
    if style == "plain":
        return text
    if style == "single" and "'" not in text:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def spelling(draw, vocabulary: str, key: str | None = None) -> str:
    terms = list(getattr(reference(), vocabulary))
    term = next(t for t in terms if t.key == key) if key else draw(st.sampled_from(terms))
    return draw(st.sampled_from([s for s in (term.key, term.zh, term.en, term.short, *term.aliases) if s]))


def date_text(draw) -> str:
    day = draw(st.dates(dt.date(2014, 1, 1), dt.date(2030, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    forms = {"year": [f"{day.year}", f"{day.year}年"],
             "month": [f"{day.year}-{day.month:02d}", f"{day.year}-{day.month}", f"{day.year}/{day.month}", f"{day.year}年{day.month}月"],
             "day": [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日"]}[precision]
    text = draw(st.sampled_from(forms))
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text) and draw(st.booleans()):
        return text  # plain: a number or a date to YAML, which the loader takes as the same
    return quoted(draw, text)


@st.composite
def spellings(draw) -> dict[str, str]:
    """{file: its new text}: the three entries with every closed-list value and date redrawn."""
    texts = {name: (ROOT / "cases" / name).read_text(encoding="utf-8") for name in (CASE, SITE, MILESTONE)}
    case = texts[CASE]
    case = case.replace("district: changning\n", f"district: {quoted(draw, spelling(draw, 'districts', 'changning'))}\n", 1)
    case = case.replace("types: [digital-service]\n", "types: [{}]\n".format(", ".join(
        quoted(draw, spelling(draw, "case_types")) for _ in range(draw(st.integers(1, 2))))), 1)
    case = case.replace("services: [smart]\n", "services: [{}]\n".format(", ".join(
        quoted(draw, spelling(draw, "services")) for _ in range(draw(st.integers(0, 3))))), 1)
    case = case.replace("status: in-operation\n", f"status: {quoted(draw, spelling(draw, 'status'))}\n", 1)
    extra = []
    if draw(st.booleans()):
        extra.append(f"award: {quoted(draw, spelling(draw, 'award'))}")
    if draw(st.booleans()):
        extra.append(f"construction: {quoted(draw, spelling(draw, 'construction'))}")
    if draw(st.booleans()):
        extra.append(f"completed: {date_text(draw)}")
    if draw(st.booleans()):
        extra.append(f"site_area_m2: {draw(st.sampled_from(['1200', '1200.0', '1.2e3', '980.5']))}")
    case = case.replace("year: 2024\n", "year: 2024\n" + "".join(line + "\n" for line in extra), 1)
    case = case.replace("  approximate: true\n", f"  approximate: {draw(st.sampled_from(['true', 'yes', 'True', 'on']))}\n", 1)
    site = texts[SITE].replace("district: hongkou  # 虹口区\n",
                               f"district: {quoted(draw, spelling(draw, 'districts', 'hongkou'))}  # 虹口区\n", 1)
    site = site.replace("construction: new  # 新建\n", f"construction: {quoted(draw, spelling(draw, 'construction', 'new'))}\n", 1)
    site = site.replace("number: 7\n", "number: 7\n" + draw(st.sampled_from(["", "illustrative: false\n", "illustrative: no\n"])), 1)
    site = site.replace("  approximate: true\n", "  approximate: true\n" + draw(st.sampled_from(["", "  datum: wgs84\n", "  datum: WGS-84\n"])), 1)
    milestone = texts[MILESTONE].replace("date: 2023-05-19\n", f"date: {date_text(draw)}\n", 1)
    return {CASE: case, SITE: site, MILESTONE: milestone}


@settings_for(15)
@given(files=spellings())
def test_importing_the_exported_workbook_changes_no_byte(tmp_path_factory, files):
    from generator.authoring.importer import apply_changes, plan_import
    from generator.collection import load_collection
    from generator.export import ExportJob, Selection, select_cases
    from generator.export.data import write_xlsx

    root = tmp_path_factory.mktemp("round-trip")
    content = root / "cases"
    shutil.copytree(ROOT / "cases", content)
    for name, text in files.items():
        (content / name).write_text(text, encoding="utf-8")
    collection, diagnostics = load_collection(content, display_root=root)
    assert collection is not None, [d.format("en") for d in diagnostics.errors]
    before = {path: path.read_bytes() for path in sorted(content.rglob("*")) if path.is_file()}
    job = ExportJob(collection, select_cases(collection, Selection()), "both", selection=Selection())
    workbook = write_xlsx(job, root / "entries.xlsx")
    result = plan_import(workbook, collection, content, None, update=True)
    assert not result.problems, [p.format("en") for p in result.problems]
    proposed = "".join(c.diff(c.path.name) for c in result.changes if c.text != c.old_text)
    assert not proposed, proposed[:3000]
    apply_changes(result.changes)
    rewritten = [path.relative_to(content).as_posix() for path, data in before.items() if path.read_bytes() != data]
    assert not rewritten, rewritten
