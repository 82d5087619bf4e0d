"""`showcase new case|site|milestone`: a new entry file with every field explained."""

from __future__ import annotations

import sys

import click

from ..content.reference import reference
from .common import lang_option, FAILED, OK, console, open_project, print_diagnostics, project_options, relative
from .i18n import Say
from .terms import IdType, TermType


def _ask(say: Say, values: dict, missing: list[tuple[str, str, str, object]]) -> None:
    """Prompt for what the flags did not give; without a terminal, say which flags are needed."""
    todo = [item for item in missing if values.get(item[0]) in (None, (), "")]
    if not todo:
        return
    if not sys.stdin.isatty():
        flags = ", ".join(option_name(name) for name, *_ in todo)
        raise click.UsageError(say(f"缺少必填项：{flags}（或在终端中运行以逐项询问）",
                                   f"missing required values: {flags} (or run it in a terminal to be asked)"))
    for name, zh, en, kind in todo:
        value = click.prompt(say(zh, en), type=kind)
        values[name] = (value,) if name == "types" else value


def option_name(name: str) -> str:
    """The option a value comes from, as the user types it (`types` comes from `--type`): read
    from the running command's own parameters, so a message can never name another."""
    ctx = click.get_current_context(silent=True)
    for param in ctx.command.params if ctx else ():
        if param.name == name and isinstance(param, click.Option):
            return max(param.opts, key=lambda opt: (opt.startswith("--"), len(opt)))
    raise LookupError(f"no option for {name!r}")  # a bug: _ask was given a name the command does not have


def _clean(values: dict) -> None:
    """Text typed or pasted at the prompt may carry control characters (a terminal's ESC
    sequences, a vertical tab from Word); the new file never gets them."""
    from ..content.clean import clean_text

    for key, value in values.items():
        if isinstance(value, str):
            values[key] = clean_text(value)[0]


def _finish(say: Say, project, kind: str, entry_id: str, text: str) -> int:
    from ..authoring.scaffold import EntryExists, write_new_entry
    from ..collection import ENTRY_KINDS
    from ..content.validate import validate_entry
    from ..load import read_yaml

    out = console()
    try:
        path, media = write_new_entry(project.content_dir, kind, entry_id, text)
    except EntryExists as exc:
        out.print(say(f"错误：{relative(exc.path, project.root)} 已存在，不会覆盖。要另建一个条目，请用 --id 换一个编号。",
                      f"error: {relative(exc.path, project.root)} already exists and is not overwritten. "
                      "To add another entry, choose a different id with --id."), style="bold red")
        return FAILED
    source, problems = read_yaml(path, project.root)
    from ..authoring.scaffold import KIND_FOLDERS, NO_MEDIA

    model = ENTRY_KINDS[KIND_FOLDERS[kind]]
    if source is not None:
        problems += validate_entry(source, model)[1]
    out.print(say(f"已新建 {relative(path, project.root)}", f"created {relative(path, project.root)}"), style="green")
    if kind not in NO_MEDIA:
        out.print(say(f"照片等媒体文件请放进 {relative(media, project.root)}/",
                      f"put photos and other media in {relative(media, project.root)}/"))
    if problems:  # the inputs were checked, so this means a scaffold bug: show it rather than hide it
        print_diagnostics(out, say, problems)
        if any(problem.is_error for problem in problems):
            return FAILED
    out.print(say("用文本编辑器补全其余字段，然后运行 showcase check 检查、showcase serve 预览。",
                  "Fill in the other fields in a text editor, then run `showcase check` and `showcase serve` to preview."))
    return OK


