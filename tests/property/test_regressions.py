"""What the property tests found, kept as plain tests (each ran against the fix), and fixed
examples of the strings the strategies draw from."""

from __future__ import annotations

import time

import pytest

from .checks import check_content
from .strategies import PAYLOADS, Content, every_hole


def test_a_competition_site_name_of_60000_characters_draws_the_statistics_charts_in_linear_time(property_workspace):
    """The floor-area chart wraps and shortens each site's name to fit: it cut a character at a
    time and measured the whole rest again, so an 8,000-character name took 12 s per chart and a
    32,000-character one over three minutes (a 1 MB entry file: hours). Now one pass."""
    root, image, cache = property_workspace
    content = Content.plain(**{"competition/hostile-site.yaml:name": {"zh": "长" * 60_000, "en": "W" * 60_000},
                               "competition/hostile-site.yaml:street": {"zh": "街" * 30_000 + " 道", "en": "s" * 30_000}})
    started = time.monotonic()
    check_content(content, root / "long-name", image, cache, formats=[])
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("shift", [0, 1, 2])
def test_every_payload_in_every_field(property_workspace, shift):
    """Every string of strategies.PAYLOADS in some field, Chinese and English, through the whole
    comparison (pages, maps, search records, exports): the examples Hypothesis starts from."""
    root, image, cache = property_workspace
    values = []
    for number, (_name, _loc, hole) in enumerate(every_hole()):
        zh = PAYLOADS[(number * 3 + shift) % len(PAYLOADS)] + " 字"
        en = PAYLOADS[(number * 3 + shift + 1) % len(PAYLOADS)]
        values.append(zh if hole.kind == "words" else {"zh": zh, "en": en})
    check_content(Content(values), root / f"payloads-{shift}", image, cache)


@pytest.mark.parametrize("where", ["excellent/hostile-case.yaml:title", "documents.yaml:documents[1].title",
                                   "exhibitions/hostile-exhibition.yaml:rooms[1].items[1].caption"])
@pytest.mark.parametrize("blank", ["", " \u3000 ", "\x0b\x1b\x00", {"zh": "\t", "en": "English only"}])
def test_a_blank_chinese_text_is_an_error_at_its_field(property_workspace, where, blank):
    root, image, cache = property_workspace
    content = Content.plain(**{where: blank})
    content.broken = (Content.hole(where), "blank")
    hostile, sentinel = check_content(content, root / "blank", image, cache, formats=[])
    assert not hostile.ok and sentinel is None


def test_a_lone_surrogate_is_an_error_at_its_line(property_workspace):
    """YAML writes a lone surrogate as the escape \\uD800, which the loader's YAML reader refuses:
    a syntax error with the file and line, never a traceback or a broken export."""
    root, image, cache = property_workspace
    content = Content.plain(**{"milestones/hostile-milestone.yaml:title": {"zh": "半个\ud800字符", "en": "x"}})
    hostile, _ = check_content(content, root / "surrogate", image, cache, formats=[])
    (error,) = hostile.diagnostics.errors
    assert error.code == "yaml_syntax" and error.file == "cases/milestones/hostile-milestone.yaml" and error.line


def test_a_windows_file_with_a_control_character_keeps_its_text_and_its_line_numbers(tmp_path):
    """Found by test_loading.py: in a file saved with Windows line endings (CRLF), a line holding a
    control character got an extra line break: a quoted title folded over two lines read "a\\nb"
    instead of "a b", and every later line number was one too high (an error on line 4 of a
    4-line file was reported on line 6)."""
    from generator.collection import load_collection

    from .test_loading import CASE

    content = tmp_path / "cases"
    (content / "excellent").mkdir(parents=True)
    (content / "documents.yaml").write_text(Content.plain().yaml_texts()["documents.yaml"], encoding="utf-8")
    lines = ["id: hostile-case", "title: 'a\x0b", "  b'", "district: changning", "year: 2024", "types: [renminfang]",
             "summary: s", "address: [unclosed"]
    (content / CASE).write_bytes("\r\n".join(lines).encode("utf-8") + b"\r\n")
    _collection, diagnostics = load_collection(content, display_root=tmp_path)
    (error,) = diagnostics.errors
    assert error.code == "yaml_syntax" and error.line == 8, error.format("en")
    lines[-1] = "address: x"
    (content / CASE).write_bytes("\r\n".join(lines).encode("utf-8") + b"\r\n")
    collection, diagnostics = load_collection(content, display_root=tmp_path)
    assert collection is not None, [d.format("en") for d in diagnostics.errors]
    assert collection.cases["hostile-case"].title.zh == "a b"
    assert collection.sources[("excellent", "hostile-case")].line_for(("summary",)) == 7


def test_a_line_separator_in_a_text_leaves_the_line_numbers_after_it_right(property_workspace):
    """Found by the property test: a title with U+2028 and U+2029 (LINE and PARAGRAPH SEPARATOR,
    which text copied from some programs carries) made the loader report every later line two too
    high: a blank summary on line 34 was reported on line 36, and a control character's warning
    further down lost its field."""
    root, image, cache = property_workspace
    where = "excellent/hostile-case.yaml:summary"
    content = Content.plain(**{"excellent/hostile-case.yaml:title": {"zh": "第一行\u2028第二行", "en": "one\u2029two"},
                               where: {"zh": " ", "en": "English only"}})
    content.broken = (Content.hole(where), "blank")
    check_content(content, root / "line-separator", image, cache, formats=[])


