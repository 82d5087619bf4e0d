"""The web editor (issue 19): Decap CMS's configuration generated from the content models and the
reference vocabularies (config.py, with hints.py and labels.py), the files of `/admin/`
(admin.py), `showcase edit`'s server (server.py: the editor, decap-server and the live preview at
one address) and the writer every save goes through (writer.py: the file's comments, order and
quoting kept). Nothing here is written by hand per field: a new model field without a mapping is an
error, see `config.UnmappedField`."""

from .admin import BUNDLE_DIR, EditorNotInstalled, admin_files, index_html
from .config import UnmappedField, build_config, dump_config, write_config

__all__ = ["BUNDLE_DIR", "EditorNotInstalled", "UnmappedField", "admin_files", "build_config", "dump_config",
           "index_html", "write_config"]
