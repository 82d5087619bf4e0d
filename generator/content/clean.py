"""Characters that text from outside must not carry into the site or the exports.

Text arrives pasted from Word, WeChat and PDFs, or from district spreadsheets. Some of it carries
characters nobody can see and no file format wants: C0 and C1 control characters (vertical tab,
ESC, form feed, NUL…; tab and line breaks are kept), bidirectional overrides and isolates, lone
UTF-16 surrogates and the two non-characters U+FFFE/U+FFFF. XML (XLSX, DOCX, the sitemap) cannot hold them at all, a terminal
runs ESC sequences, and a surrogate cannot even be written as UTF-8.

The decision is made once, here, and applied where text enters: the YAML loader and the
spreadsheet import remove these characters and warn with file, line and field; every later stage
can rely on clean text. Nothing is written back to the user's file.
"""

from __future__ import annotations

import re
import unicodedata

# Everything XML 1.0 refuses, plus DEL and the C1 block, which XML allows but no one means to type,
# plus the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): one
# left open in a title reverses everything printed after it on the page or in the book (a cited
# section, a label), and they make text read otherwise than it is ("Trojan source"). The plain
# direction marks U+200E/U+200F, which close nothing, are kept. And the non-characters U+FDD0-U+FDEF,
# "never for interchange": the loader uses U+FDD0 as its placeholder for a removed character.
UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def describe(char: str) -> str:
    """A character as people can look it up: U+000B (LINE TABULATION)."""
    code = ord(char)
    try:
        name = unicodedata.name(char)
    except ValueError:
        name = {0x0B: "LINE TABULATION", 0x1B: "ESCAPE", 0x0C: "FORM FEED", 0x00: "NULL", 0x7F: "DELETE"}.get(code)
        if name is None:
            name = ("SURROGATE" if 0xD800 <= code <= 0xDFFF else
                    "NONCHARACTER" if 0xFDD0 <= code <= 0xFDEF or code in (0xFFFE, 0xFFFF) else "CONTROL")
    return f"U+{code:04X} ({name})"


def clean_text(text: str) -> tuple[str, list[str]]:
    """`text` without unwanted characters, and the description of each kind removed (in order of
    first appearance). Carriage returns become line breaks (CR LF -> LF), as YAML reads them."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not UNWANTED.search(text):
        return text, []
    removed = list(dict.fromkeys(describe(c) for c in UNWANTED.findall(text)))
    return UNWANTED.sub("", text), removed


def visible(text: str) -> str:
    """For messages printed on a terminal or in a log: unwanted characters shown as \\x1b, never
    sent as they are (an ESC in a file name or a key would otherwise drive the terminal)."""
    return UNWANTED.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}", text)
