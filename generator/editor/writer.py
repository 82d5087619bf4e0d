"""What the editor saves, written the way the project writes its files.

Decap CMS writes a whole file from its form: a hand-written file would lose its comments, its
key order and its quoting, and an edited title would show as a rewritten file in `git diff`.
Every save goes through `rewrite()` on its way to disk (editor/server.py): the values of the form
are applied to the file as it is (authoring/yamledit.py: ruamel.yaml's round trip), so that only
what changed changes. What the form sends and the project does not write is tidied first: empty
texts, empty lists and `{zh: "", en: ""}` of an optional text the user cleared are left out.

`for_the_form()` does the opposite on the way from disk to the form: a bilingual text written as
plain text (Chinese only, which the project accepts) becomes `{zh: …}`, the shape the form's
two fields read; otherwise the form would show it empty.

Decap reads and writes YAML 1.2 (the JavaScript `yaml` package); the build reads YAML 1.1
(PyYAML). The two disagree on plain `yes`, `on`, `1:20`, `=`… (text to Decap) and on NEL, LS and
PS (ordinary characters to Decap, line breaks to PyYAML). So the form's values are read the way
Decap wrote them (`read_form`: a plain value of a text field is that text), and what the form
reads is the build's values written so that YAML 1.2 reads them alike (line breaks escaped).

The fields that hold a bilingual text, and the keys the form knows at each level, come from the
editor's configuration (config.py), itself made from the models.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

from ..authoring import yamledit
from ..load import neutralise, without_placeholder

ANY = "*"  # a list's items in a path


@dataclass
class Shape:
    """What the form knows of one collection: the paths of bilingual texts (ANY for list items)
    and, per path of a mapping, the keys it has fields for."""
    texts: set[tuple] = field(default_factory=set)
    keys: dict[tuple, set[str]] = field(default_factory=dict)
    strings: set[tuple] = field(default_factory=set)  # fields whose widget holds text (a name, an id, a date)
    defaults: dict[tuple, Any] = field(default_factory=dict)  # the form's default values (the models' defaults)


# widgets whose value is text (a select, a relation and an image store a key, an id, a file name)
TEXT_WIDGETS = {"string", "text", "markdown", "select", "relation", "image", "file", "datetime", "hidden", "code", "color"}


def _is_text(widget: dict) -> bool:
    return widget.get("widget") == "object" and {f["name"] for f in widget.get("fields", [])} == {"zh", "en"}


def shape_of(fields: list[dict], prefix: tuple = (), shape: Shape | None = None) -> Shape:
    """The Shape of a collection from its `fields` in the editor's configuration."""
    shape = shape or Shape()
    shape.keys[prefix] = {f["name"] for f in fields}
    for widget in fields:
        _walk(widget, prefix + (widget["name"],), shape)
    return shape


def _walk(widget: dict, path: tuple, shape: Shape) -> None:
    if "default" in widget and widget["default"] not in ([], None, ""):
        shape.defaults[path] = widget["default"]
    if widget.get("widget") in TEXT_WIDGETS:
        shape.strings.add(path)
        if widget.get("multiple"):
            shape.strings.add(path + (ANY,))
    if _is_text(widget):
        shape.texts.add(path)
        shape_of(widget["fields"], path, shape)
    elif widget.get("widget") == "object":
        shape_of(widget["fields"], path, shape)
    elif widget.get("widget") == "list":
        if "fields" in widget:
            if {f["name"] for f in widget["fields"]} == {"zh", "en"}:  # a list of texts (organisers)
                shape.texts.add(path + (ANY,))
            shape_of(widget["fields"], path + (ANY,), shape)
        elif "field" in widget:
            _walk(widget["field"], path + (ANY,), shape)


def _child(path: tuple, key: Any) -> tuple:
    return path + (ANY if isinstance(key, int) else key,)


