"""The web editor (issue 19), driven as a member of staff would: `showcase edit` on a private copy
of the content (a git repository, for `git diff`), Decap CMS in Chromium, in local mode.

- a new case with two photos, made in the form: its YAML and photos land where the project
  expects them, the file passes `showcase check`, and its page is built in both languages;
- an existing case's English title changed in the form: `git diff` shows that one line (the
  file's comments, key order and quoting are kept: generator/editor/writer.py);
- a required field left empty: the form refuses to save, and nothing is written;
- a mistake only the project can see (a competition site numbered like another): the preview's
  banner says so, within seconds of saving;
- no request leaves 127.0.0.1 through all of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from generator.editor.admin import BUNDLE_DIR, BUNDLE
from tests.helpers import ROOT, copy_content

CASE_ID = "xuhui-test-garden"
EDITED = "changning-ningjuli"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args], cwd=repo,
                          capture_output=True, text=True, check=True).stdout


def _wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    if not (BUNDLE_DIR / BUNDLE).is_file() or not shutil.which("node"):
        pytest.fail("the editor is not installed: run scripts/setup.sh --browser (Node.js, npm ci in editor/)")
    repo = tmp_path_factory.mktemp("office")
    content = copy_content(repo)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "content")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SHOWCASE_CACHE_DIR": str(repo / ".cache")}
    log = open(repo.parent / "edit.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "edit", "--content", str(content),
                                "-a", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/admin/")
        _wait_for(base + "/")  # the preview has built
        yield {"base": base, "repo": repo, "content": content, "log": repo.parent / "edit.log"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def outside():
    return []


@pytest.fixture
def page(browser, editor, outside):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    base = editor["base"]
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else outside.append(r.url))
    page.goto(base + "/admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("优秀案例 Excellent cases").first.wait_for()
    yield page
    context.close()


def field(page, *labels: str):
    """The input of the field labelled labels[-1] that follows labels[0], labels[1]… in the
    form (Decap numbers its inputs; the labels are the project's, from the models)."""
    element_id = page.wait_for_function("""labels => {
        let at = 0;
        for (const label of document.querySelectorAll('label')) {
            if (label.textContent.trim().startsWith(labels[at])) { at += 1; if (at === labels.length) return label.htmlFor; }
        }
        return null; }""", arg=list(labels), timeout=20_000).json_value()
    return page.locator(f"[id='{element_id}']")


def choose(page, locator, text: str) -> None:
    locator.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def publish(page) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()


def test_a_new_case_with_two_photos(page, editor):
    page.goto(editor["base"] + "/admin/#/collections/excellent/new")
    field(page, "编号").fill(CASE_ID)
    field(page, "案例名称", "中文").fill("测试花园")
    choose(page, field(page, "区 District"), "徐汇")
    field(page, "入选年份").fill("2025")
    choose(page, field(page, "案例类型"), "人民坊")
    field(page, "摘要", "中文").fill("一个用表单新建的案例。")
    for number, photo in enumerate(["photo-1.jpg", "photo-2.jpg"], start=1):
        page.get_by_role("button", name="新增照片和视频").click()
        item_file = page.locator("label", has_text="文件名 File").last.locator("xpath=../..")  # the new item's photo
        item_file.get_by_role("button", name="选择图片").click()
        source = editor["repo"].parent / photo
        from PIL import Image

        Image.new("RGB", (1600, 1200), (120 + 40 * number, 160, 100)).save(source, quality=85)
        page.locator("input[type=file]").first.set_input_files(str(source))
        page.get_by_text(photo).first.wait_for()
        page.get_by_role("button", name="选用已选中项目").click()
    publish(page)
    path = editor["content"] / "excellent" / f"{CASE_ID}.yaml"
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["id"] == CASE_ID and data["title"] == {"zh": "测试花园"} and data["district"] == "xuhui"
    assert data["year"] == 2025 and data["types"] == ["renminfang"] and data["summary"] == {"zh": "一个用表单新建的案例。"}
    assert [m["file"] for m in data["media"]] == ["photo-1.jpg", "photo-2.jpg"]  # bare names, as the project writes them
    for photo in ["photo-1.jpg", "photo-2.jpg"]:
        assert (editor["content"] / "excellent" / CASE_ID / photo).is_file()  # in the entry's own folder
    assert "null" not in path.read_text(encoding="utf-8") and '""' not in path.read_text(encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "generator.cli", "check", "--content", str(editor["content"])],
                           cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert check.returncode == 0, check.stdout + check.stderr
    # the preview builds the case's page in both languages, with both photos
    for prefix in ["", "en/"]:
        url = f"{editor['base']}/{prefix}cases/{CASE_ID}/"
        _wait_for(url, 60)
        html = urllib.request.urlopen(url).read().decode()
        assert "测试花园" in html and "photo-1" in html and "photo-2" in html, prefix


def test_changing_an_english_title_is_a_one_line_diff(page, editor):
    page.goto(editor["base"] + f"/admin/#/collections/excellent/entries/{EDITED}")
    title = field(page, "案例名称", "中文", "英文")
    title.wait_for()
    title.fill("Ningjuli: one home for Party and community services")
    publish(page)
    deadline = time.monotonic() + 30
    diff = ""
    while time.monotonic() < deadline and not diff:
        diff = _git(editor["repo"], "diff", "--unified=0", "--", f"cases/excellent/{EDITED}.yaml")
        time.sleep(0.2)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-  en: Ningjuli Party and community service centres",
                       "+  en: 'Ningjuli: one home for Party and community services'"], diff


def test_an_empty_required_field_stops_the_save(page, editor):
    page.goto(editor["base"] + "/admin/#/collections/excellent/new")
    field(page, "编号").fill("xuhui-no-title")
    choose(page, field(page, "区 District"), "徐汇")
    publish(page)
    page.get_by_text("必填").first.wait_for()
    assert page.get_by_text("“中文 CHINESE”是必填项").count() + page.get_by_text("是必填项").count() > 0
    time.sleep(1)
    assert not (editor["content"] / "excellent" / "xuhui-no-title.yaml").exists()


def test_what_only_the_project_can_check_shows_in_the_preview_within_seconds(page, editor):
    """Site 5 numbered 4, like site 4: the form cannot know; the preview's banner says it."""
    page.goto(editor["base"] + "/admin/#/collections/competition/entries/2024-05-pengpu")
    number = field(page, "序号")
    number.wait_for()
    number.fill("4")
    publish(page)
    saved = time.monotonic()
    preview = page.frame_locator("iframe").frame_locator("iframe[data-sc-preview]")
    preview.locator(".sc-serve-errors").wait_for(timeout=30_000)
    seconds = time.monotonic() - saved
    text = preview.locator(".sc-serve-errors").inner_text()
    assert "2024-05-pengpu" in text and "number" in text, text
    assert seconds < 15, f"the banner came {seconds:.1f} s after saving"
    print(f"banner {seconds:.1f} s after saving")


def test_nothing_left_the_machine(outside):
    assert outside == []
