"""The Collection: every valid entry, the reference data and what is derived from them.

Built once per build from the content folder. Later stages (pages, maps, search, exports) read it
and never go back to YAML. Checks that need more than one file live here: duplicate ids, links
between entries, media paths, and printed totals against the sum of their rows.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator

from pydantic import BaseModel

from .content.models import (
    LANGS, PLAN_COLUMNS, Case, CompetitionSite, Document, DocumentList, Entry, Exhibition, GlossaryTerm, Media,
    Milestone, Page, PlanTable, Text, fold_name,
)
from .content.reference import Reference, reference
from .content.validate import validate_entry
from .diagnostics import Bilingual, Diagnostic, Diagnostics, error, format_path, info, warning
from .guard import working_on
from .load import SourceFile, display_path, read_yaml

# Content folder layout: one folder per entry kind, one YAML file per entry. An entry's media
# lives in the folder named like its file: excellent/changning-ningjuli.yaml -> excellent/changning-ningjuli/
ENTRY_KINDS: dict[str, type[Entry]] = {
    "excellent": Case,
    "competition": CompetitionSite,
    "milestones": Milestone,
    "pages": Page,
    "statistics": PlanTable,
    "exhibitions": Exhibition,
    "glossary": GlossaryTerm,
}
DOCUMENTS_FILE = "documents.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class TotalMismatch:
    column: str
    printed: int
    summed: int


@dataclass(frozen=True)
class MissingTranslation:
    file: str
    field: str
    zh: str
    line: int | None = None
    path: Path | None = None  # the entry's file on disk
    loc: tuple = ()  # the Text's place inside the entry, e.g. ("media", 0, "caption")


@dataclass
class Collection:
    root: Path
    reference: Reference
    cases: dict[str, Case] = field(default_factory=dict)
    sites: dict[str, CompetitionSite] = field(default_factory=dict)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    plans: dict[str, PlanTable] = field(default_factory=dict)
    exhibitions: dict[str, Exhibition] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    sources: dict[tuple[str, str], SourceFile] = field(default_factory=dict)  # (kind, id) -> file
    # derived
    site_for_case: dict[str, CompetitionSite] = field(default_factory=dict)
    total_mismatches: dict[str, list[TotalMismatch]] = field(default_factory=dict)

    # --- queries -----------------------------------------------------------------------------
    def cases_sorted(self) -> list[Case]:
        """Newest selection year first, then by district order and title."""
        order = {t.key: t.order for t in self.reference.districts}
        return sorted(self.cases.values(), key=lambda c: (-c.year, order[c.district], c.title.zh))

    def sites_sorted(self) -> list[CompetitionSite]:
        return sorted(self.sites.values(), key=lambda s: (s.year, s.number))

    def milestones_sorted(self) -> list[Milestone]:
        return sorted(self.milestones.values(), key=lambda m: (m.date.sort_key(), m.id))

    def exhibitions_sorted(self) -> list[Exhibition]:
        """Newest first (by opening date where there is one), then by id."""
        by_id = sorted(self.exhibitions.values(), key=lambda e: e.id)
        return sorted(by_id, key=lambda e: e.opens.sort_key() if e.opens else (0,), reverse=True)

    def exhibitions_showing(self, kind: str, entry_id: str) -> list[Exhibition]:
        """The exhibitions that include an entry, for the "shown in" note on its page."""
        return [e for e in self.exhibitions_sorted()
                if any(item.ref == (kind, entry_id) for room in e.rooms for item in room.items)]

    def glossary_sorted(self) -> list[GlossaryTerm]:
        """In the order the glossary page shows them (`order`, then id)."""
        return sorted(self.glossary.values(), key=lambda t: (t.order, t.id))

    def plans_sorted(self) -> list[PlanTable]:
        return sorted(self.plans.values(), key=lambda p: p.year)

    def media_folder(self, kind: str, entry_id: str) -> Path:
        return self.sources[(kind, entry_id)].path.with_suffix("")

    def media_path(self, kind: str, entry_id: str, media: Media | str) -> Path | None:
        """The file a media item (or a `file:`/`poster:` text) names, resolved, symlinks followed;
        None for anything load_collection refused (outside the content folder, or no such file):
        nothing may open it, not even to say that it is not an image."""
        name = media.file if isinstance(media, Media) else media
        return _locate_media(self.root, self.media_folder(kind, entry_id), name)[0] if name else None

    def texts(self) -> Iterator[tuple[SourceFile, tuple, Text]]:
        """Every bilingual text of every entry: (its file, its place in the entry, the text)."""
        for (kind, entry_id), source in sorted(self.sources.items()):
            entry = self.entry(kind, entry_id)
            if entry is not None:
                for loc, text in _texts(entry):
                    if kind == "documents":  # one file holds every document: prefix the list position
                        index = list(self.documents).index(entry_id)
                        loc = ("documents", index, *loc)
                    yield source, loc, text

    def missing_translations(self) -> list[MissingTranslation]:
        return [MissingTranslation(source.display, format_path(loc), text.zh, source.line_for(loc), source.path, loc)
                for source, loc, text in self.texts() if not text.en]

    def table(self, kind: str) -> dict:
        """The entries of one kind, by id ("documents" included)."""
        return {"excellent": self.cases, "competition": self.sites, "milestones": self.milestones,
                "pages": self.pages, "statistics": self.plans, "documents": self.documents,
                "exhibitions": self.exhibitions, "glossary": self.glossary}[kind]

    def entry(self, kind: str, entry_id: str) -> BaseModel | None:
        return self.table(kind).get(entry_id)


def _texts(model: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, Text]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        yield from _texts_in(value, loc + (name,))


def _texts_in(value, loc: tuple) -> Iterator[tuple[tuple, Text]]:
    if isinstance(value, Text):
        yield loc, value
    elif isinstance(value, BaseModel):
        yield from _texts(value, loc)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts_in(item, loc + (index,))


# --- building -------------------------------------------------------------------------------

def entry_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(kind, path) for every entry file, in a stable order. Folders that hold an entry's media
    are skipped, so a stray YAML among the photos is not mistaken for an entry."""
    for kind in ENTRY_KINDS:
        base = root / kind
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            stems = {Path(f).stem for f in filenames if f.endswith(YAML_SUFFIXES)}
            dirnames[:] = sorted(d for d in dirnames if d not in stems and not d.startswith((".", "_")))
            for name in sorted(filenames):
                if name.endswith(YAML_SUFFIXES) and not name.startswith((".", "_")):
                    yield kind, Path(dirpath) / name


