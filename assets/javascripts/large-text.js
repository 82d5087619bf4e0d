/* 长辈模式 / large-text mode: the switch in the header of every page.
 *
 * The mode itself is the class `sc-large-text` on <html> (assets/stylesheets/large-text.css). The
 * tiny script at the top of <head> (site_templates/overrides/main.html) sets it before the first
 * paint from localStorage "sc-large-text" = "1", so the small layout never flashes; this file only
 * wires the button: aria-pressed follows the class, a press flips it and remembers the choice on
 * this device. Without localStorage (blocked, private mode) the switch still works for the page
 * and says that it is not remembered. Other open tabs of the site follow a change.
 */
(function () {
  "use strict";
  var KEY = "sc-large-text";
  var CLASS = "sc-large-text";
  var root = document.documentElement;
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-sc-large-text]"));
  if (!buttons.length) return;

  function isOn() { return root.classList.contains(CLASS); }

  function show(on) {
    root.classList.toggle(CLASS, on);
    buttons.forEach(function (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); });
  }

  function remember(on) {
    try {
      if (on) window.localStorage.setItem(KEY, "1");
      else window.localStorage.removeItem(KEY);
      return true;
    } catch (e) {
      return false;
    }
  }

  show(isOn());
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var on = !isOn();
      show(on);
      if (!remember(on) && button.getAttribute("data-unsaved")) {
        button.title = button.getAttribute("data-unsaved");
      }
      // Material reads the header's height for its sticky parts: let it measure again
      window.dispatchEvent(new Event("resize"));
    });
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) show(event.newValue === "1");
  });
})();
