"""Import a filled submission workbook: rows -> checked entries -> new or updated YAML files.

Reading order: every row of every sheet is turned into entry data and validated with the same
models as the build; problems name sheet, row and column (案例!F7 区). Only when nothing is wrong
(or the caller skips invalid rows) is a plan of changes made, which can be shown (dry run) or
applied. Existing entries change only with `update`, and only in the cells that were filled.
"""

from __future__ import annotations

import copy

import datetime as dt
import difflib
import math
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from PIL import Image

from ..collection import ENTRY_KINDS, Collection
from ..content.clean import clean_text, visible
from ..content.models import Media, parse_partial_date
from ..content.validate import validate_entry
from ..diagnostics import Bilingual, format_path
from ..load import SourceFile
from . import yamledit
from .scaffold import KIND_FOLDERS, case_id, milestone_id, site_id
from .sheets import ENTRY_SHEETS, EXPORT_ONLY_COLUMNS, LIST_SEPARATORS, MEDIA, NO, TRUNCATED_MARK, YES, Column, Sheet

MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
_KIND_OF_FOLDER = {v: k for k, v in KIND_FOLDERS.items()}


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int
    column: Column | None
    letter: str | None
    message: Bilingual
    hint: Bilingual | None = None

    def format(self, lang: str) -> str:
        place = f"{self.sheet}!{self.letter}{self.row}" if self.letter else f"{self.sheet}!{self.row}"
        header = (self.column.zh if lang == "zh" else self.column.en) if self.column else ("第 %d 行" % self.row if lang == "zh" else f"row {self.row}")
        text = self.message.get(lang)
        if self.hint:
            text += ("；" if lang == "zh" else "; ") + self.hint.get(lang)
        # a quoted cell may hold an ESC or another control character: shown, never sent to the terminal
        return visible(f"{place} {header}: {text}")


@dataclass
class Row:
    sheet: Sheet
    number: int  # row number in the workbook
    data: dict[str, Any]
    cells: dict[str, tuple[Column, str]]  # formatted field path -> (column, letter)
    filled: list[tuple[tuple, Any]] = field(default_factory=list)  # (loc, value) of every filled cell
    entry_id: str | None = None
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # letters of cells already reported (a formula…)
    entry: Any = None  # the validated entry (for an update: the existing entry with the row applied)

    def problem(self, field_path: str | None, zh: str, en: str, hint: Bilingual | None = None) -> None:
        column, letter = self.cell_for(field_path)
        self.problems.append(RowProblem(self.sheet.title, self.number, column, letter, Bilingual(zh, en), hint))

    def cell_for(self, field_path: str | None) -> tuple[Column | None, str | None]:
        if not field_path:
            return None, None
        if field_path in self.cells:
            return self.cells[field_path]
        # "title" (missing) -> the title.zh column; "types[2]" -> that item's column
        for path, found in self.cells.items():
            if path.startswith(field_path + ".") or path.startswith(field_path + "["):
                return found
        for column_index, column in enumerate(self.sheet.columns, start=1):
            if format_path(tuple(p for p in column.loc if p != "+")) in (field_path, field_path.split("[")[0]):
                return column, get_column_letter(column_index)
            if ".".join(p for p in column.loc if p != "+").startswith(field_path.split("[")[0]):
                return column, get_column_letter(column_index)
        return None, None


@dataclass
class Change:
    action: str  # create | update
    kind: str  # content folder
    entry_id: str
    path: Path
    text: str  # the file's new content
    old_text: str = ""
    media: list[tuple[Path, Path]] = field(default_factory=list)  # (from, to)
    rows: list[str] = field(default_factory=list)  # where it came from, e.g. 案例!7

    def diff(self, shown: str) -> str:
        return "".join(difflib.unified_diff(self.old_text.splitlines(True), self.text.splitlines(True),
                                            fromfile=shown, tofile=shown))


@dataclass
class ImportResult:
    rows: list[Row]
    problems: list[RowProblem]
    changes: list[Change]
    skipped: list[Row]
    unknown_headers: list[tuple[str, str]]
    example_rows: list[Row]
    warnings: list[RowProblem] = field(default_factory=list)  # nothing stops the import (control characters removed)