def load_collection(root: Path, display_root: Path | None = None,
                    keep_partial: bool = False, memo: dict | None = None) -> tuple[Collection | None, Diagnostics]:
    """Read and check the whole content folder. Returns the Collection only when there is no error
    (with `keep_partial`, also then: the valid entries, for checks that look further);
    every error and warning found comes back at once.

    `memo` (the preview keeps one between rebuilds): each entry file read and validated, by its
    bytes; a file whose bytes are unchanged is not parsed again (1,000 cases: 1.5 s a save).
    The checks across files run every time."""
    root = root.resolve()
    shown_root = display_root.resolve() if display_root else root.parent
    diagnostics = Diagnostics()
    collection = Collection(root=root, reference=reference())

    if not root.is_dir():
        diagnostics.add(error("no_content_folder", str(root), None, None,
                              "找不到内容文件夹", "the content folder does not exist",
                              Bilingual("检查 mkdocs.yml 中 showcase 插件的 content_dir", "check content_dir of the showcase plugin in mkdocs.yml")))
        return None, diagnostics

    documents_ok = _load_documents(root, shown_root, collection, diagnostics)

    id_files: dict[tuple[str, str], SourceFile] = {}
    read: list[tuple[str, SourceFile]] = []  # every file that parsed, valid or not
    unusable: set[tuple[str, str]] = set()  # (kind, id) of entries that failed: no follow-on errors for them
    seen: set = set()
    for kind, path in entry_files(root):
        with working_on(display_path(path, shown_root)):  # an internal error names the file
            source, problems, entry, entry_problems = _read_entry(kind, path, shown_root, memo, seen)
            diagnostics.extend(problems)
            if source is None:
                unusable.add((kind, path.stem))
                continue
            read.append((kind, source))
        diagnostics.extend(entry_problems)
        if entry is None:
            raw_id = source.data.get("id") if isinstance(source.data, dict) else None
            unusable.update({(kind, path.stem), (kind, str(raw_id))})
            continue
        key = (kind, entry.id)
        if key in id_files:
            first = id_files[key]
            diagnostics.add(error("duplicate_id", source.display, source.line_for(("id",)), "id",
                                  f"编号“{entry.id}”已被 {first.display} 使用",
                                  f"the id '{entry.id}' is already used by {first.display}",
                                  Bilingual("每个条目的编号必须唯一，请换一个", "every entry needs its own id: choose another")))
            continue
        id_files[key] = source
        collection.sources[key] = source
        collection.table(kind)[entry.id] = entry
        if path.stem != entry.id:
            diagnostics.add(warning("file_name_differs", source.display, source.line_for(("id",)), "id",
                                    f"文件名与编号“{entry.id}”不一致", f"the file name differs from the id '{entry.id}'",
                                    Bilingual(f"建议把文件改名为 {entry.id}{path.suffix}", f"consider renaming the file to {entry.id}{path.suffix}")))

    if memo is not None:  # files gone since: forgotten
        for key in [key for key in memo if key not in seen]:
            del memo[key]
    _check_links(collection, diagnostics, documents_ok, unusable)
    _check_exhibitions(collection, diagnostics, unusable)
    _check_glossary(collection, diagnostics, unusable)
    _check_media(root, read, diagnostics)
    _check_plans(collection, diagnostics)
    _warn_unread_yaml(root, shown_root, diagnostics)

    if diagnostics.has_errors() and not keep_partial:
        return None, diagnostics
    return collection, diagnostics


