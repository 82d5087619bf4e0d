"""click's own messages (usage errors, missing options and arguments, bad values, "did you mean",
prompts, help) follow the user's language like ours do (generator/cli/i18n.py: speak_click)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import click
import pytest

from generator.cli import main
from generator.cli.i18n import (CLICK_UNTRANSLATED, CLICK_ZH, CLICK_ZH_PLURAL, click_gettext, click_modules,
                                speak_click)
from tests.helpers import ROOT


def _click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """Every text click passes to gettext / ngettext, read from its source."""
    single: set[str] = set()
    plural: set[tuple[str, str]] = set()
    for module in click_modules():
        path = Path(module.__file__)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and args:
                single.add(args[0])
            elif node.func.id == "ngettext" and len(args) >= 2:
                plural.add((args[0], args[1]))
    return single, plural


def _fields(text: str) -> set[str]:
    return {name for _, name, spec, conv in string.Formatter().parse(text) if name is not None}


def test_every_message_click_can_show_has_a_chinese_text():
    single, plural = _click_messages()
    assert single and plural  # the source was read
    missing = single - set(CLICK_ZH) - CLICK_UNTRANSLATED
    assert not missing, f"click messages without Chinese (add them to CLICK_ZH in generator/cli/i18n.py): {sorted(missing)}"
    missing_plural = plural - set(CLICK_ZH_PLURAL)
    assert not missing_plural, f"click plural messages without Chinese: {sorted(missing_plural)}"


def test_chinese_texts_use_only_clicks_placeholders():
    for english, chinese in CLICK_ZH.items():
        assert _fields(chinese) <= _fields(english), (english, chinese)
        assert ("%(" in chinese) == ("%(" in english), (english, chinese)
    for (one, several), (zh_one, zh_several) in CLICK_ZH_PLURAL.items():
        assert _fields(zh_one) <= _fields(one) | _fields(several) and _fields(zh_several) <= _fields(several), (one, several)


def test_the_translation_is_put_back_for_english():
    speak_click("zh")
    try:
        assert click.exceptions._ is click_gettext
        assert click.exceptions._("Missing option") == "缺少选项"
    finally:
        speak_click("en")
    assert click.exceptions._("Missing option") == "Missing option"


def _run(capsys, monkeypatch, *args: str, lang: str = "zh") -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # no terminal: nothing is asked
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--lang", lang])
    captured = capsys.readouterr()
    return exit_.value.code, captured.out + captured.err


# one command line per kind of usage error click reports itself
ERROR_KINDS = {
    "no such option, did you mean": ("new", "case", "--titl", "宁聚里"),
    "no such option": ("--bogus",),
    "no such command, did you mean": ("nwe",),
    "missing argument": ("import",),
    "missing value of an option": ("new", "case", "--title"),
    "not an integer": ("new", "case", "--year", "abc"),
    "out of range": ("new", "case", "--year", "1999"),
    "bad choice": ("check", "--format", "xml"),
    "no such file": ("import", "nosuch.xlsx"),
    "extra arguments": ("new", "case", "甲", "乙"),
    "missing options (no terminal)": ("new", "case", "--title", "宁聚里"),
}

# words click writes in English: none may reach a Chinese reader
CLICK_ENGLISH = re.compile(r"\b(Usage|Error|Invalid|Missing|No such|Did you mean|Possible|Try|is not|does not|"
                           r"requires|unexpected|valid|integer|range|exist|option|argument|command|help|Choose)\b")


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_click_errors_speak_chinese(kind, capsys, monkeypatch):
    code, output = _run(capsys, monkeypatch, *ERROR_KINDS[kind], lang="zh")
    assert code == 2, output
    assert "用法有误：" in output and "查看说明" in output, output
    # what remains once names the user typed (options, quoted values, commands, metavars) are taken out
    words = re.sub(r"'[^']*'|--?[a-z][\w-]*|showcase|\b(new|case|check|import|nwe)\b|\b[A-Z]+\b", " ", output)
    assert not CLICK_ENGLISH.search(words), output
    assert not re.search(r"[a-z]{3,}", words), output


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_click_errors_stay_english_in_english(kind, capsys, monkeypatch):
    code, output = _run(capsys, monkeypatch, *ERROR_KINDS[kind], lang="en")
    assert code == 2, output
    assert "Usage error: " in output and "--help` for help" in output, output
    assert not re.search(r"[\u4e00-\u9fff]", re.sub("[宁聚里甲乙]", "", output)), output


def test_missing_options_are_named_as_typed(capsys, monkeypatch):
    """`new case` without a terminal names the options it needs as `--help` lists them (the
    option is --type, its value `types`)."""
    _, output = _run(capsys, monkeypatch, "new", "case", "--title", "宁聚里", lang="en")
    named = re.search(r"missing required values: (.*?) \(", output).group(1).split(", ")
    assert named == ["--district", "--year", "--type", "--summary"]
    _, helptext = _run(capsys, monkeypatch, "new", "case", "--help", lang="en")
    for option in named:
        assert re.search(rf"^\s+{option}\b", helptext, re.MULTILINE), option
    for command in ("site", "milestone"):
        _, output = _run(capsys, monkeypatch, "new", command, lang="en")
        _, helptext = _run(capsys, monkeypatch, "new", command, "--help", lang="en")
        for option in re.search(r"missing required values: (.*?) \(", output).group(1).split(", "):
            assert re.search(rf"^\s+(-\w, )?{option}\b", helptext, re.MULTILINE), (command, option)


def test_help_speaks_chinese(capsys, monkeypatch):
    code, output = _run(capsys, monkeypatch, "import", "--help", lang="zh")
    assert code == 0
    assert "用法：" in output and "选项" in output
    assert not re.search(r"\b(Usage|Options|Show this message|required|default)\b", output), output
