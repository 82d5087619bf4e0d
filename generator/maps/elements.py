"""folium elements of our own.

Places puts every marker of a map in one element, as data (like folium's FastMarkerCluster):
folium's Marker + DivIcon + Popup make three elements a marker, each rendered through Jinja
(~1 ms a marker, 6,000 markers a build at 1,000 cases), and its Popup puts HTML into a JavaScript
template literal parsed by jQuery, where a backtick or `${…}` in content would run as code. Here
the popup HTML (escaped when it is built) travels as a JSON string.

Setup hands the finished map to assets/javascripts/maps.js for what folium has no element for:
boundaries loaded on demand, markers shifted to GCJ-02 under Chinese tiles, the filter.
"""

from __future__ import annotations

from folium.elements import MacroElement
from folium.template import Template


class Places(MacroElement):
    """Markers from data: each place is {lat, lon, kind, district, entry, title, popup}."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = ShowcaseMaps.places({{ this._parent.get_name() }}, {{ this.places|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, places):
        super().__init__()
        self._name = "Places"
        self.places = places


class Setup(MacroElement):
    """Must be added last: it refers to the layers and markers created before it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        ShowcaseMaps.setup({{ this._parent.get_name() }}, {
            bases: [{% for layer, datum in this.bases %}[{{ layer.get_name() }}, {{ datum|tojson }}],{% endfor %}],
            markers: {{ this.markers.get_name() }},
            cluster: {% if this.cluster %}{{ this.cluster.get_name() }}{% else %}null{% endif %},
            boundaries: {{ this.boundaries|tojson }},
            filter: {{ this.filter|tojson }},
            fit: {{ this.fit|tojson }}
        });
        {% endmacro %}
        """
    )

    def __init__(self, bases, markers, cluster, boundaries, filter, fit):
        super().__init__()
        self._name = "ShowcaseSetup"
        self.bases, self.markers, self.cluster = bases, markers, cluster
        self.boundaries, self.filter, self.fit = boundaries, filter, fit
