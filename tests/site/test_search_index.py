"""The search index the build writes (generator/search/): one per language, with the site, and a
failed indexing fails the build without touching the last good site."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.search.index import _UNUSED
from generator.search.records import INDEX_LANG, normal_query
from tests.helpers import build, copy_content, fetch, showcase_serve, wait_for


def entry(site: Path) -> dict:
    return json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def pages(site: Path, lang: str) -> list[Path]:
    found = []
    for path in site.rglob("index.html"):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("pagefind/") or relative.endswith("/guide/index.html"):
            continue  # the exhibitions' printable guides repeat their rooms: not indexed
        if (lang == "en") == (relative == "en/index.html" or relative.startswith("en/")):
            found.append(path)
    return found


def test_one_index_per_language_holding_every_page_milestone_and_glossary_term(sample_site, sample_collection):
    languages = entry(sample_site)["languages"]
    # the Chinese index is kept under "und" (records.INDEX_LANG: Pagefind must not segment its pairs)
    assert set(languages) == {INDEX_LANG["zh"], "en"}
    for lang in ("zh", "en"):
        # every page of the language, plus each milestone and each glossary term as a result of its own
        key = INDEX_LANG.get(lang, lang)
        assert languages[key]["page_count"] == (len(pages(sample_site, lang)) + len(sample_collection.milestones)
                                                + len(sample_collection.glossary)), lang
        assert (sample_site / "pagefind" / f"pagefind.{languages[key]['hash']}.pf_meta").is_file()
    chunks = sorted(p.name for p in (sample_site / "pagefind" / "index").iterdir())
    assert any(n.startswith(INDEX_LANG["zh"] + "_") for n in chunks) and any(n.startswith("en_") for n in chunks)
    assert (sample_site / "pagefind" / "filter").is_dir(), "filters (kind, district, year, case type) are indexed"


def test_pages_name_the_language_their_index_is_kept_under(sample_site):
    languages = set(entry(sample_site)["languages"])
    for lang in ("zh", "en"):
        for path in pages(sample_site, lang)[:40]:
            tag = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").html
            assert tag["lang"] == lang and INDEX_LANG.get(tag["lang"], tag["lang"]) in languages, path


def test_every_page_has_the_search_box_in_its_header(sample_site):
    for lang in ("zh", "en"):
        for path in pages(sample_site, lang):
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            box = soup.select_one("header.md-header .sc-search")
            assert box is not None, path
            bundle = (path.parent / box["data-bundle"]).resolve()
            assert bundle == (sample_site / "pagefind").resolve(), path
            assert (path.parent / box["data-root"]).resolve() == sample_site.resolve(), path
            labels = json.loads(box.select_one("script.sc-search__labels").string)
            assert labels["search_open"] == ("搜索" if lang == "zh" else "Search")


def test_the_glossary_names_are_in_the_bundle_for_the_search_box(sample_site, sample_collection):
    """pagefind/glossary-<lang>.json: each term with every name a reader may type (both languages,
    as the box compares them), its anchor on the glossary page, its name and its one sentence."""
    assert sample_collection.glossary, "the sample content has glossary terms"
    for lang in ("zh", "en"):
        data = json.loads((sample_site / "pagefind" / f"glossary-{lang}.json").read_text(encoding="utf-8"))
        terms = {t["url"]: t for t in data["terms"]}
        assert len(terms) == len(sample_collection.glossary)
        prefix = "/en" if lang == "en" else ""
        for term in sample_collection.glossary.values():
            shown = terms[f"{prefix}/glossary/#{term.id}"]
            assert shown["title"] == term.term.get(lang) and shown["excerpt"] == term.short.get(lang)
            assert set(shown["names"]) == {normal_query(name) for name in term.names()}
            assert all(name == name.strip().lower() and "“" not in name for name in shown["names"])
        # the anchors exist on the glossary page
        html = (sample_site / prefix.lstrip("/") / "glossary" / "index.html").read_text(encoding="utf-8")
        ids = {element.get("id") for element in BeautifulSoup(html, "html.parser").select("[id]")}
        assert {url.split("#", 1)[1] for url in terms} <= ids


def test_normal_query():
    assert normal_query("  “十全十美”  ") == "十全十美"
    assert normal_query("「人民坊」《一图三会》") == "人民坊一图三会"
    assert normal_query(" One  plan,\tthree ‘meetings’ ") == "one plan, three meetings"


def test_chinese_is_indexed_by_pairs_and_reads_back():
    from generator.search.records import query_pairs, split_han

    assert split_han("<p>社区生活圈</p>") == "<p> 社区^  区生^  生活^  活圈^  圈^ </p>"
    # a word split by inline markup is still one word; spaces beside Chinese are marked
    assert "民坊^" in split_han("<p><strong>人民</strong>坊</p>")
    assert split_han("<p>城桥镇 邻里</p>") == "<p> 城桥^  桥镇^  镇^^  邻里^  里^ </p>"
    assert split_han('<p class="x">E刻 and more</p>') == '<p class="x">E 刻^^ and more</p>'
    assert query_pairs("E刻生活圈") == "E 刻生 生活 活圈" and query_pairs("坊") == "坊"


def test_only_what_the_search_box_uses_is_published(sample_site):
    bundle = sample_site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert [name for name in _UNUSED if (bundle / name).exists()] == []
    assert not (bundle / "playground").exists()


def test_a_failed_indexing_fails_the_build_and_keeps_the_last_good_site(tmp_path, monkeypatch):
    content = copy_content(tmp_path)
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    # an edit that would change the site, then a Pagefind that cannot run
    case = next((content / "excellent").glob("*.yaml"))
    case.write_text(case.read_text(encoding="utf-8").replace("illustrative: true", "illustrative: false", 1), encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    result = build(content, site)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "搜索索引生成失败" in output and "search index failed" in output, output[-2000:]
    assert "Traceback" not in output

    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("binary", ["false", "crash"])
def test_a_pagefind_that_dies_is_reported_not_waited_for(tmp_path, binary):
    from generator.search.index import SearchIndexError, write_index
    from generator.search.records import Record

    if binary == "crash":
        script = tmp_path / "pagefind"
        script.write_text("#!/bin/sh\necho 'thread main panicked' >&2\nexit 101\n")
        script.chmod(0o755)
        path = str(script)
    else:
        path = "/bin/false"
    env = os.environ.copy()
    os.environ["PAGEFIND_BINARY_PATH"] = path
    try:
        record = Record(url="/x/", lang="zh", title="x", kind="page", body="<h1>x</h1>")
        with pytest.raises(SearchIndexError) as caught:
            write_index([record], tmp_path / "site", timeout=30)
    finally:
        os.environ.clear()
        os.environ.update(env)
    assert "Pagefind" in str(caught.value) and "search index failed" in str(caught.value)


def test_serve_rebuilds_the_index_with_the_pages(tmp_path):
    content = copy_content(tmp_path)
    with showcase_serve(content, tmp_path / "cache") as base:
        url = f"{base}pagefind/pagefind-entry.json"
        first = wait_for(lambda: fetch(url), 60)
        assert first, "mkdocs serve does not serve the search index"
        languages = json.loads(first)["languages"]
        zh = INDEX_LANG["zh"]  # the Chinese index's name (records.INDEX_LANG)
        assert set(languages) == {zh, "en"}
        # a new milestone: the index is rebuilt with the pages (one more record per language)
        milestone = content / "milestones" / "2022-guidance.yaml"
        text = milestone.read_text(encoding="utf-8")
        copy = text.replace("id: 2022-guidance", "id: serve-search-check", 1)
        assert copy != text
        (content / "milestones" / "serve-search-check.yaml").write_text(copy, encoding="utf-8")
        later = wait_for(lambda: (t := fetch(url)) and json.loads(t)["languages"][zh]["page_count"]
                         == languages[zh]["page_count"] + 1 and t, 90)
        assert later, "the index was not rebuilt after an edit"


def test_a_cut_short_index_file_fails_the_build_instead_of_the_search():
    """Pagefind once left wasm.unknown.pagefind empty, and CI once read an empty
    pagefind-entry.json: the Chinese search then failed only in the reader's browser, or the build
    died with a traceback. Such files now stop the build with a message in both languages."""
    import gzip

    from generator.search.index import SearchIndexError, _check, _check_files
    from generator.search.records import Record

    files = {"wasm.en.pagefind": gzip.compress(b"\0asm"), "pagefind.js": b""}
    _check_files(files)  # complete (and pagefind.js is not an index file): no complaint
    files["wasm.unknown.pagefind"] = b""
    with pytest.raises(SearchIndexError) as caught:
        _check_files(files)
    assert "wasm.unknown.pagefind" in str(caught.value) and "0 bytes" in str(caught.value)
    files["wasm.unknown.pagefind"] = gzip.compress(b"x" * 1000)[:20]
    with pytest.raises(SearchIndexError):
        _check_files(files)

    record = Record(url="/x/", lang="zh", title="x", kind="page", body="<h1>x</h1>")
    for entry in (None, b"", b"{}", b'{"languages": {"zh": {"page_count": 2}}}'):
        files = {} if entry is None else {"pagefind-entry.json": entry}
        with pytest.raises(SearchIndexError) as caught:
            _check([record], files)
        assert "搜索索引生成失败" in str(caught.value) and "search index failed" in str(caught.value)
    assert _check([record], {"pagefind-entry.json": b'{"languages": {"und": {"page_count": 1}}}'}) == {"zh": 1}