# --- from disk to the form ---------------------------------------------------------------------
_BREAKS = ("\x85", "\u2028", "\u2029")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(yaml.SafeDumper):
    """PyYAML writes NEL, LS and PS raw (and folds after them): a text holding one is written
    double-quoted, where they are escaped (\\N, \\L, \\P) and every YAML reader agrees."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if any(c in data for c in _BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _without_placeholders(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _without_placeholders(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_without_placeholders(value) for value in node]
    return without_placeholder(node) if isinstance(node, str) else node


def for_the_form(raw: str, shape: Shape) -> str:
    """The file's text as the form should read it: the values the build reads (load.neutralise,
    PyYAML), texts as {zh, en}, written so that Decap's YAML 1.2 reads the same values. The file
    itself is not changed. Text that is not YAML the form can read is passed on as it is."""
    try:
        text, removed = neutralise(raw.removeprefix("\ufeff"))
        data = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
        return raw
    if not isinstance(data, dict):
        return raw
    if removed:
        data = _without_placeholders(data)
    changed = _texts_as_maps(data, (), shape)
    if not changed and not removed and not any(b in raw for b in _BREAKS):
        return raw
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)


def _texts_as_maps(node: Any, path: tuple, shape: Shape) -> bool:
    changed = False
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        here = _child(path, key)
        if here in shape.texts and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            node[key] = {"zh": str(value)}
            changed = True
        elif isinstance(value, (dict, list)):
            changed = _texts_as_maps(value, here, shape) or changed
    return changed


# --- from the form to disk ---------------------------------------------------------------------
_NULL, _STR = "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_IN_TEXT = (*_BREAKS, "\t")  # characters only ever inside values in what Decap writes
_DATA_TAGS = {_NULL, _STR, _TIMESTAMP, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
              "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


_SURROGATE = re.compile("[\ud800-\udfff]")
# Decap's `yaml` (1.10) folds a long double-quoted line between the two halves of a character
# beyond U+FFFF (JavaScript strings are UTF-16): `…\ud812\\<newline + indent>\udd73…`.
_SPLIT_PAIR = re.compile("([\ud800-\udbff])\\\\\n[ \t]*([\udc00-\udfff])")


def _rejoined(raw: str) -> str:
    """`raw` with the characters Decap's YAML split in two whole again (lone halves stay, and
    are left out as the build leaves them out)."""
    raw = _SPLIT_PAIR.sub(r"\1\2", raw)
    return raw.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def read_form(raw: str, shape: Shape) -> Any:
    """The form's YAML as Decap wrote it (YAML 1.2): NEL, LS and PS are characters of the text
    (YAML 1.1 reads them as line breaks), and a plain value of a text field is that text (`yes`,
    `1:20`, `=`: YAML 1.1 reads True, 80, an error); a tab is a character of the text too (Decap
    writes `yes<TAB>no` plain, which PyYAML cannot read). Raw control characters, which PyYAML
    refuses, are taken out as the build takes them out (load.neutralise), and a carriage return
    is the line break the build makes of it; a character Decap's YAML split in two at a folded
    line (`_SPLIT_PAIR`) is made whole. Raises yaml.YAMLError for what is not YAML."""
    if _SURROGATE.search(raw):
        raw = _rejoined(raw)
    text, _ = neutralise(raw.removeprefix("\ufeff"))
    breaks: dict[str, str] = {}
    if any(b in text for b in _IN_TEXT):
        present = set(text)
        spare = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in present)  # private use, unused here
        for b in _IN_TEXT:
            if b in text:
                stand_in = next(spare)
                breaks[stand_in] = b
                text = text.replace(b, stand_in)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _form_value(loader, node, (), shape, breaks)
    finally:
        loader.dispose()


def _form_value(loader, node, path: tuple, shape: Shape, breaks: dict[str, str]) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else loader.construct_object(key_node, deep=True)
            out[key] = _form_value(loader, value_node, _child(path, key), shape, breaks)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_form_value(loader, item, _child(path, index), shape, breaks) for index, item in enumerate(node.value)]
    if node.style is None and node.tag != _NULL and (path in shape.strings or node.tag not in _DATA_TAGS):
        value: Any = node.value  # plain text, whatever YAML 1.1 would make of it (2024-04-09 too)
    else:
        value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        value = without_placeholder(value)
        if "\r" in value:  # a line break to the build (content/clean.py), and YAML writers write it raw
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        for stand_in, b in breaks.items():
            value = value.replace(stand_in, b)
    return value


def tidy(value: Any) -> Any:
    """The form's values without what it leaves behind: None, "", {} and [] (an optional text
    the user cleared comes as {zh: "", en: ""}), recursively. Returns None for nothing at all."""
    if isinstance(value, dict):
        out = {k: v for k, v in ((k, tidy(v)) for k, v in value.items()) if v is not None}
        return out or None
    if isinstance(value, list):
        out = [v for v in (tidy(v) for v in value) if v is not None]
        return out or None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _scalar(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def same(old: Any, new: Any, path: tuple, shape: Shape) -> bool:
    """Whether the file's value and the form's mean the same to the build: 2014 and "2014",
    a date and its ISO text, plain text and {zh: text} where a bilingual text is expected,
    `en: null` and no `en`."""
    if path in shape.texts and isinstance(old, str):
        old = {"zh": old}
    old = tidy(old)
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(old[k], new[k], _child(path, k), shape) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(same(a, b, _child(path, n), shape) for n, (a, b) in enumerate(zip(old, new)))
    old, new = _scalar(old), _scalar(new)
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) or isinstance(new, (int, float)):
        try:
            return float(old) == float(new)
        except (TypeError, ValueError):
            return False
    return old == new


def _keeps_style(styled: str) -> bool:
    """Whether the build reads `styled` (text in the style the file gave the old value: quoted,
    a literal block…) as that text. A literal block cannot start with a tab, for one."""
    try:
        return yaml.load(yamledit.dumps({"v": styled}), Loader=_Loader) == {"v": str(styled)}
    except yaml.YAMLError:
        return False


def _plain(value: Any) -> Any:
    """yamledit.plain(value), but a text the build would not read alike as a literal block
    (libyaml refuses one whose first line starts with a tab) left to ruamel (double quotes)."""
    out = yamledit.plain(value)
    if isinstance(out, ScalarString):
        return out if _keeps_style(out) else str(value)
    items = out.items() if isinstance(out, dict) else enumerate(out) if isinstance(out, list) else ()
    for key, item in list(items):
        if isinstance(item, ScalarString) and not _keeps_style(item):
            (list if isinstance(out, list) else OrderedDict).__setitem__(out, key, str(value[key]))
        elif isinstance(item, (dict, list)):
            (list if isinstance(out, list) else OrderedDict).__setitem__(out, key, _plain(value[key]))
    return out


def _assign(parent: Any, key: Any, value: Any, written: list) -> None:
    """parent[key] = value. ruamel gives new text the style of the text it replaces (a literal
    block, quotes): kept where the build reads the new text in it alike, else ruamel's choice."""
    old = parent[key]
    if value is old:
        return
    written.append((parent, key))
    if isinstance(value, str) and not isinstance(value, ScalarString) and isinstance(old, ScalarString) \
            and not _keeps_style(type(old)(value)):
        (list if isinstance(parent, list) else OrderedDict).__setitem__(parent, key, value)  # not ruamel's: no style carried over
        return
    parent[key] = value


