"""Every page kind, in both languages, in headless Chromium behind nginx with the shipped
configuration, so under the Content-Security-Policy the build computed: not one violation
reported, and the features that run scripts (maps, search, the gallery, the case filters, the
large-text switch, the statistics table, the exhibition's keys) still work under it."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

# Reported by the page itself (the event every violation fires) and by the console.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    def __init__(self, browser, base: str, width: int = 1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.add_init_script(WATCH)
        self.base = base
        self.console: list[str] = []
        self.errors: list[str] = []

    def open(self, path: str):
        page = self.context.new_page()
        page.on("console", lambda m: self.console.append(f"{path}: {m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"{path}: {e}"))
        # tiles would come from the configured hosts: offline here, so they are refused quietly
        page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort())
        response = page.goto(self.base + path)
        page.wait_for_load_state("load")
        page.status = response.status if response else None
        return page

    def violations(self, page) -> list[str]:
        return page.evaluate("window.__violations")

    def close(self):
        self.context.close()


def csp_console(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m or "Permissions-Policy" in m]


PAGES = ["", "cases/", "cases/changning-ningjuli/", "competition/", "competition/{site}/", "exhibitions/",
         "exhibitions/2024-excellent-cases/", "exhibitions/2024-excellent-cases/guide/", "retrospective/", "statistics/",
         "map/", "districts/", "districts/changning/", "services/", "downloads/", "about/", "no-such-page/"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_kind_loads_without_a_violation(browser, nginx_site, sample_collection, lang):
    site = sorted(sample_collection.sites)[0]
    prefix = "" if lang == "zh" else "en/"
    visit = Visit(browser, nginx_site.url)
    try:
        for path in PAGES:
            page = visit.open(prefix + path.format(site=site))
            assert page.status == (404 if path.startswith("no-such") else 200), path
            assert page.evaluate("document.documentElement.classList.contains('sc-js')"), f"{path}: the head's inline script did not run"
            page.mouse.wheel(0, 20000)  # bring lazy parts (maps) into view
            page.wait_for_timeout(300)
            assert not visit.violations(page), f"{prefix}{path}: {visit.violations(page)}"
            page.close()
        assert not csp_console(visit.console), csp_console(visit.console)
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_maps_draw_their_places_under_the_policy(browser, nginx_site):
    visit = Visit(browser, nginx_site.url)
    try:
        for path in ("map/", "en/cases/changning-huayang-renminfang/"):
            page = visit.open(path)
            page.locator(".sc-map").first.scroll_into_view_if_needed()
            page.wait_for_selector(".sc-map.sc-map--ready", timeout=15000)
            page.wait_for_function("() => document.querySelectorAll('.sc-map .leaflet-marker-icon').length > 0", timeout=15000)
            page.wait_for_function("() => Number(document.querySelector('.sc-map').dataset.boundaries || 0) > 0", timeout=15000)
            assert not visit.violations(page), visit.violations(page)
        assert not csp_console(visit.console) and not visit.errors, (visit.console, visit.errors)
    finally:
        visit.close()


@pytest.mark.parametrize("lang, query", [("zh", "人民坊"), ("en", "Renminfang")])
def test_search_answers_under_the_policy(browser, nginx_site, lang, query):
    """Pagefind compiles WebAssembly: allowed by 'wasm-unsafe-eval', nothing wider."""
    visit = Visit(browser, nginx_site.url)
    try:
        page = visit.open("" if lang == "zh" else "en/")
        page.click(".sc-search__open")
        page.wait_for_selector("#sc-search-dialog[open]")
        page.fill("#sc-search-input", query)
        page.wait_for_selector(".sc-search__hit", timeout=15000)
        # Pagefind's results (a glossary term's definition can be shown before them, without Pagefind)
        page.wait_for_function("() => /\\d/.test(document.querySelector('#sc-search-status').textContent)", timeout=15000)
        assert page.locator(".sc-search__hit").count() > 1
        assert not visit.violations(page), visit.violations(page)
        assert not csp_console(visit.console) and not visit.errors, (visit.console, visit.errors)
    finally:
        visit.close()


def test_gallery_filters_switch_and_tables_work_under_the_policy(browser, nginx_site, sample_site):
    visit = Visit(browser, nginx_site.url)
    try:
        # the lightbox on a case with photos
        with_gallery = next(p for p in sorted((sample_site / "cases").glob("*/index.html"))
                            if 'class="sc-zoom' in p.read_text(encoding="utf-8"))
        page = visit.open(with_gallery.parent.relative_to(sample_site).as_posix() + "/")
        zoom = page.locator("a.sc-zoom").first
        zoom.scroll_into_view_if_needed()
        zoom.click()
        page.wait_for_selector("dialog.sc-lightbox[open]")
        page.keyboard.press("Escape")
        assert not visit.violations(page), visit.violations(page)

        # the case list's filters: a district leaves only its cases
        page = visit.open("cases/")
        total = page.locator("#sc-case-list > .sc-card:not([hidden])").count()
        page.check("fieldset[data-facet=district] input[value=changning]")
        page.wait_for_function(f"document.querySelectorAll('#sc-case-list > .sc-card:not([hidden])').length < {total}")
        assert "district=changning" in page.url

        # the large-text switch
        page.click("[data-sc-large-text]")
        assert page.evaluate("document.documentElement.classList.contains('sc-large-text')")
        page.click("[data-sc-large-text]")

        # the statistics table sorts
        page = visit.open("statistics/")
        button = page.locator("table button").first
        if button.count():
            button.click()
        assert not visit.violations(page), visit.violations(page)
        assert not csp_console(visit.console) and not visit.errors, (visit.console, visit.errors)
    finally:
        visit.close()


def test_the_policy_is_enforced_and_a_violation_would_be_seen(browser, nginx_site):
    """The walk above would notice a violation: code slipped into a page is blocked and reported."""
    visit = Visit(browser, nginx_site.url)
    try:
        page = visit.open("cases/")
        page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                                 document.body.appendChild(s);
                                 document.body.firstElementChild.setAttribute('style', 'color: red'); }""")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__ran") is None
        found = visit.violations(page)
        assert any(v.startswith("script-src") for v in found) and any(v.startswith("style-src") for v in found), found
    finally:
        visit.close()
