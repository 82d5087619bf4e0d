"""The web editor (issue 19): Decap CMS's configuration generated from the content models and the
reference vocabularies (config.py, with hints.py and labels.py), and the files of `/admin/`
(admin.py). Nothing here is written by hand per field: a new model field without a mapping is an
error, see `config.UnmappedField`."""

from .admin import BUNDLE_DIR, EditorNotInstalled, admin_files, index_html
from .config import UnmappedField, build_config, dump_config, write_config

__all__ = ["BUNDLE_DIR", "EditorNotInstalled", "UnmappedField", "admin_files", "build_config", "dump_config",
           "index_html", "write_config"]