class WorkbookError(Exception):
    def __init__(self, message: Bilingual):
        self.message = message
        super().__init__(message.en)


# --- reading -------------------------------------------------------------------------------

def _header_key(text: Any) -> str:
    return re.sub(r"[\s*＊]+", "", str(text or "")).casefold()


_EXPORT_ONLY = {_header_key(name) for pair in EXPORT_ONLY_COLUMNS for name in pair}


def _match_columns(sheet: Sheet, headers: list[Any]) -> tuple[dict[int, Column], list[str]]:
    """Columns are found by their header (either language), not position: districts insert,
    hide and reorder columns."""
    known: dict[str, Column] = {}
    for column in sheet.columns:
        for spelling in (column.zh, column.en, column.zh + column.en, column.header):
            known.setdefault(_header_key(spelling), column)
    found, unknown = {}, []
    for index, header in enumerate(headers, start=1):
        if header in (None, ""):
            continue
        lines = [line for line in str(header).splitlines() if line.strip()]
        if any(_header_key(line) in _EXPORT_ONLY for line in lines):
            continue
        column = known.get(_header_key(header)) or next((known[k] for k in map(_header_key, lines) if k in known), None)
        if column is None:
            unknown.append(str(header).replace("\n", " "))
        else:
            found[index] = column
    return found, unknown


def _cell_value(column: Column, value: Any) -> Any:
    """A cell as the model expects it. Excel stores 2024 as 2024.0 and dates as datetimes; a cell
    of the wrong type (a date in a number column, TRUE in a text column) becomes text or stays as
    it is, for the model to report. Never raises."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return None
    if isinstance(value, bool) and column.kind != "bool":
        return "TRUE" if value else "FALSE"  # as Excel shows a logical value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    if column.kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if column.kind == "date" and isinstance(value, (dt.datetime, dt.date)):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.isoformat()
    if column.kind == "date" and isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)  # 2014 typed as a number
    if column.kind == "bool":
        text = str(value).strip().casefold()
        if text in (YES, "yes", "y", "true", "1", "√", "是的"):
            return True
        if text in (NO, "no", "n", "false", "0", "×", "不是"):
            return False
        return value  # the model reports it
    if column.kind == "number" and isinstance(value, str):
        cleaned = value.replace(",", "").replace("，", "")
        try:
            number = float(cleaned)
        except ValueError:
            return value
        return number if math.isfinite(number) else value  # "inf", "nan", "1e999": the model says "not a number"
    if column.kind == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    if column.kind == "text" and not isinstance(value, str):
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date().isoformat()  # a text cell that Excel took for a date
        if isinstance(value, (dt.datetime, dt.date)):
            return value.isoformat()
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return value


def _put(data: dict, loc: tuple, value: Any) -> tuple:
    """Place one cell's value; returns the loc it ended up at (list items get their index)."""
    node = data
    for part in loc[:-1]:
        if loc[-1] == "+" and part == loc[-2]:
            break
        node = node.setdefault(part, {})
    if loc[-1] == "+":
        items = node.setdefault(loc[-2], [])
        parts = [p.strip() for p in re.split(LIST_SEPARATORS, value)] if isinstance(value, str) else [value]
        placed = []
        for part in parts:
            if part:
                items.append(part)
                placed.append(loc[:-1] + (len(items) - 1,))
        return tuple(placed)
    node[loc[-1]] = value
    return (loc,)


# Excel writes a character that XML cannot carry as _xHHHH_ (a line break pasted from Word arrives
# as _x000D_, a vertical tab as _x000B_), and openpyxl hands these on as they are. The escapes of
# such characters are turned back into them, so that clean_text removes them (with a warning) or
# makes them the line breaks they were; other _xHHHH_ text is left as written.
_XML_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f]|007[Ff]|00[89][0-9A-Fa-f]|[Dd][89A-Fa-f][0-9A-Fa-f]{2}|[Ff]{3}[EeFf])_")


def _unescape(text: str) -> str:
    return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


_FORMULA_HINT = Bilingual("请把这一列复制后“选择性粘贴 → 数值”，只留下结果的文字或数字，再导入",
                          "copy the column and use Paste Special → Values so the cell keeps the result, then import again")


