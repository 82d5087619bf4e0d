"""The ten-year retrospective on a phone and on paper, in headless Chromium."""

from __future__ import annotations

import re

import pytest


@pytest.mark.browser
def test_timeline_fits_a_phone_and_prints_without_navigation(browser, server, sample_collection):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page.goto(server + "retrospective/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    page.emulate_media(media="print")
    assert not page.is_visible(".md-header") and not page.is_visible(".md-tabs")
    visible = page.eval_on_selector_all(".sc-milestone h3", "els => els.filter(e => e.offsetParent !== null).length")
    assert visible == len(sample_collection.milestones)
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pdf.startswith(b"%PDF") and 2 <= pages <= 30, pages
    page.close()
