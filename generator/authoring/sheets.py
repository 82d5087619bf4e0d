"""The submission spreadsheet that districts fill in: its columns, and the template file.

One sheet per entry kind plus a media sheet; each column knows its place in an entry (`loc`), its
bilingual header and, for closed lists, the vocabulary that feeds its dropdown. The same table
drives the template (here) and the import (importer.py), so they cannot drift apart; exports
(issue 7) can write the same layout for a round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..content.clean import UNWANTED
from ..content.reference import Reference, reference

YES, NO = "是", "否"
DATA_ROWS = 1000  # dropdowns reach this far down
LIST_SEPARATORS = r"[、,，;；/\n]+"

# --- writing a cell ---------------------------------------------------------------------------
# Every workbook the project writes (the template, the XLSX export) goes through `put`: text is
# stored as a text cell, whatever it looks like. openpyxl on its own turns a string that starts
# with "=" into a live formula and "#N/A" into an error value; a title like
# =HYPERLINK("http://x/?"&A1,"click") must stay the words the district typed.

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheet programs read as the start of a formula
EXCEL_CELL_LIMIT = 32_767  # characters in one cell, counted as Excel counts them (UTF-16 code units)
# A longer text is cut to fit and ends with this mark, so that nobody mistakes the cell for the
# whole text, and `showcase import` refuses the cell rather than write the cut text back.
TRUNCATED_MARK = ("…〔已截断：超过 Excel 单元格 32,767 字符的上限，全文见条目文件〕"
                  "〔truncated at Excel's 32,767-character cell limit; the full text is in the entry file〕")


def _excel_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cell_text(text: str) -> tuple[str, bool]:
    """`text` as one cell can hold it, and whether it had to be cut. Characters that XML cannot
    carry are left out (the loader removes them with a warning; this is the last line of
    defence, so that a workbook is never refused half-written); a text over Excel's limit is cut
    at a character boundary and ends with TRUNCATED_MARK."""
    text = UNWANTED.sub("", text)
    if len(text) <= EXCEL_CELL_LIMIT // 2 or _excel_length(text) <= EXCEL_CELL_LIMIT:
        return text, False
    room = EXCEL_CELL_LIMIT - _excel_length(TRUNCATED_MARK)
    # cut the UTF-16 form; a character split in two (a surrogate pair) is dropped whole
    kept = text.encode("utf-16-le")[: 2 * room].decode("utf-16-le", errors="ignore")
    return kept + TRUNCATED_MARK, True


def put(sheet, row: int, column: int, value) -> Cell:
    """Write one value into a cell: a string always as a text cell (never a formula or an error
    value), numbers and booleans as themselves. A text that a spreadsheet would take for a
    formula when the cell is edited also gets Excel's quote prefix (the invisible apostrophe),
    which keeps it text in Excel and LibreOffice; the value itself is unchanged."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        text, _cut = cell_text(value)
        if not text:
            cell.value = None  # an empty cell, not an empty string
            return cell
        cell.value = text
        cell.data_type = "s"  # after the assignment, which guesses "f" for "=..." and "e" for "#N/A"
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


@dataclass(frozen=True)
class Column:
    zh: str
    en: str
    loc: tuple[str, ...]  # where the value goes in the entry; a trailing "+" appends to a list
    vocabulary: str | None = None  # name of a Reference vocabulary: a dropdown of its Chinese names
    kind: str = "text"  # text | int | number | date | bool | list
    required: bool = False
    width: int = 14
    note_zh: str = ""
    note_en: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh}\n{self.en}"

    @property
    def appends(self) -> bool:
        return self.loc[-1] == "+"


@dataclass(frozen=True)
class Sheet:
    title: str  # the sheet's name in the workbook (Chinese, as districts say it)
    en: str
    kind: str  # content folder: excellent | competition | milestones | media
    columns: tuple[Column, ...]
    examples: tuple[tuple, ...] = field(default=())  # rows, aligned with columns

    def column(self, loc: tuple[str, ...]) -> Column | None:
        return next((c for c in self.columns if c.loc == loc), None)


