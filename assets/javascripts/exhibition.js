/* Exhibitions: ← → move between rooms (the links marked rel=prev/next at the top of a room page);
   the guide's print button. Keys are left alone while typing in a field or with a modifier. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (document.querySelector("dialog[open]")) return;  // the lightbox uses the arrows itself
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
    if (!rel) return;
    var link = document.querySelector(".sc-visit-nav a[rel=" + rel + "]");
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
