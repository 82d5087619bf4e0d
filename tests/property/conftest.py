from __future__ import annotations

from pathlib import Path

import pytest

from .pipeline import small_jpeg


@pytest.fixture(scope="session")
def property_workspace(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(a scratch folder, the small JPEG every entry shows, an image cache shared by every example,
    so each example encodes nothing)."""
    root = tmp_path_factory.mktemp("property")
    image = root / "image.jpg"
    small_jpeg(image)
    return root, image, root / "cache"
