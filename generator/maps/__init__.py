"""Maps: folium map definitions, rendered into small lazy-loaded scripts.

- config.py   tile providers from mkdocs.yml (datum, attribution, API key from the environment)
- elements.py folium elements of our own: a popup without jQuery or template-literal injection,
              and the hook that adds boundaries, datum shifting and filters (assets/javascripts/maps.js)
- build.py    which maps exist (entry, overview, district, home) and what goes on them
- assets.py   Leaflet and its plugins from the installed xstatic packages, and the district
              boundaries, as files of the built site: nothing is fetched from a CDN

A page with a map carries only a placeholder and one small script; Leaflet, the map's own script
and the boundaries load when the map comes near the viewport.
"""
