"""The date the exports and the downloads page carry: the content's, never the clock's. Files that
git holds unchanged count by their commit (a fresh clone's files all bear the time of the clone,
so two clones of the same commit made on different days must still give the same files)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.collection import load_collection
from generator.export import content_date
from tests.helpers import copy_content

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def stamp(day: str) -> float:
    return datetime.fromisoformat(day + "T12:00:00+00:00").timestamp()


def touch_all(folder: Path, when: float) -> None:
    for path in folder.rglob("*"):
        os.utime(path, (when, when))


def date_of(content: Path) -> str:
    collection, diagnostics = load_collection(content)
    assert collection is not None, [str(d) for d in diagnostics]
    return content_date(collection)


def git(repo: Path, *args: str, day: str = "2025-03-04") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_committed_content_is_dated_by_its_commit_not_by_when_it_was_checked_out(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = copy_content(tmp_path / "repo")
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "commit", "-q", "-m", "content")
    touch_all(content, stamp("2026-12-01"))  # as a clone made today would be
    assert date_of(content) == "2025-03-04"

    # a later commit of one case moves the date to that commit
    case = next((content / "excellent").glob("*.yaml"))
    case.write_text(case.read_text(encoding="utf-8") + "\n# 校对 / proofread\n", encoding="utf-8")
    git(tmp_path / "repo", "commit", "-q", "-am", "proofread", day="2025-05-06")
    touch_all(content, stamp("2026-12-01"))
    assert date_of(content) == "2025-05-06"

    # an edit not yet committed counts by the time it was saved
    case.write_text(case.read_text(encoding="utf-8") + "# 再校 / again\n", encoding="utf-8")
    os.utime(case, (stamp("2025-08-09"), stamp("2025-08-09")))
    assert date_of(content) == "2025-08-09"
    # and so does a file git does not hold
    milestone = next((content / "milestones").glob("*.yaml"))
    git(tmp_path / "repo", "rm", "-q", "--cached", str(milestone))
    os.utime(milestone, (stamp("2025-10-11"), stamp("2025-10-11")))
    assert date_of(content) == "2025-10-11"

def test_outside_git_the_newest_file_dates_the_content(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never the repository around tmp
    content = copy_content(tmp_path)
    touch_all(content, stamp("2024-01-02"))
    milestone = next((content / "milestones").glob("*.yaml"))
    os.utime(milestone, (stamp("2024-07-08"), stamp("2024-07-08")))
    assert date_of(content) == "2024-07-08"


def test_source_date_epoch_wins(tmp_path, monkeypatch):
    content = copy_content(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stamp("2023-09-10"))))
    assert date_of(content) == "2023-09-10"
