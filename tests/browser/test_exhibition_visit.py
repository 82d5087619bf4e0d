"""Walking an exhibition in headless Chromium: the arrow keys move between rooms, not while
typing; a room reads on a phone held upright; the guide prints one room per page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture()
def phone(browser):
    page = browser.new_page(viewport={"width": 360, "height": 740}, has_touch=True)
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert not errors
    page.close()


def test_arrow_keys_move_between_rooms(phone, server):
    base = server + "en/exhibitions/ten-year-retrospective/"
    phone.goto(base + "1/")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_url(base + "2/")
    assert "Room 2 of 4" in phone.inner_text(".sc-visit-nav__where")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_url(base + "3/")
    phone.keyboard.press("ArrowLeft")
    phone.wait_for_url(base + "2/")
    phone.keyboard.press("ArrowLeft")
    phone.wait_for_url(base + "1/")
    phone.keyboard.press("ArrowLeft")  # from the first room: back to the start page
    phone.wait_for_url(base)
    assert phone.is_visible("a.sc-visit-begin")


def test_arrow_keys_are_left_alone_while_typing(phone, server):
    phone.goto(server + "exhibitions/2024-renminfang-competition/1/")
    # a text field in the page, as a search box or a form would be
    phone.evaluate("document.querySelector('article').insertAdjacentHTML('afterbegin', '<input id=probe type=text>')")
    phone.focus("#probe")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_timeout(300)
    assert phone.url.endswith("/exhibitions/2024-renminfang-competition/1/")


def test_a_room_fits_a_phone_held_upright(phone, server):
    phone.goto(server + "exhibitions/2024-excellent-cases/1/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    image = phone.query_selector("article.sc-exhibit img")
    box = image.bounding_box()
    assert box["width"] >= 300, "exhibit images use the phone's width"
    assert re.search(r"第 1 展厅，共 3 个", phone.inner_text(".sc-visit-nav__where"))


def test_the_guide_prints_a_page_per_room(browser, server):
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page.goto(server + "en/exhibitions/ten-year-retrospective/guide/")
    page.emulate_media(media="print")
    starts = page.eval_on_selector_all(".sc-guide__room", "els => els.map(e => getComputedStyle(e).breakBefore)")
    assert starts == ["page"] * 4
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 5  # the cover and one page (at least) per room
    page.close()
