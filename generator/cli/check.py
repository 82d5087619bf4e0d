"""`showcase check`: every problem in the content at once, without building."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..diagnostics import Diagnostics
from .common import FAILED, OK, console, open_project, print_diagnostics, progress, project_options
from .i18n import Say


def run_check(project, paths: tuple[Path, ...] = ()) -> Diagnostics:
    """Load and review the whole content folder (links between files need all of it), then keep
    what concerns the given files or folders."""
    from ..collection import load_collection  # imported here: `showcase --help` stays quick
    from ..editorial import review

    with progress() as bar:
        bar.add_task("check", total=None)
        collection, found = load_collection(project.content_dir, display_root=project.root, keep_partial=True)
        if collection is not None:
            found.extend(review(collection, cache_dir=project.cache_dir))  # the build's image cache: known images are not read again
        found.extend(_build_machine(project))
    if not paths:
        return found
    wanted = [path.resolve() for path in paths]
    kept = Diagnostics()
    for diagnostic in found:
        shown = (project.root / diagnostic.file).resolve()
        if any(shown == path or shown.is_relative_to(path) for path in wanted):
            kept.add(diagnostic)
    return kept


def _build_machine(project) -> list:
    """What the build would refuse on this machine, though the content is fine: the fonts the
    printed book needs, when mkdocs.yml puts the PDF on the downloads page."""
    if "pdf" not in project.downloads:
        return []
    from ..diagnostics import Bilingual, error
    from ..export.fonts import PrintFontError, print_fonts
    from ..load import display_path

    try:
        print_fonts(project.templates_dir / "print")
    except PrintFontError as exc:
        return [error("print_fonts_missing", display_path(project.config_file, project.root), None, "downloads",
                      exc.zh, exc.en, Bilingual("安装字体之前，生成网站（showcase build）会停止；也可从 downloads 中去掉 pdf",
                                                "until they are installed the build (showcase build) stops; or take pdf out of downloads"))]
    return []


def as_json(diagnostics: Diagnostics) -> str:
    items = [{"severity": d.severity.value, "code": d.code, "file": d.file, "line": d.line, "field": d.field,
              "message": {"zh": d.message.zh, "en": d.message.en},
              "hint": {"zh": d.hint.zh, "en": d.hint.en} if d.hint else None} for d in diagnostics]
    summary = {"errors": len(diagnostics.errors), "warnings": len(diagnostics.warnings), "notes": len(diagnostics.notes)}
    return json.dumps({"summary": summary, "diagnostics": items}, ensure_ascii=False, indent=2)


def commands(say: Say) -> list[click.Command]:
    @click.command(
        "check",
        help=say("检查内容（不生成网站）：一次列出所有错误和警告，每条都写明文件:行、字段、原因和正确写法。\n\n"
                 "可以只检查给出的文件或文件夹。退出码：0 无错误，1 有错误，2 用法有误。",
                 "Check the content without building: every error and warning at once, each with file:line, field, "
                 "the reason and what would be valid.\n\n"
                 "Give files or folders to check only those. Exit code: 0 no errors, 1 errors, 2 wrong usage."),
        short_help=say("检查内容", "Check the content"))
    @click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
    @click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                  help=say("输出格式；json 供程序读取", "output format; json is for programs"))
    @click.option("--errors-only", is_flag=True, help=say("只列出错误", "list errors only"))
    @project_options(say)
    def check(paths: tuple[Path, ...], output_format: str, errors_only: bool, config_file, content_dir) -> int:
        project = open_project(say, config_file, content_dir)
        for path in paths:
            if not path.resolve().is_relative_to(project.content_dir):
                raise click.BadParameter(say(f"{path} 不在内容文件夹 {project.content_dir} 之内",
                                             f"{path} is not inside the content folder {project.content_dir}"),
                                         param_hint="PATHS")
        found = run_check(project, paths)
        if errors_only:
            found = Diagnostics([d for d in found if d.is_error])
        if output_format == "json":
            click.echo(as_json(found))
        else:
            out = console()
            print_diagnostics(out, say, found)
            summary = found.summary().get(say.lang)
            if found.has_errors():
                out.print(say(f"检查未通过：{summary}", f"check failed: {summary}"), style="bold red")
            else:
                out.print(say(f"检查通过：{summary}", f"check passed: {summary}"), style="green")
        return FAILED if found.has_errors() else OK

    return [check]
