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