ID_NOTE = ("可不填：由中文标题自动生成拼音编号；更新已有条目时填写它的编号",
           "may be left empty: made from the Chinese title; to update an entry, give its id")
TEXT_EN = ("英文，可以以后补", "English, may follow later")
LOCATION_NOTE = ("位置的补充说明，例如“街道/镇级近似位置”", "a word on the position, e.g. “Approximate, street/town level”")

CASES = Sheet("案例", "Cases", "excellent", (
    Column("编号", "id", ("id",), width=24, note_zh=ID_NOTE[0], note_en=ID_NOTE[1]),
    Column("案例名称", "Title", ("title", "zh"), required=True, width=24),
    Column("英文名称", "Title (English)", ("title", "en"), width=24, note_zh=TEXT_EN[0], note_en=TEXT_EN[1]),
    Column("区", "District", ("district",), vocabulary="districts", required=True, width=12),
    Column("街道/镇", "Sub-district/town", ("street", "zh"), width=14),
    Column("街道/镇（英文）", "Sub-district/town (English)", ("street", "en"), width=16),
    Column("入选年份", "Year", ("year",), kind="int", required=True, width=9),
    Column("评选级别", "Award level", ("award",), vocabulary="award", width=14),
    Column("案例类型1", "Case type 1", ("types", "+"), vocabulary="case_types", required=True, width=18),
    Column("案例类型2", "Case type 2", ("types", "+"), vocabulary="case_types", width=18),
    Column("服务类型1", "Service 1", ("services", "+"), vocabulary="services", width=14),
    Column("服务类型2", "Service 2", ("services", "+"), vocabulary="services", width=14),
    Column("服务类型3", "Service 3", ("services", "+"), vocabulary="services", width=14),
    Column("服务类型4", "Service 4", ("services", "+"), vocabulary="services", width=14),
    Column("建设类型", "Construction", ("construction",), vocabulary="construction", width=11),
    Column("状态", "Status", ("status",), vocabulary="status", width=11),
    Column("建成日期", "Completed", ("completed",), kind="date", width=11, note_zh="例如 2024-06", note_en="e.g. 2024-06"),
    Column("建筑面积（平方米）", "Floor area (m²)", ("floor_area_m2",), kind="number", width=12),
    Column("用地面积（平方米）", "Site area (m²)", ("site_area_m2",), kind="number", width=12),
    Column("纬度", "Latitude", ("location", "lat"), kind="number", width=10,
           note_zh="WGS-84，例如 31.2190", note_en="WGS-84, e.g. 31.2190"),
    Column("经度", "Longitude", ("location", "lon"), kind="number", width=10,
           note_zh="WGS-84，例如 121.4250", note_en="WGS-84, e.g. 121.4250"),
    Column("位置是否为近似", "Approximate location", ("location", "approximate"), kind="bool", width=10),
    Column("坐标系", "Datum", ("location", "datum"), kind="datum", width=10,
           note_zh="从高德、腾讯等国内地图取的坐标选 GCJ-02", note_en="GCJ-02 for points taken from Chinese map apps"),
    Column("位置说明", "Location note", ("location", "note", "zh"), width=20, note_zh=LOCATION_NOTE[0], note_en=LOCATION_NOTE[1]),
    Column("位置说明（英文）", "Location note (English)", ("location", "note", "en"), width=20),
    Column("地址", "Address", ("address", "zh"), width=20),
    Column("地址（英文）", "Address (English)", ("address", "en"), width=20),
    Column("摘要", "Summary", ("summary", "zh"), required=True, width=40),
    Column("摘要（英文）", "Summary (English)", ("summary", "en"), width=40),
    Column("正文", "Text", ("body", "zh"), width=50, note_zh="可分段；可用 Markdown", note_en="paragraphs allowed; Markdown"),
    Column("正文（英文）", "Text (English)", ("body", "en"), width=50),
    Column("示意内容", "Illustrative", ("illustrative",), kind="bool", width=9,
           note_zh="内容超出原始文件时选“是”", note_en="“是” (yes) when the text goes beyond the sources"),
), examples=(
    ("", "示例：某某社区睦邻中心", "Example: a neighbourhood centre", "长宁区", "新华路街道", "Xinhua Road Subdistrict",
     2025, "区级优秀案例", "社区嵌入式服务设施", "", "为老服务", "生活服务", "", "", "改造更新", "运营中", "2025-06",
     1200, "", 31.2075, 121.4280, YES, "", "", "", "", "", "示例行：说明填写方式，不是真实案例。导入前请删除或改成您的案例。",
     "Example row showing how to fill in the sheet; not a real case. Delete it or overwrite it before importing.",
     "", "", YES),
))

