"""朗读 / read aloud (issue 15, part B) in headless Chromium with a fake window.speechSynthesis.

The fake (installed by add_init_script before the page's scripts) records every utterance (text,
lang, voice) and every cancel, fires `start` and `boundary` when an utterance begins, and `end`
when the test says the current one is done (`__tts.finish()`), so the test walks the page sentence
by sentence. Checked: the voice follows the page's language (zh-CN / en) and only local voices
are used; the text comes in the page's order without the controls; the sentence being read is
highlighted and in view; pause, resume and stop; the visible message when there is no voice for
the language or no speech synthesis at all."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.browser

ZH = {"name": "Fake 普通话", "lang": "zh-CN", "localService": True}
ZH_REMOTE = {"name": "Google 普通话（网络）", "lang": "zh-CN", "localService": False}
HK = {"name": "Fake 粤語", "lang": "zh-HK", "localService": True}
EN = {"name": "Fake English", "lang": "en-GB", "localService": True}

FAKE = r"""
(() => {
  const config = window.__ttsConfig || { voices: [] };
  if (config.none) {
    Object.defineProperty(window, 'speechSynthesis', { configurable: true, get() { return undefined; } });
    window.SpeechSynthesisUtterance = undefined;
    return;
  }
  class FakeUtterance extends EventTarget {
    constructor(text) { super(); this.text = text; this.lang = ''; this.voice = null; this.rate = 1; this.pitch = 1; this.volume = 1;
      this.onstart = this.onend = this.onerror = this.onboundary = this.onpause = this.onresume = null; }
  }
  const fire = (u, type, extra) => {
    const event = new Event(type); Object.assign(event, { utterance: u, charIndex: 0, elapsedTime: 0 }, extra || {});
    u.dispatchEvent(event); if (typeof u['on' + type] === 'function') u['on' + type](event);
  };
  const voices = config.voices.map(v => Object.freeze({ default: false, voiceURI: v.name, ...v }));
  class FakeSynth extends EventTarget {
    constructor() { super(); this.log = []; this.queue = []; this.current = null; this.paused = false; this.onvoiceschanged = null; }
    get speaking() { return !!this.current; }
    get pending() { return this.queue.length > 0; }
    getVoices() { return voices.slice(); }
    speak(u) {
      this.log.push({ type: 'speak', text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : null });
      this.queue.push(u); if (!this.current) this._next();
    }
    _next() {
      const u = this.current = this.queue.shift() || null;
      if (u) { fire(u, 'start'); fire(u, 'boundary', { name: 'sentence', charIndex: 0 }); }
    }
    finish() {
      const u = this.current; if (!u) return false;
      fire(u, 'boundary', { name: 'word', charIndex: Math.max(0, u.text.length - 1) });
      fire(u, 'end');
      if (this.current === u) { this.current = null; this._next(); }
      return true;
    }
    cancel() {
      this.log.push({ type: 'cancel' });
      const u = this.current; this.queue = []; this.current = null;
      if (u) fire(u, 'error', { error: 'interrupted' });
    }
    pause() { this.log.push({ type: 'pause' }); this.paused = true; }
    resume() { this.log.push({ type: 'resume' }); this.paused = false; }
  }
  const synth = new FakeSynth();
  Object.defineProperty(window, 'speechSynthesis', { configurable: true, get() { return synth; } });
  window.SpeechSynthesisUtterance = FakeUtterance;
  window.__tts = synth;
})();
"""


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture()
def open_page(browser, server):
    contexts = []

    def open_(path: str, voices=None, none=False, width=1280):
        ctx = browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(ctx)
        ctx.add_init_script("window.__ttsConfig = " + json.dumps({"voices": voices or [], "none": none}) + ";")
        ctx.add_init_script(FAKE)
        page = ctx.new_page()
        page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors
        page.goto(server + path)
        page.wait_for_function("() => !document.querySelector('[data-sc-read-aloud]').hidden")
        return page

    yield open_
    for ctx in contexts:
        ctx.close()


def spoken(page) -> list[dict]:
    return [e for e in page.evaluate("__tts.log") if e["type"] == "speak"]


def read_all(page, limit=400) -> list[dict]:
    for _ in range(limit):
        if not page.evaluate("__tts.finish()"):
            break
    return spoken(page)


def highlighted(page) -> str | None:
    return page.evaluate("""() => { const h = CSS.highlights.get('sc-read-aloud'); if (!h) return null;
        return [...h].map(r => r.toString()).join(''); }""")


PAGES_WITH = ["cases/changning-ningjuli/", "competition/2024-04-huayang/", "retrospective/",
              "exhibitions/ten-year-retrospective/", "exhibitions/ten-year-retrospective/2/"]


@pytest.mark.parametrize("path", PAGES_WITH + ["en/" + p for p in PAGES_WITH])
def test_controls_on_the_pages_that_read(sample_site, path):
    html = (sample_site / path / "index.html").read_text(encoding="utf-8")
    assert html.count("data-sc-read-aloud") == 1
    assert re.search(r"javascripts/read-aloud\.[0-9a-f]{10}\.js", html)
    lang = "en" if path.startswith("en/") else "zh-CN"
    assert f'data-lang="{lang}"' in html
    assert re.search(r'<div class="sc-read-aloud"[^>]* hidden', html), "hidden until the script runs"


@pytest.mark.parametrize("path", ["", "cases/", "statistics/", "en/map/", "about/"])
def test_no_controls_elsewhere(sample_site, path):
    assert "data-sc-read-aloud" not in (sample_site / path / "index.html").read_text(encoding="utf-8")


def test_chinese_case_read_in_order_with_a_local_mandarin_voice(open_page):
    page = open_page("cases/changning-ningjuli/", voices=[ZH_REMOTE, HK, EN, ZH])
    play = page.locator(".sc-read-aloud__play")
    assert play.inner_text().strip().endswith("朗读")
    play.click()
    first = spoken(page)[0]
    assert first["voice"] == "Fake 普通话" and first["lang"] == "zh-CN"
    said = read_all(page)
    assert len(said) > 10
    chinese = [s for s in said if re.search(r"[\u4e00-\u9fff]", s["text"])]
    assert all(s["voice"] == "Fake 普通话" for s in chinese)
    assert not any(s["voice"] and "网络" in s["voice"] for s in said), "a network voice sends the text away"
    # in the page's order, the title among them, the controls' own words not
    article = squash(page.inner_text("article"))
    position = -1
    for s in said:
        found = article.find(squash(s["text"]), position + 1)
        assert found > position, s["text"]
        position = found
    h1 = squash(page.inner_text("article h1"))
    assert any(squash(s["text"]) == h1 for s in said)
    assert not any("服务器" in s["text"] for s in said)
    # done: the status says so and the highlight is gone
    assert "朗读完毕" in page.inner_text(".sc-read-aloud__status")
    assert highlighted(page) is None
    assert not page.errors


def test_current_sentence_highlighted_and_in_view(open_page):
    page = open_page("retrospective/", voices=[ZH, EN], width=360)
    page.click(".sc-read-aloud__play")
    for step in range(12):
        current = spoken(page)[-1]
        assert squash(highlighted(page) or "") == squash(current["text"]), step
        inside = page.evaluate("""() => { const r = [...CSS.highlights.get('sc-read-aloud')][0].getBoundingClientRect();
            return r.top >= 0 && r.bottom <= innerHeight; }""")
        assert inside, step
        assert page.locator(".sc-read-aloud-current").count() == 1
        assert "正在朗读" in page.inner_text(".sc-read-aloud__status")
        page.evaluate("__tts.finish()")
    assert page.evaluate("scrollY") > 200, "later sentences are scrolled into view"


def test_pause_resume_and_stop(open_page):
    page = open_page("competition/2024-04-huayang/", voices=[ZH])
    button = page.locator(".sc-read-aloud__play")
    stop = page.locator(".sc-read-aloud__stop")
    assert not stop.is_visible()
    button.focus()
    page.keyboard.press("Enter")  # by keyboard
    page.evaluate("__tts.finish()")
    page.evaluate("__tts.finish()")
    third = spoken(page)[-1]["text"]
    assert button.inner_text().strip().endswith("暂停") and stop.is_visible()
    page.keyboard.press("Space")  # pause
    assert page.evaluate("__tts.log.at(-1).type") == "cancel"
    assert page.evaluate("__tts.speaking") is False
    assert button.inner_text().strip().endswith("继续")
    assert "已暂停" in page.inner_text(".sc-read-aloud__status")
    assert squash(highlighted(page)) == squash(third), "the place stays marked while paused"
    count = len(spoken(page))
    page.keyboard.press("Space")  # resume: the same sentence again
    again = spoken(page)
    assert len(again) == count + 1 and again[-1]["text"] == third
    assert button.inner_text().strip().endswith("暂停")
    page.evaluate("__tts.finish()")
    assert spoken(page)[-1]["text"] != third  # and on
    stop.click()
    assert page.evaluate("__tts.log.at(-1).type") == "cancel"
    assert highlighted(page) is None and page.locator(".sc-read-aloud-current").count() == 0
    assert button.inner_text().strip().endswith("朗读") and not stop.is_visible()
    assert "已停止" in page.inner_text(".sc-read-aloud__status")
    count = len(spoken(page))
    page.evaluate("__tts.finish()")  # nothing is left to be read
    assert len(spoken(page)) == count
    button.click()  # from the start again
    assert squash(spoken(page)[-1]["text"]) == squash(spoken(page)[0]["text"])
    assert not page.errors


def test_english_page_reads_english_voice_and_chinese_fragments(open_page):
    page = open_page("en/cases/changning-ningjuli/", voices=[ZH, EN])
    page.click(".sc-read-aloud__play")
    said = read_all(page)
    assert said[0]["voice"] == "Fake English" and said[0]["lang"].startswith("en")
    h1 = squash(page.inner_text("article h1"))
    assert any(squash(s["text"]) == h1 and s["voice"] == "Fake English" for s in said)

    def mostly_chinese(text):
        return len(re.findall(r"[\u4e00-\u9fff]", text)) > len(re.findall(r"[A-Za-z]", text))

    for s in said:
        assert s["voice"] == ("Fake 普通话" if mostly_chinese(s["text"]) else "Fake English"), s
    # with no Chinese voice, the Chinese (untranslated) sentences are left out, the rest is read
    page = open_page("en/cases/changning-ningjuli/", voices=[EN])
    page.click(".sc-read-aloud__play")
    english_only = read_all(page)
    assert english_only and all(s["voice"] == "Fake English" for s in english_only)
    assert not any(mostly_chinese(s["text"]) for s in english_only)


@pytest.mark.parametrize("path, voices, message", [
    ("cases/changning-ningjuli/", [EN], "没有可用的中文语音"),
    ("cases/changning-ningjuli/", [ZH_REMOTE, EN], "没有可用的中文语音"),  # network voices are not used
    ("en/retrospective/", [ZH], "no English voice"),
    ("exhibitions/ten-year-retrospective/2/", [], "没有可用的中文语音"),
])
def test_no_voice_for_the_language_is_said(open_page, path, voices, message):
    page = open_page(path, voices=voices)
    button = page.locator(".sc-read-aloud__play")
    button.click(force=True)  # with no voices at all, the page waits a moment for them to load
    page.wait_for_function("m => document.querySelector('.sc-read-aloud__play').innerText.includes(m)", arg=message, timeout=5000)
    assert button.is_visible() and button.get_attribute("aria-disabled") == "true"
    assert spoken(page) == []
    assert not page.errors


def test_no_speech_synthesis_is_said(open_page):
    page = open_page("en/exhibitions/ten-year-retrospective/", none=True)
    button = page.locator(".sc-read-aloud__play")
    assert "no speech synthesis" in button.inner_text()
    assert button.get_attribute("aria-disabled") == "true"
    button.click(force=True)  # aria-disabled: nothing happens, nothing fails
    assert not page.errors
