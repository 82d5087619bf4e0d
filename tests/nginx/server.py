"""The sample site served by a real nginx (Debian's nginx-light, installed by
`scripts/setup.sh --browser`) with the project's own `deploy/nginx.conf`: only the two lines it
marks for change (address, root) and the listening port are changed here, so what passes here is
what ships.

When the tests run as root (CI, a fresh machine), nginx's workers run as www-data, as on a
server: a site folder the build left unreadable to other users would answer 403 here."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import ROOT, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = ROOT / "deploy" / "nginx.conf"
ADDRESS_LINE = "server_name showcase.example.gov.cn;"
ROOT_LINE = "root /srv/showcase/site;"
INCLUDE_LINE = "include /srv/showcase/site/.deploy/nginx.conf;"


def shipped_config(site: Path, port: int) -> str:
    """deploy/nginx.conf with its marked lines filled in, each replaced exactly once."""
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in ((ADDRESS_LINE, "server_name 127.0.0.1;"), (ROOT_LINE, f"root {site};"),
                     (INCLUDE_LINE, f"include {site}/.deploy/nginx.conf;"),
                     ("listen 80;", f"listen 127.0.0.1:{port};"), ("listen [::]:80;", "")):
        assert text.count(old) == 1, f"deploy/nginx.conf should hold `{old}` once"
        text = text.replace(old, new)
    return text


@dataclass
class Served:
    url: str  # http://127.0.0.1:PORT/
    site: Path
    worker_user: str


@dataclass
class Response:
    status: int
    headers: dict  # lower-case names
    body: bytes


def get(url: str, headers: dict | None = None) -> Response:
    """One request, no redirect followed, the body as sent (not decompressed)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    parts = urllib.parse.urlsplit(url)
    url = parts._replace(path=urllib.parse.quote(parts.path, safe="/%")).geturl()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as answer:
        return Response(answer.code, {k.lower(): v for k, v in answer.headers.items()}, answer.read())


@contextlib.contextmanager
def nginx_serving(site: Path):
    """nginx serving `site` (copied into a folder other users can walk into, as /srv is, with the
    modes the build gave its files) with the shipped configuration; yields a Served. Also used by
    benchmarks/lighthouse.py."""
    if not Path(NGINX).exists():
        raise RuntimeError("nginx is missing: run scripts/setup.sh --browser (installs Debian's nginx-light)")
    public = Path(tempfile.mkdtemp(prefix="showcase-nginx-"))
    os.chmod(public, 0o755)
    served = public / "site"
    shutil.copytree(site, served, symlinks=True)
    work = Path(tempfile.mkdtemp(prefix="showcase-nginx-conf-"))
    port = free_port()
    as_root = os.geteuid() == 0
    user = "www-data" if as_root else pwd.getpwuid(os.geteuid()).pw_name
    temp_paths = "\n".join(f"    {name}_temp_path {work}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    shutil.copy("/etc/nginx/mime.types", work / "mime.types")  # `include mime.types` is relative to the configuration
    (work / "nginx.conf").write_text(f"""
{'user www-data;' if as_root else ''}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include mime.types;
    default_type application/octet-stream;
    access_log off;
{temp_paths}
{shipped_config(served, port)}
}}
""", encoding="utf-8")
    process = None
    try:
        check = subprocess.run([NGINX, "-t", "-p", str(work), "-e", str(work / "error.log"), "-c", str(work / "nginx.conf")],
                               capture_output=True, text=True)
        if check.returncode != 0 or "[warn]" in check.stderr:  # a duplicate MIME type, say
            raise RuntimeError(f"nginx -t: {check.stderr}")
        process = subprocess.Popen([NGINX, "-p", str(work), "-e", str(work / "error.log"), "-c", str(work / "nginx.conf"),
                                    "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 15
        while True:
            try:
                get(url)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(work / 'error.log').read_text(errors='replace') if (work / 'error.log').exists() else ''}")
                time.sleep(0.1)
        yield Served(url, served, user)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(public, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
