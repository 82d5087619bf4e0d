"""Which language the command-line tool speaks.

Publicity staff read Chinese first; the tool follows the user's locale (LC_ALL, LC_MESSAGES,
LANG, LANGUAGE), `SHOWCASE_LANG` beats the locale and `--lang zh|en` beats both. A locale that
says nothing (unset, C, POSIX) means Chinese, the programme's own language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Literal

Lang = Literal["zh", "en"]


def detect_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Lang:
    environ = os.environ if environ is None else environ
    for index, arg in enumerate(argv):
        value = None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in ("zh", "en"):
            return value  # type: ignore[return-value]
    explicit = environ.get("SHOWCASE_LANG", "")
    if explicit in ("zh", "en"):
        return explicit  # type: ignore[return-value]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(name, "")
        if not value or value.split(".")[0] in ("C", "POSIX"):
            continue
        return "zh" if value.lower().startswith("zh") else "en"
    return "zh"


class Say:
    """Picks one of two texts: `say("保存了", "saved")`."""

    def __init__(self, lang: Lang):
        self.lang: Lang = lang

    def __call__(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en


# --- click's own words ------------------------------------------------------------------------
# click writes its messages (usage errors, missing options and arguments, bad values, "did you
# mean", prompts, help headings) in English through gettext: every click module does
# `from gettext import gettext as _` (and `ngettext`). For Chinese, `speak_click` points those
# names at the table below, so a Chinese user never meets an English sentence in the middle of
# Chinese ones. The placeholders ({name!r}, {value}, …) are click's; tests/cli/test_click_language.py
# holds this table to every message click can show, and to the same placeholders.

CLICK_ZH: dict[str, str] = {
    # exceptions.py
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 {command} {option} 查看说明。",
    "Invalid value: {message}": "值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "unknown error": "未知错误",
    # core.py
    "Aborted!": "已取消",
    "deprecated": "已弃用",
    "Missing command.": "缺少命令。",
    "required": "必填",
    "Options": "选项",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Value must be an iterable.": "这里需要多个值。",
    "env var: {var}": "环境变量：{var}",
    "default: {default}": "默认：{default}",
    "(dynamic)": "（动态）",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "提示：命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "提示：{name!r} 已弃用。{extra_message}",
    # decorators.py
    "Do you want to continue?": "要继续吗？",
    "Confirm the action without prompting.": "不询问，直接确认。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Show the version and exit.": "显示版本并退出",
    "Show this message and exit.": "显示帮助并退出",
    # formatting.py
    "Usage:": "用法：",
    # parser.py
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不能跟值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    # termui.py
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的不一样。",
    "Error: invalid input": "错误：输入无效",
    # types.py
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Choice({choices})": "可选（{choices}）",
    "{value} is not in the range {range}.": "{value} 不在允许的范围 {range} 之内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是“是/否”值；可写：{states}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 无法执行。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    # _termui_impl.py
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
}

# ngettext: (singular, plural) -> (Chinese for one, Chinese for several)
CLICK_ZH_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("多余的参数（{args}）", "多余的参数（{args}）"),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("需要 {nargs} 个值，只给了 1 个。", "需要 {nargs} 个值，给了 {len} 个。"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("您是不是要写 {possibility}？", "（您是不是要写其中之一：{possibilities}？）"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("选项 {name!r} 后面要写一个值。", "选项 {name!r} 后面要写 {nargs} 个值。"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} 不是可选值 {choice}。", "{value!r} 不是可选值之一：{choices}。"),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("{value!r} 不符合格式 {format}。", "{value!r} 不符合以下任何一种格式：{formats}。"),
    ("{len_type} values are required, but {len_value} was given.", "{len_type} values are required, but {len_value} were given."):
        ("需要 {len_type} 个值，给了 {len_value} 个。", "需要 {len_type} 个值，给了 {len_value} 个。"),
}

# What click says only to the programmer who wrote a command wrongly (never to a user of a
# finished command), or about shells, colours and streams nobody here uses: left in English.
CLICK_UNTRANSLATED = {
    "d",  # _termui_impl: a format letter, not a message
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
}


def click_gettext(message: str) -> str:
    return CLICK_ZH.get(message, message)


def click_ngettext(singular: str, plural: str, n: int) -> str:
    pair = CLICK_ZH_PLURAL.get((singular, plural))
    if pair is None:
        return singular if n == 1 else plural
    return pair[0] if n == 1 else pair[1]


def click_modules() -> list:
    """Every click module that speaks through gettext."""
    import importlib
    import sys

    import click

    for name in ("click._termui_impl", "click.shell_completion"):  # imported lazily by click itself
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - an optional part of a future click
            pass
    return [module for name, module in sorted(sys.modules.items())
            if module is not None and (name == "click" or name.startswith("click.")) and hasattr(module, "_")]


def speak_click(lang: Lang) -> None:
    """Make click's own messages follow `lang` (this process, from now on)."""
    import gettext

    for module in click_modules():
        if getattr(module, "_", None) in (gettext.gettext, click_gettext):
            module._ = click_gettext if lang == "zh" else gettext.gettext
        if getattr(module, "ngettext", None) in (gettext.ngettext, click_ngettext):
            module.ngettext = click_ngettext if lang == "zh" else gettext.ngettext
