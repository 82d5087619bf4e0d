"""Pieces every subcommand shares: options, the project, console output."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..diagnostics import LABELS, Diagnostic, Severity
from .i18n import Say
from .project import Project, ProjectNotFound, load_project

HEADINGS_ZH = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

# Exit codes of every subcommand
OK, FAILED, USAGE = 0, 1, 2


class ZhHelpFormatter(click.HelpFormatter):
    """click's help with Chinese headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS_ZH.get(heading, heading))


def lang_option(say: Say):
    # parsed before click runs (i18n.detect_lang); declared so that it is accepted and documented
    return click.option("--lang", type=click.Choice(["zh", "en"]), expose_value=False, is_eager=True,
                        help=say("界面语言（默认跟随系统语言）", "language of messages (default: the system's locale)"))


def project_options(say: Say):
    def decorate(function):
        function = click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path),
                                help=say("内容文件夹（默认取 mkdocs.yml 中的设置，通常是 cases/）",
                                         "content folder (default: as set in mkdocs.yml, usually cases/)"))(function)
        function = click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path),
                                help=say("mkdocs.yml 的位置（默认在当前文件夹或上级查找）",
                                         "where mkdocs.yml is (default: found in this folder or above)"))(function)
        function = lang_option(say)(function)
        function = click.help_option("-h", "--help", help=say("显示帮助并退出", "Show this message and exit."))(function)
        return function
    return decorate


def open_project(say: Say, config_file: Path | None, content_dir: Path | None) -> Project:
    try:
        project = load_project(config_file, content_dir)
    except ProjectNotFound as exc:
        raise click.UsageError(say(f"找不到 mkdocs.yml（{exc}）：请在项目文件夹里运行，或用 -f 指明",
                                   f"no mkdocs.yml found ({exc}): run this in the project folder or give it with -f"))
    if not project.content_dir.is_dir():
        raise click.UsageError(say(f"内容文件夹不存在：{project.content_dir}", f"the content folder does not exist: {project.content_dir}"))
    return project


def console(stderr: bool = False) -> Console:
    # markup and highlighting off: content is untrusted text and [brackets] in it are not styles
    # piped output (logs, scripts, tests) gets wide lines rather than 80 columns of wrapped paths
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 200
    return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True, width=width)


def progress(transient: bool = True) -> Progress:
    """A progress bar on the terminal (stderr), silent when output is piped or in tests."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console(stderr=True), transient=transient,
                    disable=not sys.stderr.isatty())


def severity_label(say: Say, diagnostic: Diagnostic) -> str:
    return LABELS[diagnostic.severity].get(say.lang)


STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_diagnostics(out: Console, say: Say, diagnostics) -> None:
    """Each as Diagnostic.report gives it (the build prints the same text), the label coloured."""
    for diagnostic in diagnostics:
        label, _, rest = diagnostic.report(say.lang).partition(" ")
        out.print(label, style=STYLES[diagnostic.severity], end=" ")
        out.print(rest)


def load_valid_content(project: Project, say: Say, out: Console, before_zh: str, before_en: str):
    """The project's content as a Collection, with a spinner; None (errors printed, with a line
    saying to fix them before `before_*`, e.g. 导出 / exporting) when it has errors."""
    from ..collection import load_collection

    with progress() as bar:
        bar.add_task(say("读取内容", "reading content"), total=None)
        collection, found = load_collection(project.content_dir, display_root=project.root)
    if collection is None:
        print_diagnostics(out, say, [d for d in found if d.is_error])
        out.print(say(f"内容有错误，请先改正（showcase check）再{before_zh}",
                      f"the content has errors: fix them first (showcase check) before {before_en}"), style="bold red")
    return collection


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)
