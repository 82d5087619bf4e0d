"""Which maps the site has, and what is on them.

Every case and competition site with a location gets a small map on its page; the map page and
the home page show every located entry (clustered, with a filter by kind and district on the map
page); each district page shows its own. Each map becomes one script file beside its page
(`…/map.js`), written by folium with our elements, so the page itself stays light.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import re
from functools import cached_property

import folium
import xyzservices
from folium.plugins import MarkerCluster
from markupsafe import Markup, escape

from .. import geo, urls
from ..collection import Collection
from . import assets
from .config import TileProvider
from .elements import Places, Setup, map_data_script

# Shanghai as the boundaries file draws it (south-west, north-east), for maps of the whole city.
SHANGHAI_BOUNDS = [[30.68, 120.85], [31.88, 122.0]]
KINDS = ("excellent", "competition")


@dataclass(frozen=True)
class Located:
    kind: str  # excellent | competition
    entry_id: str
    route: str
    district: str
    lat: float
    lon: float
    approximate: bool
    title: object  # Text
    detail: str  # year / number, language-neutral
    thumbnail: str | None  # site path of an image


@dataclass
class MapSpec:
    """One map on one page: the placeholder's id and attributes, and the script to write."""

    dom_id: str
    script_path: str  # site path of the map's script, beside its page
    script: str
    cluster: bool
    height: str  # "small" | "large"
    label: str  # accessible name of the map region
    assets_version: str = ""  # the folder of Leaflet and the boundary scripts (maps/assets.py: version)
    places: list[Located] = field(default_factory=list)  # what the map shows, for the list beside it