def test_an_exported_workbook_imports_into_entries_whose_texts_look_like_numbers(property_workspace):
    """Found by the export -> import round trip of the property test: a cited section written
    1e5 (text to the loader, which reads YAML 1.1: `showcase check` accepts it) is the number
    100000.0 to the import's round-trip editor (YAML 1.2), so `showcase import --update` refuses
    the entry: "案例!3 ... should be text"."""
    root, image, cache = property_workspace
    content = Content.plain(**{"excellent/hostile-case.yaml:sources[1].section": "1e5"})
    assert "section: 1e5" in content.yaml_texts()["excellent/hostile-case.yaml"]
    check_content(content, root / "yaml-versions", image, cache, formats=["xlsx"])


def test_a_noncharacter_in_a_text_is_kept_or_reported(tmp_path):
    """Found by the import and translation round trips: since the loader uses U+FDD0 as its
    placeholder, a text holding one loses it without a warning, and a photo credit of just U+FDD0,
    accepted by `showcase import`, makes a file the build refuses ("zh must not be empty")."""
    from generator.load import read_yaml

    path = tmp_path / "entry.yaml"
    path.write_text('title: "示例\\ufdd0"\ncredit: "\\ufdd0"\n', encoding="utf-8")
    source, diagnostics = read_yaml(path, tmp_path)
    kept = source.data == {"title": "示例\ufdd0", "credit": "\ufdd0"}
    reported = {d.field for d in diagnostics} >= {"title", "credit"}
    assert kept or reported, (source.data, [d.format("en") for d in diagnostics])


def test_a_character_removed_inside_a_block_text_is_reported_with_its_field(tmp_path):
    """Found by the property test: bodies are written as `|` blocks, and a vertical tab or a bidi
    override pasted into their second line was reported as "x.yaml:4: invisible control
    characters were removed" with no field."""
    from generator.load import read_yaml

    path = tmp_path / "entry.yaml"
    path.write_text("body:\n  zh: |\n    first\n    sec\x0bond\nstreet:\n  zh: 'one\n\n    two\u202e'\n", encoding="utf-8")
    source, diagnostics = read_yaml(path, tmp_path)
    assert source.data == {"body": {"zh": "first\nsecond\n"}, "street": {"zh": "one\ntwo"}}
    assert sorted((d.line, d.field) for d in diagnostics) == [(4, "body.zh"), (8, "street.zh")], \
        [d.format("en") for d in diagnostics]


def test_a_raw_next_line_character_reads_as_yaml_reads_it_so_an_import_changes_no_other_text(tmp_path):
    """Found by the translation round trip: YAML writers put U+0085 (NEXT LINE) into a quoted text
    as a line break followed by indentation. YAML reads 'a<NEL>      b' as "a b"; the loader read
    "a      b", and the next `translations import` (which rewrites the file with a YAML library)
    turned the untouched Chinese into "a b"."""
    import yaml

    from generator.authoring import yamledit
    from generator.load import read_yaml

    path = tmp_path / "entry.yaml"
    path.write_text("title:\n  zh: 'a\x85      b'\n", encoding="utf-8")
    source, _ = read_yaml(path, tmp_path)
    before = source.data["title"]["zh"]
    document = yamledit.load(path)
    yamledit.set_text(document, ("title",), "en", "A")
    path.write_text(yamledit.dumps(document), encoding="utf-8")
    source, _ = read_yaml(path, tmp_path)
    assert source.data["title"]["zh"] == before, (before, source.data["title"]["zh"])
    assert before == yaml.safe_load("title:\n  zh: 'a\x85      b'\n")["title"]["zh"]


def test_an_import_leaves_a_text_that_looks_like_a_huge_number_as_it_is(tmp_path):
    """Found by the export -> import round trip of the property test: a location note `zh: 1e309`
    (text to the build) came back from `showcase import --update` as `.inf`, and the build then
    stopped: "location.note.zh: inf should be text"."""
    from generator.authoring import yamledit
    from generator.load import read_yaml

    path = tmp_path / "entry.yaml"
    path.write_text("title:\n  zh: 标题\nnote:\n  zh: 1e309\nsection: 1e309\n", encoding="utf-8")
    document = yamledit.load(path)
    yamledit.set_text(document, ("title",), "en", "Title")
    path.write_text(yamledit.dumps(document), encoding="utf-8")
    source, _ = read_yaml(path, tmp_path)
    assert source.data["note"] == {"zh": "1e309"} and source.data["section"] == "1e309", source.data


def test_the_round_trip_editor_writes_after_thousands_of_writes_in_one_process():
    """Found by the workbook round-trip property test (issue 14): each write registered the
    editor's string representers again on ruamel's class-wide table, wrapping the previous
    wrapper, so after about a thousand writes in one process (a long import, the property tests)
    writing a quoted text ran out of stack: RecursionError."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    from generator.authoring import yamledit

    for _ in range(3000):
        yamledit._yaml()
    document = yamledit.plain({"a": "x"})
    document["b"] = SingleQuotedScalarString("kept quoted")
    document["c"] = SingleQuotedScalarString("kept\u2028quoted")
    assert yamledit.dumps(document) == 'a: x\nb: \'kept quoted\'\nc: "kept\\Lquoted"\n'
