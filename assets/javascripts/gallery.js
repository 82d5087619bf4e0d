/* Galleries: a lightbox for photos (keyboard: ← → Home End Esc; touch: swipe) and the before/after
 * slider (a range input: ← → by 5 %, Home/End, its value said as "改造前 30% · 改造后 70%" in the
 * page's own words for before and after). The lightbox says "图 2 / 共 5" / "Photo 2 of 5" in a
 * live region, and Escape closes it and returns focus to the photo that opened it.
 * Without JavaScript a photo's link opens the large copy and a before/after pair stands side by
 * side, so nothing here is needed to see anything.
 */
(function () {
  "use strict";
  if (window.ShowcaseGallery) return;  // one copy, however many galleries a page has
  var script = document.currentScript || {};
  var labels = (script.dataset) || {};
  window.ShowcaseGallery = true;

  /* --- lightbox --- */
  var dialog, img, caption, position, links = [], current = 0, returnFocus = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "sc-lightbox";
    dialog.setAttribute("aria-label", document.title);
    dialog.innerHTML =
      '<button type="button" class="sc-lightbox__close"></button>' +
      '<button type="button" class="sc-lightbox__prev"></button>' +
      '<figure class="sc-lightbox__figure"><img alt=""><figcaption></figcaption></figure>' +
      '<button type="button" class="sc-lightbox__next"></button>' +
      '<p class="sc-lightbox__position" role="status" aria-live="polite" aria-atomic="true"></p>';
    var close = dialog.querySelector(".sc-lightbox__close"),
        prev = dialog.querySelector(".sc-lightbox__prev"),
        next = dialog.querySelector(".sc-lightbox__next");
    close.textContent = "×"; close.setAttribute("aria-label", labels.close || "Close");
    prev.textContent = "‹"; prev.setAttribute("aria-label", labels.prev || "Previous");
    next.textContent = "›"; next.setAttribute("aria-label", labels.next || "Next");
    img = dialog.querySelector("img");
    img.draggable = false;  // a drag would swallow the swipe
    caption = dialog.querySelector("figcaption");
    position = dialog.querySelector(".sc-lightbox__position");
    close.addEventListener("click", function () { dialog.close(); });
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    dialog.addEventListener("click", function (e) {
      if (swiped) { swiped = false; return; }  // the end of a swipe is not a click on the backdrop
      if (e.target === dialog) dialog.close();
    });
    dialog.addEventListener("keydown", function (e) {
      if (e.key === "ArrowLeft") { show(current - 1); e.preventDefault(); }
      if (e.key === "ArrowRight") { show(current + 1); e.preventDefault(); }
      if (e.key === "Home") { show(0); e.preventDefault(); }
      if (e.key === "End") { show(links.length - 1); e.preventDefault(); }
    });
    dialog.addEventListener("close", function () { if (returnFocus) returnFocus.focus(); });
    // touch: a horizontal swipe of 50 px or more turns the page
    var startX = null;
    dialog.addEventListener("pointerdown", function (e) { startX = e.clientX; });
    dialog.addEventListener("pointercancel", function () { startX = null; });
    dialog.addEventListener("pointerup", function (e) {
      if (startX === null) return;
      var dx = e.clientX - startX; startX = null;
      if (Math.abs(dx) >= 50) { show(current + (dx < 0 ? 1 : -1)); swiped = true; }
    });
    var swiped = false;
    document.body.appendChild(dialog);
  }

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current], picture = link.querySelector("img");
    img.src = link.getAttribute("href");
    img.alt = picture ? picture.alt : "";
    img.width = +link.dataset.width || 0; img.height = +link.dataset.height || 0;
    var figcaption = link.closest("figure").querySelector("figcaption");
    caption.textContent = figcaption ? figcaption.textContent.trim() : "";
    position.textContent = (labels.of || "{n} / {total}").replace("{n}", current + 1).replace("{total}", links.length);
    dialog.dataset.index = String(current);
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a.sc-zoom");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || typeof HTMLDialogElement === "undefined") return;
    e.preventDefault();
    if (!dialog) build();
    links = Array.prototype.slice.call(document.querySelectorAll("a.sc-zoom"));
    returnFocus = link;
    show(links.indexOf(link));
    dialog.showModal();
  });

  /* --- before / after --- */
  document.querySelectorAll("[data-compare]").forEach(function (figure) {
    var range = figure.querySelector(".sc-compare__range");
    figure.classList.add("sc-compare--slider");
    range.hidden = false;
    range.step = "5";  // arrows move it by 5 %, Home/End to either end (the input's own keys)
    // the left part shows "before", the rest "after": said with the page's own labels
    function label(which, fallback) {
      var el = figure.querySelector(".sc-compare__" + which + " .sc-compare__label");
      return el ? el.textContent.trim() : fallback;
    }
    var before = label("before", "Before"), after = label("after", "After");
    function set() {
      var v = Math.round(+range.value);
      figure.style.setProperty("--sc-compare", range.value + "%");
      range.setAttribute("aria-valuetext", before + " " + v + "% · " + after + " " + (100 - v) + "%");
    }
    range.addEventListener("input", set);
    set();
  });
})();
