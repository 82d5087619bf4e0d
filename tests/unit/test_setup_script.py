"""scripts/setup.sh decides what to install the same way every time: a package that is there is
never "missing" (under `set -o pipefail`, `fc-list | grep -q` failed whenever grep quit early and
the writer died of SIGPIPE: 12 runs in 20 said the CJK font was missing), and one that is missing
is always named. Nothing here runs apt-get: `--check-only` only prints the decision, and apt-get
and sudo are stubbed to fail loudly should anything call them."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT

SCRIPT = ROOT / "scripts" / "setup.sh"
RUNS = 20

# plenty of output after the line looked for, as on a machine with many fonts and libraries:
# a reader that stops at the first match leaves the writer blocked on a full pipe, then killed
FONTS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc: Noto Sans CJK SC,Noto Sans CJK SC Regular\n" + \
    "".join(f"/usr/share/fonts/truetype/other/Font{i}.ttf: Other Font {i}\n" for i in range(20000))
LIBRARIES = "\tlibpangoft2-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpangoft2-1.0.so.0\n" + \
    "".join(f"\tlibother{i}.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libother{i}.so.1\n" for i in range(20000))


def _stubs(tmp_path: Path, fonts: str, libraries: str) -> dict[str, str]:
    folder = tmp_path / "bin"
    folder.mkdir()
    (tmp_path / "fonts.txt").write_text(fonts)
    (tmp_path / "libraries.txt").write_text(libraries)
    calls = tmp_path / "calls.txt"
    scripts = {
        "fc-list": f"cat {tmp_path / 'fonts.txt'}",
        "ldconfig": f"cat {tmp_path / 'libraries.txt'}",
        "apt-get": f'echo "apt-get $*" >> {calls}; exit 1',
        "sudo": f'echo "sudo $*" >> {calls}; exit 1',
    }
    for name, body in scripts.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"}


def _decision(env: dict[str, str]) -> str:
    result = subprocess.run(["bash", str(SCRIPT), "--check-only"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_installed_packages_are_never_found_missing(tmp_path):
    env = _stubs(tmp_path, FONTS, LIBRARIES)
    decisions = [_decision(env) for _ in range(RUNS)]
    assert decisions == ["missing system packages: none"] * RUNS
    assert not (tmp_path / "calls.txt").exists()


@pytest.mark.parametrize("fonts, libraries, expected", [
    ("".join(f"/f/Font{i}.ttf: Other Font {i}\n" for i in range(5000)), LIBRARIES, "fonts-noto-cjk"),
    (FONTS, "".join(f"\tlibother{i}.so.1 => /lib/libother{i}.so.1\n" for i in range(5000)), "libpangoft2-1.0-0"),
    ("", "", "fonts-noto-cjk"),  # fc-list or ldconfig absent or silent
])
def test_missing_packages_are_always_named(tmp_path, fonts, libraries, expected):
    env = _stubs(tmp_path, fonts, libraries)
    for _ in range(5):
        assert expected in _decision(env)
    assert not (tmp_path / "calls.txt").exists()


def test_no_check_pipes_into_grep_q():
    """The race's shape anywhere in the script: `… | grep -q` (or -l, -m: any grep that may stop
    reading early) under pipefail."""
    text = SCRIPT.read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    assert "pipefail" in text
    assert not re.search(r"\|\s*grep\b[^|\n]*\s-[a-zA-Z]*[qlm]", code), "a pipe into grep -q can fail at random under pipefail"
    assert not re.search(r"\|\s*(head|grep\s+-m)\b", code)


def test_license_is_the_spdx_string_setuptools_reads_without_warnings():
    """`license = { text = "MIT" }` made setuptools print three deprecation banners on the first
    install; the SPDX string needs setuptools 77 or later to build."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    requires = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    assert requires and re.fullmatch(r"setuptools>=(\d+).*", requires[0]) and int(re.match(r"setuptools>=(\d+)", requires[0]).group(1)) >= 77
