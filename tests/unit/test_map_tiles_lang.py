"""Tile labels per page language (issue 15 part C.5): English pages ask the provider for English
labels where it has them; the configuration says it per language and is checked."""

from __future__ import annotations

import pytest

from generator.maps.config import DEFAULT_TILES, TileConfigError, providers

AMAP = "https://webrd0{s}.is.autonavi.com/appmaptile?lang={lang}&size=1&scale=1&style=8&x={x}&y={y}&z={z}"


def test_the_default_autonavi_layer_has_english_labels_on_english_pages():
    amap = providers(None, environ={})[0][0]
    assert "lang=zh_cn" in amap.url_for("zh") and "lang=en" not in amap.url_for("zh")
    assert "lang=en&" in amap.url_for("en") and "zh_cn" not in amap.url_for("en")
    # a provider with one set of labels uses the same URL on both
    osm = providers(None, environ={})[0][1]
    assert osm.url_for("en") == osm.url_for("zh") == DEFAULT_TILES[1]["url"]


def test_a_lang_placeholder_is_filled_per_language():
    tile = {"name": "高德", "url": AMAP, "lang": {"zh": "zh_cn", "en": "en"}, "datum": "gcj02"}
    (p,), _ = providers([tile], environ={})
    assert "{lang}" not in p.url_for("zh") + p.url_for("en")
    assert p.hosts == {"webrd0a.is.autonavi.com"}


def test_url_en_gives_english_pages_their_own_url_and_host():
    tile = {"name": {"zh": "底图", "en": "Base"}, "url": "https://zh.example.org/{z}/{x}/{y}.png",
            "url_en": "https://en.example.org/{z}/{x}/{y}.png?k={key}", "api_key_env": "K"}
    (p,), _ = providers([tile], environ={"K": "abc"})
    assert p.url_for("zh") == "https://zh.example.org/{z}/{x}/{y}.png"
    assert p.url_for("en") == "https://en.example.org/{z}/{x}/{y}.png?k=abc"
    assert p.hosts == {"zh.example.org", "en.example.org"}


@pytest.mark.parametrize("change, words", [
    ({"lang": None}, "{lang}"),  # a placeholder with nothing to fill it
    ({"lang": {"zh": "zh_cn"}}, "lang"),  # a language missing
    ({"lang": {"zh": "zh_cn", "en": "en&x=1"}}, "lang.en"),  # not a plain code: it goes into a URL
    ({"url": AMAP.replace("{lang}", "zh_cn")}, "no {lang}"),  # lang: given, nothing to fill
    ({"url_en": ""}, "url_en"),
    ({"url-en": "https://x/"}, "url-en"),  # a misspelt key is named, not ignored
])
def test_a_wrong_language_setting_is_a_clear_bilingual_error(change, words):
    tile = {"name": {"zh": "高德地图", "en": "AutoNavi"}, "url": AMAP, "lang": {"zh": "zh_cn", "en": "en"}, "datum": "gcj02"}
    tile.update(change)
    tile = {k: v for k, v in tile.items() if v is not None}
    with pytest.raises(TileConfigError) as caught:
        providers([tile], environ={})
    message = str(caught.value)
    assert words in message and "高德地图" in message and " / " in message
