/* The case list's filters: OR within a facet, AND across facets, a count beside every option
   (how many cases it would show given the other facets), sorting, and the state in the URL
   (?district=changning,xuhui&service=elderly-care&sort=title) so a filtered view can be shared
   and survives reload. The page renders every case; without this script it is the full list.
   The rules live in generator/browse.py; this file only reads the data-* the page carries.
   Layout (browse.css): on a wide screen the form is a column beside the cards, open; on a narrower
   one a disclosure above them, folded, its summary saying how many filters are ticked. */
(function () {
  "use strict";
  var form = document.getElementById("sc-filters");
  var list = document.getElementById("sc-case-list");
  if (!form || !list) return;
  var empty = document.getElementById("sc-filters-empty");
  var status = document.getElementById("sc-filters-status");
  var browse = document.getElementById("sc-browse");
  var panel = form.querySelector("details");
  var active = form.querySelector(".sc-filters__active");
  var activeCount = form.querySelector("[data-active-count]");
  var wide = window.matchMedia("(min-width: 60em)");
  var sortSelect = form.elements.sort;
  var defaultSort = sortSelect.options[0].value;
  var cards = Array.prototype.slice.call(list.querySelectorAll(":scope > .sc-card"));
  var facets = Array.prototype.map.call(form.querySelectorAll("fieldset[data-facet]"), function (fs) {
    return { key: fs.getAttribute("data-facet"), inputs: Array.prototype.slice.call(fs.querySelectorAll("input[type=checkbox]")) };
  });
  // each card's values per facet, read once
  var values = cards.map(function (card) {
    var out = {};
    facets.forEach(function (f) { out[f.key] = (card.getAttribute("data-" + f.key) || "").split(" ").filter(Boolean); });
    return out;
  });

  function selection() {
    var sel = {};
    facets.forEach(function (f) {
      sel[f.key] = f.inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    });
    return sel;
  }

  function matches(index, sel, except) {
    return facets.every(function (f) {
      var wanted = sel[f.key];
      if (f.key === except || !wanted.length) return true;
      return values[index][f.key].some(function (v) { return wanted.indexOf(v) >= 0; });
    });
  }

  function toURL(sel) {
    var parts = [];
    facets.forEach(function (f) {
      if (sel[f.key].length) parts.push(f.key + "=" + sel[f.key].map(encodeURIComponent).join(","));
    });
    if (sortSelect.value !== defaultSort) parts.push("sort=" + encodeURIComponent(sortSelect.value));
    return location.pathname + (parts.length ? "?" + parts.join("&") : "") + location.hash;
  }

  function fromURL() {
    var params = new URLSearchParams(location.search);
    facets.forEach(function (f) {
      var wanted = (params.get(f.key) || "").split(",");
      f.inputs.forEach(function (i) { i.checked = wanted.indexOf(i.value) >= 0; });
    });
    var sort = params.get("sort");
    var known = Array.prototype.some.call(sortSelect.options, function (o) { return o.value === sort; });
    sortSelect.value = known ? sort : defaultSort;
  }

  function apply(updateURL) {
    var sel = selection();
    var shown = 0;
    cards.forEach(function (card, index) {
      var ok = matches(index, sel);
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    facets.forEach(function (f) {
      f.inputs.forEach(function (input) {
        var n = 0;
        cards.forEach(function (card, index) {
          if (values[index][f.key].indexOf(input.value) >= 0 && matches(index, sel, f.key)) n += 1;
        });
        var label = input.closest("label");
        label.querySelector("[data-count]").textContent = n;
        label.classList.toggle("is-empty", n === 0 && !input.checked);
      });
    });
    var key = "data-order-" + sortSelect.value;
    cards.slice().sort(function (a, b) { return a.getAttribute(key) - b.getAttribute(key); })
      .forEach(function (card) { list.appendChild(card); });
    var ticked = facets.reduce(function (n, f) { return n + sel[f.key].length; }, 0);
    activeCount.textContent = ticked;
    active.hidden = ticked === 0;
    status.textContent = form.getAttribute("data-status").replace("{shown}", shown).replace("{total}", cards.length);
    empty.hidden = shown > 0;
    if (updateURL) history.replaceState(history.state, "", toURL(sel));
  }

  form.hidden = false;
  status.parentNode.hidden = false;
  if (browse) browse.classList.add("sc-browse--js");
  fromURL();
  // Open beside the cards on a wide screen; folded above them otherwise (the summary counts what
  // is ticked, the status line says how many cases show), so the cards come first on a phone.
  panel.open = wide.matches;
  var follow = function () { panel.open = wide.matches; };
  if (wide.addEventListener) wide.addEventListener("change", follow); else if (wide.addListener) wide.addListener(follow);
  apply(false);
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  window.addEventListener("popstate", function () { fromURL(); apply(false); });
})();
