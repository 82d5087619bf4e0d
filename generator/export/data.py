"""The entries as data: XLSX (the import's own layout, so it reads back), CSV, JSON and GeoJSON.

The spreadsheet and CSV columns come from the submission workbook's column table
(authoring/sheets.py), so an exported workbook is one the import understands; fields the workbook
has no column for (sources, meetings, media, page addresses) follow as extra columns that the
import knows to skip. Same input, same bytes: no clock, fixed zip timestamps, stable order.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import urls
from ..authoring.sheets import CASES, EXPORT_ONLY_COLUMNS, MILESTONES, SITES, YES, NO, Column, Sheet, put
from ..authoring.translations import defuse
from ..content.clean import UNWANTED
from . import ExportJob

# Extra columns after the workbook's own (sources, meetings, media, page): the import skips them.
EXTRA_COLUMNS = EXPORT_ONLY_COLUMNS
JSON_SCHEMA = "shanghai-15min-showcase/entries/1"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: "no time", so no clock in the bytes


# --- rows -------------------------------------------------------------------------------------

def _kinds(job: ExportJob) -> list[tuple[Sheet, str, list]]:
    """(sheet layout, content kind, entries) for each entry kind, in book order."""
    c = job.collection
    districts = {case.district for case in job.cases} if job.selection_narrows else None
    sites = [s for s in c.sites_sorted() if districts is None or s.district in districts]
    milestones = c.milestones_sorted() if not job.selection_narrows else []
    return [(CASES, "excellent", job.cases), (SITES, "competition", sites), (MILESTONES, "milestones", milestones)]


def _value_at(data: Any, loc: tuple[str, ...]) -> Any:
    for part in loc:
        if part == "+":
            break
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _cell_for(job: ExportJob, column: Column, entry, first_of_list: bool) -> Any:
    """One cell as the workbook (and so the import) expects it: Chinese names for closed lists,
    是/否 for yes/no, a whole list in the first of its columns."""
    data = entry.model_dump(mode="json")
    value = _value_at(data, column.loc)
    if column.appends and not first_of_list:
        return None
    if value is None or value == [] or value == "":
        return None
    if column.kind == "datum":
        return None  # stored WGS-84, the workbook's default
    if column.kind == "bool":
        return YES if value else NO
    if column.vocabulary:
        vocabulary = getattr(job.collection.reference, column.vocabulary)
        names = [vocabulary[v].zh for v in (value if isinstance(value, list) else [value])]
        return "、".join(names)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def _extra_cells(job: ExportJob, kind: str, entry) -> list[str]:
    c = job.collection
    sources = "\n".join(f"{c.documents[s.document].title.zh}" + (f"（{s.section}）" if s.section else "")
                        for s in getattr(entry, "sources", []) or [])
    meetings = "\n".join(
        " ".join(part for part in (c.reference.meeting_kind[m.kind].zh, m.date.iso() if m.date else "",
                                   m.summary.zh if m.summary else "") if part)
        for m in getattr(entry, "participation", []) or [])
    media = "、".join(item.file or item.url or "" for item in getattr(entry, "media", []) or [])
    route = {"excellent": urls.case, "competition": urls.site}.get(kind)
    page = job.page_url(route(entry.id)) if route else job.page_url(urls.RETROSPECTIVE) + "#" + entry.id
    return [sources or None, meetings or None, media or None, page]


def table(job: ExportJob, sheet: Sheet, kind: str, entries: Iterable) -> tuple[list[Column], list[list[Any]]]:
    """The sheet's columns and one row per entry."""
    rows = []
    for entry in entries:
        seen_lists: set[tuple] = set()
        row = []
        for column in sheet.columns:
            first = column.loc not in seen_lists
            seen_lists.add(column.loc)
            row.append(_cell_for(job, column, entry, first))
        rows.append(row + _extra_cells(job, kind, entry))
    return list(sheet.columns), rows


# --- writers ------------------------------------------------------------------------------------

def _write_atomically(out: Path, data: bytes) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out