def _merge(node: Any, new: Any, path: tuple, shape: Shape, written: list) -> Any:
    """`node` (the file's, with its comments) changed only where `new` (the form's) differs."""
    if same(yamledit.plain_data(node), new, path, shape):
        return node
    if isinstance(node, dict) and isinstance(new, dict):
        known = shape.keys.get(path, set())
        previous = None
        for key, value in new.items():
            if key in node:
                _assign(node, key, _merge(node[key], value, _child(path, key), shape, written), written)
            else:
                position = list(node).index(previous) + 1 if previous in node else 0
                node.insert(position, key, _plain(value))
                written.append((node, key))
            previous = key
        for key in list(node):
            # a field the form knows and left empty is gone; what the form does not know stays
            if key not in new and key in known and tidy(yamledit.plain_data(node[key])) is not None:
                del node[key]
        return node
    if isinstance(node, list) and isinstance(new, list):
        for index, value in enumerate(new):
            if index < len(node):
                _assign(node, index, _merge(node[index], value, _child(path, index), shape, written), written)
            else:
                node.append(_plain(value))
                written.append((node, len(node) - 1))
        del node[len(new):]
        return node
    return _plain(new)


def without_new_defaults(new: Any, old: Any, path: tuple, shape: Shape) -> Any:
    """The form's values without what it fills in by itself for fields the file does not have:
    a switch left at its default (`illustrative: false`, `placeholder: false`), and an object
    holding nothing but defaults (a location's `approximate: false` and `datum: wgs84` in a case
    without a location, which would then lack lat and lon). The build gives them anyway. A value
    the file already holds is the file's to keep; a default chosen in a list (a photo's `kind:
    photo`) is written, as the scaffolds write it."""
    if isinstance(new, dict):
        out = {}
        for key, value in new.items():
            here = _child(path, key)
            had = isinstance(old, dict) and key in old
            if not had and isinstance(value, bool) and here in shape.defaults and value is shape.defaults[here]:
                continue
            out[key] = without_new_defaults(value, old.get(key) if had else None, here, shape)
        if path and old is None and out and all(
                _child(path, k) in shape.defaults and same(shape.defaults[_child(path, k)], v, _child(path, k), shape)
                for k, v in out.items()):
            return {}
        return out
    if isinstance(new, list):
        return [without_new_defaults(value, old[n] if isinstance(old, list) and n < len(old) else None, _child(path, n), shape)
                for n, value in enumerate(new)]
    return new


