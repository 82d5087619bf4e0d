"""`showcase`: the one command publicity staff use (new, check, template, import, translations,
serve, build).

The command tree is built for one language at a time (help, prompts and messages all follow
it), chosen by `--lang`, SHOWCASE_LANG or the locale (see i18n.py). Exit codes: 0 ok, 1 the
content has errors (or the work failed), 2 the command was used wrongly, 70 an internal error (a
bug: reported in both languages with the file being processed, see guard.py).
"""

from __future__ import annotations

import os
import sys

import click

from .i18n import Lang, Say, detect_lang, speak_click
from .common import ZhHelpFormatter, lang_option


def build_cli(lang: Lang) -> click.Group:
    from . import check, edit, export, new, publish, sheets, site, translate, vocabulary

    say = Say(lang)

    @click.group(
        help=say("上海“15分钟社区生活圈”案例展示网站的内容工具：新建条目、检查、电子表格导入、翻译清单、导出、预览。\n\n"
                 "在项目文件夹（有 mkdocs.yml 的文件夹）里运行。用 --lang en 显示英文。",
                 "Content tool for the Shanghai 15-minute community life circle showcase: new entries, checks, "
                 "spreadsheet import, translation lists, exports, preview.\n\n"
                 "Run it in the project folder (the one with mkdocs.yml). Use --lang zh for Chinese."),
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    @lang_option(say)
    @click.help_option("-h", "--help", help=say("显示帮助并退出", "Show this message and exit."))
    @click.version_option(package_name="shanghai-15min-showcase", message="%(prog)s %(version)s",
                          help=say("显示版本并退出", "Show the version and exit."))
    def cli() -> None:
        pass

    for module in (new, check, vocabulary, sheets, translate, export, site, edit, publish):
        for command in module.commands(say):
            cli.add_command(command)
    return cli


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = detect_lang(argv)
    # click's own messages (usage errors, prompts, help) in the user's language too, and the
    # build's (`showcase build` / `serve` run mkdocs with this environment); both put back after,
    # for a caller in the same process (tests)
    before = os.environ.get("SHOWCASE_LANG")
    os.environ["SHOWCASE_LANG"] = lang
    speak_click(lang)
    formatter = click.Context.formatter_class
    click.Context.formatter_class = ZhHelpFormatter if lang == "zh" else click.HelpFormatter
    try:
        _main(argv, lang)
    finally:
        speak_click("en")
        click.Context.formatter_class = formatter
        if before is None:
            os.environ.pop("SHOWCASE_LANG", None)
        else:
            os.environ["SHOWCASE_LANG"] = before


def _main(argv: list[str], lang: Lang) -> None:
    say = Say(lang)
    cli = build_cli(lang)
    try:
        code = cli.main(args=argv, prog_name="showcase", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        _usage_error(say, exc, cli, argv)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo(say("已取消", "Cancelled"), err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"{say('错误：', 'Error: ')}{exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        from ..guard import debugging

        if debugging():
            raise
        # a file the command had to read or write (a full disk, a read-only folder, a file another
        # program holds): the user's to fix, not a bug; said without errno or Python's wording
        from ..diagnostics import os_error_text

        click.echo(f"{say('错误：', 'Error: ')}{os_error_text(exc, lang)}", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug of ours, not the user's: say so plainly, details on request
        from ..guard import INTERNAL_ERROR_EXIT, debugging, internal_error

        if debugging():
            raise
        command = " ".join(a for a in argv if not a.startswith("-"))[:80] or "showcase"
        message = internal_error(exc, f"运行 showcase {command}", f"running showcase {command}")
        click.echo(f"{message.zh}\n\n{message.en}", err=True)
        sys.exit(INTERNAL_ERROR_EXIT)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error(say: Say, exc: click.exceptions.UsageError, cli: click.Group, argv: list[str]) -> None:
    """The usage line, what was wrong (click's words, in the user's language: see speak_click) and
    where help is."""
    if exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
    message = exc.format_message()
    if say.lang == "zh":  # click joins its sentences with ". " and ends some with "."
        message = message.replace("。 ", "。")
        if message.endswith("'."):
            message = message[:-1] + "。"
    click.echo(f"{say('用法有误：', 'Usage error: ')}{message}", err=True)
    command = " ".join(["showcase", *exc.ctx.command_path.split()[1:]]) if exc.ctx else _command_of(cli, argv)
    click.echo(say(f"运行 {command} --help 查看说明", f"run `{command} --help` for help"), err=True)


def _command_of(cli: click.Group, argv: list[str]) -> str:
    """`showcase new case` from the words of argv that name commands (click gives no context for
    some errors, such as an option missing its value)."""
    words, command = ["showcase"], cli
    for arg in argv:
        if arg.startswith("-"):
            continue
        if not isinstance(command, click.Group) or arg not in command.commands:
            break
        command = command.commands[arg]
        words.append(arg)
    return " ".join(words)
