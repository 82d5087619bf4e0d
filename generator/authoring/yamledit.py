"""Edit entry files the way a careful person would: change the named values, keep everything else.

ruamel.yaml's round-trip mode keeps comments, key order, quoting and flow/block style, so after
`import --update` or `translations import` an editor's `git diff` shows only what changed.
Writes are atomic (temporary file, then rename): a crash never leaves half a file.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    FoldedScalarString, LiteralScalarString, PlainScalarString, ScalarString, SingleQuotedScalarString,
)

from ..load import neutralise, without_placeholder

Loc = tuple[str | int, ...]


def _resolves_to_other_than_text(text: str) -> bool:
    """Whether the project's loader (PyYAML: YAML 1.1) would read `text`, written plain, as
    something else than text: yes/no/on/off, 1:20, 1e5… ruamel.yaml speaks YAML 1.2 and would
    write `title: yes` plain, which the build reads as True."""
    import yaml as pyyaml

    return pyyaml.resolver.Resolver().resolve(pyyaml.ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str"


# ruamel writes these raw, as line breaks, even inside quotes; YAML then folds them (and the
# indentation after them) into a space. Only double quotes carry them (as \L \P \N).
_BREAKS = ("\u2028", "\u2029", "\x85")


def _represent_str(representer, data: str):
    if any(b in data for b in _BREAKS):
        return representer.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')
    if _resolves_to_other_than_text(data):
        return representer.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return representer.represent_str(data)


def _keep_breaks(original):
    """A representer for ruamel's own string types (quotes kept from the file): as it was,
    unless it holds a character ruamel would write as a line break."""
    def represent(representer, data):
        if any(b in data for b in _BREAKS):
            return representer.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')
        return original(representer, data)
    return represent


class _Representer(RoundTripRepresenter):
    """ruamel's round-trip representer with our rules for strings. Registered once, on a class of
    our own: `add_representer` changes a class-wide table, and registering on every `_yaml()` wrapped
    the previous wrapper each time, until after about a thousand writes in one process writing a
    quoted string ran out of stack (RecursionError); it also changed every other ruamel user."""


_Representer.add_representer(str, _represent_str)
for _kind in (SingleQuotedScalarString, PlainScalarString, FoldedScalarString, LiteralScalarString):
    _original = RoundTripRepresenter.yaml_representers.get(_kind)
    if _original is not None:
        _Representer.add_representer(_kind, _keep_breaks(_original))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long Chinese line
    yaml.indent(mapping=2, sequence=4, offset=2)  # "media:\n  - file: x", the layout of our files
    yaml.allow_unicode = True
    return yaml


def load(path: Path) -> Any:
    """The file as the build reads it (load.neutralise: line breaks, raw control characters),
    with everything around the values kept for writing it back. A raw control character the
    build leaves out is left out of what is written back too."""
    return loads(path.read_text(encoding="utf-8-sig"))


def loads(text: str) -> Any:
    """load() of a file's text."""
    text, removed = neutralise(text.removeprefix("\ufeff"))
    document = _yaml().load(text)
    if removed:
        document = _drop_placeholders(document)
    import yaml as pyyaml

    try:
        as_built = pyyaml.load(text, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader))
    except (pyyaml.YAMLError, ValueError, OverflowError):
        return document
    return _as_the_build_reads(document, as_built)


def _as_the_build_reads(node: Any, built: Any) -> Any:
    """ruamel.yaml reads YAML 1.2, the build YAML 1.1: `1e5` or `1e309` is text to the build and
    a number (100000.0, inf) to ruamel, which would write it back as a number (.inf). Where the
    build reads text, the document holds that text."""
    if isinstance(node, dict) and isinstance(built, dict):
        for key in list(node):
            if key in built:
                node[key] = _as_the_build_reads(node[key], built[key])
    elif isinstance(node, list) and isinstance(built, list) and len(node) == len(built):
        for index, item in enumerate(node):
            node[index] = _as_the_build_reads(item, built[index])
    elif isinstance(built, str) and not isinstance(node, (str, dict, list)):
        return built
    return node


def _drop_placeholders(node: Any) -> Any:
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _drop_placeholders(node[key])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            node[index] = _drop_placeholders(item)
    elif isinstance(node, str):
        value = without_placeholder(node)
        if value is not node and value != node:
            return type(node)(value) if isinstance(node, ScalarString) else value
    return node


def dumps(document: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()


def write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def plain(value: Any) -> Any:
    """A value ready for YAML: multi-line text as a literal block, nested data as ruamel types."""
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value.rstrip("\n") + "\n")
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = plain(item)
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(plain(item) for item in value)
        if all(isinstance(item, (str, int, float)) and "\n" not in str(item) for item in value):
            seq.fa.set_flow_style()  # short lists read best as [a, b]
        return seq
    return value


def plain_data(node: Any) -> Any:
    """A document's value as plain Python (dict, list, str, numbers, dates), for comparing."""
    import datetime as dt

    if isinstance(node, dict):
        return {key: plain_data(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain_data(value) for value in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, dt.datetime):  # ruamel's timestamp, for a date too
        return node.date() if (node.hour, node.minute, node.second, node.microsecond) == (0, 0, 0, 0) and node.tzinfo is None else node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def get(document: Any, loc: Loc) -> Any:
    node = document
    for part in loc:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
    return node


def set_text(document: Any, loc: Loc, lang: str, value: str) -> None:
    """Set one language of a bilingual text. A text written as a plain string (Chinese only)
    becomes `{zh: …, en: …}` in the same place, block style, with its comment kept."""
    parent = get(document, loc[:-1]) if len(loc) > 1 else document
    key = loc[-1]
    current = parent[key] if (isinstance(parent, dict) and key in parent) or isinstance(parent, list) else None
    if isinstance(current, dict):
        current[lang] = plain(value)
        return
    mapping = CommentedMap()
    if current is not None and str(current).strip():
        mapping["zh"] = current
    mapping[lang] = plain(value)
    if isinstance(parent, dict) and key in parent:
        comment = parent.ca.items.get(key)
        token = comment[2] if comment and len(comment) > 2 else None
        parent[key] = mapping
        if token is not None:
            # `street: 田林街道  # …` -> `street:  # …` with the languages below: the comment stays
            # (comment[1] holds comment lines above the key: kept as they are)
            mapping.ca.comment = [token, None]
    else:
        parent[key] = mapping


def set_value(document: Any, loc: Loc, value: Any) -> None:
    """Set a value, creating the mappings on the way (e.g. location.lat in an entry without location)."""
    node = document
    for part in loc[:-1]:
        nxt = node[part] if (isinstance(node, list) or (isinstance(node, dict) and part in node)) else None
        if not isinstance(nxt, (dict, list)):
            nxt = CommentedMap()
            node[part] = nxt
        node = nxt
    key = loc[-1]
    if isinstance(node, dict) and key in node and node[key] == value:
        return
    node[key] = plain(value)
