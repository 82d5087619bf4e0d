"""Command-line values from the reference vocabularies: 长宁, 长宁区 and changning are one district."""

from __future__ import annotations

import click

from ..content.reference import UnknownTerm, Vocabulary
from .i18n import Say


class TermType(click.ParamType):
    def __init__(self, vocabulary: Vocabulary, say: Say):
        self.vocabulary, self.say = vocabulary, say
        self.name = vocabulary.name

    def convert(self, value, param, ctx) -> str:
        try:
            return self.vocabulary.resolve(value)
        except UnknownTerm as exc:
            v = self.vocabulary
            hint = self.say(*v.unknown_hint(exc.suggestions))
            self.fail(self.say(f"“{value}”不是{v.noun_zh}；{hint}", f"'{value}' is not a {v.noun_en}; {hint}"), param, ctx)


class IdType(click.ParamType):
    """An entry id given on the command line: it names the file and the media folder, so it is
    checked before anything is written (`--id ../../x` would have written outside the project)."""

    name = "id"

    def __init__(self, say: Say):
        self.say = say

    def convert(self, value, param, ctx) -> str:
        from ..authoring.scaffold import pinyin_slug
        from ..content.models import is_slug

        if is_slug(value):
            return value
        suggestion = pinyin_slug(value)
        hint = (self.say(f"例如 {suggestion}", f"e.g. {suggestion}") if is_slug(suggestion)
                else self.say("例如 changning-ningjuli", "e.g. changning-ningjuli"))
        self.fail(self.say(f"“{value}”不是有效的编号：只能用小写拼音字母、数字和连字符（2–80 个字符），不能有 / 或 ..；{hint}",
                           f"'{value}' is not a valid id: use lower-case letters, digits and hyphens only (2–80 characters), "
                           f"no / or ..; {hint}"), param, ctx)
