"""Decap CMS's `config.yml`, generated from the content models and the reference vocabularies.

One folder collection per entry kind (collection.ENTRY_KINDS), plus cases/documents.yaml as a
file collection. Each model field becomes a widget by its type: a bilingual Text an object of
中文 and English; a vocabulary field a select showing both names and storing the key; a
PartialDate a string with the date pattern; numbers, booleans, nested models and lists by their
type; a reference to another entry a relation widget; a media file an image upload into the
entry's own folder. Field order is the scaffold's (what `showcase new` writes), hints are the
scaffold's comments (hints.py), labels come from labels.py. A field the generator cannot map
raises UnmappedField naming the model and the field.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import annotated_types
import yaml
from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from ..authoring.scaffold import KIND_FOLDERS
from ..collection import DOCUMENTS_FILE, ENTRY_KINDS
from ..content import models as m
from ..content.reference import Vocabulary, reference
from .hints import scaffold_hints, scaffold_order
from .labels import (COLLECTION_LABELS, LABELS, MEDIA_FILES, PLAIN_FILE_NAMES, REFERENCES, TEXT_WIDGETS,
                     lookup)

CONTENT_DIR = "cases"  # relative to the repository root that decap-server serves
DEFAULT_LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"  # decap-server's default port and API path
# The three forms a form may store; the loader also reads 2024/4/9, 2024.4 and 2024年4月9日, but the
# project's own files (and `showcase new`) write these.
DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
DATE_MESSAGE = "年份、年月或完整日期：2024、2024-04 或 2024-04-09 · a year, year-month or full date: 2024, 2024-04 or 2024-04-09"
SLUG_MESSAGE = ("只用小写字母、数字和连字符，例如 changning-ningjuli · "
                "lower-case letters, digits and hyphens, e.g. changning-ningjuli")


class UnmappedField(TypeError):
    """A model field the generator has no widget for: a new field or type needs a mapping."""

    def __init__(self, model: type, name: str, why: str):
        self.model, self.name = model, name
        super().__init__(f"{model.__name__}.{name}: {why} (add it to generator/editor/labels.py or config.py)")


def bilingual(zh: str, en: str) -> str:
    return f"{zh} {en}" if zh != en else zh


# --- reading a field's type ------------------------------------------------------------------------

@dataclass
class Shape:
    kind: str  # text, vocabulary, date, int, float, bool, str, model, literal, list
    model: type | None = None  # for "model"
    vocabulary: Vocabulary | None = None
    choices: tuple = ()
    item: Shape | None = None  # for "list"
    constraints: dict[str, Any] | None = None


def _vocabulary_of(validator: BeforeValidator) -> Vocabulary | None:
    """The vocabulary a models._vocabulary_field validator resolves against, from its closure."""
    func = validator.func
    if not getattr(func, "__qualname__", "").startswith("_vocabulary_field."):
        return None
    name = inspect.getclosurevars(func).nonlocals.get("name")
    vocabulary = getattr(reference(), name, None) if isinstance(name, str) else None
    return vocabulary if isinstance(vocabulary, Vocabulary) else None


def _constraints(metadata: list) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):
            out.update(_constraints(item.metadata))
        elif isinstance(item, annotated_types.Ge):
            out["ge"] = item.ge
        elif isinstance(item, annotated_types.Gt):
            out["gt"] = item.gt
        elif isinstance(item, annotated_types.Le):
            out["le"] = item.le
        elif isinstance(item, annotated_types.Lt):
            out["lt"] = item.lt
        elif isinstance(item, annotated_types.MinLen):
            out["min_length"] = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            out["max_length"] = item.max_length
        elif isinstance(item, BeforeValidator):
            out["vocabulary"] = _vocabulary_of(item)
        elif getattr(item, "pattern", None):
            out["pattern"] = item.pattern
    return out


def shape_of(annotation: Any, metadata: list, model: type, name: str) -> tuple[Shape, bool]:
    """(shape, may be None) of a field's annotation."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise UnmappedField(model, name, f"a union of {args} has no widget")
        optional, annotation = True, args[0]
        origin = typing.get_origin(annotation)
    metadata = list(metadata)
    if origin is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        metadata += extra
        origin = typing.get_origin(annotation)
    constraints = _constraints(metadata)
    if annotation is m.PartialDate:
        return Shape("date", constraints=constraints), optional
    if constraints.get("vocabulary") is not None:
        return Shape("vocabulary", vocabulary=constraints["vocabulary"], constraints=constraints), optional
    if origin is list:
        (item,) = typing.get_args(annotation)
        item_shape, _ = shape_of(item, [], model, name)
        return Shape("list", item=item_shape, constraints=constraints), optional
    if origin is Literal:
        return Shape("literal", choices=typing.get_args(annotation), constraints=constraints), optional
    if annotation is m.Text:
        return Shape("text", model=m.Text, constraints=constraints), optional
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return Shape("model", model=annotation, constraints=constraints), optional
    for python_type, kind in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
        if annotation is python_type:
            return Shape(kind, constraints=constraints), optional
    raise UnmappedField(model, name, f"the type {annotation!r} has no widget")


