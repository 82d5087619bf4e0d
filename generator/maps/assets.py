"""Files every map needs, published from installed packages and the project's own data.

Leaflet and Leaflet.markercluster come from the xstatic packages on PyPI (dependencies of the
project, not copies in the repository). The district boundaries are split per district, so an
entry's map fetches a few kilobytes instead of all sixteen.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

VENDOR = "assets/vendor/"
LEAFLET = VENDOR + "leaflet/"
MARKERCLUSTER = VENDOR + "leaflet.markercluster/"
BOUNDARIES = "assets/maps/districts/"
ALL_DISTRICTS = BOUNDARIES + "all.geojson"


@dataclass(frozen=True)
class SiteFile:
    site_path: str
    source: Path | None = None  # copied from here
    content: bytes | None = None  # or written


def vendor_files() -> list[SiteFile]:
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    files = [SiteFile(LEAFLET + name, Path(leaflet.BASE_DIR) / name) for name in ("leaflet.js", "leaflet.css")]
    images = Path(leaflet.BASE_DIR) / "images"
    files += [SiteFile(LEAFLET + "images/" + p.name, p) for p in sorted(images.iterdir()) if p.suffix == ".png"]
    files += [SiteFile(MARKERCLUSTER + name, Path(markercluster.BASE_DIR) / name)
              for name in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")]
    return files


def boundary_files() -> list[SiteFile]:
    """The whole GeoJSON (for people who want the data) and one script per district plus one for
    all of them, which maps load with a <script> tag (works from file:// too, unlike fetch)."""
    from ..geo import DATA_FILE

    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    files = [SiteFile(ALL_DISTRICTS, content=_compact(data)),
             SiteFile(boundary_script("all"), content=_script("all", data))]
    for feature in data["features"]:
        one = {"type": "FeatureCollection", "features": [feature]}
        key = feature["properties"]["key"]
        files.append(SiteFile(boundary_script(key), content=_script(key, one)))
    return files


def _script(key: str, data) -> bytes:
    return b"ShowcaseMaps.boundary(" + json.dumps(key).encode() + b"," + _compact(data) + b");\n"


def _compact(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def boundary_script(key: str) -> str:
    return f"{BOUNDARIES}{key}.js"


@functools.cache
def version() -> str:
    """One hash of Leaflet's and markercluster's versions and the boundary data: maps ask for
    these files with ?v=<it>, so an upgrade or new boundaries never meet a stale cached copy."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    from ..geo import DATA_FILE
    from ..render.assets import digest

    parts = f"{leaflet.VERSION}-{leaflet.BUILD}|{markercluster.VERSION}-{markercluster.BUILD}|".encode()
    return digest(parts + DATA_FILE.read_bytes())
