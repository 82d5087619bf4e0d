"""The web editor's configuration (generator/editor/): generated from the models, complete, valid for
Decap CMS, and safe with any text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import typing
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.collection import ENTRY_KINDS
from generator.content import models as m
from generator.content.reference import reference
from generator.editor import EditorNotInstalled, UnmappedField, admin_files, build_config, dump_config, index_html
from generator.editor import config as editor_config
from generator.editor.config import DATE_PATTERN, Context, folder_collection, model_fields, shape_of

ROOT = Path(__file__).resolve().parents[2]
EDITOR = ROOT / "editor"


@pytest.fixture(scope="module")
def config() -> dict:
    return build_config()


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def coverage_problems(model: type, fields: list[dict], where: str = "", inside_optional: bool = False) -> list[str]:
    """Every field of `model` (recursively) without a widget in `fields`, or with the wrong
    `required` (the model's; nothing inside an optional object, which the form could not leave
    empty otherwise: config.optional_inside), or a vocabulary select whose options are not the
    vocabulary's keys."""
    problems = []
    widgets = {f["name"]: f for f in fields}
    for name, info in model.model_fields.items():
        path = f"{where}{model.__name__}.{name}"
        widget = widgets.get(name)
        if widget is None:
            problems.append(f"{path}: no widget")
            continue
        expected = info.is_required() and not inside_optional
        if widget.get("required", True) != expected:
            problems.append(f"{path}: required is {widget.get('required', True)}, expected {expected}")
        shape, _ = shape_of(info.annotation, info.metadata, model, name)
        item = shape.item if shape.kind == "list" else shape
        if item is not None and item.kind == "vocabulary":
            keys = [t.key for t in item.vocabulary]
            if [o["value"] for o in widget.get("options", [])] != keys:
                problems.append(f"{path}: options differ from the vocabulary {item.vocabulary.name}")
            if widget.get("multiple", False) != (shape.kind == "list"):
                problems.append(f"{path}: multiple is wrong")
        if item is not None and item.kind == "text":
            sub = {f["name"]: f for f in widget.get("fields", [])}
            if set(sub) != {"zh", "en"}:
                problems.append(f"{path}: a bilingual text needs zh and en")
            elif sub["en"].get("required", True) or sub["zh"].get("required", True) != (
                    (info.is_required() and not inside_optional) or shape.kind == "list"):
                problems.append(f"{path}: zh/en required wrong")
        if item is not None and item.kind == "model" and item.model is not m.Text:
            # a list's items keep their rules (an item exists only when the user adds one)
            optional = shape.kind != "list" and (inside_optional or not info.is_required())
            problems += coverage_problems(item.model, widget.get("fields", []), f"{path} → ", optional)
        extra = set(widgets) - set(model.model_fields)
        if extra and not where and name == next(iter(model.model_fields)):
            problems.append(f"{model.__name__}: widgets for no field: {sorted(extra)}")
    return problems


def test_every_entry_kind_has_a_collection_that_covers_every_field(config):
    for folder, model in ENTRY_KINDS.items():
        c = collection(config, folder)
        assert c["folder"] == f"cases/{folder}" and c["extension"] == "yaml" and c["format"] == "yaml"
        assert c["create"] is True and c["identifier_field"] == "id"
        assert coverage_problems(model, c["fields"]) == [], folder
    documents = collection(config, "documents")["files"][0]
    assert documents["file"] == "cases/documents.yaml"
    assert coverage_problems(m.DocumentList, documents["fields"]) == []


def test_the_coverage_check_catches_a_new_field(config):
    class CaseWithMore(m.Case):
        storeys: int = 1

    problems = coverage_problems(CaseWithMore, collection(config, "excellent")["fields"])
    assert problems == ["CaseWithMore.storeys: no widget"]
    # and the generator itself refuses a field it has no label for, naming model and field
    with pytest.raises(UnmappedField, match=r"CaseWithMore\.storeys"):
        folder_collection("excellent", CaseWithMore)


def test_a_type_without_a_widget_is_an_error_naming_the_field():
    class Odd(m.Strict):
        id: dict[str, int] = {}

    with pytest.raises(UnmappedField, match=r"Odd\.id: the type"):
        model_fields(Odd, Context(None, ()))