# --- widgets -----------------------------------------------------------------------------------------

@dataclass
class Context:
    """Where a field is being mapped: the entry kind's scaffold (for hints) and the key path."""

    scaffold: str | None
    path: tuple[str, ...]


_HINTS_BY_OWNER: dict[tuple, str] | None = None


def _owner_hints() -> dict[tuple, str]:
    """{(model defining the field, field, rest of the path inside it): hint} from every scaffold,
    for kinds without a scaffold (an exhibition's sources) and shared nested models."""
    global _HINTS_BY_OWNER
    if _HINTS_BY_OWNER is None:
        table: dict[tuple, str] = {}
        for kind in ("case", "site", "milestone", "term"):
            root = ENTRY_KINDS[KIND_FOLDERS[kind]]
            for path, hint in scaffold_hints(kind).items():
                owner, rest = _resolve(root, path)
                if owner is not None:
                    table.setdefault((owner, *rest), hint)
        _HINTS_BY_OWNER = table
    return _HINTS_BY_OWNER


def _defining_class(model: type, name: str) -> type:
    for klass in reversed(model.__mro__):
        if name in getattr(klass, "__annotations__", {}):
            return klass
    return model


def _resolve(root: type, path: tuple[str, ...]) -> tuple[type | None, tuple[str, ...]]:
    """(the model defining path's last model field, (field, keys inside a Text…))."""
    model: type = root
    for index, key in enumerate(path):
        if key not in getattr(model, "model_fields", {}):
            return None, ()
        info = model.model_fields[key]
        shape, _ = shape_of(info.annotation, info.metadata, model, key)
        while shape.kind == "list" and shape.item is not None:
            shape = shape.item
        rest = path[index + 1:]
        if shape.kind == "model" and rest:
            model = shape.model
            continue
        return _defining_class(model, key), (key, *rest)
    return None, ()


def _hint(context: Context, model: type, name: str, inner: tuple[str, ...] = ()) -> str | None:
    if context.scaffold:
        hint = scaffold_hints(context.scaffold).get((*context.path, name, *inner))
        if hint:
            return hint
    return _owner_hints().get((_defining_class(model, name), name, *inner))


def _label(model: type, name: str) -> str:
    label = lookup(LABELS, model, name)
    if label is None:
        raise UnmappedField(model, name, "no label")
    return bilingual(*label)


def _base(model: type, name: str, required: bool, context: Context) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "label": _label(model, name), "required": required}
    hint = _hint(context, model, name)
    if hint:
        out["hint"] = hint
    return out


def _options(vocabulary: Vocabulary) -> list[dict[str, str]]:
    return [{"label": bilingual(term.zh, term.en), "value": term.key} for term in vocabulary]


def _pattern(constraints: dict[str, Any], model: type, name: str) -> list[str] | None:
    pattern = constraints.get("pattern")
    if not pattern:
        return None
    if pattern == m.SLUG_PATTERN:
        low, high = constraints.get("min_length", 1), constraints.get("max_length")
        # the length is part of the pattern: Decap checks only the pattern
        body = m.SLUG_PATTERN.removeprefix("^").removesuffix("$")
        length = f"(?=.{{{low},{high}}}$)" if high else ""
        return [f"^{length}{body}$", SLUG_MESSAGE]
    if name == "url":
        return [pattern, "以 http:// 或 https:// 开头的网页地址 · a web address starting with http:// or https://"]
    raise UnmappedField(model, name, f"no message for the pattern {pattern!r}")


