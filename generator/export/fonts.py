"""The fonts the printed book needs: found before it is made, and found in it afterwards.

Without a CJK font WeasyPrint still writes a PDF, in DejaVu, with every Chinese character a box
(it only logs a warning per character). So:

- `print_fonts(print_dir)` reads the families the print templates name (every `font-family` in
  site_templates/print/*.css, and the locator map's), and asks fontconfig (the library Pango and
  WeasyPrint use, with the same configuration: FONTCONFIG_FILE and all) which font it would give
  for each, regular and bold. A named family that fontconfig answers with another family (it
  always answers with *something*) is missing: `FontsMissing`, a bilingual message naming it and
  how to install it. Otherwise the resolved files, which the downloads cache key includes.
- `check_pdf(data)` reads the finished PDF back (pypdf, and fontTools for the embedded font
  programs): every font must be embedded, and when the PDF prints Chinese, its characters must
  be real glyphs of the font that prints them, not .notdef boxes (a rare character that no
  installed font has may be a box; all of them may not). Otherwise `FontsNotEmbedded`, and the
  PDF is not written.

One fontconfig configuration is loaded per process and each family looked up once (about 5 ms
in all).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "emoji", "math", "fangsong",
           "ui-serif", "ui-sans-serif", "ui-monospace", "ui-rounded", "inherit", "initial", "unset", "revert"}
STYLES = (None, "Bold")  # what the print CSS uses: normal and bold weights
INSTALL_ZH = ("请安装：Debian/Ubuntu 运行 sudo apt install fonts-noto-cjk（或在项目文件夹运行 scripts/setup.sh）；"
              "其他系统请安装思源/Noto CJK 简体中文字体（https://github.com/notofonts/noto-cjk）。"
              "装好后可用 fc-list | grep 'Noto Sans CJK' 确认，再重新生成")
INSTALL_EN = ("Install them: on Debian/Ubuntu sudo apt install fonts-noto-cjk (or run scripts/setup.sh in the project "
              "folder); elsewhere the Noto CJK Simplified Chinese fonts (https://github.com/notofonts/noto-cjk). "
              "Check with fc-list | grep 'Noto Sans CJK', then make it again")


class PrintFontError(RuntimeError):
    """The book cannot be printed with the fonts it needs. `zh` and `en` say why and what to do."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


class FontsMissing(PrintFontError):
    """A family the print templates name is not installed (fontconfig gives another one)."""

    def __init__(self, missing: list[tuple[str, str]], where: str):
        self.missing = [family for family, _ in missing]
        zh_list = "、".join(f"{family}（现在会用 {instead or '无'} 代替）" for family, instead in missing)
        en_list = ", ".join(f"{family} (it would be {instead or 'nothing'} instead)" for family, instead in missing)
        super().__init__(
            f"缺少印刷版 PDF 需要的字体：{zh_list}，见 {where}。没有它们，PDF 里的中文会印成方框，所以没有生成 PDF。{INSTALL_ZH}",
            f"the fonts the printed PDF needs are not installed: {en_list}, named in {where}. Without them every "
            f"Chinese character in the PDF would be a box, so no PDF was made. {INSTALL_EN}")


class FontsNotEmbedded(PrintFontError):
    """The PDF as made does not carry the fonts it needs."""


@dataclass(frozen=True)
class ResolvedFont:
    family: str  # as the templates name it
    style: str  # "" (regular) or "Bold"
    file: str  # the file fontconfig gives
    found: tuple[str, ...]  # the family names of that font

    def fingerprint(self) -> str:
        """What the downloads cache key takes from this font: which file, and which version of it."""
        try:
            stat = os.stat(self.file)
            version = f"{stat.st_size}:{stat.st_mtime_ns}"
        except OSError:
            version = "-"
        return f"{self.family}\0{self.style}\0{self.file}\0{version}"


# --- which families the templates name ------------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.I)


def families_in(value: str) -> list[str]:
    """The family names of a CSS font-family value, generic ones included, in order."""
    names = []
    for part in value.split(","):
        name = part.strip().strip("'\"").strip()
        if name and not name.startswith("var("):
            names.append(name)
    return names


