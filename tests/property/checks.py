"""The invariants, as functions the property tests and the regression tests share."""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from pathlib import Path

from generator.collection import load_collection
from generator.render.markdown import render_markdown

from .pipeline import (
    FORMULA_START, Compare, Mismatch, Run, check_markdown_html, csv_rows, docx_structure, docx_units, norm,
    read_json, run, write_content, xlsx_cells, xlsx_xml_problems,
)
from .strategies import CANARY, TOKEN, Content

# codes of errors about a whole file (no field to name)
FILE_ERRORS = {"file_too_large": False, "yaml_syntax": True}  # code -> whether it names a line
EXCEL_CELL_LIMIT = 32_767


def check_diagnostics(found, content: Content) -> None:
    """Every diagnostic is complete (file, line, field where there is one, both languages) and the
    errors are exactly the predicted ones: unreadable files and blank Chinese texts."""
    unreadable = content.unreadable_files()
    blanks = content.blank_fields()
    matched_blanks: set[tuple[str, str]] = set()
    matched_files: set[str] = set()
    for d in found:
        text = d.format_bilingual()  # never raises, both languages
        assert d.message.zh and d.message.en, text
        assert d.file.startswith("cases/"), text
        name = d.file.removeprefix("cases/")
        if d.code == "control_characters":
            assert d.line and d.field, f"a removed character is reported with its line and field: {text}"
        if not d.is_error:
            continue
        assert d.hint is None or (d.hint.zh and d.hint.en), text
        if d.code in FILE_ERRORS:
            assert name in unreadable, f"an unexpected error: {text}"
            assert bool(d.line) == FILE_ERRORS[d.code], text
            matched_files.add(name)
            continue
        assert d.line and d.field, f"an error names its line and field: {text}"
        assert name not in unreadable, f"an error in a file that cannot be read: {text}"
        fields = blanks.get(name, {})
        match = next((f for f in fields if d.field == f or d.field.startswith(f + ".")), None)
        assert match is not None, f"an unexpected error: {text}"
        assert d.line in fields[match], f"the error names line {d.line}, the text is on {fields[match]}: {text}"
        matched_blanks.add((name, match))
    assert set(unreadable) == matched_files, f"files refused without an error: {set(unreadable) - matched_files}"
    missing = {(name, f) for name, fields in blanks.items() for f in fields} - matched_blanks
    assert not missing, f"blank texts not reported: {missing}"


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def check_content(content: Content, root: Path, image: Path, cache: Path, formats=None) -> tuple[Run, Run | None]:
    """The whole guarantee for one drawn content folder. Returns (hostile run, sentinel run)."""
    kwargs = {} if formats is None else {"formats": formats}
    hostile_dir = write_content(fresh(root / "hostile"), content.yaml_texts("hostile"), image)
    hostile = run(hostile_dir, cache, fresh(root / "hostile-out"), **kwargs)
    check_diagnostics(hostile.diagnostics, content)
    if content.unreadable_files() or content.blank_fields():
        assert not hostile.ok, "content with errors gives no site"
        return hostile, None
    assert hostile.ok
    for d in hostile.editorial or []:
        d.format_bilingual()
    sentinel_dir = write_content(fresh(root / "sentinel"), content.yaml_texts("sentinel"), image)
    sentinel = run(sentinel_dir, cache, fresh(root / "sentinel-out"), **kwargs)
    assert sentinel.ok, [d.format("en") for d in sentinel.diagnostics.errors]
    compare_runs(content, sentinel, hostile)
    return hostile, sentinel


def compare_runs(content: Content, sentinel: Run, hostile: Run) -> None:
    compare = Compare(content.substitutions(), content.markdown_tokens())
    no_entry_text_compiled(sentinel)
    compare_pages(compare, sentinel, hostile)
    compare_maps(compare, sentinel, hostile)
    compare_records(compare, sentinel, hostile)
    compare_exports(compare, sentinel, hostile)
    if "xlsx" in hostile.exports:
        exported_workbook_imports_unchanged(hostile)
    no_canary(hostile)