def _number(widget: dict[str, Any], shape: Shape) -> dict[str, Any]:
    widget.update(widget="number", value_type=shape.kind)
    c = shape.constraints or {}
    low = c.get("ge", c.get("gt"))  # Decap's min is inclusive; a gt bound is checked by `check`
    high = c.get("le", c.get("lt"))
    if low is not None:
        widget["min"] = low
    if high is not None:
        widget["max"] = high
    return widget


def _own(table: dict | set, model: type, name: str):
    """table[(model or a base of it, name)]: the tables keyed by model only, never by bare name."""
    for klass in model.__mro__:
        if (klass, name) in table:
            return table[(klass, name)] if isinstance(table, dict) else True
    return None


def text_widget(model: type, name: str, required: bool, context: Context) -> dict[str, Any]:
    kind = lookup(TEXT_WIDGETS, model, name)
    if kind is None:
        raise UnmappedField(model, name, "a bilingual text with no widget kind in TEXT_WIDGETS")
    widget = _base(model, name, required, context)
    widget.update(widget="object", collapsed=False)
    fields = []
    for lang in ("zh", "en"):
        child: dict[str, Any] = {"name": lang, "label": bilingual(*LABELS[lang]),
                                 "widget": kind, "required": required and lang == "zh"}
        hint = _hint(context, model, name, (lang,))
        if hint:
            child["hint"] = hint
        if kind == "markdown":
            # raw first: the file keeps the Markdown as written (the rich-text view rewrites it)
            child.update(modes=["raw", "rich_text"], sanitize_preview=True, editor_components=[])
        fields.append(child)
    widget["fields"] = fields
    return widget


def field_widget(model: type, name: str, context: Context) -> dict[str, Any]:
    info = model.model_fields[name]
    shape, _optional = shape_of(info.annotation, info.metadata, model, name)
    required = info.is_required()
    if shape.kind == "text":
        return text_widget(model, name, required, context)
    widget = _base(model, name, required, context)
    reference_kind = _own(REFERENCES, model, name)
    if reference_kind:
        many = shape.kind == "list"
        widget.update(relation_widget(reference_kind), multiple=many)
        if many and info.default == [] and not required:
            widget["default"] = []
        return widget
    if _own(MEDIA_FILES, model, name):
        widget.update(widget="image", choose_url=False, media_library={"allow_multiple": False})
        return widget
    return _by_shape(widget, shape, model, name, context, info)


def _by_shape(widget: dict[str, Any], shape: Shape, model: type, name: str, context: Context,
              info: FieldInfo | None) -> dict[str, Any]:
    c = shape.constraints or {}
    if shape.kind == "vocabulary":
        assert shape.vocabulary is not None
        widget.update(widget="select", options=_options(shape.vocabulary))
        if info is not None and isinstance(info.default, str):
            widget["default"] = info.default
    elif shape.kind == "list" and shape.item is not None and shape.item.kind == "vocabulary":
        assert shape.item.vocabulary is not None
        widget.update(widget="select", multiple=True, options=_options(shape.item.vocabulary))
        if c.get("min_length"):
            widget["min"] = c["min_length"]
        if info is not None and info.default == []:
            widget["default"] = []
    elif shape.kind == "literal":
        widget.update(widget="select", options=[{"label": str(v), "value": v} for v in shape.choices])
        if info is not None and info.default in shape.choices:
            widget["default"] = info.default
    elif shape.kind == "date":
        widget.update(widget="string", pattern=[DATE_PATTERN, DATE_MESSAGE])
    elif shape.kind in ("int", "float"):
        _number(widget, shape)
        if info is not None and isinstance(info.default, (int, float)) and not isinstance(info.default, bool):
            widget["default"] = info.default
    elif shape.kind == "bool":
        widget["widget"] = "boolean"
        if info is not None and isinstance(info.default, bool):
            widget["default"] = info.default
    elif shape.kind == "str":
        widget["widget"] = "string"
        pattern = _pattern(c, model, name)
        if pattern:
            widget["pattern"] = pattern
    elif shape.kind == "model":
        assert shape.model is not None
        widget.update(widget="object", collapsed=False,
                      fields=model_fields(shape.model, Context(context.scaffold, (*context.path, name))))
        if not widget.get("required", True):
            optional_inside(widget["fields"])
    elif shape.kind == "list" and shape.item is not None:
        item = shape.item
        widget["widget"] = "list"
        if c.get("min_length"):
            widget["min"] = c["min_length"]
        if info is not None and info.default == []:
            widget["default"] = []
        if item.kind == "model":
            assert item.model is not None
            widget["fields"] = model_fields(item.model, Context(context.scaffold, (*context.path, name)))
        elif item.kind == "text":
            kind = lookup(TEXT_WIDGETS, model, name)
            if kind is None:
                raise UnmappedField(model, name, "a list of bilingual texts with no widget kind in TEXT_WIDGETS")
            widget["fields"] = [{"name": lang, "label": bilingual(*LABELS[lang]), "widget": kind,
                                 "required": lang == "zh"} for lang in ("zh", "en")]
        elif item.kind == "str" and not (item.constraints or {}).get("pattern"):
            widget["field"] = {"name": name, "label": widget["label"], "widget": "string"}
        else:
            raise UnmappedField(model, name, f"a list of {item.kind} has no widget")
    else:
        raise UnmappedField(model, name, f"a {shape.kind} has no widget")
    return widget


