"""New entries: readable ids from Chinese titles, and a file with every field explained.

The file is rendered from `scaffolds/<kind>.yaml.j2`: one line per field of the model with a short
bilingual comment, so staff never have to look the schema up. Optional fields the user did not
give stay empty (null), which the schema accepts.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import jinja2
import yaml
from pypinyin import Style, lazy_pinyin

SCAFFOLDS = Path(__file__).with_name("scaffolds")
KIND_FOLDERS = {"case": "excellent", "site": "competition", "milestone": "milestones", "term": "glossary"}
NO_MEDIA = {"term"}  # kinds without photos: no media folder
MAX_ID_WORDS = 60  # characters of the pinyin part: long titles get cut at a syllable boundary


def pinyin_slug(text: str, max_length: int = MAX_ID_WORDS) -> str:
    """宁聚里 -> ningjuli; 江桥北虹之星 人民坊 -> jiangqiaobeihongzhixing-renminfang.

    Chinese runs become toneless pinyin written together (how Shanghai street names are
    romanised); spaces and punctuation separate words; Latin letters and digits are kept."""
    words: list[str] = []
    for chunk in re.split(r"[^\w]+|_", unicodedata.normalize("NFKC", text)):
        if not chunk:
            continue
        syllables = lazy_pinyin(chunk, style=Style.NORMAL, errors=lambda s: list(s))
        word = re.sub(r"[^a-z0-9]", "", "".join(syllables).lower().replace("ü", "v"))
        if word:
            words.append(word)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            if not slug:  # one very long word: cut it
                slug = word[:max_length]
            break
        slug = candidate
    return slug


def case_id(title: str, district: str) -> str:
    return f"{district}-{pinyin_slug(title)}".strip("-")


def site_id(year: int, number: int, street: str) -> str:
    # 2024-01-huamu: the street without its 街道/镇 suffix, as the sample content does
    short = re.sub(r"(街道|镇|乡)$", "", street.strip())
    return f"{year}-{number:02d}-{pinyin_slug(short)}".strip("-")


def term_id(term: str, term_en: str | None = None) -> str:
    """An English name makes the better address (one-plan-three-meetings); else the pinyin."""
    from ..content.models import is_slug

    if term_en:
        slug = re.sub(r"[^a-z0-9]+", "-", term_en.casefold()).strip("-")[:60].strip("-")
        if is_slug(slug):
            return slug
    return pinyin_slug(term)


def milestone_id(date_iso: str, title: str) -> str:
    return f"{date_iso}-{pinyin_slug(title, 40)}".strip("-")


def yaml_scalar(value: Any) -> str:
    """One value as it would appear after `key: ` (flow style; blank for nothing)."""
    if value is None or value == "":
        return ""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6, sort_keys=False)
    return text.removesuffix("\n...\n").strip()


_environment = jinja2.Environment(loader=jinja2.FileSystemLoader(SCAFFOLDS), undefined=jinja2.StrictUndefined,
                                  keep_trailing_newline=True, autoescape=False)
_environment.filters["yaml"] = yaml_scalar


def render_scaffold(kind: str, values: dict[str, Any]) -> str:
    return _environment.get_template(f"{kind}.yaml.j2").render(**values)


class EntryExists(Exception):
    def __init__(self, path: Path):
        self.path = path


def write_new_entry(content_dir: Path, kind: str, entry_id: str, text: str) -> tuple[Path, Path]:
    """Write the file and create its media folder. Never overwrites: an existing file (or any file
    whose id is taken) raises EntryExists."""
    from ..content.models import is_slug

    if not is_slug(entry_id):  # the command line checks it; this is the last line of defence
        raise ValueError(f"not a valid id: {entry_id!r}")
    folder = content_dir / KIND_FOLDERS[kind]
    path = folder / f"{entry_id}.yaml"
    for existing in (path, path.with_suffix(".yml")):
        if existing.exists():
            raise EntryExists(existing)
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": fails rather than overwrite, even in a race
        handle.write(text)
    media = path.with_suffix("")
    if kind not in NO_MEDIA:
        media.mkdir(exist_ok=True)
    return path, media
