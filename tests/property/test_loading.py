"""Loading never raises, whatever staff type into a YAML file by hand: a value unquoted, in single
or double quotes typed without escaping, as a literal or folded block, a flow or block mapping of
zh/en. The outcome is either the entry, with each text as YAML reads it (control characters
removed, whitespace stripped), or bilingual errors with file, line and field, only where the
hand-typed values are."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.collection import load_collection

from .profiles import settings_for
from .strategies import Content, expected, hostile_text, read_as_loader

CASE = "excellent/hostile-case.yaml"
FIELDS = ["title", "street", "address", "summary", "body"]
STYLES = ["plain", "single", "double as typed", "literal", "folded", "flow map", "block map", "block map quoted"]


def typed(key: str, style: str, zh: str, en: str) -> str:
    """`key: value` as someone types it in a text editor, without thinking about YAML."""
    one_line = zh.replace("\r", " ").replace("\n", " ")
    indented = "\n".join("  " + line for line in zh.split("\n"))
    if style == "plain":
        return f"{key}: {one_line}"
    if style == "single":
        return f"{key}: '" + zh.replace("'", "''") + "'"
    if style == "double as typed":
        return f'{key}: "{zh}"'
    if style == "literal":
        return f"{key}: |\n{indented}"
    if style == "folded":
        return f"{key}: >\n{indented}"
    if style == "flow map":
        return f"{key}: {{zh: {one_line}, en: {en.replace(chr(10), ' ')}}}"
    if style == "block map":
        return f"{key}:\n  zh: {one_line}\n  en: {en.replace(chr(10), ' ')}"
    return f"{key}:\n  zh: '" + zh.replace("'", "''") + "'\n  en: '" + en.replace("'", "''") + "'"


@st.composite
def hand_typed_case(draw) -> tuple[str, dict[str, str]]:
    """(the case file's text, {field: the line(s) typed for it})."""
    fields = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True))
    content = Content.plain()
    data = content.files()[CASE]
    del data["media"]  # no photos to copy: loading is what is tested
    for name in fields:
        data[name] = f"@@{name}@@"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9)
    lines = {}
    for name in fields:
        line = typed(name, draw(st.sampled_from(STYLES)), draw(hostile_text), draw(hostile_text))
        text = text.replace(f"{name}: '@@{name}@@'", line).replace(f"{name}: \"@@{name}@@\"", line).replace(f"{name}: @@{name}@@", line)
        lines[name] = line
    assert not any(f"@@{name}@@" in text for name in fields), text
    return text, lines


def _as_text(value):
    """What a Text field holds for a YAML value (Text takes a string, an int or a float as its
    Chinese); None when the value cannot be a Text (the model reports it)."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dt.date)):
        return None
    if isinstance(value, (str, int, float)):
        return {"zh": expected(str(value)), "en": None}
    if isinstance(value, dict) and set(value) <= {"zh", "en"}:
        zh, en = value.get("zh"), value.get("en")
        if not all(v is None or isinstance(v, str) for v in (zh, en)):
            return None
        return {"zh": expected(zh), "en": expected(en)}
    return None


def check_loading(tmp_path, text: str, lines: dict[str, str]) -> None:
    content = tmp_path / "cases"
    (content / "excellent").mkdir(parents=True, exist_ok=True)
    (content / "documents.yaml").write_text(Content.plain().yaml_texts()["documents.yaml"], encoding="utf-8")
    (content / CASE).write_text(text, encoding="utf-8")
    collection, diagnostics = load_collection(content, display_root=tmp_path)  # never raises
    reference = read_as_loader(text)
    errors = diagnostics.errors
    for d in diagnostics:
        d.format_bilingual()
        assert d.file == f"cases/{CASE}" and d.message.zh and d.message.en, d.format("en")
        if d.is_error:
            assert d.line and 1 <= d.line <= text.count("\n") + 2, d.format("en")
    if reference is None or not isinstance(reference, dict):
        assert errors and collection is None, "YAML that does not parse is an error"
        return
    texts = {name: _as_text(reference.get(name)) for name in lines}
    for d in errors:
        assert d.field, f"an error names its field: {d.format('en')}"
        name = d.field.split(".")[0].split("[")[0]
        assert name in lines, f"an error where nothing was typed by hand: {d.format('en')}\n{lines}"
    required = {"title", "summary"}
    refused = [name for name, t in texts.items()
               if (reference.get(name) is None and name in required)
               or (reference.get(name) is not None and (t is None or t["zh"] is None))]
    if refused:
        assert collection is None and any(d.field.split(".")[0] in refused for d in errors), \
            f"a value that is no text was accepted: {[lines[n] for n in refused]}"
        return
    assert not errors, [d.format("en") for d in errors]
    case = collection.cases["hostile-case"]
    for name, want in texts.items():
        got = getattr(case, name)
        if reference.get(name) is None:  # `street:` with nothing after it: the field is absent
            assert got is None, name
            continue
        assert got.zh == want["zh"], (name, got.zh, want["zh"])
        assert got.en == want["en"], (name, got.en, want["en"])


@settings_for(60)
@given(case=hand_typed_case())
def test_text_typed_by_hand_loads_as_yaml_reads_it_or_gives_an_error_at_its_field(tmp_path_factory, case):
    text, lines = case
    check_loading(tmp_path_factory.mktemp("typed"), text, lines)