def commands(say: Say) -> list[click.Command]:
    ref = reference()
    district = TermType(ref.districts, say)
    case_type = TermType(ref.case_types, say)
    construction = TermType(ref.construction, say)
    status = TermType(ref.status, say)

    @click.group("new", help=say("新建条目：写出一个列有全部字段和填写说明的 YAML 文件，并建好媒体文件夹。不会覆盖已有文件。",
                                 "Create an entry: writes a YAML file listing every field with how to fill it in, "
                                 "and its media folder. Never overwrites an existing file."),
                 short_help=say("新建案例、人民坊点位、大事记或词语解释", "Create a case, competition site, milestone or glossary term"))
    @click.help_option("-h", "--help", help=say("显示帮助并退出", "Show this message and exit."))
    @lang_option(say)
    def new() -> None:
        pass

    id_option = click.option("--id", "entry_id", type=IdType(say), help=say("自定编号（默认由中文标题生成拼音）",
                                                          "choose the id (default: pinyin of the Chinese title)"))

    @new.command("case", help=say("新建优秀案例。没有给出的必填项会逐项询问。", "Create an excellent case. Required values not given as options are asked for."))
    @click.option("--title", help=say("案例名称（中文）", "the case's name in Chinese"))
    @click.option("--title-en", help=say("英文名称", "English name"))
    @click.option("--district", type=district, help=say("所在区，例如 长宁", "district, e.g. changning"))
    @click.option("--street", help=say("街道或镇", "sub-district or town"))
    @click.option("--year", type=click.IntRange(2014, 2100), help=say("入选年份", "year of selection"))
    @click.option("--type", "types", type=case_type, multiple=True, help=say("案例类型，可重复", "case type; repeat for several"))
    @click.option("--construction", type=construction, help=say("新建 或 改造更新", "new or renewal"))
    @click.option("--status", type=status, help=say("项目状态", "project status"))
    @click.option("--summary", help=say("一两句话的摘要（中文）", "one or two sentences, in Chinese"))
    @id_option
    @project_options(say)
    def new_case(config_file, content_dir, **values) -> int:
        project = open_project(say, config_file, content_dir)
        _ask(say, values, [
            ("title", "案例名称（中文）", "Case name (Chinese)", str),
            ("district", "所在区", "District", district),
            ("year", "入选年份", "Year of selection", click.IntRange(2014, 2100)),
            ("types", f"案例类型（{ref.case_types.listing(12)}）", f"Case type ({ref.case_types.listing(12)})", case_type),
            ("summary", "一两句话的摘要（中文）", "Summary, one or two sentences (Chinese)", str),
        ])
        _clean(values)
        from ..authoring.scaffold import case_id, render_scaffold

        entry_id = values.pop("entry_id") or case_id(values["title"], values["district"])
        text = render_scaffold("case", {
            "id": entry_id, "title_zh": values["title"], "title_en": values["title_en"], "district": values["district"],
            "street": values["street"], "year": values["year"], "types": list(values["types"]),
            "construction": values["construction"], "status": values["status"], "summary_zh": values["summary"],
            "summary_en": None, "media_folder": f"excellent/{entry_id}"})
        return _finish(say, project, "case", entry_id, text)

    @new.command("site", help=say("新建“人民坊”方案征集点位。", "Create a Renminfang design-competition site."))
    @click.option("--name", help=say("项目名称（中文）", "project name in Chinese"))
    @click.option("--name-en", help=say("英文名称", "English name"))
    @click.option("--district", type=district, help=say("所在区", "district"))
    @click.option("--street", help=say("街道或镇", "sub-district or town"))
    @click.option("--year", type=click.IntRange(2014, 2100), default=None, help=say("征集年份", "year of the design call"))
    @click.option("--number", type=click.IntRange(1, 999), help=say("文件中的序号", "number as printed"))
    @click.option("--construction", type=construction, help=say("新建 或 改造更新", "new or renewal"))
    @click.option("--floor-area", "floor_area", type=click.FloatRange(min=0, min_open=True),
                  help=say("建筑面积（平方米）", "floor area in m²"))
    @id_option
    @project_options(say)
    def new_site(config_file, content_dir, **values) -> int:
        project = open_project(say, config_file, content_dir)
        _ask(say, values, [
            ("name", "项目名称（中文）", "Project name (Chinese)", str),
            ("district", "所在区", "District", district),
            ("street", "街道或镇", "Sub-district or town", str),
            ("year", "征集年份", "Year of the design call", click.IntRange(2014, 2100)),
            ("number", "序号", "Number as printed", click.IntRange(1, 999)),
            ("construction", "建设类型（新建 / 改造更新）", "Construction (new / renewal)", construction),
            ("floor_area", "建筑面积（平方米）", "Floor area (m²)", click.FloatRange(min=0, min_open=True)),
        ])
        _clean(values)
        from ..authoring.scaffold import render_scaffold, site_id

        entry_id = values.pop("entry_id") or site_id(values["year"], values["number"], values["street"])
        area = values["floor_area"]
        text = render_scaffold("site", {
            "id": entry_id, "year": values["year"], "number": values["number"], "district": values["district"],
            "street": values["street"], "name_zh": values["name"], "name_en": values["name_en"],
            "construction": values["construction"], "floor_area_m2": int(area) if float(area).is_integer() else area,
            "media_folder": f"competition/{entry_id}"})
        return _finish(say, project, "site", entry_id, text)

    class DateType(click.ParamType):
        name = "date"

        def convert(self, value, param, ctx):
            from ..content.models import explain_bad_date, parse_partial_date

            try:
                return parse_partial_date(value).iso()
            except ValueError:
                what, instead = explain_bad_date(value)  # the wording of check, build and import
                self.fail(say(f"{what.zh}；{instead.zh}", f"{what.en}; {instead.en}"), param, ctx)

    @new.command("milestone", help=say("新建大事记条目。", "Create a milestone of the programme's timeline."))
    @click.option("--date", type=DateType(), help=say("日期：2014、2024-04 或 2024-04-09", "date: 2014, 2024-04 or 2024-04-09"))
    @click.option("--title", help=say("标题（中文）", "title in Chinese"))
    @click.option("--title-en", help=say("英文标题", "English title"))
    @id_option
    @project_options(say)
    def new_milestone(config_file, content_dir, **values) -> int:
        project = open_project(say, config_file, content_dir)
        _ask(say, values, [
            ("date", "日期（2014、2024-04 或 2024-04-09）", "Date (2014, 2024-04 or 2024-04-09)", DateType()),
            ("title", "标题（中文）", "Title (Chinese)", str),
        ])
        _clean(values)
        from ..authoring.scaffold import milestone_id, render_scaffold

        entry_id = values.pop("entry_id") or milestone_id(values["date"], values["title"])
        text = render_scaffold("milestone", {
            "id": entry_id, "date": values["date"], "title_zh": values["title"], "title_en": values["title_en"],
            "media_folder": f"milestones/{entry_id}"})
        return _finish(say, project, "milestone", entry_id, text)

    @new.command("term", help=say("新建词语解释：网站各页第一次出现这个词语时链接到它的解释，搜索这个词语时解释排在第一位。",
                                  "Create a glossary term: its first use on every page links to its definition, and "
                                  "searching it shows the definition first."))
    @click.option("--term", "term", help=say("词语（中文）", "the term in Chinese"))
    @click.option("--term-en", help=say("英文名称", "English name"))
    @click.option("--short", help=say("一句话解释（中文）", "one-sentence explanation in Chinese"))
    @click.option("--definition", help=say("定义原文（中文，照录文件）", "the definition in Chinese, quoted from its document"))
    @id_option
    @project_options(say)
    def new_term(config_file, content_dir, **values) -> int:
        project = open_project(say, config_file, content_dir)
        _ask(say, values, [("term", "词语（中文）", "Term (Chinese)", str),
                           ("short", "一句话解释（中文）", "One-sentence explanation (Chinese)", str),
                           ("definition", "定义原文（中文，照录文件）", "Definition (Chinese, quoted from its document)", str)])
        _clean(values)
        from ..authoring.scaffold import render_scaffold, term_id

        entry_id = values.pop("entry_id") or term_id(values["term"], values["term_en"])
        text = render_scaffold("term", {"id": entry_id, "term_zh": values["term"], "term_en": values["term_en"],
                                        "short_zh": values["short"], "definition_zh": values["definition"]})
        return _finish(say, project, "term", entry_id, text)

    return [new]