def _read_entry(kind: str, path: Path, shown_root: Path, memo: dict | None, seen: set) -> tuple:
    """(source, reading problems, entry, validation problems) of one entry file; from `memo`
    when the file holds the same bytes as when it was last read."""
    raw = None
    key = (kind, str(path), str(shown_root))
    if memo is not None:
        seen.add(key)
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None
        found = memo.get(key)
        if found is not None and raw is not None and found[0] == raw:
            return found[1]
    source, problems = read_yaml(path, shown_root)
    entry, entry_problems = validate_entry(source, ENTRY_KINDS[kind]) if source is not None else (None, [])
    result = (source, problems, entry, entry_problems)
    if memo is not None and raw is not None:
        memo[key] = (raw, result)
    return result


def _load_documents(root: Path, shown_root: Path, collection: Collection, diagnostics: Diagnostics) -> bool:
    """Read documents.yaml; False when it exists but could not be used (its errors are reported)."""
    path = root / DOCUMENTS_FILE
    if not path.exists():
        return True
    source, problems = read_yaml(path, shown_root)
    diagnostics.extend(problems)
    if source is None:
        return False
    parsed, problems = validate_entry(source, DocumentList)
    diagnostics.extend(problems)
    if parsed is None:
        return False
    for index, document in enumerate(parsed.documents):
        if document.id in collection.documents:
            diagnostics.add(error("duplicate_id", source.display, source.line_for(("documents", index, "id")),
                                  format_path(("documents", index, "id")),
                                  f"文件编号“{document.id}”重复", f"the document id '{document.id}' is used twice"))
            continue
        collection.documents[document.id] = document
        collection.sources[("documents", document.id)] = source
    return True


