"""`showcase template xlsx` and `showcase import FILE.xlsx`: the way in from district spreadsheets."""

from __future__ import annotations

from pathlib import Path

import click

from ..content.clean import visible
from .common import lang_option, FAILED, OK, console, load_valid_content, open_project, progress, project_options, relative
from .i18n import Say


def _example_image(path: Path) -> None:
    """The photo the template's example media row names, so importing the untouched template works."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1067), (214, 226, 236))
    draw = ImageDraw.Draw(image)
    for i in range(0, 1600, 80):
        draw.line([(i, 0), (i + 400, 1067)], fill=(190, 205, 220), width=18)
    draw.rectangle([500, 420, 1100, 640], fill=(255, 255, 255))
    draw.text((560, 500), "EXAMPLE / SAMPLE PHOTO", fill=(60, 60, 60))
    image.save(path, "JPEG", quality=80)


def commands(say: Say) -> list[click.Command]:
    @click.group("template", help=say("生成供各区填写的模板文件。", "Write templates for districts to fill in."),
                 short_help=say("生成报送模板", "Write the submission template"))
    @click.help_option("-h", "--help", help=say("显示帮助并退出", "Show this message and exit."))
    @lang_option(say)
    def template() -> None:
        pass

    @template.command("xlsx", help=say(
        "生成 Excel 报送表：每类条目一个工作表、中英文表头、区/类型/状态等下拉选项、填写说明和示例行；并在同一文件夹写一张示例照片。不会覆盖已有文件。",
        "Write the Excel submission workbook: one sheet per kind of entry, bilingual headers, dropdowns for district, "
        "types and status, an instructions sheet and example rows; plus an example photo beside it. Never overwrites."))
    @click.argument("output", type=click.Path(dir_okay=False, path_type=Path), default="报送表.xlsx")
    @click.option("--lang", type=click.Choice(["zh", "en"]), expose_value=False, help=say("界面语言", "language of messages"))
    @click.help_option("-h", "--help", help=say("显示帮助并退出", "Show this message and exit."))
    def template_xlsx(output: Path) -> int:
        from ..authoring.sheets import EXAMPLE_IMAGE, write_template

        out = console()
        if output.suffix.lower() != ".xlsx":
            raise click.BadParameter(say("文件名应以 .xlsx 结尾", "the file name should end in .xlsx"), param_hint="OUTPUT")
        if output.exists():
            out.print(say(f"错误：{output} 已存在，不会覆盖；请换一个文件名", f"error: {output} already exists and is not overwritten; choose another name"), style="bold red")
            return FAILED
        output.parent.mkdir(parents=True, exist_ok=True)
        write_template(output)
        example = output.parent / EXAMPLE_IMAGE
        if not example.exists():
            _example_image(example)
        out.print(say(f"已生成 {output}（示例照片：{example}）", f"wrote {output} (example photo: {example})"), style="green")
        return OK

    @click.command("import", help=say(
        "把填好的报送表导入为条目文件。先检查所有行：有错误时列出“工作表!单元格 列名: 原因”，并且什么都不写入"
        "（除非加 --skip-invalid）。已有条目只在加 --update 时修改，且只改填写了的单元格；与条目文件意思相同的单元格"
        "不改动文件（写法、引号都保留），所以导入 showcase export xlsx 导出的表格不会改变任何文件。",
        "Turn a filled submission workbook into entry files. Every row is checked first: problems are listed as "
        "'sheet!cell column: reason' and nothing is written (unless --skip-invalid). Existing entries change only "
        "with --update, and only in the cells that were filled; a cell that means what the file already says leaves the "
        "file as it is (its spelling and quoting too), so importing a workbook from `showcase export xlsx` changes no file."),
        short_help=say("导入 Excel 报送表", "Import a submission workbook"))
    @click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--media", "media_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                  help=say("照片所在文件夹（默认：报送表所在的文件夹）", "folder with the photos (default: the workbook's folder)"))
    @click.option("--dry-run", is_flag=True, help=say("只显示将新建或修改什么，不写入", "show what would be created or changed; write nothing"))
    @click.option("--update", is_flag=True, help=say("允许修改已有条目", "allow changing existing entries"))
    @click.option("--skip-invalid", is_flag=True, help=say("跳过有错误的行，导入其余各行；列出跳过的行（单元格和原因）。导入了其余各行时退出码为 0，没有一行可导入时为 1",
                           "skip rows with errors and import the rest, listing the skipped rows (cells and reasons); "
                           "exit code 0 when the other rows were imported, 1 when no row could be"))
    @project_options(say)
    def import_(workbook: Path, media_dir: Path | None, dry_run: bool, update: bool, skip_invalid: bool,
                config_file, content_dir) -> int:
        from ..authoring.importer import WorkbookError, apply_changes, plan_import
        from ..authoring.sheets import ENTRY_SHEETS, MEDIA

        project = open_project(say, config_file, content_dir)
        out = console()
        collection = load_valid_content(project, say, out, "导入", "importing")
        if collection is None:
            return FAILED
        try:
            with progress() as bar:
                bar.add_task(say("检查报送表", "checking the workbook"), total=None)
                result = plan_import(workbook, collection, project.content_dir, media_dir or workbook.parent,
                                     update=update, skip_invalid=skip_invalid)
        except WorkbookError as exc:
            out.print(f"{say('错误', 'error')}: {workbook}: {exc.message.get(say.lang)}", style="bold red")
            return FAILED
        for sheet, header in result.unknown_headers:
            out.print(visible(say(f"提示：工作表“{sheet}”的列“{header}”不认识，已忽略", f"note: column '{header}' of sheet '{sheet}' is not known and was ignored")), style="yellow")
        for row in result.example_rows:
            out.print(say(f"提示：{row.sheet.title}!{row.number} 像是模板的示例行；如果不是您的内容，请删除后再导入",
                          f"note: {row.sheet.title}!{row.number} looks like the template's example row; delete it unless it is yours"), style="yellow")
        for warning in result.warnings:
            out.print(say("警告", "warning"), style="yellow", end=" ")
            out.print(warning.format(say.lang))
        if result.problems and not skip_invalid:
            for problem in result.problems:
                out.print(say("错误", "error"), style="bold red", end=" ")
                out.print(problem.format(say.lang))
            out.print(say(f"有 {len(result.problems)} 处错误，未写入任何文件。改正后重新导入，或加 --skip-invalid 只导入正确的行。",
                          f"{len(result.problems)} problem(s): nothing was written. Fix them and import again, or add --skip-invalid to import only the valid rows."),
                      style="bold red")
            return FAILED
        # --skip-invalid: the rows with errors are left out, each listed with its cells and reasons
        order = [s.title for s in (*ENTRY_SHEETS, MEDIA)]
        skipped = sorted({id(r): r for r in result.skipped}.values(), key=lambda r: (order.index(r.sheet.title) if r.sheet.title in order else 99, r.number))
        skipped_rows = "、".join(f"{r.sheet.title}!{r.number}" for r in skipped)
        if skipped:
            out.print(say(f"已跳过 {len(skipped)} 行有错误的行：{skipped_rows}（未导入；原因如下）",
                          f"skipped {len(skipped)} row(s) with errors: {skipped_rows} (not imported; why:)"), style="yellow")
            for row in skipped:
                for problem in row.problems:
                    out.print(say("  跳过", "  skipped"), style="yellow", end=" ")
                    out.print(problem.format(say.lang))
        for change in result.changes:
            shown = relative(change.path, project.root)
            verb = {"create": say("新建", "create"), "update": say("修改", "update")}[change.action]
            if change.action == "update" and change.text == change.old_text and not change.media:
                out.print(say(f"不变 {shown}（{', '.join(change.rows)}）", f"unchanged {shown} ({', '.join(change.rows)})"))
                continue
            out.print(f"{verb} {shown}（{', '.join(change.rows)}）" if say.lang == "zh" else f"{verb} {shown} ({', '.join(change.rows)})", style="green")
            if change.action == "update" and change.text != change.old_text:
                out.print(visible(change.diff(shown)))
            for original, target in change.media:
                out.print(say(f"    复制 {original.name} → {relative(target, project.root)}", f"    copy {original.name} → {relative(target, project.root)}"))
        nothing_valid = bool(skipped) and not result.changes
        if dry_run:
            out.print(say("试运行：未写入任何文件", "dry run: nothing was written"), style="bold")
            return FAILED if nothing_valid else OK
        try:
            with progress() as bar:
                task = bar.add_task(say("写入", "writing"), total=len(result.changes))
                apply_changes(result.changes, advance=lambda: bar.advance(task))
        except FileExistsError as exc:
            shown = visible(relative(Path(str(exc.args[0] if exc.args else exc.filename)), project.root))
            out.print(say(f"错误：{shown} 已存在且内容不同，不会覆盖；未写入任何文件", f"error: {shown} exists with different content and is not overwritten; nothing was written"), style="bold red")
            return FAILED
        created = sum(c.action == "create" for c in result.changes)
        updated = sum(c.action == "update" and (c.text != c.old_text or bool(c.media)) for c in result.changes)
        if nothing_valid:
            out.print(say(f"没有导入任何行：{len(skipped)} 行都有错误（见上）。",
                          f"no row was imported: all {len(skipped)} have errors (listed above)."), style="bold red")
            return FAILED
        out.print(say(f"完成：新建 {created} 个、修改 {updated} 个条目。运行 showcase check 检查。",
                      f"done: {created} created, {updated} updated. Run `showcase check` next."), style="bold green")
        if skipped:
            # the valid rows were written as asked: a success (exit 0), with the rows left out named again
            out.print(say(f"未导入 {len(skipped)} 行：{skipped_rows}。改正后用 --update 重新导入同一个报送表即可，已导入的行不会再改变。",
                          f"{len(skipped)} row(s) not imported: {skipped_rows}. Fix them and import the same workbook again "
                          f"with --update; the rows already imported change nothing."), style="yellow")
        return OK

    return [template, import_]
