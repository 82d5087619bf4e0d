"""folium elements of our own, and how entry data reaches the browser.

Entry data never travels through folium. folium (via branca) renders each element's macro and
then compiles the rendered text again as a Jinja template (`MacroElement.render` wraps it in
`Element(...)`), so anything put into a macro with `tojson` is evaluated a second time: a name
such as `{{ 7*7 }}` from a spreadsheet cell would run as template code on the build machine.
So the folium part of a map script holds only element names, numbers and the site's own
configuration, and the map's data (markers, popups, boundaries to draw, the filter, the view)
is serialised with `json.dumps` by `map_data_script` and put in front of it: data that no
template engine reads. maps.js looks it up by the map's id.

Places puts every marker of a map in one element (like folium's FastMarkerCluster): folium's
Marker + DivIcon + Popup make three elements a marker, each rendered through Jinja (~1 ms a
marker, 6,000 markers a build at 1,000 cases), and its Popup puts HTML into a JavaScript
template literal parsed by jQuery, where a backtick or `${…}` in content would run as code.

Setup hands the finished map to assets/javascripts/maps.js for what folium has no element for:
boundaries loaded on demand, markers shifted to GCJ-02 under Chinese tiles, the filter.

Both render without the second compilation (`_Verbatim`), so even their own output is never
read as a template.
"""

from __future__ import annotations

import json
from typing import Any

from branca.element import Element, Figure
from folium.elements import MacroElement
from folium.template import Template

# Characters that must not appear raw in JSON inside a script: "</script>", "<!--" and HTML
# entities, and the two line separators older JavaScript engines end a string at.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
                  "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_TABLE = str.maketrans(_SCRIPT_UNSAFE)


def json_for_script(value: Any) -> str:
    """JSON that can stand anywhere in a script file or a <script> element, as data."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).translate(_SCRIPT_UNSAFE_TABLE)


def map_data_script(map_id: str, data: dict) -> str:
    """The line that registers a map's data, before folium's part of the script runs."""
    return f"ShowcaseMaps.data({json_for_script(map_id)}, {json_for_script(data)});\n"


class _Verbatim(Element):
    """Rendered text that is output as it is: branca's Element would compile it as a template."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _DataFree(MacroElement):
    """A MacroElement whose rendered script is not compiled a second time."""

    def render(self, **kwargs):
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the map, not the element"
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_Verbatim(str(script(self, kwargs))), name=self.get_name())


class Places(_DataFree):
    """Markers from the map's data (`places`: each {lat, lon, kind, district, entry, title, popup})."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = ShowcaseMaps.places({{ this._parent.get_name() }}, ShowcaseMaps.data({{ this.map.get_name()|tojson }}).places);
        {% endmacro %}
        """
    )

    def __init__(self, fmap):
        super().__init__()
        self._name = "Places"
        self.map = fmap


class Setup(_DataFree):
    """Must be added last: it refers to the layers and markers created before it. Boundaries,
    filter and view come from the map's data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        ShowcaseMaps.setup({{ this._parent.get_name() }}, {
            bases: [{% for layer, datum in this.bases %}[{{ layer.get_name() }}, {{ datum|tojson }}],{% endfor %}],
            markers: {{ this.markers.get_name() }},
            cluster: {% if this.cluster %}{{ this.cluster.get_name() }}{% else %}null{% endif %},
            data: ShowcaseMaps.data({{ this._parent.get_name()|tojson }})
        });
        {% endmacro %}
        """
    )

    def __init__(self, bases, markers, cluster):
        super().__init__()
        self._name = "ShowcaseSetup"
        self.bases, self.markers, self.cluster = bases, markers, cluster
