"""An exhibition as a visitor walks it: every item in order across the rooms, with its place
("room 2 of 4, item 5 of 12"), where it is shown, and the stops before and after it.

Reads the Collection only; the page renderer draws the rooms from these stops, so the order of
the previous/next links and the positions cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import urls
from .collection import Collection
from .content.models import Exhibition, ExhibitItem, Media, Room, Text


@dataclass(frozen=True)
class Stop:
    number: int  # 1-based, across the whole exhibition
    total: int
    room_number: int  # 1-based
    room_total: int
    room: Room
    item: ExhibitItem
    kind: str  # excellent | competition | milestones | media
    entry: object  # the Case, CompetitionSite or Milestone; or the exhibition's own Media
    route: str  # the room page that shows it

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"

    @property
    def title(self) -> Text | None:
        if self.kind == "media":
            return self.entry.caption
        return getattr(self.entry, "title", None) or getattr(self.entry, "name", None)

    @property
    def text(self) -> Text | None:
        """The curator's caption, else the entry's own summary."""
        if self.item.caption:
            return self.item.caption
        if self.kind == "media":
            return None
        return getattr(self.entry, "summary", None)

    @property
    def entry_route(self) -> str | None:
        """The entry's own page (milestones: their place on the timeline)."""
        if self.kind == "excellent":
            return urls.case(self.entry.id)
        if self.kind == "competition":
            return urls.site(self.entry.id)
        if self.kind == "milestones":
            return urls.RETROSPECTIVE + "#" + self.entry.id
        return None


def walk(collection: Collection, exhibition: Exhibition) -> list[Stop]:
    """Every item of the exhibition in visiting order."""
    own = {m.file: m for m in exhibition.media if m.file}
    places = [(r, room, item) for r, room in enumerate(exhibition.rooms, start=1) for item in room.items]
    stops = []
    for number, (r, room, item) in enumerate(places, start=1):
        kind, ref = item.ref
        entry: object = own[ref] if kind == "media" else collection.table(kind)[ref]
        stops.append(Stop(number, len(places), r, len(exhibition.rooms), room, item, kind, entry,
                          urls.exhibition_room(exhibition.id, r)))
    return stops


def located_entries(stops: list[Stop]) -> list[tuple[str, str]]:
    """(kind, id) of the items that can stand on a map (cases and competition sites)."""
    return [(s.kind, s.entry.id) for s in stops if s.kind in ("excellent", "competition")]


def cover_media(exhibition: Exhibition) -> Media | None:
    return next((m for m in exhibition.media if m.file == exhibition.cover), None) if exhibition.cover else None


def published_cover(media, exhibition: Exhibition):
    """(cover item, its published image) of an exhibition: (None, None) without a cover, and
    (item, None) when the image was not published. `media` is a media.PublishedMedia."""
    item = cover_media(exhibition)
    return item, media.image("exhibitions", exhibition.id, item.file) if item and item.file else None
