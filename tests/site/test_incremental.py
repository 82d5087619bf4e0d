"""Issue 17: a build that reuses what earlier builds made (page bodies, the theme's output of each
page, the search index) makes the same site, byte for byte, as a build from nothing.

A sequence of random edits (Hypothesis draws it) is applied to a copy of the project: a case's
title, summary or services changed, a case added, renamed or deleted, a label or a page template
changed, a photo caption changed. After each edit the site is built twice: on the caches of every
build before it, and cold (only the image copies are shared, so the photos are not re-encoded).
The two folders must hold the same files with the same bytes.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import ROOT



EDITS = ("title", "summary", "services", "add", "rename", "delete", "label", "template", "caption", "term")


def make_project(folder: Path) -> Path:
    """A copy of the project's configuration, templates, assets and sample content, with the
    downloads off (they have a cache of their own, tested elsewhere)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("site_templates", "assets", "cases"):
        shutil.copytree(ROOT / name, folder / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^(\s+downloads:).*$", r"\1 []", config, count=1, flags=re.M)
    config = config.replace("!ENV [SHOWCASE_CONTENT_DIR, cases]", "cases")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def mkdocs_build(project: Path, site: Path, cache: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SHOWCASE_CACHE_DIR": str(cache)}
    env.pop("SHOWCASE_CONTENT_DIR", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                            capture_output=True, text=True, env=env, cwd=project, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def differences(left: Path, right: Path) -> list[str]:
    out = []

    def walk(compare: filecmp.dircmp, prefix: str) -> None:
        out.extend(f"only in one: {prefix}{name}" for name in compare.left_only + compare.right_only)
        for name in compare.common_files:
            if (Path(compare.left) / name).read_bytes() != (Path(compare.right) / name).read_bytes():
                out.append(f"differs: {prefix}{name}")
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return out


def referenced_elsewhere(cases: Path, case_id: str, own: Path) -> bool:
    return any(case_id in path.read_text(encoding="utf-8") for path in cases.rglob("*.yaml") if path != own)


def apply(edit: str, project: Path, number: int, pick: int) -> str:
    """Make one edit; returns what it did (for the failure message)."""
    cases = project / "cases"
    excellent = sorted((cases / "excellent").glob("*.yaml"))
    path = excellent[pick % len(excellent)]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    if edit == "title":
        data_title = data["title"]["zh"]
        path.write_text(text.replace(data_title, f"{data_title}（第{number}次修改）", 1), encoding="utf-8")
        return f"title of {path.name}"
    if edit == "summary":
        summary = data["summary"]["en"]
        path.write_text(text.replace(summary.split()[0], f"Edited{number}", 1), encoding="utf-8")
        return f"summary of {path.name}"
    if edit == "services":
        from generator.content.reference import reference

        keys = [service.key for service in reference().services]
        data["services"] = data["services"][1:] if len(data["services"]) > 1 else keys[:2]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return f"services of {path.name}"
    if edit in ("add", "rename", "delete") and (edit == "add" or referenced_elsewhere(cases, data["id"], path)
                                                 or (path.with_suffix("")).is_dir()):
        new_id = f"added-case-{number}"
        data["id"] = new_id
        data.pop("media", None)
        data["title"] = {"zh": f"新增案例{number}", "en": f"Added case {number}"}
        (cases / "excellent" / f"{new_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return f"added {new_id}"
    if edit == "rename":
        new_id = f"{data['id']}-renamed"
        path.unlink()
        data["id"] = new_id
        (cases / "excellent" / f"{new_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return f"renamed {path.stem} -> {new_id}"
    if edit == "delete":
        path.unlink()
        return f"deleted {path.name}"
    if edit == "label":
        strings = project / "site_templates" / "strings.yaml"
        text = strings.read_text(encoding="utf-8")
        found = re.search(r"\n  zh: [^\n]+", text)
        strings.write_text(text[:found.end()] + str(number) + text[found.end():], encoding="utf-8")
        return "a label"
    if edit == "template":
        template = project / "site_templates" / "pages" / "case.html"
        template.write_text(template.read_text(encoding="utf-8") + f"\n<p>edit {number}</p>\n", encoding="utf-8")
        return "case.html"
    if edit == "term":  # a glossary term's explanation: the tooltip on every page that uses the term
        term = cases / "glossary" / "renminfang.yaml"
        term_text = term.read_text(encoding="utf-8")
        found = re.search(r"\nshort:\s*\n\s+zh: ([^\n]+)", term_text)
        term.write_text(term_text[:found.end(1)] + f"（{number}）" + term_text[found.end(1):], encoding="utf-8")
        return "the explanation of 人民坊"
    # caption: the first case with photos
    for other in excellent:
        other_text = other.read_text(encoding="utf-8")
        found = re.search(r"(\n\s+caption:\s*\n\s+zh: )([^\n]+)", other_text)
        if found:
            other.write_text(other_text[:found.end(2)] + f"（{number}）" + other_text[found.end(2):], encoding="utf-8")
            return f"a caption of {other.name}"
    return "nothing"


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.permutations(EDITS), st.lists(st.integers(0, 50), min_size=len(EDITS), max_size=len(EDITS)))
def test_incremental_builds_equal_cold_builds(tmp_path_factory, order, picks):
    """Every kind of edit, in a random order, three at a time (each build pair costs seconds)."""
    tmp = tmp_path_factory.mktemp("incremental")
    project = make_project(tmp / "project")
    warm_cache = tmp / "cache"
    mkdocs_build(project, tmp / "first", warm_cache)
    done = []
    steps = [list(zip(order, picks))[n:n + 3] for n in range(0, len(EDITS), 3)]
    for number, step in enumerate(steps, start=1):
        done += [apply(edit, project, number * 10 + n, pick) for n, (edit, pick) in enumerate(step)]
        warm_site, cold_site, cold_cache = tmp / f"warm-{number}", tmp / f"cold-{number}", tmp / f"cold-cache-{number}"
        mkdocs_build(project, warm_site, warm_cache)
        cold_cache.mkdir()
        shutil.copytree(warm_cache / "images", cold_cache / "images")  # photos are not what this test is about
        mkdocs_build(project, cold_site, cold_cache)
        different = differences(warm_site, cold_site)
        assert not different, f"after {done}: the incremental build differs from the cold one: {different[:20]}"
        shutil.rmtree(cold_site)
        shutil.rmtree(cold_cache)
        if number > 1:
            shutil.rmtree(tmp / f"warm-{number - 1}")


def test_nothing_changed_reuses_every_page(tmp_path):
    """A second build with nothing changed makes no page and no search index afresh (its log
    says so) and writes the same site."""
    project = make_project(tmp_path / "project")
    mkdocs_build(project, tmp_path / "one", tmp_path / "cache")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SHOWCASE_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "two")],
                            capture_output=True, text=True, env=env, cwd=project, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    pages = re.search(r"pages: (\d+), (\d+) unchanged", log)
    assert pages and pages.group(1) == pages.group(2), log[-3000:]
    output = re.search(r"page output: (\d+) unchanged", log)
    assert output and output.group(1) == pages.group(1), log[-3000:]
    assert "(unchanged, reused)" in log, log[-3000:]
    assert "images: 0 processed" in log, log[-3000:]
    assert not differences(tmp_path / "one", tmp_path / "two")
