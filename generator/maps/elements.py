"""folium elements of our own.

folium's Popup puts its HTML into a JavaScript template literal and parses it with jQuery: a
backtick or `${…}` in content would run as code, and jQuery would be one more library to ship.
SafePopup passes the (already escaped) HTML as a JSON string instead. Setup hands the finished
map to assets/javascripts/maps.js for what folium has no element for: boundaries loaded on
demand, markers shifted to GCJ-02 under Chinese tiles, and the kind/district filter.
"""

from __future__ import annotations

from folium.elements import MacroElement
from folium.map import Popup
from folium.template import Template


class SafePopup(Popup):
    _template = Template(
        """
        var {{ this.get_name() }} = L.popup({{ this.options|tojavascript }});
        {{ this.get_name() }}.setContent({{ this.content|tojson }});
        {{ this._parent.get_name() }}.bindPopup({{ this.get_name() }});
        """
    )

    def __init__(self, content: str, max_width: int = 260):
        super().__init__(max_width=max_width)
        self._name = "Popup"
        self.content = content


class Setup(MacroElement):
    """Must be added last: it refers to the layers and markers created before it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        ShowcaseMaps.setup({{ this._parent.get_name() }}, {
            bases: [{% for layer, datum in this.bases %}[{{ layer.get_name() }}, {{ datum|tojson }}],{% endfor %}],
            markers: [{% for marker in this.markers %}{{ marker.get_name() }},{% endfor %}],
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
