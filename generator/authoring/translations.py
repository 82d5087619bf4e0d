"""What needs translating, and putting returned translations back.

Missing: a text with Chinese and no English. Stale: English that was imported for a Chinese text
that has changed since. To know that, `translations import` records a fingerprint of the Chinese
each English text was translated from, in `<content>/_translations.yaml` (kept by this module;
the build does not read it). English typed by hand has no record and is trusted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..collection import Collection
from ..content.clean import UNWANTED, clean_text
from ..diagnostics import Bilingual, format_path
from . import yamledit
from .sheets import FORMULA_START

_QUOTED_START = (*FORMULA_START, "'")

STATE_FILE = "_translations.yaml"
COLUMNS = ("file", "field", "status", "zh", "en_current", "en")
HEADERS = {"file": "文件 file", "field": "字段 field", "status": "状态 status", "zh": "中文原文 Chinese",
           "en_current": "现有英文 current English", "en": "英文译文 English translation"}
STATUS_NAMES = {"missing": Bilingual("缺少英文", "missing"), "stale": Bilingual("中文已修改", "stale")}


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Needed:
    file: str  # relative to the content folder, with forward slashes
    field: str  # e.g. media[2].caption
    status: str  # missing | stale
    zh: str
    en_current: str
    line: int | None


def read_state(content_dir: Path) -> dict[str, dict[str, str]]:
    path = content_dir / STATE_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): dict(v or {}) for k, v in data.items()} if isinstance(data, dict) else {}


def write_state(content_dir: Path, state: dict[str, dict[str, str]]) -> None:
    header = ("# 由 showcase translations import 维护：记录每段英文译自哪一版中文，用来发现“中文已修改”的译文。请勿手改。\n"
              "# Kept by `showcase translations import`: which version of the Chinese each English text was translated\n"
              "# from, so that English for since-changed Chinese is listed as stale. Do not edit by hand.\n")
    body = yaml.safe_dump({k: dict(sorted(v.items())) for k, v in sorted(state.items()) if v},
                          allow_unicode=True, sort_keys=False, width=200)
    yamledit.write(content_dir / STATE_FILE, header + body)


def needed(collection: Collection, content_dir: Path) -> list[Needed]:
    state = read_state(content_dir)
    out = []
    for source, loc, text in collection.texts():
        file = source.path.relative_to(content_dir).as_posix()
        field = format_path(loc)
        if not text.en:
            out.append(Needed(file, field, "missing", text.zh, "", source.line_for(loc)))
        else:
            recorded = state.get(file, {}).get(field)
            if recorded and recorded != fingerprint(text.zh):
                out.append(Needed(file, field, "stale", text.zh, text.en, source.line_for(loc)))
    return out


def defuse(text: str) -> str:
    """A CSV cell that starts like a formula (= + - @, tab, CR) gets a leading ' so that Excel or
    LibreOffice shows it as text instead of running it (OWASP's advice against CSV injection)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(text: str) -> str:
    """`defuse` for a CSV that comes back (`translations import`): a text that itself starts with
    ' gets one more, so that `_uncell` gives every text back exactly as it was."""
    return "'" + text if text.startswith(_QUOTED_START) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_QUOTED_START) else text


