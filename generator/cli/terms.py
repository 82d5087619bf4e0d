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
            if exc.suggestions:
                names = " / ".join(v.describe(t) for t in exc.suggestions)
                hint = self.say(f"您是不是要写 {names}？", f"did you mean {names}?")
            else:
                hint = self.say(f"可选值：{v.listing(40)}", f"valid values: {v.listing(40)}")
            self.fail(self.say(f"“{value}”不是{v.noun_zh}；{hint}", f"'{value}' is not a {v.noun_en}; {hint}"), param, ctx)