def template_families(print_dir: Path) -> list[str]:
    """Every family the print templates name (their CSS and the locator map's SVG), in order of
    first mention, generic families included."""
    from .locator import FONT

    values = [FONT]
    for css in sorted(Path(print_dir).glob("*.css")):
        values += _FONT_FAMILY.findall(_COMMENT.sub("", css.read_text(encoding="utf-8")))
    return list(dict.fromkeys(name for value in values for name in families_in(value)))


# --- fontconfig ---------------------------------------------------------------------------------

_LIBRARIES = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "libfontconfig.dylib")


@functools.lru_cache(maxsize=1)
def _fontconfig():
    for name in (*_LIBRARIES, ctypes.util.find_library("fontconfig")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        p = ctypes.c_void_p
        for function, restype, argtypes in (
            ("FcInitLoadConfigAndFonts", p, []),
            ("FcPatternCreate", p, []),
            ("FcPatternDestroy", None, [p]),
            ("FcPatternAddString", ctypes.c_int, [p, ctypes.c_char_p, ctypes.c_char_p]),
            ("FcConfigSubstitute", ctypes.c_int, [p, p, ctypes.c_int]),
            ("FcDefaultSubstitute", None, [p]),
            ("FcFontMatch", p, [p, p, ctypes.POINTER(ctypes.c_int)]),
            ("FcPatternGetString", ctypes.c_int, [p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]),
        ):
            getattr(lib, function).restype = restype
            getattr(lib, function).argtypes = argtypes
        return lib
    raise PrintFontError(
        "找不到 fontconfig 库（WeasyPrint 排版 PDF 需要它）；Debian/Ubuntu 请运行 scripts/setup.sh 或 sudo apt install libpangoft2-1.0-0",
        "the fontconfig library (which WeasyPrint needs to lay out the PDF) was not found; on Debian/Ubuntu run "
        "scripts/setup.sh or sudo apt install libpangoft2-1.0-0")


def _environment() -> tuple:
    """What decides fontconfig's answer in this process, besides the installed fonts."""
    return tuple(os.environ.get(name) for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "HOME"))


@functools.lru_cache(maxsize=4)
def _config(environment: tuple) -> int:
    # as WeasyPrint's FontConfiguration does: the user's configuration and fonts, freshly loaded
    config = _fontconfig().FcInitLoadConfigAndFonts()
    if not config:
        raise PrintFontError("fontconfig 无法读取字体配置", "fontconfig could not load its configuration")
    return config


@functools.lru_cache(maxsize=64)
def _match(family: str, style: str | None, environment: tuple) -> tuple[tuple[str, ...], str]:
    """(the family names, the file) of the font fontconfig gives for `family` in `style`."""
    fc, config = _fontconfig(), _config(environment)
    pattern = fc.FcPatternCreate()
    try:
        fc.FcPatternAddString(pattern, b"family", family.encode("utf-8"))
        if style:
            fc.FcPatternAddString(pattern, b"style", style.encode("utf-8"))
        fc.FcConfigSubstitute(config, pattern, 0)  # FcMatchPattern
        fc.FcDefaultSubstitute(pattern)
        result = ctypes.c_int(0)
        font = fc.FcFontMatch(config, pattern, ctypes.byref(result))
    finally:
        fc.FcPatternDestroy(pattern)
    if not font:
        return (), ""
    try:
        value = ctypes.c_char_p()
        names, index = [], 0
        while fc.FcPatternGetString(font, b"family", index, ctypes.byref(value)) == 0:  # FcResultMatch
            names.append(value.value.decode("utf-8", "replace"))
            index += 1
        file = value.value.decode("utf-8", "replace") if fc.FcPatternGetString(font, b"file", 0, ctypes.byref(value)) == 0 else ""
    finally:
        fc.FcPatternDestroy(font)
    return tuple(names), file


def resolve(family: str, style: str | None = None) -> ResolvedFont:
    names, file = _match(family, style, _environment())
    return ResolvedFont(family, style or "", file, names)


def installed(font: ResolvedFont) -> bool:
    """Whether fontconfig gave the family asked for, not a stand-in."""
    return font.family.lower() in GENERIC or any(name.casefold() == font.family.casefold() for name in font.found)