SITES = Sheet("人民坊", "Competition sites", "competition", (
    Column("编号", "id", ("id",), width=22, note_zh=ID_NOTE[0], note_en=ID_NOTE[1]),
    Column("征集年份", "Year", ("year",), kind="int", required=True, width=9),
    Column("序号", "Number", ("number",), kind="int", required=True, width=7),
    Column("区", "District", ("district",), vocabulary="districts", required=True, width=12),
    Column("街道/镇", "Sub-district/town", ("street", "zh"), required=True, width=14),
    Column("街道/镇（英文）", "Sub-district/town (English)", ("street", "en"), width=16),
    Column("项目名称", "Project name", ("name", "zh"), required=True, width=24),
    Column("项目名称（英文）", "Project name (English)", ("name", "en"), width=24),
    Column("建设类型", "Construction", ("construction",), vocabulary="construction", required=True, width=11),
    Column("建筑面积（平方米）", "Floor area (m²)", ("floor_area_m2",), kind="number", required=True, width=12),
    Column("纬度", "Latitude", ("location", "lat"), kind="number", width=10),
    Column("经度", "Longitude", ("location", "lon"), kind="number", width=10),
    Column("位置是否为近似", "Approximate location", ("location", "approximate"), kind="bool", width=10),
    Column("坐标系", "Datum", ("location", "datum"), kind="datum", width=10),
    Column("位置说明", "Location note", ("location", "note", "zh"), width=20, note_zh=LOCATION_NOTE[0], note_en=LOCATION_NOTE[1]),
    Column("位置说明（英文）", "Location note (English)", ("location", "note", "en"), width=20),
    Column("对应案例编号", "Case id", ("case",), width=22,
           note_zh="建成后对应的优秀案例的编号", note_en="id of the excellent case the built project became"),
    Column("摘要", "Summary", ("summary", "zh"), width=40),
    Column("摘要（英文）", "Summary (English)", ("summary", "en"), width=40),
    Column("正文", "Text", ("body", "zh"), width=50, note_zh="可分段；可用 Markdown", note_en="paragraphs allowed; Markdown"),
    Column("正文（英文）", "Text (English)", ("body", "en"), width=50),
    Column("示意内容", "Illustrative", ("illustrative",), kind="bool", width=9),
), examples=(
    ("", 2099, 1, "徐汇区", "示例街道", "Example Subdistrict", "示例人民坊", "Example Renminfang", "新建", 1500,
     31.1800, 121.4400, YES, "", "", "", "", "示例行：不是真实点位。", "Example row; not a real site.", "", "", YES),
))