def test_order_follows_the_scaffold(config):
    from generator.editor.hints import scaffold_order

    names = [f["name"] for f in collection(config, "excellent")["fields"]]
    written = [n for n in scaffold_order("case") if n in m.Case.model_fields]
    assert names[: len(written)] == written
    assert names[:3] == ["id", "illustrative", "title"]


def test_vocabulary_selects_show_both_names_and_store_the_key(config):
    district = next(f for f in collection(config, "excellent")["fields"] if f["name"] == "district")
    assert {"label": "长宁区 Changning", "value": "changning"} in district["options"]
    services = next(f for f in collection(config, "excellent")["fields"] if f["name"] == "services")
    assert services["multiple"] is True and len(services["options"]) == len(reference().services)


def test_hints_are_the_scaffold_comments(config):
    fields = {f["name"]: f for f in collection(config, "excellent")["fields"]}
    text = (ROOT / "generator/authoring/scaffolds/case.yaml.j2").read_text(encoding="utf-8")
    for name in ("id", "district", "year", "completed"):
        assert f"# {fields[name]['hint']}" in text
    assert fields["title"]["fields"][0]["hint"] == "案例名称（中文，必填）/ the case's name in Chinese (required)"
    media = {f["name"]: f for f in fields["media"]["fields"]}
    assert media["alt"]["hint"] == "替代文字（必填）/ alt text (required)"
    # an exhibition (no scaffold) gets the shared fields' hints
    exhibition = {f["name"]: f for f in collection(config, "exhibitions")["fields"]}
    assert exhibition["media"]["fields"][0]["hint"] == "文件名 / file name"
    # no hint tells the staff to remove a # from a file
    assert "remove the #" not in dump_config(config)


def test_media_uploads_go_into_the_entrys_own_folder_as_bare_names(config):
    for folder in ("excellent", "competition", "milestones", "exhibitions"):
        c = collection(config, folder)
        assert c["media_folder"] == f"/cases/{folder}/{{{{slug}}}}" and c["public_folder"] == ""
        media = next(f for f in c["fields"] if f["name"] == "media")
        assert next(f for f in media["fields"] if f["name"] == "file")["widget"] == "image"
    assert "media_folder" not in collection(config, "glossary")


def test_references_are_relation_widgets(config):
    rooms = next(f for f in collection(config, "exhibitions")["fields"] if f["name"] == "rooms")
    items = {f["name"]: f for f in next(f for f in rooms["fields"] if f["name"] == "items")["fields"]}
    assert items["case"]["widget"] == "relation" and items["case"]["collection"] == "excellent"
    assert items["site"]["display_fields"] == ["name.zh", "id"] and items["milestone"]["value_field"] == "id"
    glossary = {f["name"]: f for f in collection(config, "glossary")["fields"]}
    assert glossary["related"]["multiple"] is True and glossary["sites"]["collection"] == "competition"
    source = next(f for f in glossary["sources"]["fields"] if f["name"] == "document")
    assert source["collection"] == "documents" and source["value_field"] == "documents.*.id"


def test_backend_choices():
    local = build_config()
    assert local["backend"]["name"] == "proxy" and local["local_backend"]["url"].endswith("/api/v1")
    assert local["locale"] == "zh_Hans" and local["publish_mode"] == "simple"
    office = build_config(local_backend=None, publish_mode="editorial_workflow",
                          backend=editor_config.gitea_backend("office/showcase", "https://git.example.cn/", "abc"))
    assert office["backend"]["api_root"] == "https://git.example.cn/api/v1" and "local_backend" not in office
    with pytest.raises(ValueError):
        build_config(publish_mode="draft")


# --- dates: the form's pattern accepts only what the loader reads ----------------------------------

@given(st.from_regex(DATE_PATTERN, fullmatch=True))
def test_every_date_the_form_accepts_is_read_by_the_loader_or_explained(text):
    try:
        m.parse_partial_date(text)
    except Exception:
        message, _ = m.explain_bad_date(text)  # 2024-02-30: the day, named by check
        assert "不是有效日期" in message.zh and "这不是一个日期" not in message.zh


@pytest.mark.parametrize("text", ["2014", "2024-04", "2024-04-09"])
def test_the_three_forms(text):
    assert re.fullmatch(DATE_PATTERN, text) and m.parse_partial_date(text).iso() == text


