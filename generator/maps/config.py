"""Tile providers, as configured in mkdocs.yml (`map_tiles` of the showcase plugin).

Each provider has a name in both languages, a URL template, an attribution and the datum its
tiles are drawn in. Chinese providers draw in GCJ-02, so markers are shifted when such a layer is
shown (entries store WGS-84). A provider that needs a key reads it from an environment variable
and is left out, with a note in the build log, when the variable is unset.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from collections.abc import Mapping

DATUMS = ("wgs84", "gcj02")

# Works for readers in mainland China without a key (AutoNavi/高德), then OpenStreetMap, then a
# base layer with no tiles at all: the district boundaries alone (offline kiosks).
DEFAULT_TILES: list[dict] = [
    {"name": {"zh": "高德地图", "en": "AutoNavi (Amap)"},
     "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
     "subdomains": "1234", "attribution": "&copy; 高德地图 AutoNavi", "datum": "gcj02", "max_zoom": 18},
    {"name": {"zh": "OpenStreetMap", "en": "OpenStreetMap"},
     "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
     "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
     "datum": "wgs84", "max_zoom": 19},
]


@dataclass(frozen=True)
class TileProvider:
    name_zh: str
    name_en: str
    url: str  # Leaflet URL template; {key} is replaced by the API key
    attribution: str
    datum: str
    subdomains: str = "abc"
    max_zoom: int = 18

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit
        return urlsplit(self.url.replace("{s}", "a")).hostname or ""


class TileConfigError(ValueError):
    pass


def providers(options: list[dict] | None, environ: Mapping[str, str] | None = None) -> tuple[list[TileProvider], list[str]]:
    """The usable providers, and notes (bilingual lines) about the ones left out."""
    environ = os.environ if environ is None else environ
    out, notes = [], []
    for index, item in enumerate(options if options is not None else DEFAULT_TILES, start=1):
        if not isinstance(item, dict) or not item.get("url") or not item.get("name"):
            raise TileConfigError(f"map_tiles[{index}]: 需要 name 和 url / needs a name and a url")
        name = item["name"]
        name_zh, name_en = (name.get("zh"), name.get("en") or name.get("zh")) if isinstance(name, dict) else (str(name), str(name))
        datum = str(item.get("datum", "wgs84")).lower().replace("-", "").replace("_", "")
        if datum not in DATUMS:
            raise TileConfigError(f"map_tiles[{index}] ({name_zh}): datum 应为 wgs84 或 gcj02 / datum must be wgs84 or gcj02, not {item.get('datum')!r}")
        url = str(item["url"])
        key_env = item.get("api_key_env")
        if key_env:
            key = environ.get(str(key_env), "")
            if not key:
                notes.append(f"地图图层“{name_zh}”需要环境变量 {key_env} 提供密钥，本次未使用 / "
                             f"map layer '{name_en}' needs its key in the environment variable {key_env}; left out")
                continue
            url = url.replace("{key}", key)
        out.append(TileProvider(name_zh, name_en, url, str(item.get("attribution", "")), datum,
                                str(item.get("subdomains", "abc")), int(item.get("max_zoom", 18))))
    return out, notes