def _check_links(collection: Collection, diagnostics: Diagnostics, documents_ok: bool,
                 unusable: set[tuple[str, str]]) -> None:
    numbers: dict[tuple[int, int], str] = {}
    for site in collection.sites_sorted():
        source = collection.sources[("competition", site.id)]
        if (site.year, site.number) in numbers:
            diagnostics.add(error("duplicate_number", source.display, source.line_for(("number",)), "number",
                                  f"{site.year} 年的序号 {site.number} 已被“{numbers[(site.year, site.number)]}”使用",
                                  f"number {site.number} of {site.year} is already used by '{numbers[(site.year, site.number)]}'"))
        numbers[(site.year, site.number)] = site.id
        if site.case:
            if site.case in collection.cases:
                collection.site_for_case[site.case] = site
            elif ("excellent", site.case) not in unusable:
                diagnostics.add(_unknown_ref(source, ("case",), site.case, list(collection.cases), "案例", "case"))

    if not documents_ok:  # its own errors are reported; every citation would fail too
        return
    for (kind, entry_id), source in sorted(collection.sources.items()):
        entry = collection.entry(kind, entry_id)
        for list_name in ("sources", "documents"):
            for index, ref in enumerate(getattr(entry, list_name, None) or []):
                if hasattr(ref, "document") and ref.document not in collection.documents:
                    diagnostics.add(_unknown_ref(source, (list_name, index, "document"), ref.document,
                                                 list(collection.documents), "文件（documents.yaml）", "document (documents.yaml)"))


def _check_exhibitions(collection: Collection, diagnostics: Diagnostics, unusable: set[tuple[str, str]]) -> None:
    """Every item of every room must name an entry that exists, or one of the exhibition's own
    images; the cover too."""
    nouns = {"excellent": ("案例", "case"), "competition": ("“人民坊”点位", "competition site"), "milestones": ("大事记", "milestone")}
    for exhibition in collection.exhibitions.values():
        source = collection.sources[("exhibitions", exhibition.id)]
        own = [m.file for m in exhibition.media if m.file]
        if exhibition.cover and exhibition.cover not in own:
            diagnostics.add(_unknown_media(source, ("cover",), exhibition.cover, own))
        for r, room in enumerate(exhibition.rooms):
            for i, item in enumerate(room.items):
                kind, ref = item.ref
                field_name = {"excellent": "case", "competition": "site", "milestones": "milestone", "media": "media"}[kind]
                loc = ("rooms", r, "items", i, field_name)
                if kind == "media":
                    if ref not in own:
                        diagnostics.add(_unknown_media(source, loc, ref, own))
                elif ref not in collection.table(kind) and (kind, ref) not in unusable:
                    diagnostics.add(_unknown_ref(source, loc, ref, list(collection.table(kind)), *nouns[kind]))


def _check_glossary(collection: Collection, diagnostics: Diagnostics, unusable: set[tuple[str, str]]) -> None:
    """Related terms and illustrating entries must exist; no spelling may name two terms (a page
    could not tell which one a word means, nor search which definition to show first)."""
    owner: dict[str, tuple[str, str]] = {}  # folded spelling -> (term id, spelling as written)
    for term in collection.glossary_sorted():
        source = collection.sources[("glossary", term.id)]
        for field_name, kind, noun_zh, noun_en in (("related", "glossary", "词语", "glossary term"),
                                                   ("cases", "excellent", "案例", "case"),
                                                   ("sites", "competition", "“人民坊”点位", "competition site")):
            for index, ref in enumerate(getattr(term, field_name)):
                if ref == term.id and kind == "glossary":
                    diagnostics.add(error("related_to_itself", source.display, source.line_for((field_name, index)),
                                          format_path((field_name, index)), "相关词语不能是这个词语本身",
                                          "a term cannot be related to itself",
                                          Bilingual(f"删去 {ref} 这一行", f"remove the line {ref}")))
                elif ref not in collection.table(kind) and (kind, ref) not in unusable:
                    diagnostics.add(_unknown_ref(source, (field_name, index), ref, list(collection.table(kind)), noun_zh, noun_en))
        for loc, name in _term_names(term):
            folded = fold_name(name)
            first = owner.setdefault(folded, (term.id, name))
            if first[0] != term.id:
                other = collection.sources[("glossary", first[0])]
                diagnostics.add(error("term_name_taken", source.display, source.line_for(loc), format_path(loc),
                                      f"写法“{name}”已是词语“{first[0]}”（{other.display}）的写法",
                                      f"the spelling '{name}' already names the term '{first[0]}' ({other.display})",
                                      Bilingual("一个写法只能指一个词语：删去其中一处，或写得更具体",
                                                "a spelling may name only one term: remove one, or make it more specific")))


