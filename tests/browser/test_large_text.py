"""长辈模式 / large-text mode (issue 15, part B) in headless Chromium, and the header on phones.

The switch: one real <button aria-pressed> with its words visible in the header of every page of
both languages; the class `sc-large-text` on <html>, set in <head> before the first paint from
localStorage "sc-large-text" = "1"; remembered across pages and reloads; working without
localStorage and by keyboard; hidden without JavaScript. The mode: body text ≥ 18 px, line height
≥ 1.5, every sampled text at 7:1 or more against what is behind it (computed in the page from the
computed styles), tap targets ≥ 44 px, nothing animating after load. The header: the whole site
name at 360 px, everything inside 320 px."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.browser

KEY = "sc-large-text"
LABEL = {"zh": "长辈模式", "en": "Large text"}
SITE_NAME = {"zh": "上海“15分钟社区生活圈”优秀案例展", "en": "Shanghai 15-Minute Community Life Circle: Case Showcase"}

# one page of every kind, in both languages
KINDS = ["", "cases/", "cases/changning-ningjuli/", "competition/", "competition/2024-04-huayang/", "retrospective/",
         "statistics/", "map/", "districts/", "districts/changning/", "services/", "exhibitions/",
         "exhibitions/ten-year-retrospective/", "exhibitions/ten-year-retrospective/1/",
         "exhibitions/ten-year-retrospective/guide/", "downloads/", "glossary/", "about/"]
PAGES = [prefix + kind for prefix in ("", "en/") for kind in KINDS]
# where the mode's measurements are taken (a sample: each page costs a few seconds)
SAMPLED = ["cases/changning-ningjuli/", "en/retrospective/", "", "en/cases/", "statistics/",
           "en/exhibitions/ten-year-retrospective/1/", "competition/2024-04-huayang/"]

ON = f"try {{ localStorage.setItem('{KEY}', '1') }} catch (e) {{}}"


def lang_of(path: str) -> str:
    return "en" if path.startswith("en/") else "zh"


def local_only(page):
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    return page


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context):
    page = local_only(context.new_page())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert not errors, errors


# --- the markup: every page kind, both languages (read from the built files) ---------------------
class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.events: list[tuple[str, dict, str]] = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs:
            self._script = ""
        self.events.append((tag, attrs, ""))

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.events.append(("inline-script", {}, self._script))
            self._script = None


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_switch_and_the_early_script(sample_site, path):
    html = (sample_site / path / "index.html").read_text(encoding="utf-8")
    buttons = re.findall(r"<button[^>]*data-sc-large-text[^>]*>.*?</button>", html, re.S)
    assert len(buttons) == 1, path
    button = buttons[0]
    assert 'type="button"' in button and 'aria-pressed="false"' in button
    assert re.sub(r"<[^>]+>|\s+", "", button.split(">", 1)[1]) == LABEL[lang_of(path)].replace(" ", "")
    parser = _Head()
    parser.feed(html)
    first_css = next(i for i, (tag, attrs, _) in enumerate(parser.events) if tag == "link" and attrs.get("rel") == "stylesheet")
    early = [i for i, (tag, _, text) in enumerate(parser.events) if tag == "inline-script" and KEY in text]
    assert early and early[0] < first_css, "the class must be set before any stylesheet loads"
    assert re.search(r"javascripts/large-text\.[0-9a-f]{10}\.js", html)


# --- the switch ----------------------------------------------------------------------------------
def state(page):
    return page.evaluate(f"""() => ({{
        cls: document.documentElement.classList.contains('{KEY}'),
        pressed: document.querySelector('[data-sc-large-text]').getAttribute('aria-pressed'),
        stored: localStorage.getItem('{KEY}'),
    }})""")


def test_switch_toggles_and_is_remembered_across_pages_and_reloads(page, server):
    page.goto(server + "cases/changning-ningjuli/")
    toggle = page.locator("[data-sc-large-text]")
    assert toggle.is_visible() and toggle.inner_text().strip() == "长辈模式"
    assert state(page) == {"cls": False, "pressed": "false", "stored": None}
    toggle.click()
    assert state(page) == {"cls": True, "pressed": "true", "stored": "1"}
    # to another page by its link (the English counterpart), then a reload
    page.click("a.sc-lang-direct")
    page.wait_for_url("**/en/cases/changning-ningjuli/")
    assert state(page) == {"cls": True, "pressed": "true", "stored": "1"}
    assert page.locator("[data-sc-large-text]").inner_text().strip() == "Large text"
    page.reload()
    assert state(page) == {"cls": True, "pressed": "true", "stored": "1"}
    page.goto(server + "retrospective/")
    assert state(page)["cls"] is True
    page.locator("[data-sc-large-text]").click()
    assert state(page) == {"cls": False, "pressed": "false", "stored": None}
    page.reload()
    assert state(page)["cls"] is False


def test_a_link_with_large_text_1_switches_the_mode_on_and_it_is_remembered(page, server):
    """?large-text=1 (a QR code on a poster for older residents; benchmarks/lighthouse.py) turns the
    mode on before the first paint and remembers it; ?large-text=0 turns it off."""
    page.goto(server + "cases/changning-ningjuli/?large-text=1")
    assert state(page) == {"cls": True, "pressed": "true", "stored": "1"}
    page.goto(server + "map/")
    assert state(page)["cls"] is True
    page.goto(server + "en/?large-text=0")
    assert state(page) == {"cls": False, "pressed": "false", "stored": None}
    page.goto(server + "en/cases/?large-text=10")  # not the parameter: nothing changes
    assert state(page)["cls"] is False


def test_class_is_there_before_the_page_is_painted(context, server):
    context.add_init_script(ON)
    page = local_only(context.new_page())
    seen = []
    page.on("console", lambda m: seen.append(m.text))
    # a script in the body's first line runs before the first paint of the body
    page.add_init_script("""document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive') console.log('at-interactive:' + document.documentElement.className);
    });""")
    page.goto(server + "cases/changning-ningjuli/")
    assert any("at-interactive:" in s and KEY in s for s in seen), seen


def test_switch_works_without_local_storage(context, server):
    context.add_init_script("""Object.defineProperty(window, 'localStorage', {
        configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });""")
    page = local_only(context.new_page())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "cases/changning-ningjuli/")
    assert page.evaluate(f"document.documentElement.classList.contains('{KEY}')") is False
    toggle = page.locator("[data-sc-large-text]")
    toggle.click()
    assert page.evaluate(f"document.documentElement.classList.contains('{KEY}')") is True
    assert toggle.get_attribute("aria-pressed") == "true"
    assert "本页" in (toggle.get_attribute("title") or "")  # says it is not remembered
    assert not errors, errors


def test_switch_by_keyboard(page, server):
    page.goto(server + "en/cases/changning-ningjuli/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-sc-large-text]')"):
            break
    else:
        pytest.fail("Tab never reached the large-text switch")
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert state(page)["cls"] is True and state(page)["pressed"] == "true"
    page.keyboard.press("Space")
    assert state(page)["cls"] is False and state(page)["pressed"] == "false"


def test_without_javascript_the_switch_is_hidden_and_the_page_reads(browser, server, sample_site):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:
        page = local_only(ctx.new_page())
        page.goto(server + "cases/changning-ningjuli/")
        assert not page.locator("[data-sc-large-text]").is_visible()
        assert not page.locator("[data-sc-read-aloud]").is_visible()
        assert page.locator("h1").is_visible()
        assert len(page.inner_text("article")) > 300
    finally:
        ctx.close()


# --- the mode's measurements --------------------------------------------------------------------
MEASURE = r"""() => {
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, bottom) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat(1); };
  const background = (el) => {            // the colour behind el: its own and its ancestors', composited
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) layers.push(c);
      if (c && c[3] === 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && opacity(el) > 0; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg, .leaflet-container, script, style, noscript, template, dialog:not([open]), [hidden], .md-sidebar, .md-search, .md-overlay, [aria-hidden="true"], .sc-visually-hidden, .md-skip, .md-select__inner')) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.data.trim()).map(n => n.data.trim()).join(' ');
    if (!own || !visible(el)) continue;
    const s = getComputedStyle(el);
    const fg = parse(s.color); const bg = background(el);
    const a = fg[3] * opacity(el); const text = over([fg[0], fg[1], fg[2], a], bg);
    const L1 = lum(text), L2 = lum(bg);
    out.push({ text: own.slice(0, 40), tag: el.tagName.toLowerCase(), cls: String(el.className).slice(0, 60),
               ratio: (Math.max(L1, L2) + 0.05) / (Math.min(L1, L2) + 0.05), size: parseFloat(s.fontSize),
               header: !!el.closest('.md-header, .md-tabs'), footer: !!el.closest('.md-footer') });
  }
  const p = document.querySelector('.md-content .md-typeset > p:not([class]), .md-content .md-typeset li p, .md-content .md-typeset p');
  const ps = getComputedStyle(p);
  return { samples: out, body: { size: parseFloat(ps.fontSize), line: parseFloat(ps.lineHeight) / parseFloat(ps.fontSize) },
           animations: document.getAnimations().map(a => String(a.animationName || a.transitionProperty || a.id || a.constructor.name)) };
}"""

TARGETS = r"""() => {
  const sel = '.md-header__button, [data-sc-large-text], .sc-search__open, .sc-lang-direct, .md-tabs__link, ' +
              '.sc-read-aloud__button, .md-typeset a.sc-chip, .md-typeset .md-button, .md-typeset button, ' +
              '.md-typeset summary, .md-typeset select, .sc-step, .sc-visit-nav a, .md-footer__link';
  return [...document.querySelectorAll(sel)].filter(el => {
      if (el.closest('[hidden], dialog:not([open]), .leaflet-container')) return false;
      const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    }).map(el => { const r = el.getBoundingClientRect();
      return { what: el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0] + ' ' + (el.textContent || '').trim().slice(0, 20),
               w: r.width, h: r.height }; });
}"""


@pytest.mark.parametrize("width", [360, 1280])
def test_mode_text_contrast_targets_and_no_motion(browser, server, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.add_init_script(ON)
    try:
        page = local_only(ctx.new_page())
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        problems: list[str] = []
        for path in SAMPLED:
            page.goto(server + path)
            page.wait_for_load_state("load")
            time.sleep(0.3)
            assert page.evaluate(f"document.documentElement.classList.contains('{KEY}')")
            result = page.evaluate(MEASURE)
            body = result["body"]
            assert body["size"] >= 18, (path, body)
            assert body["line"] >= 1.5, (path, body)
            assert len(result["samples"]) > 20, path
            for sample in result["samples"]:
                if sample["ratio"] < 7:
                    problems.append(f"{path} contrast {sample['ratio']:.2f} <{sample['tag']} class={sample['cls']!r}> {sample['text']!r}")
                if sample["size"] < 18 and not sample["header"]:
                    problems.append(f"{path} {sample['size']}px <{sample['tag']} class={sample['cls']!r}> {sample['text']!r}")
            assert result["animations"] == [], (path, result["animations"])
            for target in page.evaluate(TARGETS):
                if target["h"] < 44 - 0.5 or target["w"] < 44 - 0.5:
                    problems.append(f"{path} target {target['w']:.0f}x{target['h']:.0f} {target['what']!r}")
        assert not problems, "\n".join(problems[:40])
        assert not errors, errors
    finally:
        ctx.close()


def test_headings_larger_than_body_text_in_the_mode(context, server):
    context.add_init_script(ON)
    page = local_only(context.new_page())
    page.goto(server + "cases/changning-ningjuli/")
    sizes = page.evaluate("""() => ['h1', 'h2', '.md-typeset p'].map(s => parseFloat(getComputedStyle(document.querySelector('.md-content ' + s)).fontSize))""")
    h1, h2, p = sizes
    assert p >= 18 and h2 > p * 1.2 and h1 > h2


def test_no_motion_with_reduced_motion_in_the_normal_mode(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    try:
        page = local_only(ctx.new_page())
        page.goto(server + "cases/changning-ningjuli/")
        page.wait_for_load_state("load")
        page.mouse.move(600, 30)  # hover the header: Material fades buttons on hover
        page.evaluate("window.scrollTo(0, 1200)")  # the header swaps the title for the page's
        time.sleep(0.2)
        assert page.evaluate("document.getAnimations().length") == 0
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header__topic')).transitionDuration") in ("0s", "")
    finally:
        ctx.close()


# --- the header on a phone ------------------------------------------------------------------------
HEADER = r"""() => {
  const name = document.querySelector('.md-header__topic:first-child .md-ellipsis');
  const r = name.getBoundingClientRect(); const s = getComputedStyle(name);
  const header = document.querySelector('.md-header');
  const controls = [...document.querySelectorAll('.md-header__inner > *, .md-header__inner .md-header__button, [data-sc-large-text], .sc-search__open')]
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .map(el => { const b = el.getBoundingClientRect(); return { what: el.className, left: b.left, right: b.right, top: b.top, bottom: b.bottom }; });
  return { text: name.textContent.trim(), scrollWidth: name.scrollWidth, clientWidth: name.clientWidth, overflow: s.textOverflow,
           whiteSpace: s.whiteSpace, left: r.left, right: r.right, top: r.top, bottom: r.bottom, headerBottom: header.getBoundingClientRect().bottom,
           headerScroll: header.scrollWidth, headerClient: header.clientWidth, controls, viewport: innerWidth };
}"""


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("width", [360, 320])
@pytest.mark.parametrize("path", ["cases/changning-ningjuli/", "en/cases/changning-ningjuli/", "", "en/statistics/"])
def test_header_shows_the_whole_site_name_and_fits(browser, server, path, width, large):
    ctx = browser.new_context(viewport={"width": width, "height": 740}, has_touch=True)
    if large:
        ctx.add_init_script(ON)
    try:
        page = local_only(ctx.new_page())
        page.goto(server + path)
        info = page.evaluate(HEADER)
        assert info["text"] == SITE_NAME[lang_of(path)]
        assert info["scrollWidth"] <= info["clientWidth"], info
        assert info["overflow"] != "ellipsis" or info["whiteSpace"] != "nowrap", info
        assert 0 <= info["left"] and info["right"] <= width, info
        assert info["bottom"] <= info["headerBottom"] + 0.5, info  # inside the header, not spilling over the page
        assert info["headerScroll"] <= info["headerClient"], info
        for control in info["controls"]:
            assert control["left"] >= -0.5 and control["right"] <= width + 0.5, control
        # the switch, the language link and search are all on screen and tappable
        for selector in ("[data-sc-large-text]", "a.sc-lang-direct", ".sc-search__open"):
            assert page.locator(selector).is_visible(), selector
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        ctx.close()
