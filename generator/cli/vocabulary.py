"""`showcase terms [VOCABULARY]`: the valid values of every closed list (districts, 十全十美
services, case types, construction, status, award level, media and meeting kinds), with every
spelling that is accepted for each, so nobody has to open generator/content/data/ to find out
what `services:` may say. Every message that refuses a value ends by naming this command
(Vocabulary.where_listed).

A value given instead of a list's name (`showcase terms 社区食堂`) is looked up: the tool says
which list accepts it and what it stands for.
"""

from __future__ import annotations

import json

import click

from ..content.clean import visible
from ..content.reference import Reference, Term, UnknownTerm, Vocabulary, reference
from .common import OK, console, lang_option
from .i18n import Say

GROUPS = {"basic": ("十全（必配）", "basic (十全: every community)"),
          "quality": ("十美（选配）", "quality (十美: chosen)")}


def _term_json(vocabulary: Vocabulary, term: Term) -> dict:
    out = {"key": term.key, "zh": term.zh, "en": term.en, "aliases": vocabulary.spellings(term)}
    if term.group:
        out["group"] = term.group
    return out


def _vocabulary_json(vocabulary: Vocabulary, with_terms: bool) -> dict:
    out = {"name": vocabulary.command, "zh": vocabulary.title_zh, "en": vocabulary.title_en,
           "fields": list(vocabulary.fields), "count": len(vocabulary),
           "command": f"showcase terms {vocabulary.command}"}
    if with_terms:
        out["terms"] = [_term_json(vocabulary, t) for t in vocabulary]
    return out


def _table(columns: list[str]):
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _overview(say: Say, ref: Reference) -> None:
    out = console()
    out.print(say("可选值有固定列表的字段（写键、中文名、英文名或别名都可以）：",
                  "Fields whose values come from a fixed list (write the key, the Chinese or English name, or an alias):"))
    table = _table([say("列表", "list"), say("名称", "name"), say("用于字段", "used in"), say("项数", "values"),
                         say("查看全部可选值", "see every value")])
    for vocabulary in ref.vocabularies():
        table.add_row(vocabulary.command, say(vocabulary.title_zh, vocabulary.title_en), ", ".join(vocabulary.fields),
                      str(len(vocabulary)), f"showcase terms {vocabulary.command}")
    out.print(table)
    out.print(say("列表名也可以写中文或复数，例如 showcase terms 服务、showcase terms services；"
                  "查一个写法的意思：showcase terms 社区食堂",
                  "A list may also be named in Chinese or in the plural (showcase terms 服务, showcase terms services); "
                  "to look up what a value means: showcase terms canteen"))


def _listing(say: Say, vocabulary: Vocabulary) -> None:
    out = console()
    title = say(vocabulary.title_zh, vocabulary.title_en)
    fields = ", ".join(vocabulary.fields)
    out.print(say(f"{title}：共 {len(vocabulary)} 项，用于字段 {fields}", f"{title}: {len(vocabulary)} values, used in {fields}"),
              style="bold")
    grouped = any(t.group for t in vocabulary)
    columns = [say("键（文件中保存的值）", "key (stored in the file)"), say("中文名", "English"), say("英文名", "Chinese"),
               say("也可以写", "also accepted")]
    if grouped:
        columns.insert(0, say("类别", "group"))
    table = _table(columns)
    for term in vocabulary:
        first, second = (term.zh, term.en) if say.lang == "zh" else (term.en, term.zh)
        row = [term.key, first, second, say("、", ", ").join(vocabulary.spellings(term)) or "—"]
        if grouped:
            row.insert(0, say(*GROUPS[term.group]) if term.group in GROUPS else (term.group or ""))
        table.add_row(*row)
    out.print(table)
    example = vocabulary.terms[0]
    out.print(say(f"键、中文名、英文名和别名都可以写，大小写、空格和连字符不计；例如 {example.key}、{example.zh}、{example.en} 是同一项。",
                  f"The key, either name or an alias may be written; case, spaces and hyphens do not matter: "
                  f"{example.key}, {example.zh} and {example.en} are the same value."))