def optional_inside(fields: list[dict[str, Any]]) -> None:
    """Nothing is required inside an optional object: Decap checks an object's fields even when
    the object is left empty, so a case without a location could not be saved because `lat` is
    empty. What belongs together (lat with lon) is `check`'s to say, shown in the preview's
    banner. A list's items keep their rules: an item exists only when the user adds one."""
    for child in fields:
        child["required"] = False
        if child.get("widget") == "object":
            optional_inside(child.get("fields", []))


def relation_widget(kind: str) -> dict[str, Any]:
    """A choice among the existing entries of a content folder (or the documents' ids)."""
    if kind == "documents":
        return {"widget": "relation", "collection": "documents", "file": "documents",
                "value_field": "documents.*.id", "search_fields": ["documents.*.id", "documents.*.title.zh"],
                "display_fields": ["documents.*.title.zh", "documents.*.id"]}
    model = ENTRY_KINDS[kind]
    title = title_field(model)
    return {"widget": "relation", "collection": kind, "value_field": "id",
            "search_fields": ["id", f"{title}.zh", f"{title}.en"], "display_fields": [f"{title}.zh", "id"]}


def title_field(model: type) -> str:
    """The field an entry is known by in lists: its title, a site's name, a term."""
    for name in ("title", "name", "term"):
        if name in model.model_fields:
            return name
    raise UnmappedField(model, "title", "no title, name or term to show it by")


def field_order(model: type, scaffold: str | None) -> list[str]:
    names = list(model.model_fields)
    if scaffold:
        written = [n for n in scaffold_order(scaffold) if n in model.model_fields]
        return written + [n for n in names if n not in written]
    if issubclass(model, m.Entry):  # an entry's id and illustrative flag first, as in every file
        own = [n for n in names if n not in m.Entry.model_fields]
        return ["id", "illustrative", *own, *[n for n in m.Entry.model_fields if n not in ("id", "illustrative")]]
    return names


def model_fields(model: type, context: Context) -> list[dict[str, Any]]:
    scaffold = context.scaffold if not context.path else None
    order = field_order(model, scaffold)
    return [field_widget(model, name, context) for name in order]


# --- collections and the whole configuration ----------------------------------------------------------

SCAFFOLD_OF = {folder: kind for kind, folder in KIND_FOLDERS.items()}


def has_media(model: type, seen: frozenset = frozenset()) -> bool:
    """Whether a model has a media file field anywhere inside it."""
    if model in seen:
        return False
    for name, info in model.model_fields.items():
        if _own(MEDIA_FILES, model, name):
            return True
        shape, _ = shape_of(info.annotation, info.metadata, model, name)
        while shape.kind == "list" and shape.item is not None:
            shape = shape.item
        if shape.kind == "model" and shape.model is not None and has_media(shape.model, seen | {model}):
            return True
    return False


