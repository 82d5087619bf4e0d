"""Publishing the built site: its HTTP headers in one place (`headers.py`), turned into nginx
directives (`nginx.py`) and into the uploads of `showcase publish`."""

from .headers import DEPLOY_DIR, SiteHeaders, precompress

__all__ = ["DEPLOY_DIR", "SiteHeaders", "precompress"]
