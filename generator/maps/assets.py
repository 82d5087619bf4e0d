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

# Both folders carry version(), a hash of what is in them: a new Leaflet or new boundaries are new
# addresses, so the files can be cached for a year (generator/publish/headers.py).


def vendor_dir() -> str:
    return f"assets/vendor/{version()}/"


def boundaries_dir() -> str:
    return f"assets/maps/{version()}/districts/"


@dataclass(frozen=True)
class SiteFile:
    site_path: str
    source: Path | None = None  # copied from here
    content: bytes | None = None  # or written


def vendor_files() -> list[SiteFile]:
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    leaflet_dir, cluster_dir = vendor_dir() + "leaflet/", vendor_dir() + "leaflet.markercluster/"
    files = [SiteFile(leaflet_dir + name, Path(leaflet.BASE_DIR) / name) for name in ("leaflet.js", "leaflet.css")]
    images = Path(leaflet.BASE_DIR) / "images"
    files += [SiteFile(leaflet_dir + "images/" + p.name, p) for p in sorted(images.iterdir()) if p.suffix == ".png"]
    files += [SiteFile(cluster_dir + name, Path(markercluster.BASE_DIR) / name)
              for name in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")]
    return files


def boundary_files() -> list[SiteFile]:
    """The whole GeoJSON (for people who want the data) and one script per district plus one for
    all of them, which maps load with a <script> tag (works from file:// too, unlike fetch)."""
    from ..geo import DATA_FILE

    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    files = [SiteFile(boundaries_dir() + "all.geojson", content=_compact(data)),
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
    return f"{boundaries_dir()}{key}.js"


@functools.cache
def version() -> str:
    """One hash of Leaflet's and markercluster's versions and the boundary data: the folder these
    files are published in, so an upgrade or new boundaries never meet a stale cached copy."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    from ..geo import DATA_FILE
    from ..render.assets import digest

    parts = f"{leaflet.VERSION}-{leaflet.BUILD}|{markercluster.VERSION}-{markercluster.BUILD}|".encode()
    return digest(parts + DATA_FILE.read_bytes())
