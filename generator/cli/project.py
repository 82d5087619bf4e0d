"""Where the project's content lives, read from mkdocs.yml so the CLI and the build agree."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PLUGIN = "showcase"
DEFAULTS = {"content_dir": "cases", "templates_dir": "site_templates", "cache_dir": ".cache/showcase"}


class ProjectNotFound(Exception):
    pass


@dataclass(frozen=True)
class Project:
    config_file: Path
    root: Path  # the folder of mkdocs.yml; messages show paths relative to it
    content_dir: Path
    cache_dir: Path
    templates_dir: Path = Path("site_templates")
    site_url: str = ""
    downloads: tuple[str, ...] = ()  # the formats the build makes for the downloads page


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        for name in ("mkdocs.yml", "mkdocs.yaml"):
            if (folder / name).is_file():
                return folder / name
    return None


def load_project(config_file: Path | None = None, content_dir: Path | None = None) -> Project:
    """The project around the current folder. `content_dir` (or SHOWCASE_CONTENT_DIR, which
    mkdocs.yml reads too) overrides the configured content folder."""
    config_file = config_file or find_config(Path.cwd())
    if config_file is None or not config_file.is_file():
        raise ProjectNotFound(str(config_file or Path.cwd()))
    from mkdocs.utils.yaml import yaml_load  # resolves !ENV exactly as `mkdocs build` does

    with open(config_file, encoding="utf-8") as handle:
        config = yaml_load(handle) or {}
    options = dict(DEFAULTS)
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and PLUGIN in plugin:
            options.update({k: v for k, v in (plugin[PLUGIN] or {}).items() if v})
    root = config_file.parent.resolve()
    content = content_dir or Path(options["content_dir"])
    return Project(config_file=config_file.resolve(), root=root,
                   content_dir=(root / content).resolve() if not Path(content).is_absolute() else Path(content).resolve(),
                   cache_dir=(root / options["cache_dir"]).resolve(),
                   templates_dir=(root / options["templates_dir"]).resolve(), site_url=str(config.get("site_url") or ""),
                   downloads=tuple(str(d) for d in options.get("downloads") or () if isinstance(d, str)))


def environment_for(project: Project) -> dict[str, str]:
    """Environment for a `mkdocs` child process, so it builds the content the CLI was pointed at."""
    return {**os.environ, "SHOWCASE_CONTENT_DIR": str(project.content_dir), "NO_MKDOCS_2_WARNING": "1"}
