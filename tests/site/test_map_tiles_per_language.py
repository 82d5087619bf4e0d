"""The built sample site: English pages' maps name AutoNavi's English-label tiles, Chinese pages'
the Chinese ones (issue 15 part C.5)."""

from __future__ import annotations

import pytest

PAGES = ["map/", "cases/changning-ningjuli/", "districts/jiading/", "competition/2024-04-huayang/"]


@pytest.mark.parametrize("path", PAGES)
def test_tile_url_follows_the_page_language(sample_site, path):
    # folium writes the URL as a JSON string, & as \u0026
    zh = (sample_site / path / "map.js").read_text(encoding="utf-8").replace("\\u0026", "&")
    en = (sample_site / "en" / path / "map.js").read_text(encoding="utf-8").replace("\\u0026", "&")
    assert "appmaptile?lang=zh_cn" in zh and "lang=en&" not in zh
    assert "appmaptile?lang=en&" in en and "zh_cn" not in en
    # the other layers are the same in both
    assert "tile.openstreetmap.org" in zh and "tile.openstreetmap.org" in en