def _term_names(term: GlossaryTerm) -> Iterator[tuple[tuple, str]]:
    yield ("term", "zh"), term.term.zh
    if term.term.en:
        yield ("term", "en"), term.term.en
    for lang in LANGS:
        for index, name in enumerate(getattr(term.aliases, lang)):
            yield ("aliases", lang, index), name


def _unknown_media(source: SourceFile, loc: tuple, name: str, own: list[str]) -> Diagnostic:
    close = difflib.get_close_matches(name, own, n=1, cutoff=0.5)
    hint = (Bilingual(f"您是不是要写 {close[0]}？", f"did you mean '{close[0]}'?") if close else
            Bilingual("先在 media: 中列出这张图片（file、alt 等），这里只写文件名", "list the image under media: first (file, alt…), then give its file name here"))
    return error("unknown_media", source.display, source.line_for(loc), format_path(loc),
                 f"本展览的 media: 中没有“{name}”", f"'{name}' is not in this exhibition's media: list", hint)


def _unknown_ref(source: SourceFile, loc: tuple, value: str, known: list[str], noun_zh: str, noun_en: str) -> Diagnostic:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    hint = Bilingual(f"您是不是要写 {close[0]}？", f"did you mean '{close[0]}'?") if close else None
    return error("unknown_reference", source.display, source.line_for(loc), format_path(loc),
                 f"没有编号为“{value}”的{noun_zh}", f"there is no {noun_en} with the id '{value}'", hint)


def _locate_media(root: Path, folder: Path, name: str) -> tuple[Path | None, str | None]:
    """(the resolved file, None) when `name` names a file inside the content folder `root`;
    otherwise (None, "media_outside" or "media_missing"). One rule for the check and for every
    later reader (Collection.media_path)."""
    candidate = Path(name.strip())
    if candidate.is_absolute():
        return None, "media_outside"
    try:
        resolved = (folder / candidate).resolve()  # follows symlinks: one leading out is caught
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return None, "media_missing"
    if not resolved.is_relative_to(root):
        return None, "media_outside"
    if not resolved.is_file():  # nor a folder, a FIFO or a device
        return None, "media_missing"
    return resolved, None


def _check_media(root: Path, read: list[tuple[str, SourceFile]], diagnostics: Diagnostics) -> None:
    """Media paths are checked on the raw data, so they are reported even in an entry that has
    other errors: the editor sees every problem in one run."""
    for _kind, source in read:
        items = source.data.get("media") if isinstance(source.data, dict) else None
        if not isinstance(items, list):
            continue
        folder = source.path.with_suffix("")
        shown_folder = display_path(folder, root.parent)
        for index, item in enumerate(items):
            for key in ("file", "poster"):  # both name files in the media folder
                name = item.get(key) if isinstance(item, dict) else None
                if not isinstance(name, str) or not name.strip():
                    continue  # the schema reports it
                loc = ("media", index, key)
                line, shown_field = source.line_for(loc), format_path(loc)
                _resolved, problem = _locate_media(root, folder, name)
                if problem == "media_outside":
                    diagnostics.add(error("media_outside", source.display, line, shown_field,
                                          f"媒体文件“{name}”不在内容文件夹 cases/ 之内",
                                          f"the media file '{name}' lies outside the content folder cases/",
                                          Bilingual(f"把文件放进 {shown_folder}/ 并只写文件名",
                                                    f"put the file in {shown_folder}/ and write just its name")))
                elif problem == "media_missing":
                    siblings = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
                    close = difflib.get_close_matches(Path(name.strip()).name, siblings, n=1, cutoff=0.5)
                    hint = (Bilingual(f"您是不是要写 {close[0]}？", f"did you mean '{close[0]}'?") if close else
                            Bilingual(f"媒体文件应放在 {shown_folder}/", f"media files belong in {shown_folder}/"))
                    diagnostics.add(error("media_missing", source.display, line, shown_field,
                                          f"找不到媒体文件“{name}”", f"the media file '{name}' does not exist", hint))