def _refused_cell(value: Any, data_type: str) -> Bilingual | None:
    """Why a cell cannot be taken as it is, or None. A formula is neither evaluated nor imported as
    its text: what it would show depends on other cells (or on nothing, in a file written by a
    program that saves no results), and a formula in a district's file may well not be theirs."""
    if data_type == "f":
        formula = value if isinstance(value, str) else getattr(value, "text", None) or "="
        shown = formula if len(formula) <= 60 else formula[:57] + "…"
        return Bilingual(f"单元格里是公式（{shown}），不会导入公式，也不会计算它", f"the cell holds a formula ({shown}); formulas are neither imported nor calculated")
    if data_type == "e":
        return Bilingual(f"单元格显示错误值 {value}", f"the cell shows the error value {value}")
    if isinstance(value, str) and value.rstrip().endswith(TRUNCATED_MARK):
        return Bilingual("这段文字在导出时因超过 Excel 单元格长度上限被截断，不完整",
                         "this text was cut short by the export (over Excel's cell limit) and is incomplete")
    return None


def _refusal_hint(data_type: str) -> Bilingual:
    if data_type in ("f", "e"):
        return _FORMULA_HINT
    return Bilingual("请清空这个单元格（空单元格不修改条目），需要修改时请直接编辑条目文件",
                     "clear the cell (an empty cell leaves the entry as it is) and edit the entry file instead")


def read_workbook(path: Path) -> tuple[list[Row], list[tuple[str, str]]]:
    if path.stat().st_size > MAX_WORKBOOK_BYTES:
        raise WorkbookError(Bilingual(f"文件太大（超过 {MAX_WORKBOOK_BYTES // 2**20} MB）", f"the file is too large (over {MAX_WORKBOOK_BYTES // 2**20} MB)"))
    try:
        # formulas as formulas (data_only=False), so that they can be refused rather than read as
        # whatever result the program that saved the file cached, or as nothing
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError(Bilingual(f"无法作为 Excel 工作簿打开（{type(exc).__name__}）；请另存为 .xlsx 格式",
                                      f"cannot open it as an Excel workbook ({type(exc).__name__}); save it as .xlsx")) from None
    try:
        return _read_rows(book)
    finally:
        book.close()


def _read_rows(book) -> tuple[list[Row], list[tuple[str, str]]]:
    rows: list[Row] = []
    unknown: list[tuple[str, str]] = []
    present = [s for s in (*ENTRY_SHEETS, MEDIA) if s.title in book.sheetnames]
    if not present:
        names = "、".join(s.title for s in (*ENTRY_SHEETS, MEDIA))
        raise WorkbookError(Bilingual(f"工作簿里没有可导入的工作表（应为：{names}）；请使用 showcase template xlsx 生成的模板",
                                      f"the workbook has no sheet to import (expected: {names}); use the template from `showcase template xlsx`"))
    for spec in present:
        try:
            cells_of = [[(cell.value, cell.data_type) for cell in found] for found in book[spec.title].iter_rows()]
        except Exception as exc:  # a damaged or hand-made file: a number of 5,000 digits, a broken XML part…
            raise WorkbookError(Bilingual(f"无法读取工作表“{spec.title}”（{type(exc).__name__}）；请在 Excel 中打开后另存为 .xlsx 再导入",
                                          f"cannot read the sheet '{spec.title}' ({type(exc).__name__}); open it in Excel, save it as .xlsx and import again")) from None
        if not cells_of:
            continue
        headers = [clean_text(v)[0] if isinstance(v, str) else (None if t == "f" else v) for v, t in cells_of[0]]
        columns, unknown_here = _match_columns(spec, headers)
        unknown += [(spec.title, h) for h in unknown_here]
        for number, cells in enumerate(cells_of[1:], start=2):
            if not any(v is not None and str(v).strip() for v, _t in cells):
                continue
            row = Row(spec, number, {}, {})
            for index, column in columns.items():
                raw, data_type = cells[index - 1] if index - 1 < len(cells) else (None, "n")
                letter = get_column_letter(index)
                refused = _refused_cell(raw, data_type)
                if refused is not None:
                    row.problems.append(RowProblem(spec.title, number, column, letter, refused, _refusal_hint(data_type)))
                    row.refused.add(letter)
                    continue
                if isinstance(raw, str):
                    raw, removed = clean_text(_unescape(raw))
                    if removed:
                        names = ", ".join(removed)
                        row.warnings.append(RowProblem(
                            spec.title, number, column, letter,
                            Bilingual(f"已去掉看不见的控制字符 {names}", f"invisible control characters were removed: {names}"),
                            Bilingual("这类字符常随从 Word、微信或 PDF 复制的文字带入；导入的条目不含它们",
                                      "they often come with text copied from Word, WeChat or a PDF; the imported entry leaves them out")))
                value = _cell_value(column, raw)
                if value is None:
                    continue
                for placed in _put(row.data, column.loc, value):
                    row.cells[format_path(placed)] = (column, letter)
                row.filled.append((column.loc, value))
            rows.append(row)
    return rows, unknown


