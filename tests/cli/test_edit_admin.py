"""`showcase edit-admin DIR`: the editor's page for an office sharing one repository on its own
Gitea or Forgejo server (editor/README.md, "For an office")."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml
from click.testing import CliRunner

from tests.cli.helpers import showcase, tree_digest
from tests.helpers import ROOT

EDITOR = ROOT / "editor"
MODULES = EDITOR / "node_modules"
INSTALLED = (MODULES / "decap-cms" / "dist" / "decap-cms.js").is_file()
needs_editor = pytest.mark.skipif(not INSTALLED, reason="editor/node_modules is missing (run `npm ci` in editor/; CI does)")

SERVER = "https://git.example.gov.cn"
OFFICE = ["--gitea-url", SERVER + "/", "--repo", "xuanchuan/showcase", "--app-id", "0a1b2c3d-4e5f-6789-abcd-ef0123456789"]


def config_of(folder) -> dict:
    return yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))


@needs_editor
def test_writes_the_office_editor(tmp_path):
    admin = tmp_path / "admin"
    result = showcase("edit-admin", str(admin), *OFFICE, "--site-url", "https://showcase.example.gov.cn", lang="en")
    assert result.returncode == 0, result.stderr
    assert "redirect URI" in result.stdout and "HTTPS" in result.stdout and "[cors]" in result.stdout

    config = config_of(admin)
    assert config["backend"] == {"name": "gitea", "repo": "xuanchuan/showcase", "branch": "main", "base_url": SERVER,
                                 "api_root": SERVER + "/api/v1", "app_id": "0a1b2c3d-4e5f-6789-abcd-ef0123456789"}
    assert config["publish_mode"] == "simple"
    assert "local_backend" not in config  # nobody's own computer: every save goes to the server
    assert config["site_url"] == config["display_url"] == "https://showcase.example.gov.cn/"
    assert config["locale"] == "zh_Hans"
    assert {c["name"]: c.get("folder") for c in config["collections"]}["excellent"] == "cases/excellent"

    # the page loads Decap from its own folder, never from a CDN
    page = (admin / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources == ["decap-cms.js", "preview.js"]
    assert "//" not in page.replace("http://www.w3.org", "")  # no address of another host
    assert (admin / "decap-cms.js").stat().st_size == (MODULES / "decap-cms" / "dist" / "decap-cms.js").stat().st_size
    assert (admin / "preview.js").is_file()

    # written again over itself (the next deploy): fine, and the same files
    before = tree_digest(admin)
    again = showcase("edit-admin", str(admin), *OFFICE, "--site-url", "https://showcase.example.gov.cn", lang="zh")
    assert again.returncode == 0, again.stderr
    assert "重定向 URI" in again.stdout
    assert tree_digest(admin) == before


@needs_editor
def test_forgejo_with_the_editorial_workflow(tmp_path):
    admin = tmp_path / "admin"
    result = showcase("edit-admin", str(admin), *OFFICE, "--forge", "forgejo", "--workflow", "--branch", "published",
                      lang="en")
    assert result.returncode == 0, result.stderr
    config = config_of(admin)
    assert config["backend"]["name"] == "forgejo"
    assert config["backend"]["api_root"] == SERVER + "/api/v1"  # the Forgejo backend logs in at api_root minus /api/v1
    assert config["backend"]["branch"] == "published"
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: Decap's schema check needs Node.js")
    done = subprocess.run([node, str(EDITOR / "validate-config.mjs"), str(admin / "config.yml")], capture_output=True,
                          text=True, timeout=120)
    assert json.loads(done.stdout)["valid"], done.stdout


@needs_editor
def test_the_facts_behind_the_refusal():
    """What the command relies on, read from the installed Decap: the Gitea backend refuses the
    editorial workflow when it starts, the Forgejo backend has it, and the bundle registers both.
    When a new Decap changes this, this test says so (and the refusal can go)."""
    gitea = (MODULES / "decap-cms-backend-gitea" / "src" / "implementation.tsx").read_text(encoding="utf-8")
    assert "The Gitea backend does not support editorial workflow." in gitea
    forgejo = (MODULES / "decap-cms-backend-forgejo" / "src" / "implementation.tsx").read_text(encoding="utf-8")
    assert "editorialWorkflowGit" in forgejo and "does not support editorial workflow" not in forgejo
    extensions = (MODULES / "decap-cms-app" / "src" / "extensions.js").read_text(encoding="utf-8")
    assert "CMS.registerBackend('gitea', GiteaBackend)" in extensions
    assert "CMS.registerBackend('forgejo', ForgejoBackend)" in extensions


@pytest.mark.parametrize("lang, words", [
    ("zh", ["Gitea 后端不支持编辑流程", "去掉 --workflow", "--forge forgejo"]),
    ("en", ["Gitea backend does not support the editorial workflow", "leave out --workflow", "--forge forgejo"]),
])
def test_the_workflow_on_gitea_is_refused(tmp_path, lang, words):
    admin = tmp_path / "admin"
    result = showcase("edit-admin", str(admin), *OFFICE, "--workflow", lang=lang)
    assert result.returncode == 2
    for word in words:
        assert word in result.stderr
    assert not admin.exists()  # nothing written


@pytest.mark.parametrize("option, value, zh, en", [
    ("--gitea-url", "git.example.gov.cn", "不是网址", "is not a web address"),
    ("--gitea-url", "ftp://git.example.gov.cn", "不是网址", "is not a web address"),
    ("--gitea-url", "https://admin:secret@git.example.gov.cn", "不是网址", "is not a web address"),
    ("--gitea-url", "https://git.example.gov.cn:99999", "不是网址", "is not a web address"),
    ("--repo", "https://git.example.gov.cn/xuanchuan/showcase.git", "所有者/仓库名", "owner/name"),
    ("--repo", "showcase", "所有者/仓库名", "owner/name"),
    ("--app-id", " ", "客户端 ID", "client ID"),
    ("--branch", "my branch", "分支名", "branch name"),
    ("--site-url", "showcase.example.gov.cn", "不是网址", "is not a web address"),
])
def test_a_bad_value_is_a_bilingual_usage_error(tmp_path, option, value, zh, en):
    admin = tmp_path / "admin"
    arguments = {**dict(zip(OFFICE[::2], OFFICE[1::2])), option: value}
    flat = [item for pair in arguments.items() for item in pair]
    for lang, words in (("zh", zh), ("en", en)):
        result = showcase("edit-admin", str(admin), *flat, lang=lang)
        assert result.returncode == 2, result.stdout
        assert words in result.stderr and option in result.stderr
    assert not admin.exists()


def test_a_missing_option_is_named(tmp_path):
    result = showcase("edit-admin", str(tmp_path / "admin"), "--gitea-url", SERVER, "--repo", "a/b", lang="en")
    assert result.returncode == 2 and "--app-id" in result.stderr


def test_never_over_the_site_or_the_project(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>首页</title>", encoding="utf-8")
    for lang, words in (("zh", "已有别的 index.html"), ("en", "already holds another index.html")):
        result = showcase("edit-admin", str(site), *OFFICE, lang=lang)
        assert result.returncode == 2 and words in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    for folder in (ROOT, ROOT / "cases", ROOT / "cases" / "admin"):
        result = showcase("edit-admin", str(folder), *OFFICE, lang="en")
        assert result.returncode == 2 and "the project or the content folder" in result.stderr
    assert not (ROOT / "cases" / "admin").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_the_editors_packages(tmp_path, monkeypatch, lang):
    """editor/node_modules missing (npm ci not run): the message of EditorNotInstalled, both
    languages, exit 1, no traceback and nothing written."""
    from generator.cli import build_cli
    from generator.editor import admin

    def missing(bundle_dir=admin.BUNDLE_DIR):
        raise admin.EditorNotInstalled(bundle_dir / admin.BUNDLE)

    monkeypatch.setattr(admin, "bundle_files", missing)
    target = tmp_path / "admin"
    result = CliRunner().invoke(build_cli(lang), ["edit-admin", str(target), *OFFICE, "-f", str(ROOT / "mkdocs.yml")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "npm ci" in result.output and "没有找到编辑器的程序文件" in result.output and "the editor's files are missing" in result.output
    assert not target.exists()


def test_both_commands_are_listed():
    result = showcase("--help", lang="en")
    assert "  edit " in result.stdout and "  edit-admin " in result.stdout
    help_zh = showcase("edit-admin", "--help", lang="zh")
    assert help_zh.returncode == 0 and "OAuth2" in help_zh.stdout and "--forge" in help_zh.stdout
