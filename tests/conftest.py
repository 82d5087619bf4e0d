from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The bundled sample content, built once for the whole session."""
    site = tmp_path_factory.mktemp("sample") / "site"
    result = build(ROOT / "cases", site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def sample_collection():
    from generator.collection import load_collection

    collection, diagnostics = load_collection(ROOT / "cases", display_root=ROOT)
    assert collection is not None, "\n".join(d.format("en") for d in diagnostics)
    return collection
