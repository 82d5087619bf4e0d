"""`showcase edit`: the web editor and the live preview at one address.

    browser ── http://127.0.0.1:8000 ──┬─ /admin/   the editor's page (admin.py: Decap's bundle, config.yml)
                                       ├─ /api/v1   decap-server (the local backend), every save through writer.py
                                       └─ the rest  the live preview (`mkdocs serve`), with its error banner

One address for all three: the editor and its API share an origin (no cross-origin request) and
the editor's preview pane shows the preview's page of the entry (admin/preview.js), where the
project's own checks (a duplicate id, an unknown reference, a photo too small) appear in the
preview's banner a moment after saving. decap-server and `mkdocs serve` listen on free ports of
127.0.0.1 that only this server talks to. Nothing here is sent anywhere else.
"""

from __future__ import annotations

import http.client
import http.server
import json
import mimetypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import writer
from .admin import EDITOR_DIR

API = "/api/v1"
ADMIN = "/admin/"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host", "content-length"}
MIN_NODE = 18  # decap-server 3 needs Node 18 or newer


class EditorError(RuntimeError):
    """Something `showcase edit` cannot go on without; the message says what to do, in both languages."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def node_version(node: str | None = None) -> int:
    """Node's major version; EditorError when Node (or npm) is missing or too old."""
    node = node or shutil.which("node") or shutil.which("nodejs")
    if not node or not shutil.which("npm"):
        raise EditorError("编辑器需要 Node.js 和 npm：请运行 `sudo apt-get install nodejs npm`（或 scripts/setup.sh --editor）\n"
                          "the editor needs Node.js and npm: run `sudo apt-get install nodejs npm` (or scripts/setup.sh --editor)")
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    try:
        major = int(out.lstrip("v").split(".")[0])
    except ValueError:
        raise EditorError(f"无法读取 Node.js 的版本（{out!r}） · cannot read Node.js's version ({out!r})") from None
    if major < MIN_NODE:
        raise EditorError(f"Node.js {out} 太旧，编辑器需要 {MIN_NODE} 或更新的版本 · Node.js {out} is too old: the editor needs {MIN_NODE} or newer")
    return major


def install(editor_dir: Path = EDITOR_DIR, say=print) -> None:
    """`npm ci` in editor/ when its packages are missing or the lock changed since they were
    installed: the checksum of package-lock.json kept in node_modules, the stamp scripts/setup.sh
    reads and writes too."""
    import hashlib

    stamp = editor_dir / "node_modules" / ".showcase-lock.sha256"
    wanted = hashlib.sha256((editor_dir / "package-lock.json").read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text().strip() == wanted:
        return
    say("正在安装编辑器（npm ci，第一次约需一分钟）… · installing the editor (npm ci, about a minute the first time)…")
    result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=editor_dir,
                            capture_output=True, text=True)
    if result.returncode:
        raise EditorError("安装编辑器失败（npm ci） · installing the editor failed (npm ci):\n" + (result.stderr or result.stdout)[-2000:])
    stamp.write_text(wanted + "\n")


@dataclass
class Backends:
    decap: str  # host:port of decap-server
    preview: str  # host:port of `mkdocs serve`


