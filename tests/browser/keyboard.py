"""Helpers for keyboard tests: where focus is, and whether a reader can see it."""

from __future__ import annotations

# The focused element (inside a dialog too) must be on screen and drawn with a focus indicator: a
# non-none outline of some width, or a box-shadow, in a colour that is not transparent.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: false, why: "nothing has focus"};
  const r = el.getBoundingClientRect();
  const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  const s = getComputedStyle(el);
  const transparent = c => !c || c === "transparent" || /rgba\\([^)]*,\\s*0\\)$/.test(c);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor);
  const shadow = s.boxShadow && s.boxShadow !== "none" && !/^rgba\\([^)]*,\\s*0\\)/.test(s.boxShadow);
  const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined ? "." + String(el.className).trim().split(/\\s+/).join(".") : "");
  return {ok: inView && (outline || shadow), inView, outline, shadow, name,
          label: el.getAttribute("aria-label") || (el.textContent || "").trim().slice(0, 60),
          style: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" | ")};
}"""


def focus_state(page) -> dict:
    return page.evaluate(FOCUS_STATE)


def assert_focus_visible(page, step: str) -> dict:
    state = focus_state(page)
    assert state["ok"], f"{step}: focus is not visible on {state}"
    return state


def tab_until(page, predicate_js: str, step: str, limit: int = 80, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab) until document.activeElement matches `predicate_js` (a JS
    expression over `el`), checking at every stop that the focus is visible."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!(el && ({predicate_js})); }}"):
            return assert_focus_visible(page, step)
    raise AssertionError(f"{step}: {key} never reached {predicate_js} in {limit} presses (last: {focus_state(page)})")
