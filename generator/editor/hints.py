"""The editor's hints: the bilingual comments of the `showcase new` scaffolds, per field.

`scaffold_hints(kind)` reads `authoring/scaffolds/<kind>.yaml.j2` (rendered, so a hint naming the
media folder names it as staff will see it) and returns {key path: comment}. A commented-out
example line (`#  lat: 31.22    # 纬度 / latitude`) counts as the field it shows, so nested fields
(a location's lat, a photo's alt text) get their hints too; list items add no key to the path
(`media.file`). The scaffolds are the only copy of these words.
"""

from __future__ import annotations

import re
from functools import cache

import jinja2
from jinja2 import meta

from ..authoring.scaffold import KIND_FOLDERS, SCAFFOLDS, render_scaffold, yaml_scalar

COMMENT_SEPARATOR = re.compile(r"\s{2,}# ")  # `key: value    # comment` (the scaffolds' layout)
KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<item>- )?(?P<key>[a-z_][a-z0-9_]*):(?:\s|$)")
# A comment that tells the reader of the file to remove a `#` is about the file, not the form.
FILE_ONLY = re.compile(r"去掉.*#|remove the #")


def scaffold_kinds() -> list[str]:
    return sorted(path.name.removesuffix(".yaml.j2") for path in SCAFFOLDS.glob("*.yaml.j2"))


def _rendered(kind: str) -> str:
    source = (SCAFFOLDS / f"{kind}.yaml.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment()
    environment.filters["yaml"] = yaml_scalar
    names = meta.find_undeclared_variables(environment.parse(source))
    values: dict[str, object] = {name: None for name in names}
    if "media_folder" in values:
        values["media_folder"] = f"cases/{KIND_FOLDERS[kind]}/<id>"
    return render_scaffold(kind, values)


def parse_scaffold(text: str) -> tuple[list[tuple[str, ...]], dict[tuple[str, ...], str]]:
    """(every key path in the order written, {key path: comment}) of a scaffold's text (see the
    module's docstring)."""
    order: list[tuple[str, ...]] = []
    hints: dict[tuple[str, ...], str] = {}
    stack: list[tuple[int, str]] = []  # (indent of the key, key)
    for raw in text.splitlines():
        line = raw
        if line.startswith("#"):
            if not line.startswith("#  "):  # a heading comment, not an example line
                continue
            line = line[1:]
        parts = COMMENT_SEPARATOR.split(line, maxsplit=1)
        match = KEY_LINE.match(parts[0])
        if not match:
            continue
        indent = len(match["indent"]) + (2 if match["item"] else 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match["key"]))
        path = tuple(key for _, key in stack)
        if path not in order:
            order.append(path)
        if len(parts) == 2:
            comment = parts[1].strip().removesuffix(":").strip()
            if comment and not FILE_ONLY.search(comment):
                hints.setdefault(path, comment)
    return order, hints


@cache
def scaffold_hints(kind: str) -> dict[tuple[str, ...], str]:
    """{key path: hint} of `showcase new <kind>`'s file."""
    return parse_scaffold(_rendered(kind))[1]


@cache
def scaffold_order(kind: str) -> tuple[str, ...]:
    """The top-level keys of `showcase new <kind>`'s file, in the order staff see them."""
    return tuple(path[0] for path in parse_scaffold(_rendered(kind))[0] if len(path) == 1)