class Handler(http.server.BaseHTTPRequestHandler):
    server: "EditorServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # the terminal is for the user's messages
        pass

    # --- routing ----------------------------------------------------------------------------
    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == ADMIN.rstrip("/"):
            self._reply(301, b"", {"Location": ADMIN})
        elif path.startswith(ADMIN):
            self._admin(path)
        else:
            self._forward(self.server.backends.preview)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        if urlsplit(self.path).path == API:
            self._api()
        else:
            self._forward(self.server.backends.preview)

    def do_OPTIONS(self) -> None:
        self._reply(204, b"", {"Allow": "GET, HEAD, POST, OPTIONS"})

    # --- the editor's files -----------------------------------------------------------------
    def _admin(self, path: str) -> None:
        name = unquote(path[len(ADMIN):]) or "index.html"
        root = self.server.admin_dir.resolve()
        target = (root / name).resolve()
        if root not in target.parents or not target.is_file():
            self._reply(404, "没有这个文件 · not found".encode(), {"Content-Type": "text/plain; charset=utf-8"})
            return
        kind = {".yml": "text/yaml", ".wasm": "application/wasm"}.get(target.suffix) or mimetypes.guess_type(target.name)[0]
        headers = {"Content-Type": f"{kind or 'application/octet-stream'}"
                   + ("; charset=utf-8" if (kind or "").startswith(("text/", "application/javascript")) else ""),
                   "Cache-Control": "no-cache"}
        self._reply(200, target.read_bytes(), headers)

    # --- decap-server, with the project's writer in between -------------------------------
    def _api(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = None
        action = request.get("action") if isinstance(request, dict) else None
        if action == "persistEntry":
            body = json.dumps(self.server.on_save(request)).encode()
        status, headers, answer = self._call(self.server.backends.decap, "POST", API, body,
                                             {"Content-Type": "application/json"})
        if status == 200 and action in ("entriesByFolder", "entriesByFiles", "getEntry"):
            answer = json.dumps(self.server.on_read(json.loads(answer))).encode()
        self._reply(status, answer, {"Content-Type": headers.get("Content-Type", "application/json")})

    # --- the live preview -----------------------------------------------------------------
    def _forward(self, backend: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if self.command == "POST" else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        status, answer_headers, answer = self._call(backend, self.command, self.path, body, headers)
        self._reply(status, answer, {k: v for k, v in answer_headers.items() if k.lower() not in HOP_BY_HOP})

    def _call(self, backend: str, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, dict, bytes]:
        host, port = backend.rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=300)  # MkDocs' reload check waits up to a minute
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except OSError as exc:
            message = f"预览或编辑服务尚未就绪，请稍候刷新 · the preview or the editor's service is not ready yet: reload in a moment ({exc})"
            return 502, {"Content-Type": "text/plain; charset=utf-8"}, message.encode()
        finally:
            connection.close()

    def _reply(self, status: int, body: bytes, headers: dict) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class EditorServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], admin_dir: Path, repo_dir: Path, config: dict, backends: Backends):
        super().__init__(address, Handler)
        self.admin_dir, self.repo_dir, self.backends = admin_dir, repo_dir, backends
        self.shapes = {c["folder"]: writer.shape_of(c["fields"]) for c in config["collections"] if "folder" in c}
        self.shapes.update({f["file"]: writer.shape_of(f["fields"]) for c in config["collections"] for f in c.get("files", [])})

    def shape_for(self, path: str) -> writer.Shape | None:
        """The Shape of the collection a repository path (cases/excellent/x.yaml) belongs to."""
        if path in self.shapes:
            return self.shapes[path]
        return self.shapes.get(path.rsplit("/", 1)[0]) if "/" in path else None

    def on_save(self, request: dict) -> dict:
        """Every file of a save, written as the project writes (writer.rewrite) instead of as sent."""
        params = request.get("params") or {}
        files = [params.get("entry")] + list(params.get("dataFiles") or [])
        for data_file in files:
            if not isinstance(data_file, dict) or not isinstance(data_file.get("raw"), str):
                continue
            path = str(data_file.get("path") or "")
            shape = self.shape_for(path)
            target = (self.repo_dir / path).resolve()
            if shape is None or self.repo_dir.resolve() not in target.parents:
                continue
            current = target.read_text(encoding="utf-8") if target.is_file() else None
            data_file["raw"] = writer.rewrite(data_file["raw"], current, shape)
        return request

    def on_read(self, answer: Any) -> Any:
        """Entries as the form reads them (writer.for_the_form)."""
        entries = answer if isinstance(answer, list) else [answer]
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("data"), str):
                shape = self.shape_for(str((entry.get("file") or {}).get("path") or ""))
                if shape is not None:
                    entry["data"] = writer.for_the_form(entry["data"], shape)
        return answer


def wait_for(address: str, seconds: float = 120, process: subprocess.Popen | None = None) -> None:
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise EditorError(f"后台服务意外退出（{' '.join(map(str, process.args))}） · a background service stopped ({process.returncode})")
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise EditorError(f"后台服务 {address} 没有在 {seconds:.0f} 秒内启动 · {address} did not start within {seconds:.0f} s")


def start_decap_server(repo_dir: Path, port: int, mode: str = "fs") -> subprocess.Popen:
    script = EDITOR_DIR / "node_modules" / "decap-server" / "dist" / "index.js"
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(repo_dir),
           "MODE": mode, "LOG_LEVEL": "warn"}
    return subprocess.Popen([shutil.which("node") or "node", str(script)], env=env, cwd=repo_dir,
                            stdout=subprocess.DEVNULL, stderr=None)  # its warnings and errors reach the terminal


def start_preview(project, port: int) -> subprocess.Popen:
    """`mkdocs serve` on a port of its own. Its messages (a content error, a rebuild) reach the
    terminal, except the one giving that port: the address to open is this server's."""
    from ..cli.project import environment_for

    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project.config_file)]
    process = subprocess.Popen(command, env=environment_for(project), cwd=project.root, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")

    def relay() -> None:
        for line in process.stderr:
            if f"127.0.0.1:{port}" not in line:
                sys.stderr.write(line)

    threading.Thread(target=relay, daemon=True).start()
    return process


def stop(*processes: subprocess.Popen | None) -> None:
    for process in processes:
        if process is not None and process.poll() is None:
            process.terminate()
    for process in processes:
        if process is not None:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run(project, address: str = "127.0.0.1:8000", open_browser: bool = False, mode: str = "fs",
        say=print) -> int:
    """Install what is missing, start decap-server and the preview, serve until Ctrl+C (or SIGTERM)."""
    from .admin import admin_files
    from .config import build_config

    node_version()
    install(say=say)
    host, port = address.rsplit(":", 1)
    repo_dir = project.content_dir.parent
    options = {"local_backend": f"http://{address}{API}", "content_dir": project.content_dir.name}
    admin_dir = project.root / ".cache" / "editor" / "admin"
    admin_files(admin_dir, **options)
    decap_port, preview_port = free_port(), free_port()
    decap = preview = None
    try:
        decap = start_decap_server(repo_dir, decap_port, mode)
        preview = start_preview(project, preview_port)
        server = EditorServer((host, int(port)), admin_dir, repo_dir, build_config(**options),
                              Backends(f"127.0.0.1:{decap_port}", f"127.0.0.1:{preview_port}"))
        wait_for(f"127.0.0.1:{decap_port}", process=decap)
        say(f"编辑器：http://{address}{ADMIN} · 预览：http://{address}/ （按 Ctrl+C 停止）\n"
            f"editor: http://{address}{ADMIN} · preview: http://{address}/ (Ctrl+C stops)")
        if open_browser:
            import webbrowser

            threading.Timer(1.0, webbrowser.open, [f"http://{address}{ADMIN}"]).start()
        previous = signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.server_close()
        return 0
    finally:
        stop(decap, preview)
