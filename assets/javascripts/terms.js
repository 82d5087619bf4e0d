/* Glossary terms (generator/render/terms.py): a term's first use on a page is a link to its
 * definition, with a one-sentence explanation beside it (role="tooltip", the link's
 * aria-describedby, so a screen reader reads it with or without this script).
 * Here the explanation is shown (WCAG 1.4.13: it can be dismissed, hovered and stays until then):
 *   - on hover: it stays while the pointer is over the term or the explanation;
 *   - on keyboard focus: it stays while the link has focus; Esc hides it;
 *   - on a tap: the first tap shows it (with "tap again for the full definition"), a second tap
 *     follows the link; a tap elsewhere hides it.
 * Without this script the link goes to the glossary, which is all it needs to do.
 */
(function () {
  "use strict";
  if (window.ShowcaseTerms) return; // one copy per page
  window.ShowcaseTerms = true;
  var open = null;

  function tipOf(term) { return term.querySelector(".sc-term__tip"); }

  function place(term, tip) {
    // keep the explanation on the screen: shift it left where it would overflow on the right
    tip.style.left = "";
    var width = document.documentElement.clientWidth;
    var box = tip.getBoundingClientRect();
    if (box.right > width - 8) {
      var left = term.getBoundingClientRect().left;
      tip.style.left = Math.max(8 - left, width - 8 - box.width - left) + "px";
    }
  }

  function show(term, touch) {
    if (open && open !== term) hide(open);
    var tip = tipOf(term);
    term.classList.toggle("sc-term--touch", !!touch);
    term.classList.add("sc-term--open");
    tip.hidden = false;
    place(term, tip);
    open = term;
  }

  function hide(term) {
    tipOf(term).hidden = true;
    term.classList.remove("sc-term--open", "sc-term--touch");
    delete term.dataset.tapped;
    if (open === term) open = null;
  }

  Array.prototype.forEach.call(document.querySelectorAll(".sc-term"), function (term) {
    var link = term.querySelector(".sc-term__link");
    var timer = 0;
    var touch = false;
    if (!link || !tipOf(term)) return;
    term.addEventListener("mouseenter", function () { clearTimeout(timer); if (!touch) show(term); });
    term.addEventListener("mouseleave", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { if (document.activeElement !== link) hide(term); }, 300);
    });
    link.addEventListener("focus", function () { if (!touch) show(term); });
    link.addEventListener("blur", function () { if (!term.matches(":hover")) hide(term); });
    link.addEventListener("pointerdown", function (event) { touch = event.pointerType === "touch" || event.pointerType === "pen"; });
    link.addEventListener("click", function (event) {
      if (touch && term.dataset.tapped !== "1") {
        event.preventDefault(); // the first tap explains; the second follows the link
        show(term, true);
        term.dataset.tapped = "1";
      }
      touch = false;
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) hide(open);
  });
  document.addEventListener("pointerdown", function (event) {
    if (open && !open.contains(event.target)) hide(open);
  });
})();