# --- checking ------------------------------------------------------------------------------

def _derive_id(row: Row) -> str | None:
    data = row.data
    given = data.get("id")
    if isinstance(given, str) and given:
        return given
    try:
        if row.sheet.kind == "excellent":
            from ..content.reference import reference
            district = reference().districts.resolve(data.get("district"))
            return case_id(data["title"]["zh"], district)
        if row.sheet.kind == "competition":
            return site_id(int(data["year"]), int(data["number"]), data["street"]["zh"])
        if row.sheet.kind == "milestones":
            return milestone_id(parse_partial_date(data["date"]).iso(), data["title"]["zh"])
    except Exception:  # the missing or invalid value is reported by validation
        return None
    return None


def _validate_row(row: Row, base: dict | None = None, existing: Any = None) -> Any:
    """Validate the row (merged onto an existing entry's data for updates) with the build's models;
    turn each problem into a cell reference."""
    model = ENTRY_KINDS[row.sheet.kind]
    data = dict(row.data)
    data["id"] = row.entry_id or data.get("id") or "x-missing"
    if base is not None:
        data = _merged(base, row, existing)
    source = SourceFile(path=Path(row.sheet.title), display=row.sheet.title, data=data)
    entry, problems = validate_entry(source, model)
    row.entry = entry
    for problem in problems:
        column, letter = row.cell_for(problem.field)
        if letter in row.refused:
            continue  # already reported: the cell holds a formula, an error value…
        row.problems.append(RowProblem(row.sheet.title, row.number, column, letter, problem.message, problem.hint))
    return entry


def _coordinates_without_datum(row: Row, existing: Any) -> dict[str, float] | None:
    """A row that gives a coordinate but no datum gives WGS-84 (the workbook's default, and what
    the export writes). When the entry's file holds its point in another datum (`datum: gcj02`),
    the point is then stored in WGS-84 as a whole: the row's coordinates, the rest from the entry
    as the build reads it (already WGS-84). None when there is nothing to convert."""
    filled = {loc[1] for loc, _v in row.filled if loc[:1] == ("location",) and len(loc) == 2}
    location = getattr(existing, "location", None)
    if not filled & {"lat", "lon"} or "datum" in filled or location is None or location.datum == "wgs84":
        return None
    source = row.data.get("location") or {}
    return {name: source.get(name, getattr(location, name)) for name in ("lat", "lon")}