MILESTONES = Sheet("大事记", "Milestones", "milestones", (
    Column("编号", "id", ("id",), width=30, note_zh=ID_NOTE[0], note_en=ID_NOTE[1]),
    Column("日期", "Date", ("date",), kind="date", required=True, width=12,
           note_zh="2014、2024-04 或 2024-04-09", note_en="2014, 2024-04 or 2024-04-09"),
    Column("标题", "Title", ("title", "zh"), required=True, width=30),
    Column("标题（英文）", "Title (English)", ("title", "en"), width=30),
    Column("正文", "Text", ("body", "zh"), width=50),
    Column("正文（英文）", "Text (English)", ("body", "en"), width=50),
    Column("示意内容", "Illustrative", ("illustrative",), kind="bool", width=9),
), examples=(
    ("", "2099-01", "示例：某区发布社区生活圈行动方案", "Example: a district publishes its action plan",
     "示例行：不是真实事件。", "Example row; not a real event.", YES),
))

MEDIA = Sheet("媒体", "Media", "media", (
    Column("条目", "Entry", ("entry",), required=True, width=26,
           note_zh="填写条目的编号或中文名称（与其他工作表一致）", note_en="the entry's id or Chinese title, as on the other sheets"),
    Column("文件名", "File name", ("file",), required=True, width=22,
           note_zh="照片放在导入时指定的文件夹里（--media）", note_en="photos go in the folder given to the import (--media)"),
    Column("类型", "Kind", ("kind",), vocabulary="media_kind", width=10),
    Column("图注", "Caption", ("caption", "zh"), width=28),
    Column("图注（英文）", "Caption (English)", ("caption", "en"), width=28),
    Column("替代文字", "Alt text", ("alt", "zh"), width=28,
           note_zh="一句话描述图片内容，供读屏软件朗读", note_en="one sentence describing the picture, for screen readers"),
    Column("替代文字（英文）", "Alt text (English)", ("alt", "en"), width=28),
    Column("来源/摄影", "Credit", ("credit", "zh"), width=18),
    Column("来源/摄影（英文）", "Credit (English)", ("credit", "en"), width=18),
), examples=(
    ("示例：某某社区睦邻中心", "示例照片.jpg", "改造后", "改造后的睦邻中心", "The centre after renewal",
     "明亮的活动室里居民在上课", "Residents at a class in a bright activity room", "长宁区", "Changning District"),
))

# Columns that exports add after a sheet's own (fields the workbook does not edit): the import
# skips them silently, so an exported workbook reads back without "unknown column" warnings.
EXPORT_ONLY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("来源文件", "Sources"),
    ("公众参与", "Participation"),
    ("媒体文件", "Media files"),
    ("页面", "Page"),
)

SHEETS: tuple[Sheet, ...] = (CASES, SITES, MILESTONES, MEDIA)
ENTRY_SHEETS: tuple[Sheet, ...] = (CASES, SITES, MILESTONES)
LISTS_SHEET = "选项"
INSTRUCTIONS_SHEET = "说明"
EXAMPLE_IMAGE = "示例照片.jpg"  # written beside the template, so its example media row imports


def vocabularies(ref: Reference) -> dict[str, list[str]]:
    names = {c.vocabulary for s in SHEETS for c in s.columns if c.vocabulary}
    return {name: [t.zh for t in getattr(ref, name)] for name in sorted(names)} | {"bool": [YES, NO], "datum": ["WGS-84", "GCJ-02"]}


