/* Maps of the showcase: lazy loading, district boundaries, GCJ-02 shifting, filters.
 *
 * A page with a map carries <div class="sc-map" data-script="map.js" data-vendor="…"> and this
 * file. Leaflet, the map's own script (written by folium at build time) and the boundaries load
 * only when the map comes within 300 px of the viewport, so the rest of the page is usable first.
 * Everything loads with <script> tags, never fetch(), so maps also work from file:// (a kiosk).
 *
 * Keyboard: every marker and cluster is a button in the tab order named after its place (or
 * "3 places"), in the page's language. Enter or Space on a marker opens its popup and moves
 * focus to the popup's link; Escape closes it and returns focus to the marker. Enter or Space on
 * a cluster zooms in (or spreads the markers out at the last zoom) and focuses the first place
 * it held. Nothing holds focus: Tab goes on past the map's controls to the rest of the page.
 * The labels come from the map's data (generator/maps/build.py: labels).
 */
(function () {
  "use strict";
  var PI = Math.PI, A = 6378245.0, EE = 0.00669342162296594323;
  var loading = {};
  var boundaryData = {};
  var mapData = {};  // map id -> the map's data (generator/maps/elements.py: map_data_script)

  function load(url, css) {
    if (loading[url]) return loading[url];
    loading[url] = new Promise(function (resolve, reject) {
      var el = document.createElement(css ? "link" : "script");
      if (css) { el.rel = "stylesheet"; el.href = url; } else { el.src = url; el.async = false; }
      el.onload = resolve;
      el.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(el);
    });
    return loading[url];
  }

  /* GCJ-02 of a WGS-84 point: the same formula as generator/geo.py (tested against it). */
  function outsideChina(lat, lon) { return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271); }
  function toGcj(lat, lon) {
    if (outsideChina(lat, lon)) return [lat, lon];
    var x = lon - 105.0, y = lat - 35.0;
    var common = (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) + common;
    dLat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    dLat += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) + common;
    dLon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    dLon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var rad = lat / 180.0 * PI, magic = 1.0 - EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = dLat * 180.0 / ((A * (1.0 - EE)) / (magic * sq) * PI);
    dLon = dLon * 180.0 / (A / sq * Math.cos(rad) * PI);
    return [lat + dLat, lon + dLon];
  }
  function identity(lat, lon) { return [lat, lon]; }

  var BOUNDARY_STYLE = { color: "#37474f", weight: 1.2, opacity: 0.8, fillColor: "#90a4ae", fillOpacity: 0.06, interactive: false };

  /* Markers from the map's data (see generator/maps/elements.py: Places). Titles are set as
     text by Leaflet; the popup HTML was built and escaped by the generator. */
  var icons = {};
  function icon(kind) {
    if (!icons[kind]) icons[kind] = L.divIcon({ className: "sc-marker sc-marker--" + kind, html: '<span class="sc-pin"></span>',
                                                iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -8] });
    return icons[kind];
  }
  function places(parent, list) {
    var markers = list.map(function (p) {
      var m = L.marker([p.lat, p.lon], { icon: icon(p.kind), title: p.title, alt: p.title, keyboard: true,
                                         kind: p.kind, district: p.district, entry: p.entry, wgs: [p.lat, p.lon] });
      m.bindPopup(p.popup, { maxWidth: 260 });  // HTML escaped at build time
      // the icon is made again each time the marker is shown (clusters): name it every time
      m.on("add", function () {
        var el = m.getElement();
        if (!el) return;
        el.setAttribute("aria-label", p.title);  // set as text, never parsed
        el.setAttribute("role", "button");
        el.setAttribute("aria-haspopup", "dialog");
        el.scMarker = m;
      });
      return m;
    });
    if (parent.addLayers) parent.addLayers(markers); else markers.forEach(function (m) { m.addTo(parent); });
    return markers;
  }

  /* Called by the map's own script (folium's output), after it has built the map. Boundaries,
     filter and view come from the map's data, which the script registered before folium's part. */
  function setup(map, o) {
    var d = o.data || {};
    o.boundaries = d.boundaries; o.filter = d.filter; o.fit = d.fit;
    var box = map.getContainer();
    keyboard(map, o, d.labels || {});
    var state = { map: map, markers: o.markers, cluster: o.cluster, visible: o.markers.slice(), datum: "wgs84", boundaries: [] };
    box.showcase = state;

    function datumNow() {
      for (var i = 0; i < o.bases.length; i++) if (map.hasLayer(o.bases[i][0])) return o.bases[i][1];
      return "wgs84";
    }
    function convert() { return state.datum === "gcj02" ? toGcj : identity; }

    function drawBoundaries() {
      var conv = convert();
      state.boundaries.forEach(function (b) {
        if (b.layer) map.removeLayer(b.layer);
        b.layer = L.geoJSON(b.data, { style: BOUNDARY_STYLE, interactive: false,
          coordsToLatLng: function (c) { var p = conv(c[1], c[0]); return L.latLng(p[0], p[1]); } }).addTo(map);
        b.layer.bringToBack();
      });
    }
    function placeMarkers() {
      var conv = convert();
      if (state.cluster) state.cluster.clearLayers();
      state.markers.forEach(function (m) { var p = conv(m.options.wgs[0], m.options.wgs[1]); m.setLatLng(p); });
      if (state.cluster) state.cluster.addLayers(state.visible);
    }
    function place() { state.datum = datumNow(); box.dataset.datum = state.datum; placeMarkers(); drawBoundaries(); }
    map.on("baselayerchange", place);

    // Tiles that fail (offline, blocked) leave the boundaries and markers: say so once.
    var failed = false;
    o.bases.forEach(function (base) {
      if (base[0].on) base[0].on("tileerror", function () {
        if (failed) return; failed = true; box.classList.add("sc-map--no-tiles");
      });
    });

    if (o.filter) addFilter(map, state, o.filter);
    if (o.fit) map.fitBounds(o.fit, { animate: false, padding: [12, 12] }); // markers on the edge stay whole
    place();
    (o.boundaries || []).forEach(function (b) {
      load(b.script).then(function () {
        if (!boundaryData[b.key]) return;
        state.boundaries.push({ key: b.key, data: boundaryData[b.key] });
        drawBoundaries();
        box.dataset.boundaries = String(state.boundaries.length);
      });
    });
  }

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  /* Names in the page's language and keyboard use of markers, clusters, popups and controls. */
  function keyboard(map, o, labels) {
    var box = map.getContainer();
    if (o.cluster) {
      var make = o.cluster.options.iconCreateFunction;
      o.cluster.options.iconCreateFunction = function (cluster) {
        var made = make(cluster), create = made.createIcon;
        made.createIcon = function (old) {
          var el = create.call(this, old);
          el.setAttribute("aria-label", fill(labels.cluster || "{count}", { count: cluster.getChildCount() }));
          el.setAttribute("role", "button");
          el.tabIndex = 0;
          el.scCluster = cluster;
          return el;
        };
        return made;
      };
    }
    function name(el, text) { if (el && text) { el.setAttribute("aria-label", text); el.title = text; } }
    if (map.zoomControl) {
      name(map.zoomControl._zoomInButton, labels.zoom_in);
      name(map.zoomControl._zoomOutButton, labels.zoom_out);
    }
    map.whenReady(function () {
      name(box.querySelector(".leaflet-control-layers-toggle"), labels.layers);
      var layers = box.querySelector(".leaflet-control-layers");
      if (layers && labels.layers) layers.setAttribute("aria-label", labels.layers);
    });
    var opener = null;  // the marker whose popup the keyboard opened
    map.on("popupopen", function (e) {
      var el = e.popup.getElement();
      if (!el) return;
      name(el.querySelector(".leaflet-popup-close-button"), labels.close);
      el.setAttribute("role", "dialog");
      var source = e.popup._source;
      if (source && source.options.title) el.setAttribute("aria-label", source.options.title);
      if (opener && opener === source) {
        var link = el.querySelector(".leaflet-popup-content a[href]");
        if (link) link.focus({ preventScroll: true });
      }
    });
    map.on("popupclose", function (e) {
      var source = e.popup._source, el = e.popup.getElement(), active = document.activeElement;
      // closed from inside (Escape, its close button) after the keyboard opened it: back to the marker
      if (opener && opener === source && (!active || active === document.body || (el && el.contains(active)))) {
        var icon = source.getElement && source.getElement();
        if (icon) icon.focus({ preventScroll: true });
      }
      opener = null;
    });
    function focusFirstOf(cluster) {
      var child = cluster.getAllChildMarkers()[0];
      var shown = child && o.cluster.getVisibleParent(child);
      var el = shown && shown.getElement && shown.getElement();
      if (el) el.focus({ preventScroll: true });
    }
    box.addEventListener("keydown", function (e) {
      var el = e.target;
      if (e.key === "Escape" || e.key === "Esc") {
        var popup = map._popup;
        if (popup && map.hasLayer(popup)) {
          var source = popup._source;
          if (source && !opener) opener = source;
          map.closePopup();
          var icon = source && source.getElement && source.getElement();
          if (icon) icon.focus({ preventScroll: true });
          e.preventDefault(); e.stopPropagation();
        }
        return;
      }
      if (e.key !== "Enter" && e.key !== " " && e.key !== "Spacebar") return;
      if (el.scMarker) {
        e.preventDefault(); e.stopPropagation();  // no keypress: Leaflet would toggle it again
        opener = el.scMarker;
        if (el.scMarker.isPopupOpen()) { var link = box.querySelector(".leaflet-popup-content a[href]"); if (link) link.focus(); }
        else el.scMarker.openPopup();
      } else if (el.scCluster) {
        e.preventDefault(); e.stopPropagation();
        var cluster = el.scCluster, group = o.cluster;
        var target = map.getBoundsZoom(cluster.getBounds());
        if (map.getZoom() >= map.getMaxZoom() || target <= map.getZoom()) {
          group.once("spiderfied", function () { focusFirstOf(cluster); });
          cluster.spiderfy();
        } else {
          map.once("zoomend", function () { setTimeout(function () { focusFirstOf(cluster); }, 400); });
          cluster.zoomToBounds({ padding: [20, 20] });
        }
      }
    }, true);
  }

  function addFilter(map, state, f) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      // a plain div and button: Material styles every <details> in the page as an admonition
      var root = L.DomUtil.create("div", "sc-map-filter");
      var html = '<button type="button" class="sc-map-filter__toggle" aria-expanded="false">' + f.title + "</button>" +
        '<form class="sc-map-filter__form" hidden>';
      f.groups.forEach(function (group) {
        html += "<fieldset><legend>" + group.label + "</legend>";
        group.options.forEach(function (opt) {
          html += '<label><input type="checkbox" checked name="' + group.key + '" value="' + opt.value + '"> ' +
            opt.label + ' <span class="sc-map-filter__count">' + opt.count + "</span></label>";
        });
        html += "</fieldset>";
      });
      html += '</form><p class="sc-map-filter__shown" aria-live="polite"></p>';
      root.innerHTML = html;  // labels come from the build, escaped there
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      var toggle = root.querySelector("button"), form = root.querySelector("form");
      toggle.addEventListener("click", function () {
        var open = form.hidden;
        form.hidden = !open;
        toggle.setAttribute("aria-expanded", String(open));
      });
      root.addEventListener("change", apply);
      return root;
    };
    control.addTo(map);
    var root = control.getContainer();
    function apply() {
      var chosen = {};
      f.groups.forEach(function (g) { chosen[g.key] = {}; });
      root.querySelectorAll("input:checked").forEach(function (input) { chosen[input.name][input.value] = true; });
      state.visible = state.markers.filter(function (m) {
        return f.groups.every(function (g) { return chosen[g.key][m.options[g.key]]; });
      });
      if (state.cluster) { state.cluster.clearLayers(); state.cluster.addLayers(state.visible); }
      root.querySelector(".sc-map-filter__shown").textContent =
        f.shown.replace("{shown}", state.visible.length).replace("{total}", state.markers.length);
    }
    apply();
  }

  function start(box) {
    if (box.dataset.started) return;
    box.dataset.started = "1";
    var vendor = box.dataset.vendor;
    var cluster = box.dataset.cluster === "1";
    function file(name) { return vendor + name; }  // a folder named by the files' versions
    var css = [load(file("leaflet/leaflet.css"), true)];
    if (cluster) css.push(load(file("leaflet.markercluster/MarkerCluster.css"), true),
                          load(file("leaflet.markercluster/MarkerCluster.Default.css"), true));
    Promise.all(css)
      .then(function () { return load(file("leaflet/leaflet.js")); })
      .then(retinaTiles)
      .then(function () { return cluster ? load(file("leaflet.markercluster/leaflet.markercluster.js")) : null; })
      .then(function () { return load(box.dataset.script); })
      .then(function () { box.classList.add("sc-map--ready"); })
      .catch(function () { box.classList.add("sc-map--failed"); });
  }

  /* A tile URL may hold {scale}: 2 on a high-density screen (phones), else 1. AutoNavi then sends
     512 px tiles drawn at 256 px: sharp street names at the usual size, in as many requests. */
  function retinaTiles() {
    if (!L.TileLayer.prototype.options.scale) {
      L.TileLayer.mergeOptions({ scale: function () { return L.Browser.retina ? 2 : 1; } });
    }
  }

  /* data(id, value) registers a map's data; data(id) returns it. */
  function data(id, value) {
    if (arguments.length > 1) mapData[id] = value;
    return mapData[id] || { places: [] };
  }

  window.ShowcaseMaps = {
    data: data,
    setup: setup,
    places: places,
    toGcj: toGcj,
    boundary: function (key, data) { boundaryData[key] = data; },
    start: start
  };

  function init() {
    var boxes = document.querySelectorAll(".sc-map[data-script]");
    if (!("IntersectionObserver" in window)) { boxes.forEach(start); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); start(entry.target); }
      });
    }, { rootMargin: "300px 0px" });
    boxes.forEach(function (box) { observer.observe(box); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