def normalise_zip(data: bytes, as_of: str | None = None) -> bytes:
    """Rewrite an Office file (a zip) with fixed timestamps, so the same content gives the same
    bytes; member order is kept (Office wants [Content_Types].xml first). openpyxl stamps the
    save time into docProps/core.xml whatever it is told: with `as_of`, that becomes the date."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            member = source.read(info.filename)
            if as_of and info.filename == "docProps/core.xml":
                member = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                rb"\g<1>" + f"{as_of}T00:00:00Z".encode() + rb"\g<2>", member)
            target.writestr(fixed, member)
    return out.getvalue()


def write_xlsx(job: ExportJob, out: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    stamp = datetime.fromisoformat(job.as_of)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "showcase export"
    book.properties.title = "上海“15分钟社区生活圈”条目 / Shanghai 15-minute community life circle entries"
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for sheet, kind, entries in _kinds(job):
        ws = book.create_sheet(sheet.title)
        columns, rows = table(job, sheet, kind, entries)
        headers = [c.header for c in columns] + [f"{zh}\n{en}" for zh, en in EXTRA_COLUMNS]
        widths = [c.width for c in columns] + [28, 28, 22, 36]
        for col, header in enumerate(headers, start=1):
            put(ws, 1, col, header)
        for number, row in enumerate(rows, start=2):
            for col, value in enumerate(row, start=1):
                if value is not None:
                    put(ws, number, col, value)  # text as a text cell, never a formula
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
            cell = ws.cell(row=1, column=index)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[1].height = 32
        ws.freeze_panes = "A2"  # the header stays while scrolling
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=isinstance(cell.value, str) and len(cell.value) > 30, vertical="top")
    stream = io.BytesIO()
    book.save(stream)
    return _write_atomically(out, normalise_zip(stream.getvalue(), job.as_of))


def csv_files(job: ExportJob) -> dict[str, str]:
    """File name -> CSV text (UTF-8 with BOM: Excel then reads Chinese correctly), one per kind."""
    names = {"excellent": "cases.csv", "competition": "competition-sites.csv", "milestones": "milestones.csv"}
    files = {}
    for sheet, kind, entries in _kinds(job):
        columns, rows = table(job, sheet, kind, entries)
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([f"{c.zh} / {c.en}" for c in columns] + [f"{zh} / {en}" for zh, en in EXTRA_COLUMNS])
        for row in rows:
            writer.writerow(["" if v is None else defuse(UNWANTED.sub("", v)) if isinstance(v, str) else v for v in row])
        files[names[kind]] = "\ufeff" + stream.getvalue()
    return files


def write_csv(job: ExportJob, folder: Path) -> list[Path]:
    return [_write_atomically(folder / name, text.encode("utf-8")) for name, text in csv_files(job).items()]


def entries_json(job: ExportJob) -> dict:
    def dump(kind: str, entry, route) -> dict:
        data = entry.model_dump(mode="json")
        if route:
            data["pages"] = {lang: job.page_url(route(entry.id), lang) for lang in ("zh", "en")}
        return data

    kinds = {k: entries for _sheet, k, entries in _kinds(job)}
    return {
        "schema": JSON_SCHEMA,
        "as_of": job.as_of,
        "cases": [dump("excellent", e, urls.case) for e in kinds["excellent"]],
        "competition_sites": [dump("competition", e, urls.site) for e in kinds["competition"]],
        "milestones": [dump("milestones", e, None) for e in kinds["milestones"]],
        "exhibitions": [] if job.selection_narrows else [e.model_dump(mode="json") for e in job.collection.exhibitions_sorted()],
        # the programme's words with their quoted definitions (the whole glossary: it explains any selection)
        "glossary": [dump("glossary", t, urls.glossary_term) for t in job.collection.glossary_sorted()],
        "documents": [d.model_dump(mode="json") for _, d in sorted(job.collection.documents.items())],
    }


def _without_unwanted(data: Any) -> Any:
    """Every string in `data` without the characters no export carries (see content/clean.py):
    the loader has removed them already; a lone surrogate would make the file unwritable."""
    if isinstance(data, str):
        return UNWANTED.sub("", data)
    if isinstance(data, dict):
        return {_without_unwanted(k): _without_unwanted(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_without_unwanted(v) for v in data]
    return data


def write_json(job: ExportJob, out: Path) -> Path:
    text = json.dumps(_without_unwanted(entries_json(job)), ensure_ascii=False, indent=2)
    return _write_atomically(out, (text + "\n").encode("utf-8"))


def geojson(job: ExportJob) -> dict:
    """RFC 7946: a FeatureCollection of Points in WGS-84 longitude, latitude (no `crs` member),
    six decimals (~0.1 m), one feature per located case or competition site."""
    ref = job.collection.reference
    features = []
    for _sheet, kind, entries in _kinds(job):
        if kind == "milestones":
            continue
        for entry in entries:
            location = entry.location
            if location is None:
                continue
            title = entry.title if kind == "excellent" else entry.name
            route = urls.case if kind == "excellent" else urls.site
            properties = {
                "id": entry.id, "kind": kind, "title_zh": title.zh, "title_en": title.en if title.has("en") else None,
                "district": entry.district, "district_zh": ref.districts[entry.district].zh,
                "district_en": ref.districts[entry.district].en, "year": entry.year,
                "approximate": location.approximate,
                "url_zh": job.page_url(route(entry.id), "zh"), "url_en": job.page_url(route(entry.id), "en"),
            }
            if kind == "excellent":
                properties["types"] = list(entry.types)
                properties["services"] = list(entry.services)
            else:
                properties["number"] = entry.number
                properties["floor_area_m2"] = entry.floor_area_m2
            features.append({"type": "Feature", "id": f"{kind}/{entry.id}",
                             "geometry": {"type": "Point", "coordinates": [round(location.lon, 6), round(location.lat, 6)]},
                             "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(job: ExportJob, out: Path) -> Path:
    text = json.dumps(_without_unwanted(geojson(job)), ensure_ascii=False, indent=1)
    return _write_atomically(out, (text + "\n").encode("utf-8"))