def exported_workbook_imports_unchanged(hostile: Run) -> None:
    """entries.xlsx reads back with `showcase import --update` and changes nothing, byte for byte:
    every text cell was stored as the text itself (a formula-like text too), except a text cut to
    Excel's cell limit, which the import refuses rather than write back cut."""
    from generator.authoring.importer import apply_changes, plan_import
    from generator.authoring.sheets import TRUNCATED_MARK

    (workbook,) = hostile.exports["xlsx"]
    cut = {(c.parent.title, c.coordinate) for c in xlsx_cells(workbook).values()
           if isinstance(c.value, str) and c.value.endswith(TRUNCATED_MARK)}
    result = plan_import(workbook, hostile.collection, hostile.content, None, update=True, skip_invalid=True)
    for problem in result.problems:
        assert (problem.sheet, f"{problem.letter}{problem.row}") in cut, f"the exported workbook does not import: {problem.format('en')}"
    assert all(c.action == "update" for c in result.changes), "the export names the entries it came from"
    before = {(source.display, loc): (text.zh, text.en) for source, loc, text in hostile.collection.texts()}
    files = {path: path.read_bytes() for path in sorted(hostile.content.rglob("*")) if path.is_file()}
    apply_changes(result.changes)  # the last use of this folder
    # issue 14: not a byte of any file changes (a row refused for a cut text is not written either)
    rewritten = [path.relative_to(hostile.content).as_posix() for path, data in files.items() if path.read_bytes() != data]
    assert not rewritten, f"importing the exported workbook rewrites {rewritten}: " + "".join(
        c.diff(c.path.name) for c in result.changes if c.text != c.old_text)[:3000]
    collection, diagnostics = load_collection(hostile.content, display_root=hostile.content.parent)
    assert collection is not None, [d.format("en") for d in diagnostics.errors]
    after = {(source.display, loc): (text.zh, text.en) for source, loc, text in collection.texts()}
    changed = {key: (before.get(key), after.get(key)) for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert not changed, f"importing the exported workbook changes texts: {list(changed.items())[:3]}"


def no_entry_text_compiled(sentinel: Run) -> None:
    """No text of an entry ever reaches a template compiler (folium's included)."""
    assert sentinel.compiled, "the run compiled its templates"
    leaked = [source for source in sentinel.compiled if TOKEN.search(source)]
    assert not leaked, f"entry text compiled as a template: {leaked[0][:500]}"


def compare_pages(compare: Compare, sentinel: Run, hostile: Run) -> None:
    assert list(sentinel.pages) == list(hostile.pages), "the same pages"
    tokens_through_markdown = {t for source in sentinel.markdown_sources for t in TOKEN.findall(source)}
    assert tokens_through_markdown <= compare.markdown_tokens, \
        f"plain text rendered as Markdown: {tokens_through_markdown - compare.markdown_tokens}"
    for key, want in sentinel.pages.items():
        got = hostile.pages[key]
        where = f"{key[1]}:/{key[0]}"
        for fragment in compare.html(want.html, got.html, where):
            check_markdown_html(fragment, where)
        assert got.title == compare.sub(want.title), (where, got.title)
        assert (got.description or "") == compare.sub(want.description or ""), (where, got.description)
        assert [(level, anchor) for level, anchor, _ in got.toc] == [(level, anchor) for level, anchor, _ in want.toc], where
        for (_l, _a, got_name), (_l2, _a2, want_name) in zip(got.toc, want.toc):
            from html import unescape

            # the names are HTML (MkDocs prints them as they are): escaped text
            assert norm(unescape(got_name)) == norm(compare.sub(unescape(want_name))), (where, got_name)


def compare_maps(compare: Compare, sentinel: Run, hostile: Run) -> None:
    from tests.helpers import map_data

    assert list(sentinel.map_scripts) == list(hostile.map_scripts), "the same maps"
    for path, want in sentinel.map_scripts.items():
        got = hostile.map_scripts[path]
        compare.data(map_data(want), map_data(got), f"{path} data", html_keys={"popup"})
        assert want.partition("\n")[2] == got.partition("\n")[2], f"{path}: folium's part holds no entry text"
        assert "</script" not in got.lower() and "\u2028" not in got and "\u2029" not in got, path


ZWSP = "\u200b"


def _record_html(record, collection) -> str:
    """The record Pagefind indexes, with a milestone's Markdown marked as the pages mark theirs."""
    if record.kind == "milestone":
        milestone = collection.milestones[record.url.split("#", 1)[1]]
        if milestone.body is not None:
            fragment = render_markdown(milestone.body.get(record.lang))
            # the body follows the title (<h1>, escaped) and the date (<p>)
            at = record.body.index("</p>") + len("</p>")
            assert record.body[at:].startswith(fragment), record.body[:500]
            body = record.body[:at] + f"<!--md-->{fragment}<!--/md-->" + record.body[at + len(fragment):]
            record = dataclasses.replace(record, body=body)
    return record.html()


def compare_records(compare: Compare, sentinel: Run, hostile: Run) -> None:
    from generator.search.records import unpair

    assert [(r.url, r.lang, r.kind) for r in sentinel.records] == [(r.url, r.lang, r.kind) for r in hostile.records]
    # Chinese is indexed as pairs of characters (records.split_han): read back as written
    squeeze = lambda text: unpair(text).replace(ZWSP, "")  # noqa: E731
    for want, got in zip(sentinel.records, hostile.records):
        where = f"search record {got.url} ({got.lang})"
        compare.data({"title": want.title, "facets": want.facets, "filters": want.filters, "meta": want.meta},
                     {"title": got.title, "facets": got.facets, "filters": got.filters, "meta": got.meta}, where)
        for fragment in compare.html(_record_html(want, sentinel.collection), _record_html(got, hostile.collection),
                                     where, squeeze=squeeze):
            # the records weigh every <h2> (generator/search/records.py: _lighten): the indexer's
            # attribute, not one Markdown or the sanitiser let through
            check_markdown_html(_unweighed_h2(unpair(fragment).replace(ZWSP, "")), where)


def _unweighed_h2(fragment: str) -> str:
    return fragment.replace('<h2 data-pagefind-weight="1">', "<h2>")


def compare_exports(compare: Compare, sentinel: Run, hostile: Run) -> None:
    from generator.authoring.sheets import TRUNCATED_MARK

    assert list(sentinel.exports) == list(hostile.exports)
    for key, paths in sentinel.exports.items():
        for want_path, got_path in zip(paths, hostile.exports[key]):
            where = got_path.name
            if key == "xlsx":
                assert not xlsx_xml_problems(got_path), xlsx_xml_problems(got_path)
                want_cells, got_cells = xlsx_cells(want_path), xlsx_cells(got_path)
                assert list(want_cells) == list(got_cells), f"{where}: the same cells"
                for place, want_cell in want_cells.items():
                    got_cell = got_cells[place]
                    if not isinstance(want_cell.value, str):
                        assert got_cell.value == want_cell.value, (where, place)
                        continue
                    expected = compare.sub(want_cell.value)
                    value = got_cell.value
                    assert isinstance(value, str) and got_cell.data_type == "s", (where, place, value)
                    if len(expected.encode("utf-16-le")) // 2 > EXCEL_CELL_LIMIT:
                        assert value.endswith(TRUNCATED_MARK) and expected.startswith(value.removesuffix(TRUNCATED_MARK)), (where, place)
                        assert len(value.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT, (where, place)
                    else:
                        assert value == expected, f"{where} {place}: {value!r:.300} where {expected!r:.300} was expected"
                    if value.startswith(FORMULA_START):
                        assert got_cell.quotePrefix, f"{where} {place}: a text that looks like a formula keeps Excel's quote prefix"
            elif key == "csv":
                want_rows, got_rows = csv_rows(want_path), csv_rows(got_path)
                assert [len(r) for r in want_rows] == [len(r) for r in got_rows], f"{where}: the same rows and columns"
                for r, (want_row, got_row) in enumerate(zip(want_rows, got_rows)):
                    for c, (want_cell, got_cell) in enumerate(zip(want_row, got_row)):
                        expected = compare.sub(want_cell)
                        if expected.startswith(FORMULA_START):
                            expected = "'" + expected
                        assert got_cell == expected, f"{where} row {r + 1} column {c + 1}: {got_cell!r:.300} where {expected!r:.300} was expected"
                        assert not got_cell.startswith(FORMULA_START), f"{where}: a formula {got_cell!r:.100}"
            elif key in ("json", "geojson"):
                compare.data(read_json(want_path), read_json(got_path), where)
            elif key == "docx":
                want_structure, got_structure = docx_structure(want_path), docx_structure(got_path)
                assert want_structure == got_structure, f"{where}: fields, links or parts differ: {got_structure} / {want_structure}"
                got_units = {norm(u) for u in docx_units(got_path)}
                for unit in docx_units(want_path):
                    tokens = TOKEN.findall(unit)
                    if tokens and not set(tokens) & compare.markdown_tokens:
                        assert norm(compare.sub(unit)) in got_units, f"{where}: no paragraph reads {norm(compare.sub(unit))!r:.300}"
            elif key == "pdf":
                pass  # test_pdf.py reads the PDF back
            else:
                raise AssertionError(f"no check for {key}")


def no_canary(hostile: Run) -> None:
    """Nothing anywhere was evaluated: the canary that evaluating the payloads would produce
    appears in no output."""
    texts = [spec.html for spec in hostile.pages.values()] + list(hostile.map_scripts.values())
    texts += [r.html() for r in hostile.records]
    for paths in hostile.exports.values():
        for path in paths:
            if path.suffix in (".xlsx", ".docx"):
                with zipfile.ZipFile(path) as archive:
                    texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
            elif path.suffix != ".pdf":
                texts.append(path.read_text(encoding="utf-8"))
    leaked = [t for t in texts if CANARY in t]
    assert not leaked, f"a payload was evaluated: {leaked[0][max(0, leaked[0].index(CANARY) - 200):][:400]}"


def assert_no_canary_in_input(content: Content) -> bool:
    return all(CANARY not in yaml_text for yaml_text in content.yaml_texts().values())


__all__ = ["check_content", "check_diagnostics", "compare_runs", "Mismatch", "assert_no_canary_in_input", "re"]
