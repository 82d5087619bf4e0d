"""Run the `showcase` command the way staff do: the installed console script, in a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from generator.guard import INTERNAL_ERROR_EXIT
from tests.helpers import ROOT

SHOWCASE = Path(sys.executable).with_name("showcase")


def showcase(*args: str, lang: str | None = "zh", env: dict | None = None, input: str | None = None,
             cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "SHOWCASE_LANG")}
    environment["NO_MKDOCS_2_WARNING"] = "1"
    environment.update(env or {})
    command = [str(SHOWCASE), *args] + (["--lang", lang] if lang else [])
    result = subprocess.run(command, capture_output=True, text=True, env=environment, input=input, cwd=cwd, timeout=timeout)
    # an internal error (generator/guard.py) is a bug whatever the test expected of the command
    assert result.returncode != INTERNAL_ERROR_EXIT and "Traceback (most recent call last)" not in result.stderr, result.stderr[-4000:]
    return result


def check_json(content: Path, *paths: str, lang: str = "en") -> tuple[int, dict]:
    result = showcase("check", "--content", str(content), "--format", "json", *paths, lang=lang)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def tree_digest(folder: Path) -> str:
    """One fingerprint of every file's path and bytes: equal digests mean nothing was written."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