def print_fonts(print_dir: Path) -> tuple[ResolvedFont, ...]:
    """The fonts the book will be printed with (every family the templates name, regular and
    bold); `FontsMissing` when a named family is not installed."""
    print_dir = Path(print_dir)
    fonts = tuple(resolve(family, style) for family in template_families(print_dir) for style in STYLES)
    missing = {font.family: (font.found[0] if font.found else "") for font in fonts if not installed(font)}
    if missing:
        raise FontsMissing(list(missing.items()), _display(print_dir))
    return fonts


def _display(print_dir: Path) -> str:
    names = [path for path in sorted(print_dir.glob("*.css"))] or [print_dir]
    shown = []
    for path in names:
        try:
            shown.append(str(path.resolve().relative_to(Path.cwd())))
        except ValueError:
            shown.append(str(path))
    return ", ".join(shown)


# --- the finished PDF ------------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass(frozen=True)
class PdfFont:
    name: str  # BaseFont without the subset prefix, e.g. Noto-Sans-CJK-SC-Bold
    embedded: bool
    chinese: int  # Chinese characters it prints with a real glyph
    boxes: str  # Chinese characters it prints as .notdef (a box): the font has no glyph for them


def pdf_fonts(data: bytes) -> list[PdfFont]:
    """Every font of the PDF (the pages' resources, their forms and patterns), read with pypdf."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise PrintFontError("无法检查 PDF 的字体：没有安装 pypdf（运行 scripts/setup.sh 或 pip install pypdf）",
                             "cannot check the PDF's fonts: pypdf is not installed (run scripts/setup.sh or pip install pypdf)") from None
    reader = PdfReader(io.BytesIO(data))
    fonts: dict = {}
    seen: set = set()

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources or id(resources) in seen:
            return
        seen.add(id(resources))
        for ref in (resources.get("/Font") or {}).values():
            key = (ref.idnum, ref.generation) if hasattr(ref, "idnum") else id(ref)
            if key not in fonts:
                fonts[key] = _pdf_font(ref.get_object())
        for group in ("/XObject", "/Pattern"):
            for ref in (resources.get(group) or {}).values():
                item = ref.get_object()
                if "/Resources" in item:
                    walk(item["/Resources"])

    for page in reader.pages:
        walk(page.get("/Resources"))
    return list(fonts.values())


def _pdf_font(font) -> PdfFont:
    name = str(font.get("/BaseFont", "")).lstrip("/")
    name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    composite = font.get("/Subtype") == "/Type0"
    described = font["/DescendantFonts"][0].get_object() if composite else font
    descriptor = described.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    program = next((descriptor[key].get_object() for key in _FONT_FILES if key in descriptor), None)
    embedded = program is not None or font.get("/Subtype") == "/Type3"  # Type3: glyphs drawn in the PDF
    chinese = {code: text for code, text in _to_unicode(font).items() if _HAN.search(text)}
    if not chinese or not composite or program is None:
        return PdfFont(name, embedded, len(chinese), "")
    # a composite font: code -> CID (its encoding) -> glyph (CIDToGIDMap); WeasyPrint prints a
    # character the font lacks as CID 0 or as a glyph number past the font's last glyph
    cids = _encoding(font.get("/Encoding"))
    gids = _cid_to_gid(described.get("/CIDToGIDMap"))
    count = _glyph_count(program.get_data())
    boxes, real = [], 0
    for code, text in chinese.items():
        cid = cids(code)
        gid = gids(cid) if cid else 0
        if gid and gid < count:
            real += 1
        else:
            boxes.append(text)
    return PdfFont(name, embedded, real, "".join(sorted(set(boxes))))


def _to_unicode(font) -> dict[int, str]:
    """code -> text, from the font's ToUnicode CMap (bfchar and bfrange)."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].get_object().get_data()
    out: dict[int, str] = {}
    for kind, section in re.findall(rb"begin(bfchar|bfrange)(.*?)end(?:bfchar|bfrange)", cmap, re.S):
        for line in section.splitlines():
            values = re.findall(rb"<([0-9A-Fa-f]+)>", line)
            if kind == b"bfchar" and len(values) == 2:
                out[int(values[0], 16)] = _utf16(values[1])
            elif kind == b"bfrange" and len(values) == 3:
                first, last, start = int(values[0], 16), int(values[1], 16), _utf16(values[2])
                if len(start) == 1:
                    for i in range(min(last - first + 1, 0x10000)):
                        if ord(start) + i < 0x110000:
                            out[first + i] = chr(ord(start) + i)
    return out