@pytest.mark.parametrize("text", ["24", "2024-4", "2024/04", "2024-13", "2024-04-09T10:00", "2024年4月"])
def test_other_forms_are_refused_in_the_form(text):
    assert not re.fullmatch(DATE_PATTERN, text)


# --- untrusted text survives the YAML dump -------------------------------------------------------

PIECES = list("'\"{}[]:#&*!|>%@`\\\n\t -?,中…\u2028\x85") + ["{{", "}}", ": ", " #", "---", "...", "- "]
HOSTILE = st.one_of(st.lists(st.sampled_from(PIECES), max_size=15).map("".join), st.text(max_size=30))


@settings(max_examples=300, deadline=None)
@given(label=HOSTILE, hint=HOSTILE)
def test_hostile_labels_and_hints_round_trip(config, label, hint):
    district = json.loads(json.dumps(next(f for f in collection(config, "excellent")["fields"] if f["name"] == "district")))
    district["options"][0]["label"] = label
    district["hint"] = hint
    part = {"collections": [{"name": "excellent", "fields": [district]}]}
    assert yaml.safe_load(dump_config(part)) == part


def test_line_separators_are_escaped():  # PyYAML alone reads a raw NEL back as a line break
    for text in ("a\x85b", "\u2028", "x\u2029: {{y}}"):
        assert yaml.safe_load(dump_config({"hint": text})) == {"hint": text}


def test_the_whole_configuration_round_trips(config):
    assert yaml.safe_load(dump_config(config)) == config


# --- Decap's own schema ------------------------------------------------------------------------------

def test_the_configuration_passes_decaps_schema(config, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: Decap's schema check needs Node.js 20 (apt-get install nodejs)")
    if not (EDITOR / "node_modules" / "decap-cms-core").is_dir():
        pytest.skip("editor/node_modules is missing: run `npm ci` in editor/")
    path = tmp_path / "config.yml"
    path.write_text(dump_config(config), encoding="utf-8")
    done = subprocess.run([node, str(EDITOR / "validate-config.mjs"), str(path)], capture_output=True, text=True,
                          timeout=120)
    result = json.loads(done.stdout)
    assert result["valid"], result["errors"]
    assert {"select", "relation", "list", "object", "image", "markdown"} <= set(result["widgets"])
    # and the checker does refuse a wrong configuration
    broken = json.loads(json.dumps(config))
    collection(broken, "excellent")["fields"][3]["multiple"] = "yes"
    path.write_text(dump_config(broken), encoding="utf-8")
    done = subprocess.run([node, str(EDITOR / "validate-config.mjs"), str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and "must be boolean" in done.stdout


# --- /admin/ -------------------------------------------------------------------------------------------

def test_index_html_loads_the_local_bundle():
    page = index_html()
    assert '<html lang="zh-CN">' in page and "<title>内容编辑 · Content editor</title>" in page
    assert '<script src="decap-cms.js"></script>' in page and "http" not in page


def test_admin_files_without_npm_ci_says_what_to_run(tmp_path):
    with pytest.raises(EditorNotInstalled, match="npm ci") as caught:
        admin_files(tmp_path / "admin", bundle_dir=tmp_path / "missing")
    assert "editor/" in str(caught.value) and "请在" in str(caught.value)
    assert not (tmp_path / "admin").exists()


def test_admin_files_copies_the_bundle_and_its_chunks(tmp_path):
    bundle = tmp_path / "dist"
    bundle.mkdir()
    for name in ("decap-cms.js", "103.decap-cms.js", "dd5d52671a5763720504.wasm", "decap-cms.js.map", "cms.js"):
        (bundle / name).write_text(name)
    written = admin_files(tmp_path / "admin", bundle_dir=bundle)
    names = sorted(p.name for p in written)
    assert names == ["103.decap-cms.js", "config.yml", "dd5d52671a5763720504.wasm", "decap-cms.js", "index.html", "preview.js"]
    # the preview pane's script, and each collection's page address for it
    index = (tmp_path / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<script src="preview.js">' in index and '"excellent": "cases/{id}/"' in index
    assert yaml.safe_load((tmp_path / "admin" / "config.yml").read_text(encoding="utf-8"))["locale"] == "zh_Hans"