def _lookup(say: Say, ref: Reference, text: str) -> bool:
    """`showcase terms 社区食堂`: which list accepts the value, and as what. False when none does."""
    out = console()
    found = False
    shown = visible(text)  # what the user typed, without control characters reaching the terminal
    for vocabulary in ref.vocabularies():
        try:
            key = vocabulary.resolve(text)
        except UnknownTerm:
            continue
        term = vocabulary[key]
        found = True
        title = say(vocabulary.title_zh, vocabulary.title_en)
        out.print(say(f"“{shown}”是{title}中的 {term.zh} / {term.en}（键 {term.key}；字段 {', '.join(vocabulary.fields)}；"
                      f"全部：showcase terms {vocabulary.command}）",
                      f"'{shown}' is {term.en} / {term.zh} in the list {vocabulary.command} ({title}; key {term.key}; "
                      f"field {', '.join(vocabulary.fields)}; all: showcase terms {vocabulary.command})"))
    return found


def commands(say: Say) -> list[click.Command]:
    ref = reference()
    names = ", ".join(v.command for v in ref.vocabularies())

    @click.command("terms", help=say(
        "列出固定列表字段的可选值：区、“十全十美”服务、案例类型、建设类型、项目状态、评选级别、媒体类型、会议类型。\n\n"
        "不带参数时列出所有列表；带列表名（" + names + "，也可写中文，如 服务）时列出该列表的每一项："
        "键、中文名、英文名和也接受的写法。带一个值（如 社区食堂）时说明它属于哪个列表、代表哪一项。",
        "List the valid values of the fields that take them: districts, 十全十美 services, case types, construction, "
        "status, award level, media kinds, meeting kinds.\n\n"
        "Without an argument it lists the lists; with a list's name (" + names + ", or in Chinese, e.g. 服务) "
        "every value: key, Chinese and English name, and the other spellings accepted. Given a value (e.g. canteen) "
        "it says which list accepts it and as what."),
        short_help=say("可选值列表（区、服务、案例类型……）", "Valid values (districts, services, case types…)"))
    @click.argument("name", required=False, metavar=say("[列表名]", "[LIST]"))
    @click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help=say("输出格式", "output format"))
    @lang_option(say)
    @click.help_option("-h", "--help", help=say("显示帮助并退出", "Show this message and exit."))
    def terms(name: str | None, output_format: str) -> int:
        if name is None or not name.strip():
            if output_format == "json":
                click.echo(json.dumps({"vocabularies": [_vocabulary_json(v, False) for v in ref.vocabularies()]},
                                      ensure_ascii=False, indent=2))
            else:
                _overview(say, ref)
            return OK
        vocabulary = ref.vocabulary(name)
        if vocabulary is not None:
            if output_format == "json":
                click.echo(json.dumps(_vocabulary_json(vocabulary, True), ensure_ascii=False, indent=2))
            else:
                _listing(say, vocabulary)
            return OK
        if output_format == "json":
            matches = []
            for v in ref.vocabularies():
                try:
                    matches.append({"vocabulary": v.command, **_term_json(v, v[v.resolve(name)])})
                except UnknownTerm:
                    pass
            if matches:
                click.echo(json.dumps({"value": name, "matches": matches}, ensure_ascii=False, indent=2))
                return OK
        elif _lookup(say, ref, name):
            return OK
        close = [f"{t.zh} ({v.command}: {t.key})" for v in ref.vocabularies() for t in v.suggest(name)]
        maybe = say(f"您是不是要找 {' 或 '.join(close[:3])}？", f"did you mean {' or '.join(close[:3])}? ") if close else ""
        name = visible(name)
        raise click.UsageError(say(f"没有名为“{name}”的列表，也没有哪个列表接受这个值；{maybe}列表有：{names}（不带参数运行 showcase terms 可看全部）",
                                   f"there is no list called '{name}', and no list accepts it as a value; {maybe}the lists are: "
                                   f"{names} (run showcase terms without an argument to see them all)"))

    return [terms]

