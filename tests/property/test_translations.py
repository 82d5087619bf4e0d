"""The translation round trip with hostile text: `showcase translations` lists every Chinese text
that lacks English in a CSV whose cells never start like a formula, and `translations import` of
that CSV, with hostile English typed into it, writes the English exactly as typed (control
characters removed) and changes no Chinese."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from generator.authoring.translations import _cell, apply_translations, needed, read_csv, to_csv, write_state
from generator.authoring import yamledit
from generator.collection import load_collection

from .pipeline import FORMULA_START, small_jpeg, write_content
from .profiles import settings_for
from .strategies import Content, every_hole, expected, hostile_text, section_text, shown_text


@st.composite
def untranslated(draw) -> tuple[Content, list[str]]:
    """A content folder whose texts are all Chinese only, and the English to type for each."""
    values, english = [], []
    for _name, _loc, hole in every_hole():
        if hole.kind == "words":
            values.append(draw(section_text))
        else:
            values.append({"zh": draw(shown_text)})
            english.append(draw(hostile_text))
    return Content(values), english


@settings_for(8, slow=True)
@given(drawn=untranslated())
def test_hostile_text_goes_through_the_translation_csv_and_back_as_typed(tmp_path_factory, drawn):
    content, english = drawn
    root = tmp_path_factory.mktemp("translations")
    image = root / "image.jpg"
    small_jpeg(image)
    folder = write_content(root, content.yaml_texts(), image)
    collection, diagnostics = load_collection(folder, display_root=root)
    assert collection is not None, [d.format("en") for d in diagnostics.errors]
    before = {(s.display, loc): t.zh for s, loc, t in collection.texts()}

    items = needed(collection, folder)
    assert len(items) == len(before) == len(english), "every text lacks its English"
    exported = to_csv(items, "en")
    rows = list(csv.reader(io.StringIO(exported.removeprefix("\ufeff"), newline="")))
    for row in rows[1:]:
        assert not any(cell.startswith(FORMULA_START) for cell in row), row

    # the translator types the English into the last column; the file is saved as Excel does
    typed = dict(zip(((i.file, i.field) for i in items), english))
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow(row[:-1] + [_cell(typed[(row[0], row[1])])])
    path = root / "translations.csv"
    path.write_text("\ufeff" + stream.getvalue(), encoding="utf-8")

    applied = apply_translations(read_csv(path), collection, folder)
    assert not applied.skipped, [s.reason.en for s in applied.skipped]
    for file, text in applied.written.items():
        yamledit.write(file, text)
    write_state(folder, applied.state)

    collection, diagnostics = load_collection(folder, display_root=root)
    assert collection is not None, [d.format("en") for d in diagnostics.errors]
    by_field = {(s.path.relative_to(folder).as_posix(), loc): t for s, loc, t in collection.texts()}
    from generator.diagnostics import format_path

    for (file, field), english_typed in typed.items():
        text = next(t for (f, loc), t in by_field.items() if f == file and format_path(loc) == field)
        assert text.en == expected(english_typed), (file, field, text.en, english_typed)
    assert {(s.display, loc): t.zh for s, loc, t in collection.texts()} == before, "no Chinese changed"
