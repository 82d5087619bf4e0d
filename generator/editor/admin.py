"""The files of the editor's page `/admin/`: index.html, config.yml and Decap's bundle.

The bundle (decap-cms.js, the chunks it loads on demand and its WebAssembly files) is copied from
editor/node_modules, installed by `npm ci` in editor/ from the committed lock file; the page
loads it from the same folder, never from a CDN (Decap finds its chunks next to its script).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

from .config import write_config

PROJECT_DIR = Path(__file__).resolve().parents[2]
EDITOR_DIR = PROJECT_DIR / "editor"
BUNDLE_DIR = EDITOR_DIR / "node_modules" / "decap-cms" / "dist"
BUNDLE = "decap-cms.js"
# decap-cms.js and what it loads at run time from its own folder: numbered chunks and .wasm files
BUNDLE_FILES = re.compile(r"^(decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm)$")

INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>{title}</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <noscript>内容编辑需要启用 JavaScript · The content editor needs JavaScript.</noscript>
  <script src="{bundle}"></script>
  <script>window.SHOWCASE_ROUTES = {routes};</script>
  <script src="preview.js"></script>
</body>
</html>
"""
TITLE = "内容编辑 · Content editor"


class EditorNotInstalled(FileNotFoundError):
    """editor/node_modules is missing: the message says what to run, in both languages."""

    def __init__(self, where: Path):
        self.where = where
        super().__init__(f"没有找到编辑器的程序文件（{where}）：请在 editor/ 文件夹中运行 `npm ci`\n"
                         f"the editor's files are missing ({where}): run `npm ci` in editor/")


PREVIEW_SCRIPT = EDITOR_DIR / "preview.js"  # the preview pane: the entry's page on the live preview


def preview_routes() -> dict[str, str]:
    """Each collection's page address with `{id}` for the entry's id (generator/urls.py)."""
    from .. import urls

    return {"excellent": urls.case("{id}"), "competition": urls.site("{id}"), "exhibitions": urls.exhibition("{id}"),
            "milestones": urls.RETROSPECTIVE + "#{id}", "glossary": urls.GLOSSARY + "#{id}", "pages": urls.page("{id}")}


def index_html(bundle: str = BUNDLE) -> str:
    # the routes are the project's own constants; json.dumps plus escaping "<" keeps them inert in a <script>
    routes = json.dumps(preview_routes(), ensure_ascii=False).replace("<", "\\u003c")
    return INDEX_HTML.format(title=html.escape(TITLE), bundle=html.escape(bundle, quote=True), routes=routes)


def bundle_files(bundle_dir: Path = BUNDLE_DIR) -> list[Path]:
    if not (bundle_dir / BUNDLE).is_file():
        raise EditorNotInstalled(bundle_dir / BUNDLE)
    return sorted(p for p in bundle_dir.iterdir() if p.is_file() and BUNDLE_FILES.match(p.name))


def admin_files(dest_dir: Path, bundle_dir: Path = BUNDLE_DIR, **config_options: Any) -> list[Path]:
    """Write index.html and config.yml into `dest_dir` and copy Decap's bundle beside them (an
    unchanged file is not copied again). `config_options` go to config.build_config. Raises
    EditorNotInstalled when editor/node_modules is missing. Returns the files written."""
    files = bundle_files(bundle_dir)  # first: nothing is written when the bundle is missing
    dest_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in files:
        target = dest_dir / source.name
        if not target.exists() or target.stat().st_size != source.stat().st_size \
                or target.stat().st_mtime < source.stat().st_mtime:
            shutil.copy2(source, target)
        written.append(target)
    shutil.copy2(PREVIEW_SCRIPT, dest_dir / PREVIEW_SCRIPT.name)
    written.append(dest_dir / PREVIEW_SCRIPT.name)
    index = dest_dir / "index.html"
    index.write_text(index_html(), encoding="utf-8")
    written += [index, write_config(dest_dir, **config_options)]
    return written
