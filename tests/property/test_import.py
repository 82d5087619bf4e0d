"""The spreadsheet's cells on import: hostile text in every text column of a district's workbook
(cases, competition sites, milestones, photos) either gives problems that name the sheet, cell
and reason in both languages, or entry files that load back with the text as typed (control
characters removed, whitespace stripped). A formula is refused at its cell, never run or imported."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.authoring.sheets import CASES, MEDIA, MILESTONES, SITES
from generator.collection import load_collection

from .pipeline import small_jpeg, write_content
from .profiles import settings_for
from .strategies import Content, expected, hostile_text, shown_text

# what each sheet's row holds besides the drawn texts
FIXED = {
    CASES.title: {"id": "imported-case", "district": "长宁区", "year": 2024, "types": "人民坊"},
    SITES.title: {"id": "imported-site", "year": 2025, "number": 7, "district": "嘉定区", "construction": "新建",
                  "floor_area_m2": 800},
    MILESTONES.title: {"id": "imported-milestone", "date": "2024-04"},
    MEDIA.title: {"entry": "imported-case", "file": "photo.jpg", "kind": "照片"},
}
# cells given by their whole place (a location note needs a point)
FIXED_AT = {CASES.title: {("location", "lat"): 31.2, ("location", "lon"): 121.42},
            SITES.title: {("location", "lat"): 31.3, ("location", "lon"): 121.25}}
ENTRIES = {CASES.title: ("excellent", "imported-case"), SITES.title: ("competition", "imported-site"),
           MILESTONES.title: ("milestones", "imported-milestone")}
SHEETS = (CASES, SITES, MILESTONES, MEDIA)


def text_columns(sheet):
    """(column number, column) of the free-text columns: a Text's zh or en."""
    return [(n, c) for n, c in enumerate(sheet.columns, start=1) if c.kind == "text" and c.loc[-1] in ("zh", "en")
            and not c.vocabulary]


# what XML 1.0 cannot hold, and the carriage return, which Excel escapes too
_EXCEL_ESCAPES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")


def as_excel_writes(text: str) -> str:
    """A cell's text as Excel stores it: what XML cannot hold as _xHHHH_ (a pasted vertical tab
    arrives as _x000B_, a line break from Word as _x000D_)."""
    return _EXCEL_ESCAPES.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


@st.composite
def workbooks(draw) -> dict:
    """{sheet title: {column number: (text, as a formula?)}}"""
    cells = {}
    for sheet in SHEETS:
        row = {}
        for number, column in text_columns(sheet):
            text = draw(shown_text if column.loc[-1] == "zh" else hostile_text)
            text = text.replace("_x", "_y")  # a literal _xHHHH_ is Excel's own escape (see as_excel_writes)
            if text.startswith(("示例", "Example")):  # an example row, which the import leaves out
                text = "·" + text
            formula = text.startswith("=") and draw(st.booleans())  # typed as a formula, or as text ('=…)
            row[number] = (text, formula)
        cells[sheet.title] = row
    return cells


def write_workbook(path: Path, cells: dict) -> set[tuple[str, int]]:
    """Write the workbook; returns the (sheet, column) of the cells stored as formulas."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    formulas = set()
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.title)
        fixed = FIXED[sheet.title]
        for number, column in enumerate(sheet.columns, start=1):
            ws.cell(row=1, column=number, value=column.header)
            key = column.loc[0]
            if number in cells[sheet.title]:
                text, formula = cells[sheet.title][number]
                cell = ws.cell(row=2, column=number)
                cell.value = as_excel_writes(text)
                if not formula:
                    cell.data_type = "s"  # typed as text: '=1+1 in Excel
                if cell.data_type == "f":  # (a lone "=" stays text)
                    formulas.add((sheet.title, number))
            elif column.loc in FIXED_AT.get(sheet.title, {}):
                ws.cell(row=2, column=number, value=FIXED_AT[sheet.title][column.loc])
            elif key in fixed and column.loc[-1] != "+" and key != "location" or (column.loc == ("types", "+") and number == 9):
                ws.cell(row=2, column=number, value=fixed.get(key))
    book.save(path)
    return formulas


def check_import(root: Path, image: Path, cells: dict) -> None:
    from generator.authoring.importer import apply_changes, plan_import

    content = write_content(root, Content.plain().yaml_texts(), image)
    collection, diagnostics = load_collection(content, display_root=root)
    assert collection is not None, [d.format("en") for d in diagnostics.errors]
    media = root / "photos"
    small_jpeg(media / "photo.jpg")
    workbook = root / "districts.xlsx"
    formulas = write_workbook(workbook, cells)
    result = plan_import(workbook, collection, content, media)  # never raises
    for problem in result.problems + result.warnings:
        for lang in ("zh", "en"):
            assert problem.format(lang)
        assert problem.sheet in cells and problem.row == 2 and problem.message.zh and problem.message.en
    refused = {(p.sheet, p.letter) for p in result.problems}
    from openpyxl.utils import get_column_letter

    for sheet, number in formulas:
        assert (sheet, get_column_letter(number)) in refused, f"a formula was not refused: {sheet}!{get_column_letter(number)}2"
    if formulas:
        assert result.problems and not result.changes, "nothing is written while a row has a problem"
        return
    assert not result.problems, [p.format("en") for p in result.problems]
    apply_changes(result.changes)
    collection, diagnostics = load_collection(content, display_root=root)
    assert collection is not None, [d.format("en") for d in diagnostics.errors]
    for sheet in SHEETS:
        owner = ENTRIES.get(sheet.title, ("excellent", "imported-case"))
        entry = collection.entry(*owner)
        assert entry is not None, owner
        if sheet is MEDIA:
            entry = entry.media[0]
        for number, column in text_columns(sheet):
            text, _formula = cells[sheet.title][number]
            *path, lang = column.loc
            value = entry
            for field in path:  # title, or location then note
                value = getattr(value, field, None)
            want = expected(text)
            got = None if value is None else (value.zh if lang == "zh" else value.en)
            assert got == want, f"{sheet.title} {column.zh}: {got!r:.200} where {want!r:.200} was typed"


@settings_for(25, slow=True)
@given(cells=workbooks())
def test_hostile_cells_import_as_text_or_are_refused_at_their_cell(tmp_path_factory, cells):
    root = tmp_path_factory.mktemp("import")
    image = root / "image.jpg"
    small_jpeg(image)
    check_import(root, image, cells)
