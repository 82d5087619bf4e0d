"""An unexpected exception (a bug of ours) at either entry point: a short bilingual "internal
error" naming the file being processed and how to report it, the site left as it was, and a
result the test helpers refuse (exit code 70, a marker in the log)."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from generator.guard import INTERNAL_ERROR_EXIT, INTERNAL_ERROR_MARK, file_of, working_on
from tests.helpers import ROOT, copy_content

BROKEN = "changning-ningjuli.yaml"


class Bug(RuntimeError):
    pass


@pytest.fixture()
def buggy_validation(monkeypatch):
    """validate_entry fails, as a bug would, on one file."""
    import generator.collection as collection

    original = collection.validate_entry

    def validate(source, model):
        if source.path.name == BROKEN:
            raise Bug("unforeseen")
        return original(source, model)

    monkeypatch.setattr(collection, "validate_entry", validate)


def test_the_innermost_file_is_remembered_as_the_exception_unwinds():
    with pytest.raises(Bug) as caught:
        with working_on("cases"):
            with working_on("cases/excellent/x.yaml"):
                raise Bug("x")
    assert file_of(caught.value) == "cases/excellent/x.yaml"


def test_the_command_reports_an_internal_error_in_both_languages_with_the_file(tmp_path, buggy_validation, capsys, monkeypatch):
    from generator.cli import main

    monkeypatch.delenv("SHOWCASE_DEBUG", raising=False)
    content = copy_content(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--content", str(content), "--lang", "en"])
    assert exit_info.value.code == INTERNAL_ERROR_EXIT
    err = capsys.readouterr().err
    assert INTERNAL_ERROR_MARK in err and "Traceback" not in err
    assert "内部错误" in err and "internal error" in err
    assert f"正在处理的文件：cases/excellent/{BROKEN}" in err or f"excellent/{BROKEN}" in err
    assert f"file being processed: " in err and BROKEN in err
    assert "Bug: unforeseen" in err and "SHOWCASE_DEBUG=1" in err


def test_debug_mode_shows_the_traceback(tmp_path, buggy_validation, monkeypatch):
    from generator.cli import main

    monkeypatch.setenv("SHOWCASE_DEBUG", "1")
    with pytest.raises(Bug):
        main(["check", "--content", str(copy_content(tmp_path)), "--lang", "en"])


def _config(content, site, cache, monkeypatch):
    from mkdocs.config import load_config

    monkeypatch.setenv("SHOWCASE_CONTENT_DIR", str(content))
    monkeypatch.setenv("SHOWCASE_CACHE_DIR", str(cache))
    monkeypatch.delenv("SHOWCASE_DEBUG", raising=False)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["showcase"]
    plugin.config.downloads, plugin.config.search = [], False  # not what this test is about
    return config


def _last_good_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site", encoding="utf-8")
    return site


def test_the_build_stops_with_the_message_and_keeps_the_last_good_site(tmp_path, buggy_validation, monkeypatch, caplog):
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    site = _last_good_site(tmp_path)
    config = _config(copy_content(tmp_path), site, tmp_path / "cache", monkeypatch)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(config)
    log = caplog.text
    assert INTERNAL_ERROR_MARK in log and "内部错误" in log and "internal error" in log
    assert f"excellent/{BROKEN}" in log and "Bug: unforeseen" in log
    assert "网站没有改动" in log and "The site was not changed" in log
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the last good site"
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name], "no half-built folder is left behind"


def test_a_failure_while_a_page_is_made_names_the_entry_file(tmp_path, monkeypatch, caplog):
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    from generator.mkdocs_plugin import ShowcasePlugin

    original = ShowcasePlugin._page_context

    def page_context(self, context, spec, page, config):
        if spec is not None and spec.route == "cases/changning-ningjuli/":
            raise Bug("while making the page")
        return original(self, context, spec, page, config)

    monkeypatch.setattr(ShowcasePlugin, "_page_context", page_context)
    site = _last_good_site(tmp_path)
    config = _config(copy_content(tmp_path), site, tmp_path / "cache", monkeypatch)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(config)
    assert INTERNAL_ERROR_MARK in caplog.text and f"excellent/{BROKEN}" in caplog.text
    assert (site / "index.html").read_text(encoding="utf-8") == "the last good site"


def test_the_published_folder_is_readable_by_other_users(tmp_path, monkeypatch):
    """The site was swapped in from a mkdtemp folder (mode 0700): nginx running as www-data
    answered 403 for every page."""
    from mkdocs.commands.build import build

    old = os.umask(0o022)
    try:
        site = tmp_path / "site"
        build(_config(copy_content(tmp_path), site, tmp_path / "cache", monkeypatch))
    finally:
        os.umask(old)
    modes = {stat.S_IMODE(site.stat().st_mode)}
    for path in site.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o004, f"{path.relative_to(site)} is not readable by others ({oct(mode)})"
        if path.is_dir():
            assert mode & 0o001, f"{path.relative_to(site)} cannot be entered by others ({oct(mode)})"
        modes.add(mode)
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert modes <= {0o755, 0o644}, sorted(map(oct, modes))
