"""Online exhibitions, read from the built sample site: every page in both languages, every
reference resolved, the previous/next links walking every item once in order, the case pages
naming their exhibitions, and a wrong reference failing the build with file and line."""

from __future__ import annotations

from urllib.parse import urldefrag

import pytest
from bs4 import BeautifulSoup

from generator import exhibitions, urls
from tests.helpers import build, copy_content, page_file, resolve


def html(site, url: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, url).read_text(encoding="utf-8"), "html.parser")


def test_the_three_sample_exhibitions_exist(sample_collection):
    assert sorted(sample_collection.exhibitions) == ["2024-excellent-cases", "2024-renminfang-competition", "ten-year-retrospective"]
    competition = sample_collection.exhibitions["2024-renminfang-competition"]
    shown = [item.site for room in competition.rooms for item in room.items]
    assert sorted(shown) == sorted(sample_collection.sites), "all 16 sites, each once"
    retrospective = sample_collection.exhibitions["ten-year-retrospective"]
    assert [i.milestone for r in retrospective.rooms for i in r.items] == [m.id for m in sample_collection.milestones_sorted()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_exhibition_page_builds_and_every_item_links_to_its_entry(sample_site, sample_collection, lang):
    index_url = urls.page_url(urls.EXHIBITIONS, lang)
    index = html(sample_site, index_url)
    cards = index.select(".sc-exhibition-card")
    assert len(cards) == len(sample_collection.exhibitions)
    assert all(card.select_one("img") for card in cards), "covers on the index"
    for exhibition in sample_collection.exhibitions.values():
        stops = exhibitions.walk(sample_collection, exhibition)
        start = html(sample_site, urls.page_url(urls.exhibition(exhibition.id), lang))
        assert start.select_one("h1").get_text(strip=True) == exhibition.title.get(lang)
        rooms = start.select(".sc-exhibition-head ol.sc-room-cards > li")  # in the entrance, beside the cover
        counts = [li.select_one(".sc-room-card__number").get_text() for li in rooms]
        assert len(counts) == len(exhibition.rooms)
        assert all(str(len(room.items)) in count for room, count in zip(exhibition.rooms, counts))
        for number, (room, li) in enumerate(zip(exhibition.rooms, rooms), start=1):
            assert li.select_one(".sc-room-card__title").get_text(strip=True) == room.title.get(lang)
            assert resolve(urls.page_url(urls.exhibition(exhibition.id), lang), li.a["href"]) == urls.page_url(urls.exhibition_room(exhibition.id, number), lang)
            # a room shows its first picture, or its number when none of its items has one
            pictured = [s for s in stops if s.room_number == number and (s.kind == "media" or getattr(s.entry, "media", None))]
            assert bool(li.select_one("img")) == bool(pictured), (exhibition.id, number)
            if not pictured:
                assert li.select_one(".sc-room-card__image--none").get_text(strip=True) == str(number)
        located = exhibitions.located_entries(stops)
        assert bool(start.select(".sc-map")) == bool(located), "a map of the located items"
        assert page_file(sample_site, urls.page_url(urls.exhibition_guide(exhibition.id), lang)).is_file()
        for number in range(1, len(exhibition.rooms) + 1):
            room_url = urls.page_url(urls.exhibition_room(exhibition.id, number), lang)
            room = html(sample_site, room_url)
            for article in room.select("article.sc-exhibit"):
                link = article.select_one("h2 a")
                if link is None:
                    continue  # the exhibition's own image: nothing to link to
                target, fragment = urldefrag(resolve(room_url, link["href"]))
                assert page_file(sample_site, target).is_file(), target
                if fragment:
                    assert html(sample_site, target).find(id=fragment), (target, fragment)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_previous_and_next_walk_every_item_exactly_once_in_order(sample_site, sample_collection, lang):
    for exhibition in sample_collection.exhibitions.values():
        stops = exhibitions.walk(sample_collection, exhibition)
        start_url = urls.page_url(urls.exhibition(exhibition.id), lang)
        begin = html(sample_site, start_url).select_one("a.sc-visit-begin")["href"]
        url, seen = resolve(start_url, begin), []
        if "#" not in url:
            url += "#item-1"
        for _ in range(len(stops) + 2):
            page_url, anchor = urldefrag(url)
            if page_url == start_url:
                break
            article = html(sample_site, page_url).find(id=anchor)
            assert article is not None and article.name == "article", url
            seen.append(anchor)
            position = article.select_one(".sc-exhibit__position").get_text()
            number = int(anchor.split("-")[1])
            stop = stops[number - 1]
            assert str(stop.room_number) in position and str(stop.total) in position
            url = resolve(page_url, article.select_one("a.sc-step--next")["href"])
        assert seen == [f"item-{n}" for n in range(1, len(stops) + 1)], exhibition.id
        # and backwards from the last item
        page_url = urls.page_url(stops[-1].route, lang)
        url, back = page_url + "#" + stops[-1].anchor, []
        for _ in range(len(stops) + 2):
            page_url, anchor = urldefrag(url)
            if page_url == start_url:
                break
            back.append(anchor)
            article = html(sample_site, page_url).find(id=anchor)
            url = resolve(page_url, article.select_one("a.sc-step--prev")["href"])
        assert back == list(reversed(seen))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_page_names_the_exhibitions_that_show_it(sample_site, sample_collection, lang):
    case_url = urls.page_url(urls.case("changning-ningjuli"), lang)
    page = html(sample_site, case_url)
    links = page.select("ul.sc-shown-in a")
    assert [a.get_text(strip=True) for a in links] == [sample_collection.exhibitions["2024-excellent-cases"].title.get(lang)]
    target, anchor = urldefrag(resolve(case_url, links[0]["href"]))
    article = html(sample_site, target).find(id=anchor)
    assert article is not None and "changning-ningjuli" in article.select_one("h2 a")["href"]
    # a case in no exhibition says nothing
    alone = html(sample_site, urls.page_url(urls.case("yangpu-fuxingdao-innovation"), lang))
    assert not alone.select("ul.sc-shown-in")
    # a competition site too
    site = html(sample_site, urls.page_url(urls.site("2024-05-pengpu"), lang))
    assert len(site.select("ul.sc-shown-in a")) == 1


def test_an_unknown_reference_fails_the_build_with_file_and_line(tmp_path):
    content = copy_content(tmp_path)
    path = content / "exhibitions" / "2024-renminfang-competition.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("      - site: 2024-06-yichuan") + 1
    path.write_text(text.replace("      - site: 2024-06-yichuan", "      - site: 2024-06-yichuang"), encoding="utf-8")
    cover = content / "exhibitions" / "ten-year-retrospective.yaml"
    cover.write_text(cover.read_text(encoding="utf-8").replace("cover: placeholder-cover.jpg", "cover: cover.jpg"), encoding="utf-8")
    result = build(content, tmp_path / "site")
    assert result.returncode != 0 and not (tmp_path / "site").exists()
    log = result.stdout + result.stderr
    assert f"cases/exhibitions/2024-renminfang-competition.yaml:{line}: rooms[1].items[2].site" in log
    assert "there is no competition site with the id '2024-06-yichuang'" in log and "2024-06-yichuan" in log
    assert "没有编号为“2024-06-yichuang”的“人民坊”点位" in log
    assert "cases/exhibitions/ten-year-retrospective.yaml" in log and "'cover.jpg' is not in this exhibition's media: list" in log
    assert "Traceback" not in log


def test_an_item_must_show_exactly_one_thing(tmp_path):
    from generator.collection import load_collection

    content = copy_content(tmp_path)
    path = content / "exhibitions" / "ten-year-retrospective.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - milestone: 2022-guidance", "      - milestone: 2022-guidance\n        case: changning-ningjuli"), encoding="utf-8")
    collection, diagnostics = load_collection(content)
    assert collection is None
    (problem,) = [d for d in diagnostics if d.is_error]
    assert problem.file.endswith("ten-year-retrospective.yaml") and problem.line is not None
    assert "exactly one of case, site, milestone or media" in problem.message.en
