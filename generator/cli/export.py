"""`showcase export`: the case collection as PDF and Word, and the entries as XLSX, CSV, JSON and
GeoJSON, for editors."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import click

from .common import FAILED, OK, console, load_valid_content, open_project, progress, project_options, relative
from .i18n import Say


def commands(say: Say) -> list[click.Command]:
    from ..export.formats import FORMATS

    keys = [f.key for f in FORMATS]

    @click.command("export", help=say(
        "导出优秀案例集和数据：pdf（A4 可印刷）、docx（Word 可编辑）、xlsx（可用 showcase import 导回）、csv、json、geojson。"
        "不写格式时全部导出。可按年份、区和案例编号选择，可只要中文或英文。文件先在临时文件夹里生成，全部成功后才放到输出文件夹；"
        "已有的不同文件不会被覆盖（除非加 --overwrite）。",
        "Export the case collection and the data: pdf (A4, print-ready), docx (editable Word), xlsx (reads back with "
        "showcase import), csv, json, geojson. No format means all. Choose cases by year, district and id, and "
        "Chinese, English or both. Files are made in a temporary folder and moved into the output folder only when all "
        "succeeded; an existing different file is not overwritten (unless --overwrite)."),
        short_help=say("导出案例集和数据", "Export the collection and data"))
    @click.argument("formats", nargs=-1, type=click.Choice(keys))
    @click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("exports"),
                  show_default=True, help=say("输出文件夹", "output folder"))
    @click.option("--year", type=int, help=say("只导出这一年度的案例", "only the cases of this selection year"))
    @click.option("--district", "districts", multiple=True, help=say("只导出这些区的案例（可重复；写法同内容文件）",
                                                                    "only the cases of these districts (repeatable; any usual spelling)"))
    @click.option("--id", "ids", multiple=True, help=say("只导出这些案例（编号，可重复）", "only these cases (ids, repeatable)"))
    @click.option("--languages", type=click.Choice(["both", "zh", "en"]), default="both", show_default=True,
                  help=say("案例集的语言：中英文、只中文或只英文", "languages of the collection: both, Chinese only or English only"))
    @click.option("--overwrite", is_flag=True, help=say("覆盖输出文件夹里已有的同名文件", "replace existing files of the same name"))
    @project_options(say)
    def export(formats: tuple[str, ...], output: Path, year: int | None, districts: tuple[str, ...], ids: tuple[str, ...],
               languages: str, overwrite: bool, config_file, content_dir) -> int:
        from ..content.reference import UnknownTerm
        from ..diagnostics import Diagnostics
        from ..export import ExportJob, Selection
        from ..export.fonts import PrintFontError, print_fonts
        from ..export.formats import write_exports
        from ..render.pages import Strings

        project = open_project(say, config_file, content_dir)
        out = console()
        collection = load_valid_content(project, say, out, "导出", "exporting")
        if collection is None:
            return FAILED
        resolved = []
        for name in districts:
            try:
                resolved.append(collection.reference.districts.resolve(name))
            except UnknownTerm as exc:
                hint_zh, hint_en = collection.reference.districts.unknown_hint(exc.suggestions)
                raise click.BadParameter(say(f"“{name}”不是上海的区；{hint_zh}", f"'{name}' is not a Shanghai district; {hint_en}"),
                                         param_hint="--district")
        unknown = [i for i in ids if i not in collection.cases]
        if unknown:
            raise click.BadParameter(say(f"没有这些案例：{', '.join(unknown)}", f"no such case: {', '.join(unknown)}"), param_hint="--id")
        selection = Selection(year=year, districts=tuple(resolved), ids=ids)
        chosen = list(formats) or [f.key for f in FORMATS]

        def refuse(exc: PrintFontError) -> int:  # a book without its fonts is never written
            out.print(f"错误：{exc.zh}", style="bold red")
            out.print(f"error: {exc.en}", style="bold red")
            return FAILED

        if "pdf" in chosen:
            try:
                print_fonts(project.templates_dir / "print")
            except PrintFontError as exc:
                return refuse(exc)
        diagnostics = Diagnostics()
        with progress() as bar:
            bar.add_task(say("准备图片", "preparing images"), total=None)
            job = ExportJob.prepare(collection, selection, languages, cache_dir=project.cache_dir,
                                    diagnostics=diagnostics, site_url=project.site_url)
        if not job.cases:
            out.print(say("没有符合条件的案例，未导出", "no case matches the selection: nothing exported"), style="bold red")
            return FAILED
        strings = Strings(project.templates_dir / "strings.yaml")
        staging = Path(tempfile.mkdtemp(prefix=".showcase-export-", dir=project.root))
        try:
            with progress(transient=False) as bar:
                tasks: dict[str, int] = {}

                def report(key: str, done: int, total: int) -> None:
                    if key not in tasks:
                        tasks[key] = bar.add_task(key.upper(), total=total)
                    bar.update(tasks[key], completed=done)

                try:
                    written = write_exports(job, chosen, staging, strings, progress=report)
                except PrintFontError as exc:
                    return refuse(exc)
            files = [path for paths in written.values() for path in paths]
            output.mkdir(parents=True, exist_ok=True)
            clashes = [output / f.name for f in files
                       if (output / f.name).exists() and (output / f.name).read_bytes() != f.read_bytes()]
            if clashes and not overwrite:
                names = ", ".join(relative(p, project.root) for p in clashes)
                out.print(say(f"错误：{names} 已存在且内容不同，未覆盖、未写入任何文件；换一个输出文件夹（-o）或加 --overwrite",
                              f"error: {names} already exist with different content: nothing was written; choose another folder (-o) or add --overwrite"),
                          style="bold red")
                return FAILED
            for path in files:
                shutil.move(str(path), output / path.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        out.print(say(f"已导出 {len(job.cases)} 个案例：", f"exported {len(job.cases)} case(s):"), style="bold green")
        for path in files:
            target = output / path.name
            out.print(f"  {relative(target, project.root)}  {target.stat().st_size / 1024:,.1f} KB")
        return OK

    return [export]
