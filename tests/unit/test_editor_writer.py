"""The editor's writer (generator/editor/writer.py, issue 19): what Decap CMS saves goes to disk the
way the project writes its files.

- Every entry file of every collection (and documents.yaml, and the `showcase new` scaffolds),
  read into the form and saved unchanged, is written back byte for byte: whether Decap's dump is
  emulated by PyYAML, by a form that sends its fields in the configuration's order with every
  empty optional field present, or (when node and editor/node_modules are there) by Decap's own
  YAML package, `yaml` 1.10, read and written exactly as decap-cms-core's formats/yaml.ts does.
- One value changed gives exactly the expected diff (comments on other lines kept).
- A new file is written in the form's order without empty values, and is a valid entry.
- Hostile text in a title, summary, body or caption is read by the build's own loader as the text
  typed (after the loader's documented cleaning), and no line outside the changed field changes.
- A naive writer (the form's data dumped) fails the unchanged-save check: the check can fail.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.authoring import yamledit
from generator.authoring.scaffold import render_scaffold
from generator.collection import ENTRY_KINDS
from generator.content.models import DocumentList
from generator.content.validate import validate_entry
from generator.editor.config import build_config
from generator.editor.writer import Shape, for_the_form, rewrite, shape_of
from generator.load import read_yaml
from tests.helpers import ROOT
from tests.property.profiles import settings_for
from tests.property.strategies import expected, hostile_text

CASES = ROOT / "cases"
CONFIG = build_config()
COLLECTIONS = {c["name"]: c for c in CONFIG["collections"]}
FOLDERS = ["excellent", "competition", "milestones", "exhibitions", "glossary", "pages", "statistics"]


def fields_of(name: str) -> list[dict]:
    collection = COLLECTIONS[name]
    return collection["fields"] if "fields" in collection else collection["files"][0]["fields"]


SHAPES: dict[str, Shape] = {name: shape_of(fields_of(name)) for name in [*FOLDERS, "documents"]}


def entry_files() -> list[tuple[str, Path]]:
    files = [(folder, path) for folder in FOLDERS for path in sorted((CASES / folder).glob("*.yaml"))]
    return [*files, ("documents", CASES / "documents.yaml")]


def model_of(name: str):
    return DocumentList if name == "documents" else ENTRY_KINDS[name]


# --- the `showcase new` scaffolds: hand-written layout, comments, empty fields --------------------
SCAFFOLDS = {
    "excellent": render_scaffold("case", {
        "id": "xuhui-tianlin", "title_zh": "田林社区食堂", "title_en": None, "district": "xuhui", "street": "田林街道",
        "year": 2024, "types": ["renminfang"], "construction": "renewal", "status": "in-operation",
        "summary_zh": "一个社区食堂。", "summary_en": None, "media_folder": "excellent/xuhui-tianlin"}),
    "competition": render_scaffold("site", {
        "id": "2024-17-tianlin", "year": 2024, "number": 17, "district": "xuhui", "street": "田林街道",
        "name_zh": "田林人民坊", "name_en": None, "construction": "new", "floor_area_m2": 1915,
        "media_folder": "competition/2024-17-tianlin"}),
    "milestones": render_scaffold("milestone", {
        "id": "2024-04-09-tianlin", "date": "2024-04-09", "title_zh": "田林人民坊开放", "title_en": None,
        "media_folder": "milestones/2024-04-09-tianlin"}),
    "glossary": render_scaffold("term", {
        "id": "tianlin-term", "term_zh": "田林", "term_en": None, "short_zh": "一个词。", "definition_zh": "一个词的定义。"}),
}


# --- Decap's side -------------------------------------------------------------------------------
class _DecapDumper(yaml.SafeDumper):
    """PyYAML as a stand-in for Decap's writer. PyYAML writes NEL, LS and PS raw and folds the
    line after them ('a<NEL>  b'), which no YAML 1.2 writer does (Decap's writes them as the
    characters they are): a text holding one is written double-quoted, where they are escaped."""


_DecapDumper.add_representer(
    str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s,
                                         style='"' if any(c in s for c in "\x85\u2028\u2029") else None))


def pyyaml_dump(form: dict) -> str:
    return yaml.dump(form, Dumper=_DecapDumper, allow_unicode=True, sort_keys=False)


def empty_of(widget: dict) -> Any:
    """What the form sends for an optional field left empty (booleans: nothing until ticked)."""
    kind = widget.get("widget")
    if kind == "list" or widget.get("multiple"):
        return []
    if kind == "object":
        return {f["name"]: empty_of(f) for f in widget["fields"] if f.get("widget") != "boolean"}
    return ""


def as_the_form_sends(value: Any, fields: list[dict]) -> Any:
    """`value` with its keys in the order of the fields and every field it lacks present empty."""
    if not isinstance(value, dict):
        return value
    out = {}
    for widget in fields:
        name = widget["name"]
        if name in value:
            item = value[name]
            if widget.get("widget") == "object" and isinstance(item, dict):
                item = as_the_form_sends(item, widget["fields"])
            elif widget.get("widget") == "list" and "fields" in widget and isinstance(item, list):
                item = [as_the_form_sends(i, widget["fields"]) for i in item]
            out[name] = item
        elif widget.get("widget") != "boolean":
            out[name] = empty_of(widget)
    out.update({k: v for k, v in value.items() if k not in out})  # what the form does not know: as it was
    return out


class Decap:
    """decap-cms-core's formats/yaml.ts run by node on Decap's own `yaml` package: `read` is its
    fromFile, `write` its toFile (keys sorted by the collection's fields). One process for the
    whole module, spoken to in lines of JSON."""

    SCRIPT = r"""
const yaml = require(process.argv[1]);
const readline = require('readline');
function sortKeys(sortedKeys) {
  return (a, b) => {
    const idxA = sortedKeys.indexOf(a.key && a.key.toString()), idxB = sortedKeys.indexOf(b.key && b.key.toString());
    if (idxA === -1 || idxB === -1) return 0;
    return idxA > idxB ? 1 : idxA < idxB ? -1 : 0;
  };
}
readline.createInterface({input: process.stdin}).on('line', line => {
  const request = JSON.parse(line);
  let answer;
  if ('read' in request) {
    const doc = yaml.parseDocument(request.read, {prettyErrors: true});
    answer = doc.errors.length ? {error: doc.errors.map(e => e.message).join('\n')} : {data: doc.toJSON()};
  } else {
    const contents = yaml.createNode(request.write);
    contents.items.sort(sortKeys(request.keys));
    const doc = new yaml.Document();
    doc.contents = contents;
    answer = {text: doc.toString()};
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
"""

    def __init__(self, package: Path):
        self.process = subprocess.Popen(["node", "-e", self.SCRIPT, str(package)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def _ask(self, request: dict) -> dict:
        # ensure_ascii: LS and PS would end the line for a reader that splits on them
        self.process.stdin.write(json.dumps(request, ensure_ascii=True) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def read(self, text: str) -> Any:
        answer = self._ask({"read": text})
        assert "error" not in answer, answer["error"]
        return answer["data"]

    def write(self, form: dict, keys: list[str]) -> str:
        return self._ask({"write": form, "keys": keys})["text"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def decap():
    package = ROOT / "editor" / "node_modules" / "yaml"
    if shutil.which("node") is None or not (package / "package.json").exists():
        pytest.skip("node or editor/node_modules (npm ci in editor/) is missing")
    runner = Decap(package)
    yield runner
    runner.close()


# --- helpers ------------------------------------------------------------------------------------
def changes(old: str, new: str) -> list[str]:
    """The lines removed (-) and added (+), as `git diff` shows them."""
    return [line.rstrip("\n") for line in difflib.unified_diff(old.splitlines(True), new.splitlines(True), n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def form_of(text: str, shape: Shape) -> dict:
    return yaml.safe_load(for_the_form(text, shape))


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def unchanged_save(writer, name: str, text: str, variant: str) -> str:
    shape = SHAPES[name]
    form = form_of(text, shape)
    if variant == "form":
        form = as_the_form_sends(form, fields_of(name))
    return writer(pyyaml_dump(form), text, shape)


def assert_unchanged_save(writer, name: str, text: str, variant: str) -> None:
    assert unchanged_save(writer, name, text, variant) == text


def entry(tmp: Path, name: str, text: str):
    """The build's reading of `text` as an entry of collection `name`: (model, diagnostics)."""
    path = tmp / (f"{name}.yaml" if name == "documents" else f"{name}/entry.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    source, diagnostics = read_yaml(path, tmp)
    assert source is not None, [d.format("en") for d in diagnostics]
    model, problems = validate_entry(source, model_of(name))
    return model, source, [*diagnostics, *problems]


# --- 1. an unchanged save changes nothing ---------------------------------------------------------
ALL = [pytest.param(name, path, id=path.relative_to(CASES).as_posix()) for name, path in entry_files()]
SCAFFOLD_PARAMS = [pytest.param(name, text, id=f"scaffold-{name}") for name, text in SCAFFOLDS.items()]


def test_every_collection_has_sample_files():
    found = {name for name, _ in entry_files()}
    assert found == {*FOLDERS, "documents"}
    assert len(entry_files()) > 50


@pytest.mark.parametrize("variant", ["pyyaml", "form"])
@pytest.mark.parametrize("name, path", ALL)
def test_unchanged_save_of_every_entry_is_byte_identical(name, path, variant):
    assert_unchanged_save(rewrite, name, path.read_text(encoding="utf-8"), variant)


@pytest.mark.parametrize("variant", ["pyyaml", "form"])
@pytest.mark.parametrize("name, text", SCAFFOLD_PARAMS)
def test_unchanged_save_of_a_scaffold_is_byte_identical(name, text, variant):
    assert_unchanged_save(rewrite, name, text, variant)


@pytest.mark.parametrize("name, text", [
    *[pytest.param(name, path.read_text(encoding="utf-8"), id=path.relative_to(CASES).as_posix()) for name, path in entry_files()],
    *SCAFFOLD_PARAMS])
def test_unchanged_save_through_decaps_own_yaml_is_byte_identical(decap, name, text):
    shape = SHAPES[name]
    form = decap.read(for_the_form(text, shape))
    keys = [f["name"] for f in fields_of(name)]
    assert rewrite(decap.write(form, keys), text, shape) == text
    assert rewrite(decap.write(as_the_form_sends(form, fields_of(name)), keys), text, shape) == text


def test_a_plain_chinese_text_reaches_the_form_as_zh_and_an_unchanged_save_keeps_it_plain():
    text = (CASES / "excellent" / "changning-ningjuli.yaml").read_text(encoding="utf-8")
    plain = text.replace("title:\n  zh: “宁聚里”党群服务中心\n  en: Ningjuli Party and community service centres\n",
                         "title: “宁聚里”党群服务中心    # 只有中文\n")
    assert plain != text
    shape = SHAPES["excellent"]
    assert form_of(plain, shape)["title"] == {"zh": "“宁聚里”党群服务中心"}
    for variant in ("pyyaml", "form"):
        assert unchanged_save(rewrite, "excellent", plain, variant) == plain


def test_a_list_of_texts_written_plain_reaches_the_form_as_zh():
    """organisers is a list of texts: a plain Chinese organiser must show in the form's zh field."""
    text = (CASES / "exhibitions" / "2024-excellent-cases.yaml").read_text(encoding="utf-8")
    plain = text.replace("  - {zh: 市、区协力举办, en: Held jointly by the city and the districts}\n", "  - 市、区协力举办\n")
    assert plain != text
    shape = SHAPES["exhibitions"]
    assert form_of(plain, shape)["organisers"] == [{"zh": "市、区协力举办"}]
    assert unchanged_save(rewrite, "exhibitions", plain, "form") == plain


# --- 2. one change, one diff --------------------------------------------------------------------
NINGJULI = (CASES / "excellent" / "changning-ningjuli.yaml").read_text(encoding="utf-8")


def save(text: str, name: str, change, variant: str = "form") -> str:
    shape = SHAPES[name]
    form = form_of(text, shape)
    change(form)
    if variant == "form":
        form = as_the_form_sends(form, fields_of(name))
    out = rewrite(pyyaml_dump(form), text, shape)
    assert comments(out) == comments(text) or variant == "removes a comment"
    return out


def test_changing_the_english_title_changes_one_line():
    out = save(NINGJULI, "excellent", lambda f: f["title"].__setitem__("en", "A new English title"))
    assert changes(NINGJULI, out) == ["-  en: Ningjuli Party and community service centres", "+  en: A new English title"]


def test_changing_a_number_changes_one_line():
    out = save(NINGJULI, "excellent", lambda f: f.__setitem__("year", 2023))
    assert changes(NINGJULI, out) == ["-year: 2024", "+year: 2023"]
    out = save(NINGJULI, "excellent", lambda f: f["location"].__setitem__("lat", 31.215))
    assert changes(NINGJULI, out) == ["-  lat: 31.2120", "+  lat: 31.215"]


def test_a_number_given_to_an_empty_field_keeps_its_comment():
    text = SCAFFOLDS["excellent"]
    out = save(text, "excellent", lambda f: f.__setitem__("floor_area_m2", 1200))
    [before, after] = changes(text, out)
    assert before.startswith("-floor_area_m2:    # 建筑面积")
    assert after == "+floor_area_m2: 1200 " + before[len("-floor_area_m2:    "):]


def test_changing_a_list_items_caption_changes_one_line():
    def change(form):
        form["media"][0]["caption"]["en"] = "A placeholder, not a photograph"
    out = save(NINGJULI, "excellent", change)
    assert changes(NINGJULI, out) == [
        '-    caption: {zh: 示意占位图（项目自动生成，非实景照片）, en: "Placeholder image generated by the project, not a photograph"}',
        '+    caption: {zh: 示意占位图（项目自动生成，非实景照片）, en: "A placeholder, not a photograph"}']


def test_english_added_to_a_chinese_only_plain_text_keeps_the_comment():
    text = SCAFFOLDS["excellent"]
    out = save(text, "excellent", lambda f: f["street"].__setitem__("en", "Tianlin Subdistrict"))
    assert changes(text, out) == [
        "-street: 田林街道    # 街道或镇，例如 新华路街道；中英文都写时换成 zh:/en: 两行 / sub-district or town",
        "+street:         # 街道或镇，例如 新华路街道；中英文都写时换成 zh:/en: 两行 / sub-district or town",
        "+  zh: 田林街道",
        "+  en: Tianlin Subdistrict"]


def test_removing_an_optional_field_removes_its_lines_only():
    out = save(NINGJULI, "excellent", lambda f: f.pop("status"))
    assert changes(NINGJULI, out) == ["-status: in-operation"]
    out = save(NINGJULI, "excellent", lambda f: f["location"].pop("note"))
    assert changes(NINGJULI, out) == [
        "-  note:",
        "-    zh: 区级近似位置（“宁聚里”是全区的党群服务阵地体系，并非单一地点）",
        "-    en: Approximate, district level (Ningjuli is a district-wide network of centres, not a single place)"]


def test_clearing_an_english_text_removes_it():
    """The form sends a cleared English as "" (or leaves it out): the file's `en` goes."""
    for cleared in ("", None, "   "):
        def change(form, cleared=cleared):
            if cleared is None:
                form["title"].pop("en")
            else:
                form["title"]["en"] = cleared
        for variant in ("form", "pyyaml"):
            out = save(NINGJULI, "excellent", change, variant)
            assert changes(NINGJULI, out) == ["-  en: Ningjuli Party and community service centres"]


def test_adding_a_media_item_adds_its_lines_at_the_end_of_the_list():
    def change(form):
        form["media"].append({"file": "photo-2.jpg", "kind": "photo", "alt": {"zh": "社区中心外观", "en": ""}})
    out = save(NINGJULI, "excellent", change)
    assert changes(NINGJULI, out) == ["+  - file: photo-2.jpg", "+    kind: photo", "+    alt:", "+      zh: 社区中心外观"]
    lines = out.splitlines()
    assert lines[lines.index("  - file: photo-2.jpg") + 4] == "sources:"


def test_a_media_item_added_to_an_empty_list_is_read_by_the_build(tmp_path):
    """`media: []` followed by the scaffold's commented-out examples: the item goes below them,
    the comments all stay, and the build reads the item."""
    text = SCAFFOLDS["excellent"]
    out = save(text, "excellent", lambda f: f.__setitem__("media", [{"file": "a.jpg", "alt": {"zh": "食堂"}}]))
    removed = [line for line in changes(text, out) if line.startswith("-")]
    assert len(removed) == 1 and removed[0].startswith("-media: []    # 照片放进同名文件夹")
    source, _ = read_yaml(_write(tmp_path / "excellent" / "x.yaml", out), tmp_path)
    assert source.data["media"] == [{"file": "a.jpg", "alt": {"zh": "食堂"}}]
    assert {k: v for k, v in source.data.items() if k != "media"} == {k: v for k, v in yaml.safe_load(text).items() if k != "media"}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- 3. a new file ------------------------------------------------------------------------------
NEW_CASE = {
    "id": "xuhui-tianlin-canteen", "title": {"zh": "田林社区食堂", "en": "Tianlin community canteen"},
    "district": "xuhui", "year": 2024, "types": ["renminfang"], "services": ["elderly-care"],
    "location": {"lat": 31.1750, "lon": 121.4300}, "summary": {"zh": "老人和居民的社区食堂。"},
}


def _empties(value: Any, path: tuple = ()) -> list[tuple]:
    if value in (None, "", [], {}):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _empties(v, path + (k,))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _empties(v, path + (i,))]
    return []


@pytest.mark.parametrize("dump", ["pyyaml", "decap"])
def test_a_new_file_is_written_in_the_forms_order_without_empty_values(tmp_path, dump, request):
    fields = fields_of("excellent")
    form = as_the_form_sends(NEW_CASE, fields)
    assert _empties(form)  # the form sends empty fields…
    if dump == "pyyaml":
        raw = pyyaml_dump(form)
    else:
        raw = request.getfixturevalue("decap").write(form, [f["name"] for f in fields])
    text = rewrite(raw, None, SHAPES["excellent"])
    written = yaml.safe_load(text)
    assert _empties(written) == []  # …the file has none
    order = [f["name"] for f in fields]
    assert list(written) == [k for k in order if k in NEW_CASE]
    assert list(written) == sorted(NEW_CASE, key=order.index)
    model, source, diagnostics = entry(tmp_path, "excellent", text)
    assert diagnostics == [] and model is not None
    assert source.data == NEW_CASE
    assert model.title.en == "Tianlin community canteen" and model.summary.en is None


# --- 4. hostile text ----------------------------------------------------------------------------
# What YAML, Markdown and the loader might misread, written into texts people type.
TRICKY = ["'", '"', "''", ": ", " #", "#", "{{", "}}", "{", "[", "]", ",", "@", "*", "&", "!", "%", "|", ">", "`", "- ",
          "? ", "yes", "no", "on", "off", "Yes", "ON", "y", "n", "~", "null", "true", "=", "<<", "1e5", "2014", "1:20",
          "1_000", "0o17", "0x1F", ".5", "+1", "2024-04-09", "2024-02-30", "\n", "\n\n", "\r\n", "\x85", "\u2028",
          "\u2029", "\t", "\u3000", " ", "\u00a0", "😀", "👨\u200d👩\u200d👧", "长宁区", "人民坊", "\x00", "\x0b", "\x1b",
          "\x7f", "\x9b", "\ufeff", "\ufffe", "\uffff", "\u202e", "\u2066", "\ufdd0", "\ufdef", "\\", "\\n", "...", "---"]
tricky_text = st.lists(st.one_of(st.sampled_from(TRICKY), st.sampled_from(TRICKY), hostile_text), min_size=1, max_size=6).map("".join)
tricky_zh = tricky_text.map(lambda s: s if expected(s) else s + "字")  # Chinese is required: never blank

# (collection, file, the field's path in the file, whether it is the Chinese of a required text)
TARGETS = [
    ("excellent", "excellent/changning-ningjuli.yaml", ("title", "zh"), True),
    ("excellent", "excellent/changning-ningjuli.yaml", ("title", "en"), False),
    ("excellent", "excellent/changning-ningjuli.yaml", ("summary", "zh"), True),
    ("excellent", "excellent/changning-ningjuli.yaml", ("summary", "en"), False),
    ("excellent", "excellent/changning-ningjuli.yaml", ("body", "zh"), True),
    ("excellent", "excellent/changning-ningjuli.yaml", ("body", "en"), False),
    ("excellent", "excellent/changning-ningjuli.yaml", ("media", 0, "caption", "zh"), True),
    ("excellent", "excellent/changning-ningjuli.yaml", ("media", 0, "caption", "en"), False),
    ("competition", "competition/2024-07-jiangwan.yaml", ("name", "en"), False),
    ("competition", "competition/2024-07-jiangwan.yaml", ("location", "note", "zh"), True),
    ("exhibitions", "exhibitions/2024-excellent-cases.yaml", ("rooms", 0, "title", "en"), False),
    ("exhibitions", "exhibitions/2024-excellent-cases.yaml", ("rooms", 0, "text", "zh"), True),
    ("exhibitions", "exhibitions/2024-excellent-cases.yaml", ("organisers", 0, "zh"), True),
]
TEXTS = {file: (CASES / file).read_text(encoding="utf-8") for _, file, _, _ in TARGETS}


def _set(data: Any, loc: tuple, value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _get(data: Any, loc: tuple) -> Any:
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _region(source, loc: tuple, total: int) -> tuple[int, int]:
    """The lines (first, last; 1-based) of the field `loc` in a file the loader read."""
    first = source.lines[loc]
    after = [line for l, line in source.lines.items() if line > first and l[:len(loc)] != loc]
    return first, (min(after) - 1 if after else total)


def _model_value(model, loc: tuple) -> Any:
    value = model.model_dump(mode="python")
    return _get(value, loc)


_models: dict[str, Any] = {}


def _original(tmp: Path, name: str, file: str):
    if file not in _models:
        _models[file] = entry(tmp, name, TEXTS[file])
    return _models[file]


def check_hostile_save(tmp: Path, target, value: str, writer: str, decap: Decap | None) -> None:
    name, file, loc, _ = target
    text, shape = TEXTS[file], SHAPES[name]
    before, before_source, problems = _original(tmp, name, file)
    assert before is not None and not problems
    keys = [f["name"] for f in fields_of(name)]
    if writer == "decap":
        form = decap.read(for_the_form(text, shape))
        _set(form, loc, value)
        raw = decap.write(as_the_form_sends(form, fields_of(name)), keys)
    else:
        form = form_of(text, shape)
        _set(form, loc, value)
        raw = pyyaml_dump(as_the_form_sends(form, fields_of(name)) if writer == "form" else form)
    out = rewrite(raw, text, shape)

    after, _, diagnostics = entry(tmp, name, out)
    assert after is not None, [d.format("en") for d in diagnostics]
    assert not any(d.is_error for d in diagnostics), [d.format("en") for d in diagnostics]
    # the value the build reads is the value typed, as the loader documents (cleaned, stripped)
    assert _model_value(after, loc) == expected(value)
    # and nothing else changed: the same entry but for that field…
    expect = before.model_dump(mode="python")
    _set(expect, loc, expected(value))
    assert after.model_dump(mode="python") == expect
    # …and the same lines outside it
    old, new = text.splitlines(True), out.splitlines(True)
    first, last = _region(before_source, loc, len(old))
    tail = len(old) - last
    assert new[:first - 1] == old[:first - 1]
    assert new[len(new) - tail:] == old[last:] and len(new) - tail >= first - 1


targets = st.sampled_from(TARGETS)


@st.composite
def hostile_edit(draw):
    target = draw(targets)
    return target, draw(tricky_zh if target[3] else tricky_text)


@settings_for(250)
@given(edit=hostile_edit(), writer=st.sampled_from(["pyyaml", "form"]))
def test_hostile_text_is_read_by_the_build_as_typed_and_nothing_else_changes(tmp_path_factory, edit, writer):
    check_hostile_save(_tmp(tmp_path_factory), edit[0], edit[1], writer, None)


@settings_for(250)
@given(edit=hostile_edit())
def test_hostile_text_saved_by_decaps_own_yaml_is_read_by_the_build_as_typed(tmp_path_factory, decap, edit):
    check_hostile_save(_tmp(tmp_path_factory), edit[0], edit[1], "decap", decap)


_tmps: dict[int, Path] = {}


def _tmp(factory) -> Path:
    key = id(factory)
    if key not in _tmps:
        _tmps[key] = factory.mktemp("writer")
    return _tmps[key]


@pytest.mark.parametrize("value", ["yes", "on", "1:20", "1_000", "=", "<<", "a\u2028b", "a\x85b", "x\ufffey", "2014",
                                   "1e5", "2024-02-30", "null"])
def test_what_decap_writes_plain_is_the_text_typed(tmp_path, decap, value):
    """Decap writes YAML 1.2: `yes`, `1:20`, `=` plain, LS raw. The build (YAML 1.1) would read
    True, 80, an error, a line break; the writer reads them as Decap meant."""
    check_hostile_save(tmp_path, TARGETS[1], value, "decap", decap)


# --- 5. the checks can fail ---------------------------------------------------------------------
def naive(raw: str, current: str | None, shape: Shape) -> str:
    """What Decap itself does: the form's data, dumped."""
    return yamledit.dumps(yamledit.plain(yaml.safe_load(raw)))


def test_the_unchanged_save_check_fails_for_a_writer_that_dumps_the_form():
    differing = [path for name, path in entry_files()
                 if unchanged_save(naive, name, path.read_text(encoding="utf-8"), "form") != path.read_text(encoding="utf-8")]
    assert len(differing) == len(entry_files())  # the form's order and empties, lost comments and quotes
    for variant in ("pyyaml", "form"):
        with pytest.raises(AssertionError):
            assert_unchanged_save(naive, "excellent", NINGJULI, variant)
        assert_unchanged_save(rewrite, "excellent", NINGJULI, variant)  # the same check passes for the writer


def test_the_hostile_check_fails_for_a_writer_that_reads_the_form_as_yaml_1_1(tmp_path, decap, monkeypatch):
    """Without read_form (the form's YAML read by PyYAML as the build reads files), `title.en: yes`
    saved by Decap becomes True: the hostile-text check sees it."""
    import generator.editor.writer as writer

    monkeypatch.setattr(writer, "read_form", lambda raw, shape: yaml.safe_load(raw))
    with pytest.raises(AssertionError):
        check_hostile_save(tmp_path, TARGETS[1], "yes", "decap", decap)


@pytest.mark.parametrize("value", ["\r字", "a\r\nb", "字\r"])
def test_a_carriage_return_is_written_as_the_line_break_the_build_reads(tmp_path, value):
    """Found by the hostile-text property: "\\r" written raw in a block text broke its indentation."""
    for target in (TARGETS[4], TARGETS[0]):  # body.zh (a block text), title.zh
        check_hostile_save(tmp_path, target, value, "pyyaml", None)


@pytest.mark.parametrize("value", ["\t字", "\t字\n第二行", "2024-04-09", "2014"])
def test_new_text_in_the_place_of_a_block_or_a_date_is_read_as_typed(tmp_path, value):
    """Found by the hostile-text property: ruamel gave a new body the old one's literal block
    style (`|-` then a tab, which the build cannot read); a title 2024-04-09 became a date."""
    for target in (TARGETS[4], TARGETS[0], TARGETS[6]):  # body.zh (a block), title.zh, a flow caption
        check_hostile_save(tmp_path, target, value, "pyyaml", None)


def test_a_text_ruamel_would_write_as_broken_yaml_is_written_double_quoted(tmp_path):
    """Found by the hostile-text property: ruamel wrote `caption: {zh: ? '', en: …}` (not YAML)."""
    for value in ("? '", "? x", "?"):
        check_hostile_save(tmp_path, TARGETS[6], value, "pyyaml", None)  # a caption in a flow mapping


@pytest.mark.parametrize("value", ["yes\t'", "a\tb", "\t字", "字\t\t字"])
def test_a_tab_inside_what_decap_writes_is_part_of_the_text(tmp_path, decap, value):
    """Found by the hostile-text property: Decap writes `zh: yes<TAB>'` plain, which PyYAML
    cannot read; the save was written as Decap sent it (empty fields, no comments)."""
    check_hostile_save(tmp_path, TARGETS[0], value, "decap", decap)


def test_a_character_decaps_yaml_splits_at_a_folded_line_is_whole_again(tmp_path, decap):
    """Found by the hostile-text property: Decap's `yaml` folds a long double-quoted line between
    the two UTF-16 halves of a character beyond U+FFFF; the character was lost."""
    value = "长" * 70 + "\x13" + "\U00014973" * 20 + "\x7f"
    raw = decap.write({"t": value}, [])
    assert "\\\n" in raw and any("\ud800" <= c <= "\udfff" for c in raw)  # the split this is about
    for target in (TARGETS[0], TARGETS[12]):  # title.zh, an exhibition room's text
        check_hostile_save(tmp_path, target, value, "decap", decap)


def test_a_new_case_gets_no_defaults_the_form_filled_in():
    """The form fills in switches at their defaults and an untouched location's approximate and
    datum; written, the case would say illustrative: false and have a location without lat and
    lon, which check refuses. They are left out of a new file, and out of a file that lacks them;
    a file that has them keeps them."""
    shape = shape_of(fields_of("excellent"))
    form = {"id": "xuhui-test", "illustrative": False, "title": {"zh": "测试", "en": ""}, "district": "xuhui",
            "year": 2025, "types": ["renminfang"], "location": {"approximate": False, "datum": "wgs84"},
            "summary": {"zh": "摘要。"}, "media": [{"file": "a.jpg", "kind": "photo", "placeholder": False}]}
    out = rewrite(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), None, shape)
    data = yaml.safe_load(out)
    assert "illustrative" not in data and "location" not in data, out
    assert data["media"] == [{"file": "a.jpg", "kind": "photo"}]
    # an existing file's illustrative: true and its location stay; an unchanged save changes nothing
    form = form_of(NINGJULI, shape)
    assert rewrite(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), NINGJULI, shape) == NINGJULI
    # a location with its point keeps the defaults the user may have set
    form = {**form, "location": {"lat": 31.2, "lon": 121.4, "approximate": True, "datum": "wgs84"}}
    out = yaml.safe_load(rewrite(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), NINGJULI, shape))
    assert out["location"]["lat"] == 31.2 and out["location"]["approximate"] is True