def _encoding(encoding):
    """code -> CID for a composite font's encoding: Identity-H/V, or an embedded CMap."""
    if encoding is None or not hasattr(encoding.get_object(), "get_data"):
        return lambda code: code  # /Identity-H, /Identity-V
    table: dict[int, int] = {}
    data = encoding.get_object().get_data()
    for kind, section in re.findall(rb"begin(cidchar|cidrange)(.*?)end(?:cidchar|cidrange)", data, re.S):
        for line in section.splitlines():
            hexes, numbers = re.findall(rb"<([0-9A-Fa-f]+)>", line), re.findall(rb">\s*(\d+)\s*$", line)
            if kind == b"cidchar" and len(hexes) == 1 and numbers:
                table[int(hexes[0], 16)] = int(numbers[0])
            elif kind == b"cidrange" and len(hexes) == 2 and numbers:
                first, last = int(hexes[0], 16), int(hexes[1], 16)
                for i in range(min(last - first + 1, 0x10000)):
                    table[first + i] = int(numbers[0]) + i
    return lambda code: table.get(code, 0)  # an unmapped code is CID 0, .notdef


def _cid_to_gid(mapping):
    if mapping is None or not hasattr(mapping.get_object(), "get_data"):
        return lambda cid: cid  # /Identity (and CFF fonts, whose CIDs WeasyPrint keeps as glyph numbers)
    data = mapping.get_object().get_data()
    return lambda cid: int.from_bytes(data[2 * cid:2 * cid + 2], "big") if 2 * cid + 2 <= len(data) else 0


def _glyph_count(program: bytes) -> int:
    """How many glyphs an embedded font program has (TrueType, OpenType or bare CFF)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return TTFont(io.BytesIO(program), lazy=True)["maxp"].numGlyphs
    except (TTLibError, KeyError, AssertionError, ValueError, IndexError):
        pass
    try:
        from fontTools.cffLib import CFFFontSet

        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program), None)
        return len(cff.topDictIndex[0].charset)
    except Exception:  # not a font program fontTools reads: no glyph can be vouched for
        return 0


def _utf16(hex_value: bytes) -> str:
    try:
        return bytes.fromhex(hex_value.decode()).decode("utf-16-be", "replace")
    except ValueError:
        return ""


def check_pdf(data: bytes) -> list[PdfFont]:
    """`FontsNotEmbedded` unless every font in the PDF is embedded and, when the PDF prints
    Chinese, some font prints it with real glyphs (not every character a box). Returns the fonts."""
    fonts = pdf_fonts(data)
    loose = sorted({f.name for f in fonts if not f.embedded})
    if loose:
        raise FontsNotEmbedded(
            f"PDF 里有未嵌入的字体：{'、'.join(loose)}；在别的电脑上会印成别的字或方框，所以没有保存这个 PDF",
            f"the PDF has fonts that are not embedded: {', '.join(loose)}; elsewhere they would print as other letters "
            f"or boxes, so the PDF was not kept")
    boxed = [f for f in fonts if f.boxes]
    if boxed and not any(f.chinese for f in fonts):
        used = sorted({f.name for f in boxed})
        chars = "".join(sorted({ch for f in boxed for ch in f.boxes}))
        sample = chars[:12] + ("…" if len(chars) > 12 else "")
        raise FontsNotEmbedded(
            f"PDF 里的中文（{sample}）印成了方框：所用字体 {'、'.join(used)} 没有中文字形，所以没有保存这个 PDF。{INSTALL_ZH}",
            f"the Chinese in the PDF ({sample}) would print as boxes: its fonts, {', '.join(used)}, have no Chinese "
            f"glyphs, so the PDF was not kept. {INSTALL_EN}")
    return fonts