def rewrite(raw: str, current: str | None, shape: Shape) -> str:
    """The text to write for what the form sent (`raw`, YAML) given the file's current text
    (None for a new file). Anything that is not a mapping of YAML is written as sent (the build's
    check will say what is wrong with it)."""
    try:
        data = read_form(raw, shape)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError, RecursionError):
        return raw
    if not isinstance(data, dict):
        return raw
    document = None
    if current is not None:
        try:
            document = yamledit.loads(current)
        except Exception:  # noqa: BLE001 - a file the round trip cannot read: write the form's values
            document = None
    data = tidy(without_new_defaults(data, yamledit.plain_data(document) if isinstance(document, dict) else None, (), shape)) or {}
    if not isinstance(document, dict):
        new = _plain(data)
        return _dumps(new, [(new, key) for key in new])
    written: list = []
    _merge(document, data, (), shape, written)
    return _dumps(document, written)


def _dumps(document: Any, written: list) -> str:
    """The document's text, checked: where the build would read a text otherwise than it is
    (ruamel writes `{zh: ? x}` plain in a flow mapping, which is not YAML), that text is
    written double-quoted, where YAML escapes everything."""
    text = yamledit.dumps(document)
    if not written:
        return text
    wrong = _misread(document, text, written)
    if not wrong:
        return text
    for parent, key in wrong:
        value = parent[key]
        (list if isinstance(parent, list) else OrderedDict).__setitem__(parent, key, DoubleQuotedScalarString(str(value)))
    return yamledit.dumps(document)


def _misread(document: Any, text: str, written: list) -> list[tuple[Any, Any]]:
    """The (mapping or list, key) of every text the build reads otherwise from `text`; every
    text the form changed (`written`) when the build cannot read `text` at all."""
    try:
        built = yaml.load(neutralise(text)[0], Loader=_Loader)
    except (yaml.YAMLError, ValueError, OverflowError):
        built = None
    out: list[tuple[Any, Any]] = []

    def walk(node: Any, there: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(there, dict):
                other = there.get(key)
            elif isinstance(there, list) and isinstance(key, int) and key < len(there):
                other = there[key]
            else:
                other = None
            if isinstance(value, (dict, list)):
                walk(value, other)
            elif isinstance(value, str) and (not isinstance(other, str) or without_placeholder(other) != without_placeholder(str(value))):
                out.append((node, key))

    if built is None:
        for parent, key in written:
            if isinstance(parent[key], str):
                out.append((parent, key))
            else:
                walk(parent[key], None)
        return out
    walk(document, built)
    return out
