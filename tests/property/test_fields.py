"""The property tests cover every text field: the fields are taken from the models themselves, so
a model that gains a text field fails here until strategies.SKELETONS fills it."""

from __future__ import annotations

import types
import typing
from pathlib import Path

from pydantic import BaseModel, BeforeValidator

from generator.collection import DOCUMENTS_FILE, ENTRY_KINDS
from generator.content.models import DocumentList, Text
from generator.diagnostics import format_path

from .pipeline import run, small_jpeg, write_content
from .strategies import SKELETONS, Content, Hole, every_hole, holes, token

# Plain `str` fields of the models: shown text (a hole of kind "words"), or names of things
# (files, addresses on the web, ids) that are checked as such and never shown as prose.
SHOWN_STRINGS = {"SourceRef.section", "Document.number", "TermNames.zh", "TermNames.en"}  # a glossary term's other spellings
NOT_PROSE = {"Media.file", "Media.url", "Media.poster", "ExhibitItem.media", "Exhibition.cover"}


class Constrained:
    """A str that is an id (a pattern) or a term of a vocabulary (a validator): never prose."""


def _constrained(metadata) -> bool:
    for item in metadata:
        if getattr(item, "pattern", None) or isinstance(item, BeforeValidator):
            return True
        if _constrained(getattr(item, "metadata", ()) or ()):
            return True
    return False


def _inner(annotation, metadata=()) -> list:
    """The types an annotation may hold (Optional, lists and Annotated unwrapped)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return [Constrained] if _constrained(extra) else _inner(inner)
    if annotation is str and _constrained(metadata):
        return [Constrained]
    if origin in (typing.Union, types.UnionType, list):
        return [t for arg in typing.get_args(annotation) for t in _inner(arg)]
    return [annotation]


def model_fields(model: type[BaseModel], prefix: tuple = ()):
    """(path, field type) for every field, nested models followed; list items as "[]"."""
    for name, info in model.model_fields.items():
        annotation = info.annotation
        path = prefix + (name,)
        if typing.get_origin(annotation) is list or any(typing.get_origin(a) is list for a in typing.get_args(annotation)):
            path += ("[]",)
        for inner in _inner(annotation, info.metadata):
            if inner is Text:
                yield path, Text
            elif isinstance(inner, type) and issubclass(inner, BaseModel):
                yield from model_fields(inner, path)
            else:
                yield path, inner


def _model_of(file_name: str) -> type[BaseModel]:
    return DocumentList if file_name == DOCUMENTS_FILE else ENTRY_KINDS[file_name.split("/")[0]]


def _normalised(loc: tuple) -> tuple:
    return tuple("[]" if isinstance(part, int) else part for part in loc)


def test_every_text_field_of_every_entry_kind_has_a_hole():
    covered: dict[type, set] = {}
    for name, skeleton in SKELETONS.items():
        covered.setdefault(_model_of(name), set()).update(_normalised(loc) for loc, hole in holes(skeleton))
    assert set(covered) == {*ENTRY_KINDS.values(), DocumentList}, "a skeleton for every entry kind and documents.yaml"
    for model, paths in covered.items():
        texts = {path for path, kind in model_fields(model) if kind is Text}
        missing = texts - paths
        assert not missing, f"{model.__name__}: text fields the property tests leave empty: {sorted(missing)}"


def test_every_plain_string_field_is_known_to_be_shown_text_or_a_name():
    seen = set()
    for model in {*ENTRY_KINDS.values(), DocumentList}:
        for path, kind in model_fields(model):
            if kind is str:
                owner = _owner(model, path)
                seen.add(owner)
                assert owner in SHOWN_STRINGS | NOT_PROSE, \
                    f"{owner} is a new plain-string field: add it to SHOWN_STRINGS (and a WORDS hole) or NOT_PROSE"
    assert SHOWN_STRINGS <= seen


def _owner(model: type[BaseModel], path: tuple) -> str:
    """"SourceRef.section" for ("sources", "[]", "section") of a Case."""
    current = model
    while path and path[-1] == "[]":  # a list of strings: the list's own field
        path = path[:-1]
    for part in path[:-1]:
        if part == "[]":
            continue
        annotation = current.model_fields[part].annotation
        current = next(t for t in _inner(annotation) if isinstance(t, type) and issubclass(t, BaseModel))
    return f"{current.__name__}.{path[-1]}"


def test_shown_strings_have_holes():
    words = {_owner(_model_of(name), _normalised(loc)) for name, loc, hole in every_hole() if hole.kind == "words"}
    assert words == SHOWN_STRINGS


# Text the site does not show on any page (the exports carry it). Listed so that the comparison
# of pages is known to cover every other field; a field that starts or stops being shown fails
# here, and this list says what readers see.
NOT_ON_PAGES = {
    ("documents.yaml", "documents[1].note"),  # in the JSON export only
    ("excellent/hostile-case.yaml", "media[4].alt"),  # a video: its caption describes it
    ("exhibitions/hostile-exhibition.yaml", "media[2].credit"),  # an exhibition's own image other than its cover: in the JSON export only
    ("milestones/hostile-milestone.yaml", "sources[1].section"),  # the timeline lists `documents`, not `sources`
    ("glossary/hostile-term.yaml", "aliases.en[1]"),  # English spellings: on the English glossary page (checked on Chinese pages here)
}
IN_JSON_EXPORT = {"documents.yaml", "excellent", "competition", "milestones", "exhibitions", "glossary"}


def test_every_field_is_shown_where_the_comparison_looks(tmp_path: Path):
    image = tmp_path / "image.jpg"
    small_jpeg(image)
    values = ["x" if hole.kind == "words" else {"zh": "示例", "en": "example"} for _f, _l, hole in every_hole()]
    content = Content(values)
    result = run(write_content(tmp_path, content.yaml_texts("sentinel"), image), tmp_path / "cache", tmp_path / "out",
                 formats=["json"])
    assert result.ok, [d.format("en") for d in result.diagnostics.errors]
    pages = {lang: "".join(spec.html for (_route, page_lang), spec in result.pages.items() if page_lang == lang)
             for lang in ("zh", "en")}
    exported = result.exports["json"][0].read_text(encoding="utf-8")
    not_shown = set()
    for number, (name, loc, hole) in enumerate(every_hole()):
        if hole.kind == "words":
            shown = token(number, "s") in pages["zh"]
        else:
            shown = token(number, "z") in pages["zh"] and token(number, "e") in pages["en"]
        if not shown:
            not_shown.add((name, format_path(loc)))
        if name.split("/")[0] in IN_JSON_EXPORT:
            assert token(number, "s" if hole.kind == "words" else "z") in exported, (name, format_path(loc))
    assert not_shown == NOT_ON_PAGES


def test_a_skeleton_hole_is_a_hole():
    assert all(isinstance(hole, Hole) for _name, _loc, hole in every_hole())
    assert len({(name, loc) for name, loc, _hole in every_hole()}) == len(every_hole())
