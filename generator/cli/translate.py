"""`showcase translations`: list missing or stale English; `translations import` puts it back."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from ..content.clean import visible
from .common import FAILED, OK, console, open_project, print_diagnostics, project_options, relative
from .i18n import Say


def _collection(say: Say, project):
    from ..collection import load_collection

    collection, found = load_collection(project.content_dir, display_root=project.root)
    if collection is None:
        out = console(stderr=True)
        print_diagnostics(out, say, [d for d in found if d.is_error])
        out.print(say("内容有错误，请先改正（showcase check）", "the content has errors: fix them first (showcase check)"), style="bold red")
    return collection


def commands(say: Say) -> list[click.Command]:
    @click.group("translations", invoke_without_command=True, help=say(
        "列出所有缺少英文或中文已修改（英文过时）的文字：文件、字段、中文原文。可导出为 CSV 交给译者；"
        "译好后用 showcase translations import 文件.csv 写回，条目文件中的其他内容和注释保持不变。",
        "List every missing or stale English text (file, field, Chinese source), as a table or as CSV for a "
        "translator; `showcase translations import FILE.csv` writes the translations back without disturbing "
        "anything else in the entries."),
        short_help=say("待翻译清单与译文导入", "List and import translations"))
    @click.option("--format", "output_format", type=click.Choice(["table", "csv"]), default="table",
                  help=say("输出格式", "output format"))
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                  help=say("写入文件（CSV，UTF-8 带 BOM，Excel 可直接打开）", "write to a file (CSV, UTF-8 with BOM, opens in Excel)"))
    @project_options(say)
    @click.pass_context
    def translations(ctx, output_format: str, output: Path | None, config_file, content_dir) -> int | None:
        if ctx.invoked_subcommand is not None:
            return None
        from rich.table import Table

        from ..authoring.translations import STATUS_NAMES, needed, to_csv

        project = open_project(say, config_file, content_dir)
        collection = _collection(say, project)
        if collection is None:
            return FAILED
        items = needed(collection, project.content_dir)
        out = console()
        if output is not None or output_format == "csv":
            text = to_csv(items, say.lang)
            if output is None:
                click.echo(text.lstrip("\ufeff"), nl=False)
                return OK
            if output.exists():
                out.print(say(f"错误：{output} 已存在，不会覆盖", f"error: {output} already exists and is not overwritten"), style="bold red")
                return FAILED
            output.write_text(text, encoding="utf-8", newline="")
            out.print(say(f"已写出 {len(items)} 条待译文字到 {output}；在“英文译文”一列填写后运行 showcase translations import {output}",
                          f"wrote {len(items)} text(s) to {output}; fill in the English column, then run `showcase translations import {output}`"),
                      style="green")
            return OK
        if not items:
            out.print(say("所有文字都有英文 ✓", "every text has its English ✓"), style="green")
            return OK
        table = Table(title=say(f"待翻译 {len(items)} 处", f"{len(items)} text(s) to translate"), show_lines=False)
        table.add_column(say("文件:行", "file:line"), no_wrap=True)
        table.add_column(say("字段", "field"), no_wrap=True)
        table.add_column(say("状态", "status"), no_wrap=True)
        table.add_column(say("中文原文", "Chinese"), overflow="fold")
        for item in items:
            zh = item.zh if len(item.zh) <= 80 else item.zh[:78] + "…"
            table.add_row(visible(f"{item.file}:{item.line or ''}"), item.field,
                          STATUS_NAMES[item.status].get(say.lang), visible(zh.replace("\n", " ")))
        out.print(table)
        out.print(say("导出给译者：showcase translations -o 待译.csv", "for a translator: showcase translations -o to-translate.csv"))
        return OK

    @translations.command("import", help=say(
        "把填好“英文译文”一列的 CSV 写回条目文件。只改英文，注释和格式不变；中文在导出后被改过的行会跳过并说明。",
        "Write the filled English column of a CSV back into the entries. Only the English changes, comments and "
        "layout stay; rows whose Chinese changed since the export are skipped, with the reason."))
    @click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help=say("只显示将修改什么", "show what would change; write nothing"))
    @project_options(say)
    def translations_import(csv_file: Path, dry_run: bool, config_file, content_dir) -> int:
        from ..authoring import yamledit
        from ..authoring.translations import apply_translations, read_csv, write_state

        project = open_project(say, config_file, content_dir)
        collection = _collection(say, project)
        if collection is None:
            return FAILED
        out = console()
        try:
            rows = read_csv(csv_file)
        except (KeyError, ValueError):
            raise click.BadParameter(say("无法读取：应为 showcase translations 导出的 CSV（含“文件”“字段”“英文译文”列）",
                                         "cannot read it: expected the CSV exported by `showcase translations` (file, field and English columns)"),
                                     param_hint="CSV_FILE")
        applied = apply_translations(rows, collection, project.content_dir)
        for cleaned in applied.cleaned:
            out.print(say("警告", "warning"), style="yellow", end=" ")
            out.print(visible(f"{csv_file.name}:{cleaned.row}: {cleaned.reason.get(say.lang)}"))
        for skipped in applied.skipped:
            out.print(say("跳过", "skipped"), style="yellow", end=" ")
            out.print(visible(f"{csv_file.name}:{skipped.row}: {skipped.reason.get(say.lang)}"))
        diffs = []
        for path, text in applied.written.items():
            shown = relative(path, project.root)
            old = path.read_text(encoding="utf-8")
            diffs.append("".join(difflib.unified_diff(old.splitlines(True), text.splitlines(True), shown, shown)))
        if not dry_run:  # write before printing: output cut short (a closed pipe) must not lose the work
            for path, text in applied.written.items():
                yamledit.write(path, text)
            if applied.count:
                write_state(project.content_dir, applied.state)
        for diff in diffs:
            out.print(visible(diff))
        if dry_run:
            out.print(say(f"试运行：将写入 {applied.count} 段译文到 {len(applied.written)} 个文件；未写入",
                          f"dry run: {applied.count} translation(s) in {len(applied.written)} file(s) would be written; nothing was written"))
            return OK
        out.print(say(f"已写入 {applied.count} 段译文（{len(applied.written)} 个文件），跳过 {len(applied.skipped)} 行",
                      f"wrote {applied.count} translation(s) in {len(applied.written)} file(s); skipped {len(applied.skipped)} row(s)"),
                  style="green")
        return FAILED if applied.skipped else OK

    return [translations]