def _check_plans(collection: Collection, diagnostics: Diagnostics) -> None:
    districts = collection.reference.districts
    for plan in collection.plans_sorted():
        source = collection.sources[("statistics", plan.id)]
        seen: dict[str, int] = {}
        for index, row in enumerate(plan.rows):
            if row.district in seen:
                diagnostics.add(error("duplicate_row", source.display, source.line_for(("rows", index, "district")),
                                      format_path(("rows", index, "district")),
                                      f"{districts[row.district].zh} 出现了两次", f"{districts[row.district].en} appears twice"))
            seen[row.district] = index
        mismatches = []
        for column in PLAN_COLUMNS:
            printed = getattr(plan.totals, column)
            summed = sum(getattr(row, column) for row in plan.rows)
            if printed != summed:
                mismatches.append(TotalMismatch(column, printed, summed))
        if mismatches:
            diagnostics.add(_totals_notice(source, mismatches))
        collection.total_mismatches[plan.id] = mismatches


def _totals_notice(source: SourceFile, mismatches: list[TotalMismatch]) -> Diagnostic:
    """The site shows what the document prints (Annex 1 of the 2024 plan prints two 六艺亭 totals
    that differ from its rows) with a footnote, and never corrects it: a note, once per plan, not a
    warning that reads like a fault."""
    first = mismatches[0]
    field = f"totals.{first.column}" if len(mismatches) == 1 else "totals"
    zh = "；".join(f"totals.{m.column} 印为 {m.printed}，各行相加为 {m.summed}" for m in mismatches)
    en = "; ".join(f"totals.{m.column} is printed as {m.printed}, the rows add up to {m.summed}" for m in mismatches)
    return info("total_mismatch", source.display, source.line_for(("totals", first.column)), field,
                f"原文印出的合计与各行之和不同：{zh}", f"the document's printed totals differ from the sums of its rows: {en}",
                Bilingual("网站照原文显示并加注说明，无需处理；只有抄录有误时才需改正",
                          "the site shows them as printed, with a footnote; nothing to do unless they were copied wrongly"))


def _warn_unread_yaml(root: Path, shown_root: Path, diagnostics: Diagnostics) -> None:
    known = set(ENTRY_KINDS) | {DOCUMENTS_FILE}
    for child in sorted(root.iterdir()):
        if child.name.startswith((".", "_")) or child.name in known:
            continue
        if child.suffix in YAML_SUFFIXES or (child.is_dir() and any(child.rglob("*.yaml"))):
            folders = "、".join(sorted(ENTRY_KINDS))
            diagnostics.add(warning("not_read", display_path(child, shown_root), None, None,
                                    "此处的 YAML 文件不会被读取", "YAML files here are not read",
                                    Bilingual(f"条目应放在以下文件夹之一：{folders}", f"entries belong in one of these folders: {', '.join(sorted(ENTRY_KINDS))}")))


__all__ = ["Collection", "load_collection", "ENTRY_KINDS", "LANGS", "TotalMismatch", "MissingTranslation"]