def to_csv(items: list[Needed], lang: str) -> str:
    """UTF-8 with BOM (Excel opens Chinese correctly), bilingual headers."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([HEADERS[c] for c in COLUMNS])
    for item in items:
        writer.writerow([item.file, item.field, STATUS_NAMES[item.status].get(lang), _cell(UNWANTED.sub("", item.zh)),
                         _cell(UNWANTED.sub("", item.en_current)), ""])
    return "\ufeff" + stream.getvalue()


# --- import --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Skipped:
    row: int
    reason: Bilingual


@dataclass
class Applied:
    written: dict[Path, str]  # file -> new text
    count: int
    skipped: list[Skipped]
    state: dict[str, dict[str, str]]  # the fingerprints to record once the files are written
    cleaned: list[Skipped] = field(default_factory=list)  # rows whose English lost control characters


def parse_field(field: str) -> tuple:
    """'media[2].caption' -> ('media', 1, 'caption')"""
    loc: list = []
    for name, index in re.findall(r"([A-Za-z_][\w]*)|\[(\d+)\]", field):
        loc.append(name if name else int(index) - 1)
    return tuple(loc)


def _column_key(header: str) -> str | None:
    text = header.strip().lstrip("\ufeff")
    for key, label in HEADERS.items():
        if text in (key, label) or text.endswith(" " + key.replace("_", " ")) or text == label.split(" ", 1)[-1]:
            return key
    return text if text in COLUMNS else None


def read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China may save as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("encoding")
    if not text.strip():
        return []
    # The delimiter is the one that splits the header into the known columns (Excel saves with
    # ";" in some locales, or tabs); guessing from the rows would be misled by the texts in them.
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        except csv.Error:
            continue
        keys = [_column_key(h) for h in header]
        if "file" in keys and "field" in keys and "en" in keys:
            break
    else:
        raise KeyError("columns")
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))  # a long body is one field (default 128 KB)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        raise ValueError("csv") from None
    out = []
    for number, row in enumerate(rows[1:], start=2):
        item = {key: _uncell(row[i] if i < len(row) else "") for i, key in enumerate(keys) if key}
        out.append((number, item))
    return out


def apply_translations(rows: list[tuple[int, dict[str, str]]], collection: Collection, content_dir: Path) -> Applied:
    """Plan the edits (nothing is written here). A row is skipped, with the reason, when its file
    is not an entry of this content folder, the field is not a text, or the Chinese changed since
    the list was exported (the translation would be of old text)."""
    by_file = {source.path.relative_to(content_dir).as_posix(): source
               for source in {id(s): s for s in collection.sources.values()}.values()}
    texts = {(source.path.relative_to(content_dir).as_posix(), format_path(loc)): text
             for source, loc, text in collection.texts()}
    documents: dict[str, object] = {}
    state = read_state(content_dir)
    skipped: list[Skipped] = []
    cleaned: list[Skipped] = []
    count = 0
    for number, row in rows:
        english, removed = clean_text(row.get("en") or "")
        english = english.strip()
        if not english:
            continue
        if removed:
            names = ", ".join(removed)
            cleaned.append(Skipped(number, Bilingual(f"英文译文中看不见的控制字符已去掉：{names}",
                                                     f"invisible control characters were removed from the English: {names}")))
        file, field = row.get("file", "").strip(), row.get("field", "").strip()
        if file not in by_file:  # also stops ../ and absolute paths: only known entry files are edited
            skipped.append(Skipped(number, Bilingual(f"“{file}”不是内容文件夹里的条目文件", f"'{file}' is not an entry file of the content folder")))
            continue
        text = texts.get((file, field))
        if text is None:
            skipped.append(Skipped(number, Bilingual(f"{file} 中没有可翻译的字段“{field}”", f"{file} has no translatable field '{field}'")))
            continue
        if row.get("zh") and row["zh"].strip() != text.zh.strip():
            skipped.append(Skipped(number, Bilingual(f"{file} {field} 的中文在导出后已修改，请重新导出并翻译",
                                                     f"the Chinese of {file} {field} changed after export: export again and translate the new text")))
            continue
        document = documents.get(file)
        if document is None:
            document = documents[file] = yamledit.load(by_file[file].path)
        loc = parse_field(field)
        if yamledit.get(document, loc) is None and loc:
            skipped.append(Skipped(number, Bilingual(f"{file} 中找不到“{field}”", f"cannot find '{field}' in {file}")))
            continue
        yamledit.set_text(document, loc, "en", english)
        state.setdefault(file, {})[field] = fingerprint(text.zh)
        count += 1
    written = {by_file[file].path: yamledit.dumps(document) for file, document in documents.items()}
    return Applied(written, count, skipped, state, cleaned)
