/* Sortable tables (the statistics page): a table marked data-sortable gets a <button> in each
 * column heading; the first press sorts ascending, the next descending, and aria-sort says which.
 * Headings marked data-sort="number" sort by value, others by text in the page's language
 * (Chinese pages: the "zh" collation, i.e. pinyin order; a cell's data-sort-value, if any, is
 * compared instead of its text). Only tbody rows move: the totals row
 * (tfoot) stays at the bottom. Equal values keep the document's order. Without JavaScript the
 * table is simply the complete table in the document's order.
 */
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "en").slice(0, 2) === "zh" ? "zh" : "en";
  var collator = new Intl.Collator(lang, { numeric: true });

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    // data-sort-value overrides the text (e.g. a district's pinyin key: the 'zh' collation
    // orders 长宁 by its other reading, zhǎng)
    var text = !cell ? "" : cell.dataset.sortValue !== undefined ? cell.dataset.sortValue : cell.textContent.trim();
    if (!numeric) return text;
    var value = parseFloat(text.replace(/[^\d.\-]/g, ""));
    return isNaN(value) ? -Infinity : value;
  }

  function setup(table) {
    var body = table.tBodies[0];
    var headers = table.tHead ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
    if (!body || !headers.length) return;
    Array.prototype.forEach.call(body.rows, function (row, i) { row.dataset.order = String(i); });

    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sc-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        var numeric = th.dataset.sort === "number";
        var sign = direction === "ascending" ? 1 : -1;
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          var order = numeric ? (x > y) - (x < y) : collator.compare(x, y);
          return sign * order || a.dataset.order - b.dataset.order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", direction);
      });
    });
    // A note saying the headings sort, shown only where they do.
    var hint = table.dataset.sortHint && document.getElementById(table.dataset.sortHint);
    if (hint) hint.hidden = false;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
