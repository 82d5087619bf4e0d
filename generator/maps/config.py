"""Tile providers, as configured in mkdocs.yml (`map_tiles` of the showcase plugin).

Each provider has a name in both languages, a URL template, an attribution and the datum its
tiles are drawn in. Chinese providers draw in GCJ-02, so markers are shifted when such a layer is
shown (entries store WGS-84). A provider that needs a key reads it from an environment variable
and is left out, with a note in the build log, when the variable is unset.

Labels per language: a provider that draws its labels in more than one language says which
one each page language asks for, in one of two ways (English pages use the English labels where
the provider has them; Chinese pages the Chinese ones):

- a `{lang}` placeholder in `url`, filled from `lang: {zh: zh_cn, en: en}`;
- `url_en:` a whole URL for English pages (`url` is then the Chinese pages' URL).

Both are checked when the build starts: a `{lang}` without `lang:` (or the other way round), a
`lang:` value that is not a plain code, or a key the list does not know stops the build with a
message naming the provider.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from collections.abc import Mapping

DATUMS = ("wgs84", "gcj02")

# Works for readers in mainland China without a key (AutoNavi/高德), then OpenStreetMap, then a
# base layer with no tiles at all: the district boundaries alone (offline kiosks).
DEFAULT_TILES: list[dict] = [
    {"name": {"zh": "高德地图", "en": "AutoNavi (Amap)"},
     "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang={lang}&size=1&scale={scale}&style=8&x={x}&y={y}&z={z}",
     "lang": {"zh": "zh_cn", "en": "en"},  # AutoNavi draws English labels with lang=en
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
    url_en: str | None = None  # the URL for English pages, when it differs (labels in English)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def url_for(self, lang: str) -> str:
        """The tile URL for a page in `lang`: the provider's labels in that language where it has them."""
        return self.url_en if lang == "en" and self.url_en else self.url

    @property
    def host(self) -> str:
        return _host(self.url)

    @property
    def origins(self) -> set[str]:
        """`scheme://host` of every server a page may ask for tiles, in either language, with
        Leaflet's {s} spelled out per subdomain: what the Content-Security-Policy allows."""
        from urllib.parse import urlsplit

        found = set()
        for url in {self.url, self.url_en or self.url}:
            for sub in (self.subdomains or "") if "{s}" in url else [""]:
                parts = urlsplit(url.replace("{s}", sub))
                if parts.scheme in ("http", "https") and parts.hostname:
                    found.add(f"{parts.scheme}://{parts.netloc}")
        return found

    @property
    def hosts(self) -> set[str]:
        """Every host a page may ask for tiles, in either language ({s} filled with a sample subdomain)."""
        return {_host(self.url), _host(self.url_en or self.url)}


def _host(url: str) -> str:
    from urllib.parse import urlsplit
    return urlsplit(url.replace("{s}", "a")).hostname or ""


KNOWN_KEYS = ("name", "url", "url_en", "lang", "subdomains", "attribution", "datum", "api_key_env", "max_zoom")
_LANG_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")


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
        unknown = sorted(str(k) for k in item if k not in KNOWN_KEYS)
        if unknown:
            raise TileConfigError(f"map_tiles[{index}] ({name_zh}): 不认识的键 {', '.join(unknown)}；可用的键：{', '.join(KNOWN_KEYS)} / "
                                  f"unknown key(s) {', '.join(unknown)}; the keys are {', '.join(KNOWN_KEYS)}")
        url, url_en = _language_urls(item, index, name_zh)
        key_env = item.get("api_key_env")
        if key_env:
            key = environ.get(str(key_env), "")
            if not key:
                notes.append(f"地图图层“{name_zh}”需要环境变量 {key_env} 提供密钥，本次未使用 / "
                             f"map layer '{name_en}' needs its key in the environment variable {key_env}; left out")
                continue
            url = url.replace("{key}", key)
            url_en = url_en.replace("{key}", key) if url_en else None
        out.append(TileProvider(name_zh, name_en, url, str(item.get("attribution", "")), datum,
                                str(item.get("subdomains", "abc")), int(item.get("max_zoom", 18)),
                                url_en if url_en != url else None))
    return out, notes


def _language_urls(item: dict, index: int, name_zh: str) -> tuple[str, str | None]:
    """The Chinese and the English pages' URL of a provider: `{lang}` filled from `lang:`, or
    `url_en:` as it is (None: the same URL for both)."""
    where = f"map_tiles[{index}] ({name_zh})"
    url = str(item["url"])
    url_en = item.get("url_en")
    if url_en is not None and (not isinstance(url_en, str) or not url_en.strip()):
        raise TileConfigError(f"{where}: url_en 应为一个网址 / url_en must be a URL")
    urls = [url] + ([url_en] if url_en else [])
    codes = item.get("lang")
    has_placeholder = any("{lang}" in u for u in urls)
    if codes is None:
        if has_placeholder:
            raise TileConfigError(f"{where}: 网址中有 {{lang}}，需要写 lang: {{zh: …, en: …}}（例如 zh_cn、en） / "
                                  f"the url has {{lang}}: say what fills it with lang: {{zh: …, en: …}} (e.g. zh_cn, en)")
        return url, url_en
    if not isinstance(codes, dict) or set(codes) != {"zh", "en"}:
        raise TileConfigError(f"{where}: lang 应写成 {{zh: …, en: …}}，两种语言各一个 / "
                              f"lang must be {{zh: …, en: …}}, a value for each language, not {codes!r}")
    for language, code in codes.items():
        if not isinstance(code, str) or not _LANG_CODE.fullmatch(code):
            raise TileConfigError(f"{where}: lang.{language} 应为字母、数字、_ 或 - 组成的代码 / "
                                  f"lang.{language} must be a code of letters, digits, _ or -, not {code!r}")
    if not has_placeholder:
        raise TileConfigError(f"{where}: 写了 lang，但网址中没有 {{lang}} / lang is given but the url has no {{lang}} to fill")
    return url.replace("{lang}", codes["zh"]), (url_en or url).replace("{lang}", codes["en"])
