"""What the home page shows in its first screen (issue 20): a lead picture, the programme's key
figures each with its source, and the ways into the site, each with a picture from the content.

Reads the Collection and the published media only; the template (site_templates/pages/home.html)
escapes every text it prints. Nothing here is a literal number: the figures come from the latest
plan table's printed totals and the competition sites.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from .. import urls
from ..collection import Collection
from ..content.models import Lang, SourceRef
from ..exhibitions import published_cover
from ..media import PublishedMedia
from ..maps.sketch import districts_svg

# the plan totals the home page shows, in order: (field of PlanFigures, label key)
PLAN_FIGURES = (("projects", "figure_projects"), ("renminfang", "figure_renminfang"), ("liuyiting", "figure_liuyiting"))


def _exhibition_cover(media: PublishedMedia, exhibition):
    """(cover item, published image) of an exhibition, or None."""
    item, image = published_cover(media, exhibition)
    return (item, image) if image is not None else None


def _mostly(exhibition, kind: str) -> bool:
    """Whether more than half of an exhibition's items are entries of `kind`."""
    kinds = Counter(item.ref[0] for room in exhibition.rooms for item in room.items)
    total = sum(kinds.values())
    return total > 0 and kinds[kind] * 2 > total


def _common_sources(entries) -> list[SourceRef]:
    """The sources every entry cites (all of them, once each, when they share none)."""
    entries = list(entries)
    if not entries:
        return []
    common = [ref for ref in entries[0].sources if all(ref in e.sources for e in entries[1:])]
    if common:
        return common
    out: list[SourceRef] = []
    for entry in entries:
        out += [ref for ref in entry.sources if ref not in out]
    return out


def lead_picture(collection: Collection, media: PublishedMedia) -> dict | None:
    """The newest exhibition's cover (the next exhibition's when it has none), else the newest
    case's lead photo, else None."""
    for exhibition in collection.exhibitions_sorted():
        found = _exhibition_cover(media, exhibition)
        if found:
            return {"kind": "exhibition", "entry": exhibition, "title": exhibition.title, "route": urls.exhibition(exhibition.id),
                    "item": found[0], "image": found[1], "kicker": "nav_exhibitions"}
    for case in collection.cases_sorted():
        found = media.lead("excellent", case)
        if found:
            return {"kind": "case", "entry": case, "title": case.title, "route": urls.case(case.id),
                    "item": found[0], "image": found[1], "kicker": "nav_cases"}
    return None


def key_figures(collection: Collection) -> list[dict]:
    """The programme in four numbers, each with what the document says it is and where:
    {"key", "value", "label" (a label key), "sources" (SourceRefs), "summed" (the rows' sum when
    the printed total differs from it, else None)}."""
    figures = []
    plans = collection.plans_sorted()
    if plans:
        plan = plans[-1]
        mismatched = {m.column: m.summed for m in collection.total_mismatches.get(plan.id, [])}
        for field, label in PLAN_FIGURES:
            figures.append({"key": field, "value": getattr(plan.totals, field), "label": label,
                            "sources": list(plan.sources), "summed": mismatched.get(field)})
    if collection.sites:
        figures.append({"key": "sites", "value": len(collection.sites), "label": "figure_sites",
                        "sources": _common_sources(collection.sites_sorted()), "summed": None})
    return figures


def ways_in(collection: Collection, media: PublishedMedia, points: list[tuple[str, float, float]], strings, lang: Lang,
            lead: dict | None) -> list[dict]:
    """The five ways in (cases, competition, exhibitions, retrospective, map), each with a picture
    from the content where there is one: {"key", "route", "title", "blurb" (label keys), "image"
    (a PublishedImage or None), "svg" (the map's picture, Markup, or None)}."""
    c = collection
    used: set[tuple[str, str]] = set()  # pictures already shown: each way in tries for its own
    if lead:
        used.add((lead["entry"].id, lead["item"].file or ""))

    def first(candidates):
        """The first (owner id, item, image) not shown yet, else the first at all."""
        candidates = [x for x in candidates if x is not None]
        fresh = [x for x in candidates if (x[0], x[1].file or x[1].url or "") not in used]
        chosen = (fresh or candidates or [None])[0]
        if chosen is not None:
            used.add((chosen[0], chosen[1].file or chosen[1].url or ""))
            return chosen[2]
        return None

    def case_lead(case):
        found = media.lead("excellent", case)
        return (case.id, *found) if found else None

    def cover(exhibition):
        found = _exhibition_cover(media, exhibition)
        return (exhibition.id, *found) if found else None

    exhibitions = c.exhibitions_sorted()
    cases = first([case_lead(case) for case in c.cases_sorted()[:1]])
    competition = first([cover(e) for e in exhibitions if _mostly(e, "competition")]
                        + [case_lead(c.cases[s.case]) for s in c.sites_sorted() if s.case and s.case in c.cases]
                        + [(s.id, *found) for s in c.sites_sorted() if (found := media.lead("competition", s))])
    retrospective = first([cover(e) for e in exhibitions if _mostly(e, "milestones")]
                          + [(m.id, *found) for m in reversed(c.milestones_sorted()) if (found := media.lead("milestones", m))])
    own_images = [(e.id, item, image) for e in exhibitions for item in e.media
                  if item.file and (image := media.image("exhibitions", e.id, item.file)) is not None]
    shown = first([cover(e) for e in exhibitions] + own_images)
    label = strings.get("home_map_picture", lang, districts=len(c.reference.districts), n=len(points))
    sketch = districts_svg(points, label) if points or c.reference.districts else None
    return [
        {"key": "cases", "route": urls.CASES, "title": "nav_cases", "blurb": "home_cases_blurb", "image": cases, "svg": None},
        {"key": "competition", "route": urls.COMPETITION, "title": "nav_competition", "blurb": "home_competition_blurb",
         "image": competition, "svg": None},
        {"key": "exhibitions", "route": urls.EXHIBITIONS, "title": "nav_exhibitions", "blurb": "home_exhibitions_blurb",
         "image": shown, "svg": None},
        {"key": "retrospective", "route": urls.RETROSPECTIVE, "title": "nav_retrospective", "blurb": "home_retrospective_blurb",
         "image": retrospective, "svg": None},
        {"key": "map", "route": urls.MAP, "title": "nav_map", "blurb": "home_map_blurb", "image": None,
         "svg": Markup(sketch) if sketch is not None else None},
    ]


def located_points(collection: Collection, maps=None) -> list[tuple[str, float, float]]:
    """(kind, lat, lon) of every located entry: the interactive maps' list when there are maps."""
    if maps is not None:
        return [(p.kind, p.lat, p.lon) for p in maps.located()]
    return ([("excellent", x.location.lat, x.location.lon) for x in collection.cases_sorted() if x.location]
            + [("competition", x.location.lat, x.location.lon) for x in collection.sites_sorted() if x.location])


def home_context(collection: Collection, media: PublishedMedia, maps, strings, lang: Lang) -> dict:
    """Everything home.html shows besides the map: the page's own text (`home`), the lead
    picture, the key figures, the ways in and the latest cases."""
    lead = lead_picture(collection, media)
    return {"home": collection.pages.get("home"), "lead": lead, "figures": key_figures(collection),
            "ways": ways_in(collection, media, located_points(collection, maps), strings, lang, lead),
            "cases": collection.cases_sorted()[:6]}