def folder_collection(folder: str, model: type, content_dir: str = CONTENT_DIR) -> dict[str, Any]:
    zh, en, one_zh, one_en = COLLECTION_LABELS[folder]
    title = title_field(model)
    collection: dict[str, Any] = {
        "name": folder, "label": bilingual(zh, en), "label_singular": bilingual(one_zh, one_en),
        "folder": f"{content_dir}/{folder}", "extension": "yaml", "format": "yaml", "create": True,
        "identifier_field": "id", "slug": "{{slug}}",
        "summary": f"{{{{{title}.zh}}}} · {{{{id}}}}",
    }
    if has_media(model):
        # uploads go into the entry's own folder (cases/excellent/<id>/) and the file stores the
        # bare file name: an absolute media_folder from the entry's id (known before the first
        # save, unlike its path) and an empty public_folder (Decap joins it with the file name)
        collection["media_folder"] = f"/{content_dir}/{folder}/{{{{slug}}}}"
        collection["public_folder"] = ""
    collection["fields"] = model_fields(model, Context(SCAFFOLD_OF.get(folder), ()))
    return collection


def documents_collection(content_dir: str = CONTENT_DIR) -> dict[str, Any]:
    zh, en, one_zh, one_en = COLLECTION_LABELS["documents"]
    return {
        "name": "documents", "label": bilingual(zh, en), "format": "yaml",
        "files": [{"name": "documents", "label": bilingual(one_zh, one_en), "file": f"{content_dir}/{DOCUMENTS_FILE}",
                   "fields": model_fields(m.DocumentList, Context(None, ()))}],
    }


def gitea_backend(repo: str, base_url: str, app_id: str, branch: str = "main") -> dict[str, Any]:
    """A self-hosted Gitea/Forgejo repository (the office set-up): `repo` owner/name, `base_url`
    the server, `app_id` its OAuth2 application (not confidential) for the editor's address."""
    base = base_url.rstrip("/")
    return {"name": "gitea", "repo": repo, "branch": branch, "base_url": base, "api_root": f"{base}/api/v1",
            "app_id": app_id}


def build_config(local_backend: str | None = DEFAULT_LOCAL_BACKEND, backend: dict[str, Any] | None = None,
                 publish_mode: str = "simple", site_url: str | None = None,
                 global_media_folder: str | None = None, content_dir: str = CONTENT_DIR) -> dict[str, Any]:
    """The editor's configuration as a dict.

    `local_backend`: decap-server's API address (the editor uses it when opened on this
    computer); None for none. `backend`: what the editor uses otherwise, e.g. gitea_backend(…);
    by default decap-server itself (Decap's `proxy` backend), so that nothing is ever sent to a
    hosted service. `publish_mode`: "simple", or "editorial_workflow" (draft → review → publish)
    for an office whose backend supports it. `global_media_folder`: where the Media page's
    uploads go (entries' uploads go into their own folders; cases/_… is not read as content).
    `content_dir`: the content folder's name in the repository (the project's content_dir)."""
    global_media_folder = global_media_folder or f"{content_dir}/_uploads"
    if publish_mode not in ("simple", "editorial_workflow"):
        raise ValueError(f"publish_mode must be simple or editorial_workflow, not {publish_mode!r}")
    if backend is None:
        if not local_backend:
            raise ValueError("without a local backend, give the backend (e.g. gitea_backend(...))")
        backend = {"name": "proxy", "proxy_url": local_backend}
    config: dict[str, Any] = {"backend": dict(backend)}
    if local_backend:
        config["local_backend"] = {"url": local_backend, "allowed_hosts": ["127.0.0.1", "localhost"]}
    config.update(locale="zh_Hans", publish_mode=publish_mode, media_folder=global_media_folder,
                  public_folder="", slug={"encoding": "ascii", "clean_accents": True})
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    collections = [folder_collection(folder, model, content_dir) for folder, model in ENTRY_KINDS.items()]
    order = list(COLLECTION_LABELS)
    collections.sort(key=lambda c: order.index(c["name"]) if c["name"] in order else len(order))
    config["collections"] = [*collections, documents_collection(content_dir)]
    return config


class _Dumper(yaml.SafeDumper):
    """PyYAML writes NEL, LS and PS unescaped with allow_unicode, and reads them back as line
    breaks: a text holding one is written double-quoted, where they become \\N, \\L, \\P."""


_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if any(c in data for c in _BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_config(config: dict[str, Any]) -> str:
    """The configuration as YAML (every text read back exactly as given, whatever it holds)."""
    return yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6,
                     default_flow_style=False)


def write_config(directory: Path, **options: Any) -> Path:
    """Write config.yml (build_config(**options)) into `directory`; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.yml"
    path.write_text("# 由 showcase 根据内容模型生成，不要手改 · generated from the content models by showcase: do not edit\n"
                    + dump_config(build_config(**options)), encoding="utf-8")
    return path
