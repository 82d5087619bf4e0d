"""requirements/lock.txt is what scripts/setup.sh installs (`pip install --require-hashes -r`), so
it must name every package that pyproject.toml asks for, each pinned with `==` and its sha256
hashes, at a version that pyproject.toml allows; and the running venv must hold exactly those
versions. A dependency added to pyproject.toml without `make lock` (a stale lock), or a lock
refreshed without scripts/setup.sh (a stale venv), fails here. Reads files and the installed
packages' metadata only: no network, no pip."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from tests.helpers import ROOT

LOCK = ROOT / "requirements" / "lock.txt"
PYPROJECT = ROOT / "pyproject.toml"
MAKEFILE = ROOT / "Makefile"

PIN = re.compile(r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)==(?P<version>[^\s;\\]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")
STALE_LOCK = "pyproject.toml changed after the lock: run `make lock`"
STALE_VENV = "the venv is not the lock: run scripts/setup.sh (any make target runs it)"


@dataclass(frozen=True)
class Pin:
    version: str
    hashes: tuple[str, ...]
    line: int


def read_lock(text: str) -> tuple[dict[str, Pin], list[str]]:
    """The pins of a requirements file in the form uv and pip-compile write (`name==version \\`,
    then one `--hash=sha256:…` per continuation line, `# via` comments between), by PEP 503 name;
    and every line that is not such a pin (an option, a range, a URL, a marker, a missing hash)."""
    pins: dict[str, Pin] = {}
    problems: list[str] = []
    logical: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        code = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].rstrip()
        continued = code.endswith("\\")
        code = code.removesuffix("\\").strip()
        if pending is not None:
            pending = (pending[0], f"{pending[1]} {code}")
        elif code:
            pending = (number, code)
        if pending is not None and not continued:
            logical.append(pending)
            pending = None
    if pending is not None:
        logical.append(pending)
    for number, line in logical:
        first, *rest = line.split()
        match = PIN.fullmatch(first)
        if match is None:
            problems.append(f"line {number}: {first!r} is not `name==version`")
            continue
        bad = [token for token in rest if not HASH.fullmatch(token)]
        if bad:
            problems.append(f"line {number}: {match['name']}: {' '.join(bad)!r} is not a sha256 hash")
        if not rest:
            problems.append(f"line {number}: {match['name']}=={match['version']} has no --hash=sha256:")
        name = canonicalize_name(match["name"])
        if name in pins:
            problems.append(f"line {number}: {name} is pinned twice")
        pins[name] = Pin(match["version"], tuple(rest), number)
    return pins, problems


def declared(project: dict) -> list[tuple[str, Requirement]]:
    """What setup.sh installs from the lock: the runtime dependencies, the `test` extra (what
    `make test` needs) and the build backend (the project is built with --no-build-isolation)."""
    groups = {
        "dependencies": project["project"]["dependencies"],
        "optional-dependencies.test": project["project"]["optional-dependencies"]["test"],
        "build-system.requires": project["build-system"]["requires"],
    }
    return [(where, Requirement(text)) for where, texts in groups.items() for text in texts]


def declared_problems(project: dict, pins: dict[str, Pin]) -> list[str]:
    problems = []
    for where, requirement in declared(project):
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue  # not for this Python or platform
        name = canonicalize_name(requirement.name)
        pin = pins.get(name)
        if pin is None:
            problems.append(f"{requirement} ({where}) is not in the lock")
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{requirement} ({where}): the lock pins {pin.version}, outside {requirement.specifier}")
    return problems


def installed_distributions() -> dict[str, importlib.metadata.Distribution]:
    found: dict[str, importlib.metadata.Distribution] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(canonicalize_name(name), dist)  # the first on sys.path is the one imported
    return found


def installed_versions() -> dict[str, str]:
    return {name: dist.version for name, dist in installed_distributions().items()}


def venv_problems(pins: dict[str, Pin], installed: dict[str, str]) -> list[str]:
    problems = []
    for name, pin in sorted(pins.items()):
        have = installed.get(name)
        if have is None:
            problems.append(f"{name}=={pin.version} is not installed")
        elif _version(have) != _version(pin.version):
            problems.append(f"{name}: {have} installed, the lock pins {pin.version}")
    return problems


def closure_problems(project: dict, pins: dict[str, Pin],
                     installed: dict[str, importlib.metadata.Distribution]) -> list[str]:
    """Every package that a locked package needs (its installed metadata, the extras asked of it
    included: pagefind[extended] needs pagefind-bin-extended) is locked too, at a version it
    accepts: the lock holds every Python dependency, not only the direct ones."""
    wanted: dict[str, set[str]] = {}
    requirements = [requirement for _, requirement in declared(project)]
    for name in pins:
        for text in _requires(name, pins, installed):
            try:
                requirements.append(Requirement(text))
            except InvalidRequirement:
                continue
    for requirement in requirements:
        wanted.setdefault(canonicalize_name(requirement.name), set()).update(requirement.extras)
    problems = []
    for name in sorted(pins):
        for text in _requires(name, pins, installed):
            requirement = Requirement(text)
            extras = [""] + sorted(wanted.get(name, ()))
            if requirement.marker is not None and not any(requirement.marker.evaluate({"extra": e}) for e in extras):
                continue
            pin = pins.get(canonicalize_name(requirement.name))
            if pin is None:
                problems.append(f"{name} needs {requirement}, which is not in the lock")
            elif not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(f"{name} needs {requirement}; the lock pins {pin.version}")
    return problems


def _requires(name: str, pins: dict[str, Pin], installed: dict[str, importlib.metadata.Distribution]) -> list[str]:
    dist = installed.get(name)
    if dist is None or _version(dist.version) != _version(pins[name].version):
        return []  # a stale venv is reported by test_the_venv_holds_what_the_lock_pins
    return dist.requires or []


def _version(text: str) -> Version | str:
    try:
        return Version(text)
    except InvalidVersion:
        return text


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def _lock() -> dict[str, Pin]:
    assert LOCK.is_file(), f"{LOCK.relative_to(ROOT)} is missing: run `make lock`"
    pins, problems = read_lock(LOCK.read_text(encoding="utf-8"))
    assert not problems, "the lock is not a hashed pin of every package (run `make lock`):\n" + "\n".join(problems)
    return pins


def test_every_line_of_the_lock_is_a_pin_with_hashes():
    pins = _lock()
    assert len(pins) > 20
    assert all(pin.hashes for pin in pins.values())


def test_every_declared_requirement_is_locked_within_its_range():
    problems = declared_problems(_project(), _lock())
    assert not problems, STALE_LOCK + "\n" + "\n".join(problems)


def test_pip_is_locked_too():
    """setup.sh brings pip to the locked version before it installs the project: an unpinned
    `pip install --upgrade pip` made every install a little different."""
    assert "pip" in _lock()


def test_the_venv_holds_what_the_lock_pins():
    problems = venv_problems(_lock(), installed_versions())
    assert not problems, STALE_VENV + "\n" + "\n".join(problems)


def test_the_lock_holds_every_dependency_of_what_it_pins():
    problems = closure_problems(_project(), _lock(), installed_distributions())
    assert not problems, STALE_LOCK + "\n" + "\n".join(problems)


def test_the_header_says_how_to_refresh_and_which_uv_made_it():
    header = LOCK.read_text(encoding="utf-8").split("\n\n", 1)[0]  # the comment block before the pins
    assert header.startswith("#") and "make lock" in header
    uv = re.search(r"^UV_VERSION := (\S+)$", MAKEFILE.read_text(encoding="utf-8"), re.M)
    assert uv, "the Makefile's lock target pins uv"
    assert f"uv {uv[1]} " in header, "the lock was not made by `make lock` with the uv that the Makefile pins"


# The checks above catch what they are for: made-up locks and projects.

PROJECT = {
    "project": {"dependencies": ["mkdocs>=1.6,<2", "Jinja2>=3.1", "pywin32; sys_platform == 'win32'"],
                "optional-dependencies": {"test": ["pytest>=8"]}},
    "build-system": {"requires": ["setuptools>=77"]},
}
HASHES = "    --hash=sha256:" + "a" * 64 + " \\\n    --hash=sha256:" + "b" * 64 + "\n"


def _pins(text: str) -> dict[str, Pin]:
    pins, problems = read_lock(text)
    assert not problems
    return pins


def test_a_lock_in_uv_form_is_read_by_pep503_name():
    pins = _pins("# header\n\njinja2==3.1.6 \\\n" + HASHES + "    # via\n    #   mkdocs\n"
                 "MkDocs==1.6.1 \\\n" + HASHES + "pytest==9.2.0 \\\n" + HASHES + "setuptools==84.2.1 \\\n" + HASHES)
    assert set(pins) == {"jinja2", "mkdocs", "pytest", "setuptools"}
    assert pins["mkdocs"].version == "1.6.1" and len(pins["mkdocs"].hashes) == 2
    assert declared_problems(PROJECT, pins) == []


def test_a_stale_lock_fails():
    pins = _pins("jinja2==3.0.3 \\\n" + HASHES + "mkdocs==1.6.1 \\\n" + HASHES + "setuptools==84.2.1 \\\n" + HASHES)
    problems = declared_problems(PROJECT, pins)
    assert any(p.startswith("Jinja2>=3.1 ") and "3.0.3" in p for p in problems)
    assert any(p.startswith("pytest>=8 ") and "not in the lock" in p for p in problems)
    assert not any("pywin32" in p for p in problems)  # not for Linux


def test_unpinned_or_unhashed_lines_fail():
    _, problems = read_lock("mkdocs>=1.6\njinja2==3.1.6\n-e .\npytest==9.2.0 --hash=md5:abc\n"
                            "click==8.1.7 \\\n" + HASHES + "Click==8.1.8 \\\n" + HASHES)
    assert len(problems) == 5
    assert "mkdocs>=1.6" in problems[0] and "no --hash" in problems[1] and "'-e'" in problems[2]
    assert "md5" in problems[3] and "twice" in problems[4]


def test_a_stale_venv_fails():
    pins = _pins("jinja2==3.1.6 \\\n" + HASHES + "mkdocs==1.6.1 \\\n" + HASHES)
    assert venv_problems(pins, {"jinja2": "3.1.6", "mkdocs": "1.6.1"}) == []
    assert venv_problems(pins, {"jinja2": "3.1.5"}) == [
        "jinja2: 3.1.5 installed, the lock pins 3.1.6", "mkdocs==1.6.1 is not installed"]
