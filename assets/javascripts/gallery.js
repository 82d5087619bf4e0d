/* Galleries: a lightbox for photos (keyboard: ← → Esc; touch: swipe) and the before/after slider.
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
      '<p class="sc-lightbox__position" aria-live="polite"></p>';
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
    function set() { figure.style.setProperty("--sc-compare", range.value + "%"); }
    range.addEventListener("input", set);
    set();
  });
})();
