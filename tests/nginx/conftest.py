"""The sample site behind a real nginx with the shipped configuration (tests/nginx/server.py)."""

from __future__ import annotations

import pytest

from tests.nginx.server import Served, nginx_serving


@pytest.fixture(scope="module")
def nginx_site(sample_site) -> Served:
    try:
        with nginx_serving(sample_site) as served:
            yield served
    except RuntimeError as exc:
        pytest.fail(str(exc))