@dataclass
class MapBuilder:
    collection: Collection
    providers: list[TileProvider]
    strings: object  # render.pages.Strings
    thumbnails: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> site path
    _prototypes: dict[tuple[str, str], MapSpec] = field(default_factory=dict, repr=False)
    _scripts: dict[tuple, tuple[str, str]] = field(default_factory=dict, repr=False)  # folium's part, see _folium

    # --- what is located ----------------------------------------------------------------------
    def located(self) -> list[Located]:
        return self._located

    @cached_property
    def _located(self) -> list[Located]:
        c = self.collection
        out = []
        for case in c.cases_sorted():
            if case.location:
                out.append(Located("excellent", case.id, urls.case(case.id), case.district, case.location.lat,
                                   case.location.lon, case.location.approximate, case.title, str(case.year),
                                   self.thumbnails.get(("excellent", case.id))))
        for site in c.sites_sorted():
            if site.location:
                out.append(Located("competition", site.id, urls.site(site.id), site.district, site.location.lat,
                                   site.location.lon, site.location.approximate, site.name,
                                   f"{site.year} · {site.number}", self.thumbnails.get(("competition", site.id))))
        return out

    # --- the maps -------------------------------------------------------------------------------
    @cached_property
    def _by_entry(self) -> dict[tuple[str, str], Located]:
        return {(p.kind, p.entry_id): p for p in self._located}

    def entry_map(self, kind: str, entry_id: str, lang: str) -> MapSpec | None:
        """An entry's own map. All of them differ only in a few values, so folium renders one
        prototype per kind and language and each entry's script is the prototype with its centre
        and zoom put in (numbers), behind its own data line (folium's rendering costs ~10 ms a
        map: 20 s for 1,000 cases in two languages)."""
        item = self._by_entry.get((kind, entry_id))
        if item is None:
            return None
        prototype = self._prototype(kind, lang)
        data = {"places": [self._place(item, lang, self._relative_to(item.route, lang))],
                "boundaries": self._boundaries([item.district], item.route, lang), "filter": None, "fit": None,
                "labels": self._labels(lang)}
        script = _P_ZOOM_RE.sub(f'"zoom": {13 if item.approximate else 15}', prototype.script)
        script = _substitute(script, {_P_LAT: repr(float(item.lat)), _P_LON: repr(float(item.lon))})
        return MapSpec(dom_id=prototype.dom_id, script_path=urls.page_url(item.route, lang) + "map.js",
                       script=map_data_script(prototype.dom_id, data) + script,
                       cluster=False, height="small", label=prototype.label, assets_version=prototype.assets_version,
                       places=[item])

    def _relative_to(self, route: str, lang: str):
        page = urls.page_url(route, lang)
        return lambda site_path: urls.relative(site_path, page)

    def _prototype(self, kind: str, lang: str) -> MapSpec:
        key = (kind, lang)
        if key not in self._prototypes:
            # every entry page sits at the same depth, so relative URLs are the same for all
            route = urls.case(_P_ENTRY) if kind == "excellent" else urls.site(_P_ENTRY)
            spec = self._render([], route, lang, zoom=_P_ZOOM, center=[_P_LAT_VALUE, _P_LON_VALUE],
                                boundaries=[], height="small", prototype=True)
            self._prototypes[key] = spec
        return self._prototypes[key]

    def overview_map(self, route: str, lang: str, filter: bool, height: str = "large") -> MapSpec | None:
        items = self.located()
        if not items:
            return None
        return self._render(items, route, lang, fit=SHANGHAI_BOUNDS, boundaries=["all"], cluster=True,
                            filter=filter, height=height)

    def places_map(self, entries: list[tuple[str, str]], route: str, lang: str) -> MapSpec | None:
        """A map of some entries, e.g. an exhibition's: (kind, id) pairs, in the order given;
        the view fits them, inside the districts they lie in."""
        items = list(dict.fromkeys(self._by_entry[key] for key in entries if key in self._by_entry))
        if not items:
            return None
        pad = 0.02
        fit = [[min(p.lat for p in items) - pad, min(p.lon for p in items) - pad],
               [max(p.lat for p in items) + pad, max(p.lon for p in items) + pad]]
        # clustered as soon as two markers could overlap: each stays a whole 24 px target (WCAG 2.5.8)
        return self._render(items, route, lang, fit=fit, boundaries=["all"], cluster=len(items) > 1, height="medium")

    def district_map(self, district: str, route: str, lang: str) -> MapSpec:
        items = [p for p in self.located() if p.district == district]
        shape = next(d for d in geo.districts() if d.key == district)
        west, south, east, north = shape.bbox
        # The whole district and every marker (one may sit on its border), with room for the
        # GCJ-02 shift of Chinese tiles (about 500 m): an entry at the edge was cut in half.
        pad = 0.01
        fit = [[min([south] + [p.lat for p in items]) - pad, min([west] + [p.lon for p in items]) - pad],
               [max([north] + [p.lat for p in items]) + pad, max([east] + [p.lon for p in items]) + pad]]
        return self._render(items, route, lang, fit=fit, boundaries=[district], cluster=len(items) > 1, height="large")

    # --- rendering ------------------------------------------------------------------------------
    def _t(self, key: str, lang: str, **values) -> str:
        return self.strings.get(key, lang, **values)

    def _render(self, items: list[Located], route: str, lang: str, *, zoom: int = 10, center=None, fit=None,
                boundaries: list[str], cluster: bool = False, filter: bool = False, height: str,
                prototype: bool = False) -> MapSpec:
        page = urls.page_url(route, lang)
        rel = lambda site_path: urls.relative(site_path, page)  # noqa: E731 - every URL is relative to the page
        name, script = self._folium(lang, zoom, tuple(center or ()), cluster)
        if not prototype:  # an entry map's data is put in front of the prototype per entry (entry_map)
            data = {"places": [self._place(item, lang, rel) for item in items],
                    "boundaries": self._boundaries(boundaries, route, lang),
                    "filter": self._filter(items, lang) if filter else None, "fit": fit, "labels": self._labels(lang)}
            script = map_data_script(name, data) + script
        label = self._t("map_label_entries", lang, count=1 if prototype else len(items))
        return MapSpec(dom_id=name, script_path=page + "map.js", script=script, cluster=cluster,
                       height=height, label=label, assets_version=assets.version(), places=list(items))

    def _folium(self, lang: str, zoom: int, center: tuple, cluster: bool) -> tuple[str, str]:
        """(element name, script) of folium's part of a map: the base layers, controls and setup,
        which hold no entry data and no page address (the data line in front of it does), so maps
        that differ only in their data share it (folium costs ~50 ms a map: 36 district and
        overview maps took 2 s)."""
        key = (lang, zoom, center, cluster)
        if key not in self._scripts:
            self._scripts[key] = self._folium_render(lang, zoom, list(center) or None, cluster)
        return self._scripts[key]

    def _folium_render(self, lang: str, zoom: int, center, cluster: bool) -> tuple[str, str]:
        fmap = folium.Map(location=center or [31.2, 121.45], zoom_start=zoom, tiles=None, control_scale=True,
                          scrollWheelZoom=False, zoomSnap=0.25, min_zoom=8, max_zoom=18, prefer_canvas=False)
        bases = []
        for index, provider in enumerate(self.providers):
            # an xyzservices provider, not a URL string: folium would search its catalogue of
            # ~1,000 providers for a string on every map
            # ({scale} stays for maps.js to fill: 2 on high-density screens)
            tiles = xyzservices.TileProvider(name=provider.name(lang), url=provider.url_for(lang),
                                             attribution=provider.attribution, scale="{scale}")
            layer = folium.TileLayer(tiles=tiles, attr=provider.attribution, name=provider.name(lang),
                                     subdomains=provider.subdomains, max_zoom=provider.max_zoom, max_native_zoom=provider.max_zoom,
                                     overlay=False, control=True, show=index == 0)
            layer.add_to(fmap)
            bases.append((layer, provider.datum))
        # A base layer without tiles: the boundaries and markers alone (offline kiosks)
        offline = folium.FeatureGroup(name=self._t("map_offline_layer", lang), overlay=False, control=True,
                                      show=not self.providers)
        offline.add_to(fmap)
        bases.append((offline, "wgs84"))
        if not self.providers:
            bases = bases[-1:]

        parent = MarkerCluster(name=self._t("map_entries_layer", lang), control=False, options={"showCoverageOnHover": False}).add_to(fmap) if cluster else fmap
        places = Places(fmap)
        places.add_to(parent)
        if len(bases) > 1:
            folium.LayerControl(position="topright", collapsed=True).add_to(fmap)
        Setup(bases, places, parent if cluster else None).add_to(fmap)

        _number(fmap)
        fmap.get_root().render()
        # folium indents generously; JSON strings never span lines, so blank lines and indentation can go
        script = "\n".join(line.strip() for line in fmap.get_root().script.render().splitlines() if line.strip()) + "\n"
        return fmap.get_name(), script

    def _labels(self, lang: str) -> dict[str, str]:
        """The map's own words in the page's language, for maps.js (names of controls, clusters)."""
        keys = {"zoom_in": "map_zoom_in", "zoom_out": "map_zoom_out", "layers": "map_layers",
                "close": "map_popup_close", "cluster": "map_cluster"}
        return {name: self._t(key, lang) for name, key in keys.items()}

    def _boundaries(self, keys: list[str], route: str, lang: str) -> list[dict]:
        page = urls.page_url(route, lang)
        return [{"key": key, "script": urls.relative(assets.boundary_script(key), page)} for key in keys]

    def _place(self, item: Located, lang: str, rel) -> dict:
        return {"lat": item.lat, "lon": item.lon, "kind": item.kind, "district": item.district, "entry": item.entry_id,
                "title": item.title.get(lang), "popup": self._popup(item, lang, rel)}

    def _popup(self, item: Located, lang: str, rel) -> str:
        district = self.collection.reference.districts[item.district].name(lang)
        kind = self._t(f"map_kind_{item.kind}", lang)
        thumb = Markup("")
        if item.thumbnail:
            thumb = Markup('<img src="{}" alt="" width="120" loading="lazy">').format(rel(item.thumbnail))
        note = Markup(' · {}').format(self._t("approximate_location", lang)) if item.approximate else ""
        return str(Markup('<div class="sc-popup">{}<a href="{}"><strong>{}</strong></a><br><span>{} · {} · {}{}</span></div>').format(
            thumb, rel(urls.page_url(item.route, lang)), escape(item.title.get(lang)), kind, district, item.detail, note))

    def _filter(self, items: list[Located], lang: str) -> dict:
        ref = self.collection.reference
        kinds = [k for k in KINDS if any(i.kind == k for i in items)]
        districts = [d.key for d in ref.districts if any(i.district == d.key for i in items)]
        count = lambda key, value: sum(1 for i in items if getattr(i, key) == value)  # noqa: E731
        return {
            "title": str(escape(self._t("map_filter", lang))),
            "shown": str(escape(self._t("map_filter_shown", lang))),
            "groups": [
                {"key": "kind", "label": str(escape(self._t("map_filter_kind", lang))),
                 "options": [{"value": k, "label": str(escape(self._t(f"map_kind_{k}", lang))), "count": count("kind", k)} for k in kinds]},
                {"key": "district", "label": str(escape(self._t("field_district", lang))),
                 "options": [{"value": d, "label": str(escape(ref.districts[d].name(lang))), "count": count("district", d)} for d in districts]},
            ],
        }


# Placeholders of the entry-map prototype: values no real entry has (numbers only: the entry's
# text travels in its data line, never through folium)
_P_LAT_VALUE, _P_LON_VALUE = 11.123456789, 22.123456789
_P_LAT, _P_LON = repr(_P_LAT_VALUE), repr(_P_LON_VALUE)
_P_ZOOM = 7
_P_ZOOM_RE = re.compile(r'"zoom": 7\b')
_P_ENTRY = "showcase-entry-placeholder"


def _substitute(script: str, values: dict[str, str]) -> str:
    pattern = re.compile("|".join(re.escape(k) for k in sorted(values, key=len, reverse=True)))
    return pattern.sub(lambda m: values[m.group(0)], script)


def _number(fmap: folium.Map) -> None:
    """folium names elements with random ids; number them instead, so builds are reproducible."""
    counter = 0

    def walk(element):
        nonlocal counter
        element._id = f"{counter}"
        counter += 1
        for child in list(element._children.values()):
            walk(child)

    walk(fmap)