INSTRUCTIONS = [
    ("上海“15分钟社区生活圈”案例报送表", "Shanghai 15-minute community life circle: case submission workbook"),
    ("", ""),
    ("怎样填写", "How to fill it in"),
    ("1. 每个工作表一类条目：“案例”“人民坊”“大事记”；照片等列在“媒体”表。每行一个条目。",
     "1. One sheet per kind of entry (案例 cases, 人民坊 competition sites, 大事记 milestones); photos go on the 媒体 (media) sheet. One entry per row."),
    ("2. 标题行下方的灰色斜体行是示例，说明填写方式。导入前请删除示例行或改写成您的内容。",
     "2. The grey italic rows under the headers are examples. Delete them, or overwrite them with your own entries, before importing."),
    ("3. 带下拉箭头的单元格请从列表中选择（区、案例类型、服务类型、建设类型、状态等）。",
     "3. Cells with a dropdown arrow take a value from the list (district, case type, service, construction, status…)."),
    ("4. 带 * 的列必填。英文列可以留空，网站会先显示中文并标注。",
     "4. Columns marked * are required. English columns may stay empty: the site shows the Chinese, marked, until they are filled."),
    ("5. 编号可以不填，会由中文名称自动生成；修改已有条目时请填写它的编号。",
     "5. The id may stay empty and is made from the Chinese name; to change an existing entry, give its id."),
    ("6. 照片文件与本表一起发送，文件名写在“媒体”表；每张照片请写替代文字（描述图片内容）。",
     "6. Send the photo files with this workbook and write their names on the 媒体 sheet, each with alt text describing the picture."),
    ("", ""),
    ("导入（由宣传部门工作人员操作）", "Import (done by the publicity team)"),
    ("showcase import 报送表.xlsx --media 照片文件夹 --dry-run    先预览将新建或修改的内容",
     "showcase import workbook.xlsx --media photo-folder --dry-run    first, see what would be created or changed"),
    ("showcase import 报送表.xlsx --media 照片文件夹    全部行正确时才写入",
     "showcase import workbook.xlsx --media photo-folder    writes only when every row is valid"),
    ("showcase import entries.xlsx --update    网站“下载”页或 showcase export xlsx 的表格改过后也可导回：只有改动了的单元格会改变条目文件",
     "showcase import entries.xlsx --update    the workbook from the site's downloads or `showcase export xlsx`, edited, "
     "reads back too: only the cells you changed change the entry files"),
]


def write_template(path: Path, ref: Reference | None = None) -> None:
    """The workbook districts fill in. Never overwrites: the caller checks that `path` is new."""
    ref = ref or reference()
    book = Workbook()
    intro = book.active
    intro.title = INSTRUCTIONS_SHEET
    intro.column_dimensions["A"].width = 110
    for row, (zh, en) in enumerate(INSTRUCTIONS, start=1):
        put(intro, 2 * row - 1, 1, zh).font = Font(bold=row in (1, 3, 11), size=14 if row == 1 else 11)
        put(intro, 2 * row, 1, en).font = Font(italic=True, color="555555")

    lists = book.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    for index, (name, values) in enumerate(vocabularies(ref).items(), start=1):
        letter = get_column_letter(index)
        put(lists, 1, index, name)
        for row, value in enumerate(values, start=2):
            put(lists, row, index, value)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    example_font = Font(italic=True, color="808080")
    for spec in SHEETS:
        sheet = book.create_sheet(spec.title, index=book.sheetnames.index(LISTS_SHEET))
        for col, column in enumerate(spec.columns, start=1):
            cell = put(sheet, 1, col, f"{column.zh} *\n{column.en} *" if column.required else column.header)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            note = "\n".join(filter(None, (column.note_zh, column.note_en)))
            if note:
                cell.comment = Comment(note, "showcase")
            sheet.column_dimensions[get_column_letter(col)].width = column.width
            source = ranges.get(column.vocabulary or (column.kind if column.kind in ("bool", "datum") else ""), None)
            if source:
                rule = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True,
                                      errorTitle="请从列表中选择 / Choose from the list",
                                      error="请从下拉列表中选择一项。/ Please choose a value from the dropdown list.")
                rule.add(f"{get_column_letter(col)}2:{get_column_letter(col)}{DATA_ROWS}")
                sheet.add_data_validation(rule)
        sheet.row_dimensions[1].height = 34
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}{DATA_ROWS}"
        for row, example in enumerate(spec.examples, start=2):
            for col, value in enumerate(example, start=1):
                if value != "":
                    put(sheet, row, col, value).font = example_font
    book.active = book.sheetnames.index(CASES.title)
    temporary = path.with_name(f".{path.name}.tmp")
    book.save(temporary)
    temporary.replace(path)