def _merged(base: dict, row: Row, existing: Any = None) -> dict:
    """The existing entry with the row's filled cells applied (what --update would write)."""
    import copy
    data = copy.deepcopy(base)
    point = _coordinates_without_datum(row, existing)
    if point is not None and isinstance(data.get("location"), dict) and "datum" in data["location"]:
        data["location"].pop("datum")
        data["location"].update(point)
    lists_seen: set[str] = set()
    for loc, value in row.filled:
        if loc[-1] == "+":
            name = loc[-2]
            if name not in lists_seen:
                data[name] = []
                lists_seen.add(name)
            _put(data, loc, value)
            continue
        node = data
        for part in loc[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {"zh": node[part]} if isinstance(node.get(part), str) and loc[-1] in ("zh", "en") else {}
            node = node[part]
        node[loc[-1]] = value
    return data


def plan_import(workbook: Path, collection: Collection, content_dir: Path, media_dir: Path | None,
                update: bool = False, skip_invalid: bool = False) -> ImportResult:
    rows, unknown = read_workbook(workbook)
    entry_rows = [r for r in rows if r.sheet.kind != "media"]
    media_rows = [r for r in rows if r.sheet.kind == "media"]
    existing_docs: dict[tuple[str, str], Any] = {}

    seen: dict[tuple[str, str], Row] = {}
    for row in entry_rows:
        row.entry_id = _derive_id(row)
        key = (row.sheet.kind, row.entry_id or "")
        exists = row.entry_id is not None and row.entry_id in collection.table(row.sheet.kind)
        base = None
        if exists:
            if not update:
                row.problem("id", f"条目“{row.entry_id}”已存在", f"the entry '{row.entry_id}' already exists",
                            Bilingual("要修改它请加 --update；要新建请换一个编号", "add --update to change it, or give a new id"))
            else:
                path = collection.sources[(row.sheet.kind, row.entry_id)].path
                existing_docs[key] = yamledit.load(path)
                # validated as the build will read it (PyYAML, YAML 1.1), not as the round-trip
                # editor does (YAML 1.2: `section: 1e5` is a number there, text to the build)
                base = copy.deepcopy(collection.sources[(row.sheet.kind, row.entry_id)].data)
        _validate_row(row, base, collection.table(row.sheet.kind).get(row.entry_id) if base is not None else None)
        if row.entry_id and key in seen:
            row.problem("id", f"与第 {seen[key].number} 行的编号相同（{row.entry_id}）",
                        f"same id as row {seen[key].number} ({row.entry_id})",
                        Bilingual("每行一个条目；如是不同条目请填写不同的编号", "one entry per row; give different entries different ids"))
        elif row.entry_id:
            seen[key] = row

    imported_ids = {r.entry_id for r in entry_rows if r.sheet.kind == "excellent" and r.entry_id}
    for row in entry_rows:
        case = row.data.get("case")
        if row.sheet.kind == "competition" and case and case not in collection.cases and case not in imported_ids:
            close = difflib.get_close_matches(str(case), [*collection.cases, *imported_ids], n=1, cutoff=0.5)
            row.problem("case", f"没有编号为“{case}”的案例", f"there is no case with the id '{case}'",
                        Bilingual(f"您是不是要写 {close[0]}？", f"did you mean '{close[0]}'?") if close else None)

    # media rows: which entry, which file
    by_name: dict[str, tuple[str, str]] = {}
    for kind in ("excellent", "competition", "milestones"):
        for entry_id, entry in collection.table(kind).items():
            title = getattr(entry, "title", None) or getattr(entry, "name", None)
            by_name[entry_id] = (kind, entry_id)
            if title is not None:
                by_name.setdefault(title.zh, (kind, entry_id))
    for row in entry_rows:
        if row.entry_id:
            by_name[row.entry_id] = (row.sheet.kind, row.entry_id)
            title = row.data.get("title") or row.data.get("name")
            if isinstance(title, dict) and title.get("zh"):
                by_name[title["zh"]] = (row.sheet.kind, row.entry_id)
    for row in entry_rows:  # a row with errors and no id yet: its photos are skipped with it, saying so
        title = row.data.get("title") or row.data.get("name")
        if row.problems and not row.entry_id and isinstance(title, dict) and isinstance(title.get("zh"), str):
            by_name.setdefault(title["zh"], (row.sheet.kind, f"#{row.number}"))
    media_for: dict[tuple[str, str], list[tuple[Row, dict, Path]]] = {}
    for row in media_rows:
        ref = str(row.data.get("entry") or "")
        target = by_name.get(ref)
        if not target:
            close = difflib.get_close_matches(ref, list(by_name), n=1, cutoff=0.5)
            row.problem("entry", f"找不到条目“{ref}”", f"no entry called '{ref}'",
                        Bilingual(f"您是不是要写 {close[0]}？", f"did you mean '{close[0]}'?") if close else
                        Bilingual("填写条目的编号或中文名称", "write the entry's id or Chinese title"))
        item = {k: v for k, v in row.data.items() if k != "entry"}
        item.setdefault("kind", "photo")
        source = SourceFile(path=Path(row.sheet.title), display=row.sheet.title, data=item)
        _model, problems = validate_entry(source, Media)
        for problem in problems:
            column, letter = row.cell_for(problem.field)
            if letter in row.refused:
                continue
            row.problems.append(RowProblem(row.sheet.title, row.number, column, letter, problem.message, problem.hint))
        name = str(item.get("file") or "")
        original = _find_media(name, media_dir) if name else None
        if name and Path(name).name != name:
            row.problem("file", f"“{name}”应只写文件名，不含文件夹", f"'{name}' should be a file name without folders")
        elif name and original is None:
            where = str(media_dir) if media_dir else "--media"
            row.problem("file", f"在 {where} 中找不到文件“{name}”", f"the file '{name}' is not in {where}",
                        Bilingual("用 --media 指明照片所在的文件夹，并核对文件名", "name the photo folder with --media and check the file name"))
        elif original is not None:
            problem = _image_problem(original)
            if problem:
                row.problem("file", f"“{name}”不是可用的图片：{problem}", f"'{name}' is not a usable image: {problem}",
                            Bilingual("请提供 JPEG、PNG 或 WebP 格式的完整图片", "provide a complete JPEG, PNG or WebP image"))
        if target and original is not None:
            media_for.setdefault(target, []).append((row, item, original))

    problems = [p for r in rows for p in r.problems]
    invalid = [r for r in rows if r.problems]
    result = ImportResult(rows, problems, [], [], unknown, [r for r in rows if _is_example(r)],
                          [w for r in rows for w in r.warnings])
    if invalid and not skip_invalid:
        return result
    result.skipped = invalid
    bad_entries = {(r.sheet.kind, r.entry_id or f"#{r.number}"): r for r in invalid if r.sheet.kind != "media"}
    for key, items in media_for.items():  # a photo of a skipped entry is skipped with it, and said so
        if key in bad_entries:
            for m_row, *_ in items:
                if m_row not in invalid:
                    where = f"{bad_entries[key].sheet.title}!{bad_entries[key].number}"
                    m_row.problem("entry", f"条目所在的行 {where} 有错误，已跳过，这张照片也跳过",
                                  f"the entry's row {where} has errors and was skipped, and this photo with it")
                    result.problems.append(m_row.problems[-1])
                    result.skipped.append(m_row)
    for row in entry_rows:
        if row in invalid:
            continue
        key = (row.sheet.kind, row.entry_id)
        media = [(m_row, item, original) for m_row, item, original in media_for.get(key, []) if m_row not in invalid]
        result.changes.append(_change_for(row, collection, content_dir, existing_docs.get(key), media))
    # media for entries not in the workbook (photos added to an existing entry)
    for key, items in media_for.items():
        if key in bad_entries or any((r.sheet.kind, r.entry_id) == key for r in entry_rows):
            continue
        items = [(m_row, item, original) for m_row, item, original in items if m_row not in invalid]
        if not items:
            continue
        if not update:
            for m_row, *_ in items:
                m_row.problem("entry", f"条目“{key[1]}”已存在，添加照片需加 --update",
                              f"the entry '{key[1]}' exists; adding photos to it needs --update")
                result.problems.append(m_row.problems[-1])
                if skip_invalid:
                    result.skipped.append(m_row)
            continue
        source = collection.sources[key]
        document = yamledit.load(source.path)
        result.changes.append(_media_only_change(key, source.path, document, items))
    return result


def _is_example(row: Row) -> bool:
    texts = [v for _, v in row.filled if isinstance(v, str)]
    return any(t.startswith(("示例", "Example")) for t in texts)


def _find_media(name: str, media_dir: Path | None) -> Path | None:
    """The file `name` directly in `media_dir`: a bare file name only (never a path that leads
    elsewhere, nor a probe of whether it exists), and no link."""
    if media_dir is None or not name or Path(name).name != name or name in (".", ".."):
        return None
    candidate = (media_dir / name)
    try:
        if candidate.is_file() and not candidate.is_symlink():
            return candidate
    except (OSError, ValueError):  # a name too long for the file system, a NUL…
        return None
    return None


def _image_problem(path: Path) -> str | None:
    try:
        with Image.open(path) as image:
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a damaged or hostile file
        return visible(str(exc) or type(exc).__name__)[:200]
    return None


ENTRY_ORDER = {  # key order of a new file: as the scaffolds list them
    "excellent": ["id", "illustrative", "title", "district", "street", "year", "award", "types", "services",
                  "construction", "status", "completed", "floor_area_m2", "site_area_m2", "location", "address",
                  "summary", "body", "media", "participation", "sources"],
    "competition": ["id", "illustrative", "year", "number", "district", "street", "name", "construction",
                    "floor_area_m2", "location", "case", "summary", "body", "media", "sources"],
    "milestones": ["id", "illustrative", "date", "title", "body", "documents", "media", "sources"],
}


def _simplify_text(value: Any) -> Any:
    """{zh: x} -> x: a Chinese-only text reads best as a plain line."""
    if isinstance(value, dict) and set(value) == {"zh"}:
        return value["zh"]
    return value


def _media_item(item: dict) -> dict:
    from ..content.reference import reference
    out = {k: _simplify_text(v) for k, v in item.items()}
    out["kind"] = reference().media_kind.resolve(out.get("kind", "photo"))
    return out


def _media_items(items: list[tuple[Row, dict, Path]]) -> list[dict]:
    return [_media_item(item) for _row, item, _original in items]


def _change_for(row: Row, collection: Collection, content_dir: Path, document: Any,
                media: list[tuple[Row, dict, Path]]) -> Change:
    kind = row.sheet.kind
    folder = content_dir / kind
    origin = f"{row.sheet.title}!{row.number}"
    if document is None:  # a new entry
        data = dict(row.data)
        data["id"] = row.entry_id
        if kind == "excellent":
            data.setdefault("types", [])
        data = _canonical(data)
        ordered = {k: _simplify_text(data[k]) for k in ENTRY_ORDER[kind] if k in data}
        if media:
            ordered["media"] = _media_items(media)
        document = yamledit.plain(ordered)
        header = (f"由 showcase import 从工作表 {origin} 导入 / imported by `showcase import` from sheet {origin}\n"
                  "运行 showcase check 检查 / run `showcase check` to check it")
        document.yaml_set_start_comment(header)
        path = folder / f"{row.entry_id}.yaml"
        return Change("create", kind, row.entry_id, path, yamledit.dumps(document),
                      media=[(original, path.with_suffix("") / item["file"]) for _r, item, original in media], rows=[origin])
    path = collection.sources[(kind, row.entry_id)].path
    old_text = path.read_text(encoding="utf-8")
    existing = collection.table(kind)[row.entry_id]
    changed = False
    # A cell changes the file only where the entry, as the build reads it, would change: a cell
    # that means what the file already says (区级优秀案例 where the file has `award: 区级`, the
    # date 2014 where it has `date: 2014`, 否 where `illustrative` is left out, a text that differs
    # only in the spaces the build strips) leaves the file's own spelling, quoting and layout.
    # Importing an exported workbook therefore changes nothing.
    point = _coordinates_without_datum(row, existing)
    if point is not None and not all(_same(existing, row.entry, ("location", name)) for name in ("lat", "lon")):
        for name in ("lat", "lon"):
            yamledit.set_value(document, ("location", name), point[name])
        location = yamledit.get(document, ("location",))
        if isinstance(location, dict) and "datum" in location:
            del location["datum"]  # the point is WGS-84 now, the default
        changed = True
    lists_seen: set[str] = set()
    for loc, value in row.filled:
        if loc == ("id",):
            continue
        if loc[-1] == "+":
            name = loc[-2]
            if name not in lists_seen:
                lists_seen.add(name)
                if not _same(existing, row.entry, (name,)):
                    yamledit.set_value(document, (name,), list(getattr(row.entry, name)))  # the keys, validated
                    changed = True
            continue
        if point is not None and loc in (("location", "lat"), ("location", "lon")):
            continue  # written above, as a whole
        if _same(existing, row.entry, loc):
            continue
        if len(loc) >= 2 and loc[-1] in ("zh", "en"):
            _set_text(document, loc, value)
        else:
            yamledit.set_value(document, loc, _stored_form(loc, value))
        changed = True
    change = _media_only_change((kind, row.entry_id), path, document, media, changed) if media else None
    text = change.text if change else (yamledit.dumps(document) if changed else old_text)
    return Change("update", kind, row.entry_id, path, text, old_text,
                  media=change.media if change else [], rows=[origin])


def _model_value(entry: Any, loc: tuple) -> Any:
    """The value at `loc` (a column's place) of a validated entry; None where there is none."""
    node = entry
    for part in loc:
        if part == "+" or node is None:
            break
        node = getattr(node, part, None)
    return node


def _same(existing: Any, entry: Any, loc: tuple) -> bool:
    """Whether the existing entry and the row applied to it read the same at `loc`, as the build
    reads them (resolved vocabulary keys, parsed dates, defaults, stripped texts). Numbers within
    a millionth of a millionth: a spreadsheet keeps 15–16 significant digits, and a point stored
    in GCJ-02 is exported converted, with all 17 of a float (31.283000374578727 reads back as
    31.28300037457873)."""
    if entry is None:
        return False
    before, after = _model_value(existing, loc), _model_value(entry, loc)
    if isinstance(before, float) and isinstance(after, (int, float)) and not isinstance(after, bool):
        return math.isclose(before, after, rel_tol=1e-12)
    return before == after


def _set_text(document: Any, loc: tuple, value: Any) -> None:
    """One language of a text at any depth (`location.note.en`), creating the mappings above it."""
    node = document
    for part in loc[:-2]:
        if not isinstance(node.get(part), dict):
            yamledit.set_value(node, (part,), {})
        node = node[part]
    yamledit.set_text(document, loc[:-1], loc[-1], value)


_LIST_VOCABULARIES = {"types": "case_types", "services": "services"}


def _canonical(data: dict) -> dict:
    """Closed-list values as the keys the scaffolds write (长宁区 -> changning). Only called on
    validated rows, so every value resolves."""
    from ..content.reference import reference
    out = dict(data)
    for name, vocabulary in _LIST_VOCABULARIES.items():
        if name in out:
            out[name] = [getattr(reference(), vocabulary).resolve(v) for v in out[name]]
    for name in ("district", "award", "construction", "status"):
        if name in out:
            out[name] = _stored_form((name,), out[name])
    return out


def _stored_form(loc: tuple, value: Any) -> Any:
    """Vocabulary cells are stored as keys (长宁区 -> changning), as the scaffolds write them."""
    from ..content.reference import reference
    names = {"district": "districts", "award": "award", "construction": "construction", "status": "status"}
    if len(loc) == 1 and loc[0] in names:
        try:
            return getattr(reference(), names[loc[0]]).resolve(value)
        except Exception:
            return value
    return value


def _media_only_change(key: tuple[str, str], path: Path, document: Any, items: list[tuple[Row, dict, Path]],
                       changed: bool = False) -> Change:
    old_text = path.read_text(encoding="utf-8")
    media = document.get("media")
    if media is None:
        yamledit.set_value(document, ("media",), [])
        media = document["media"]
    present = {str(m.get("file")) for m in media if isinstance(m, dict)}
    copies = []
    for _row, item, original in items:
        if item["file"] in present:
            continue
        media.append(yamledit.plain(_media_item(item)))
        copies.append((original, path.with_suffix("") / item["file"]))
    text = yamledit.dumps(document) if copies or changed else old_text
    return Change("update", key[0], key[1], path, text, old_text, media=copies,
                  rows=[f"{r.sheet.title}!{r.number}" for r, *_ in items])


def apply_changes(changes: list[Change], advance=lambda: None) -> None:
    """Write every planned file and copy media. Refuses to overwrite a media file with different
    content (checked for all changes before anything is written). `advance` is called once per
    change (a progress bar)."""
    for change in changes:
        for original, target in change.media:
            if target.exists() and target.read_bytes() != original.read_bytes():
                raise FileExistsError(str(target))
        if change.action == "create" and change.path.exists():
            raise FileExistsError(str(change.path))
    for change in changes:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        if change.action == "create":
            with open(change.path, "x", encoding="utf-8") as handle:
                handle.write(change.text)
        elif change.text != change.old_text:
            yamledit.write(change.path, change.text)
        folder = change.path.with_suffix("")
        folder.mkdir(exist_ok=True)
        for original, target in change.media:
            if not target.exists():
                shutil.copyfile(original, target)
        advance()
