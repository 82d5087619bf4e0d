"""WCAG 2.1 AA on every page kind of the sample site, in both languages, at a phone's and a
desktop's width, and in 长辈模式 (large-text mode), checked with axe-core.

axe-core comes from npm (tests/browser/package-lock.json, installed by `scripts/setup.sh
--browser`), never from a CDN: its file is read from node_modules and injected into each page.
Any violation of any impact fails, listed with its rule, impact, element and page.

One browser, one page per (mode, language), the four run side by side: each page is loaded
once and checked at 1280 px, then at 360 px after a resize. Requests off this machine (map tiles) are refused, as on a
blocked network, so the run needs no internet and waits for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

# One page of every kind. The second case has an untranslated text on its English page (the
# "Chinese only" label); the first has before/after pairs, a video and a gallery.
PAGES = [
    "",
    "cases/",
    "cases/jiading-ximen-street-vitality/",
    "cases/jiading-jiadingzhen-palm-treasure/",
    "competition/",
    "competition/2024-04-huayang/",
    "districts/",
    "districts/changning/",
    "services/",
    "services/elderly-care/",
    "map/",
    "retrospective/",
    "statistics/",
    "exhibitions/",
    "exhibitions/2024-excellent-cases/",
    "exhibitions/2024-excellent-cases/guide/",
    "exhibitions/2024-excellent-cases/1/",
    "downloads/",
    "glossary/",
    "about/",
]
NOT_FOUND = {"zh": "404.html", "en": "en/404.html"}  # served for a missing address in each half (deploy/nginx.conf)

WIDTHS = (1280, 360)

# WCAG 2.0 and 2.1, levels A and AA ...
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# ... plus the rules for what the site promises beyond those tags: tap targets of at least
# 24 px (WCAG 2.2's 2.5.8), headings in order, one main landmark, all content in landmarks, a
# working skip link, unique ids (the best-practice rules Lighthouse also runs).
EXTRA_RULES = ["target-size", "heading-order", "landmark-one-main", "landmark-unique", "region",
               "skip-link", "duplicate-id", "duplicate-id-active", "page-has-heading-one",
               "landmark-no-duplicate-main", "landmark-main-is-top-level", "bypass"]

# 长辈模式's contract (the header switch): the setting in localStorage and the class on <html>,
# both in place before the page's own scripts run.
LARGE_TEXT = """
try { localStorage.setItem("sc-large-text", "1"); } catch (e) {}
document.documentElement.classList.add("sc-large-text");
"""

START_AXE = """([tags, extra]) => { window.__scAxe = (async () => {
  // what is checked is the page at rest: Material's tabs fade in after load
  await Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
    .map(a => a.finished.catch(() => null)));
  const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules,
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
})(); }"""


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/setup.sh --browser (npm ci in tests/browser)")
    return AXE.read_text(encoding="utf-8")


def settle(page) -> None:
    """Wait for what the page's scripts add: a map scrolled into view is drawn (markers and
    controls are checked too), lazy images are loaded."""
    if page.locator(".sc-map").count():
        page.locator(".sc-map").first.scroll_into_view_if_needed()
        try:
            page.wait_for_selector(".sc-map.sc-map--ready", timeout=10000)
        except Exception:  # noqa: BLE001 - a map that never draws is for test_maps to report
            pass
        page.evaluate("() => window.scrollTo(0, 0)")


def report(found: list, url: str, width: int) -> list[str]:
    lines = []
    for v in found:
        for node in v["nodes"]:
            detail = " ".join((node["summary"] or "").split())[:300]
            lines.append(f"{url} @{width}px: {v['id']} ({v['impact']}) {node['target']} — {v['help']}. {detail}")
    return lines


def _offline(route):
    if urlparse(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


@dataclass
class Lane:
    """One language in one mode: its own browser context (and so its own renderer process), one
    page reused for every address."""
    lang: str
    large_text: bool
    context: object
    page: object
    urls: list[str]
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def axe_results(browser, server) -> dict[tuple[str, bool], list[str]]:
    """Every page of every lane, checked with axe at each width. The lanes go in step: each loads
    its page, then axe starts in all of them before the first result is read, so the four runs
    share the machine's cores instead of queueing (about half the time of one lane after another)."""
    source = axe_source()
    lanes = []
    for large_text in (False, True):
        for lang in ("zh", "en"):
            context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
            if large_text:
                context.add_init_script(LARGE_TEXT)
            context.route("**/*", _offline)
            urls = [("en/" if lang == "en" else "") + p for p in PAGES] + [NOT_FOUND[lang]]
            lanes.append(Lane(lang, large_text, context, context.new_page(), urls))
    try:
        for step in range(max(len(lane.urls) for lane in lanes)):
            active = [lane for lane in lanes if step < len(lane.urls)]
            for lane in active:
                url, page = lane.urls[step], lane.page
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
                response = page.goto(server + url, wait_until="load")
                assert response and response.ok, f"{url}: {response and response.status}"
                settle(page)
                if lane.large_text:
                    assert page.evaluate("() => document.documentElement.classList.contains('sc-large-text')"), url
                page.add_script_tag(content=source)
            for width in WIDTHS:
                for lane in active:
                    lane.page.set_viewport_size({"width": width, "height": 900})
                    lane.page.evaluate(START_AXE, [TAGS, EXTRA_RULES])
                for lane in active:
                    lane.problems += report(lane.page.evaluate("() => window.__scAxe"), lane.urls[step], width)
    finally:
        for lane in lanes:
            lane.context.close()
    return {(lane.lang, lane.large_text): lane.problems for lane in lanes}


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_kind_meets_wcag_21_aa(axe_results, lang, large_text):
    problems = axe_results[(lang, large_text)]
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)
