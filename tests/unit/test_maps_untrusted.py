"""Entry text on maps is data, never template code (issue 13, finding 1).

folium/branca compile every element's rendered script again as a Jinja template. A competition
site named `SSTI{{ 7*7 }}` used to publish `SSTI49` in the map data, and
`{{ cycler.__init__.__globals__.os.getcwd() }}` printed the build folder: any Python could run
during a build. These tests put template syntax into the names and titles that maps show and
check (a) the published data holds the text as written, on every kind of map, and (b) no
template that Jinja compiles while maps are made contains any entry text at all.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup

from generator.collection import load_collection
from generator.maps.build import MapBuilder
from generator.maps.config import providers
from generator.render.pages import Strings
from tests.helpers import ROOT, copy_content, map_data

HOSTILE = [
    "SSTI{{ 7*7 }}",
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
    "{% raw %}未闭合",
    "{# comment",
    "</script><script>alert(1)</script>",
    "`${alert(1)}`",
    "line\u2028separators\u2029end",
    "'quotes\" & <b>bold</b>",
]
SENTINEL = "\ue123sentinel"


def _hostile_content(tmp_path: Path, names: list[str]) -> Path:
    content = copy_content(tmp_path)
    sites = sorted((content / "competition").glob("*.yaml"))
    cases = sorted((content / "excellent").glob("*.yaml"))
    for index, path in enumerate(sites + cases):
        text = path.read_text(encoding="utf-8")
        name = names[index % len(names)]
        quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("\u2028", "\\L").replace("\u2029", "\\P") + '"'
        field = "name" if path.parent.name == "competition" else "title"
        text, count = re.subn(rf"^{field}:\n  zh: .*\n  en: .*$", lambda _m: f"{field}:\n  zh: {quoted}\n  en: {quoted}", text, count=1, flags=re.M)
        if not count:
            text, count = re.subn(rf"^{field}: \{{zh: [^,]*, en: [^}}]*\}}$", lambda _m: f"{field}: {{zh: {quoted}, en: {quoted}}}", text, count=1, flags=re.M)
        assert count == 1, path
        path.write_text(text, encoding="utf-8")
    return content


def _builder(content: Path) -> MapBuilder:
    collection, diagnostics = load_collection(content)
    assert collection is not None, "\n".join(d.format("en") for d in diagnostics if d.is_error)
    return MapBuilder(collection, providers(None, environ={})[0], Strings(ROOT / "site_templates" / "strings.yaml"))


def _every_map(builder: MapBuilder):
    collection = builder.collection
    for lang in ("zh", "en"):
        yield builder.overview_map("map/", lang, filter=True)
        yield builder.places_map([(p.kind, p.entry_id) for p in builder.located()], "exhibitions/x/", lang)
        for district in sorted({p.district for p in builder.located()}):
            yield builder.district_map(district, f"districts/{district}/", lang)
        for item in builder.located():
            yield builder.entry_map(item.kind, item.entry_id, lang)
    assert collection.sites


def test_template_syntax_in_names_is_published_as_text_on_every_map(tmp_path):
    builder = _builder(_hostile_content(tmp_path, HOSTILE))
    titles = {(p.kind, p.entry_id): p.title.zh for p in builder.located()}
    assert set(titles.values()) == set(HOSTILE), "every hostile name is on a map"
    seen = 0
    for spec in _every_map(builder):
        assert "SSTI49" not in spec.script
        assert os.getcwd() not in spec.script and str(ROOT) not in spec.script
        assert "</script" not in spec.script.lower() and "\u2028" not in spec.script
        for place in map_data(spec.script)["places"]:
            expected = titles[(place["kind"], place["entry"])]
            assert place["title"] == expected
            popup = BeautifulSoup(place["popup"], "html.parser")
            assert popup.strong.get_text() == expected, "the popup shows the name as text"
            assert not popup.find("script") and not popup.find("b")
            seen += 1
    assert seen > 2 * len(titles)


def test_no_entry_text_reaches_a_template_compiler_while_maps_are_made(tmp_path, monkeypatch):
    """Every field a map shows carries a sentinel; no source Jinja compiles may contain it."""
    builder = _builder(_hostile_content(tmp_path, [f"{SENTINEL}{name}" for name in HOSTILE]))
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def recording(self, source, *args, **kwargs):
        compiled.append(source if isinstance(source, str) else "")
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", recording)
    scripts = [spec.script for spec in _every_map(builder)]
    assert compiled, "folium compiled its templates"
    assert all(SENTINEL in script for script in scripts if "places" in script)
    leaked = [source for source in compiled if SENTINEL in source or "7*7" in source]
    assert not leaked, leaked[0][:300]


@pytest.mark.parametrize("name", ["{% raw %}", "{% endraw %}{{", "{{ 1/0 }}", "{% include '/etc/passwd' %}"])
def test_names_that_are_broken_templates_do_not_stop_the_maps(tmp_path, name):
    builder = _builder(_hostile_content(tmp_path, [name]))
    for spec in _every_map(builder):
        for place in map_data(spec.script)["places"]:
            assert place["title"] == name
            assert html.unescape(re.search(r"<strong>(.*)</strong>", place["popup"])[1]) == name
