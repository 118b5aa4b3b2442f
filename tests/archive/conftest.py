"""The object stores the shared contract suite runs on: the embedded filesystem store, the MinIO backend against a
real S3 server with Object Lock (SeaweedFS on 127.0.0.1, which enforces retention, holds, credentials and link
signatures itself), and a real MinIO when SOHOA_MINIO_ENDPOINT (and keys) are set."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from archive.base import RecordArchive
from archive.filesystem import FilesystemObjects
from archive.link_server import download_app
from archive.objects import ObjectStore
from tests.conftest import LIVE_MINIO, free_port

BACKENDS = ["filesystem", "seaweedfs", "minio-live"]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def minio_store(endpoint: str, access_key: str, secret_key: str, secure: bool, **kw: object) -> ObjectStore:
    from archive.minio_store import MinioObjects

    store = MinioObjects(endpoint, access_key, secret_key, f"sohoa-test-{uuid.uuid4().hex[:12]}", secure=secure,
                         retries=1, backoff=0.05, **kw)  # type: ignore[arg-type]
    store.ensure_bucket()
    return store


def filesystem_store(root: Path) -> Iterator[FilesystemObjects]:
    """A filesystem store with its download-link server running, as `sohoa serve-downloads` would."""
    port = free_port()
    store = FilesystemObjects(root, f"http://127.0.0.1:{port}", b"test-link-secret")
    server = make_server("127.0.0.1", port, download_app(store), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield store
    server.shutdown()
    server.server_close()


@pytest.fixture(params=BACKENDS)
def objects(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    if request.param == "filesystem":
        yield from filesystem_store(tmp_path / "archive")
    elif request.param == "seaweedfs":
        server = request.getfixturevalue("s3_server")
        yield minio_store(server.endpoint, server.access_key, server.secret_key, secure=False)
    else:
        if "SOHOA_MINIO_ENDPOINT" not in LIVE_MINIO:
            pytest.skip("live MinIO: set SOHOA_MINIO_ENDPOINT, SOHOA_MINIO_ACCESS_KEY, SOHOA_MINIO_SECRET_KEY")
        yield minio_store(LIVE_MINIO["SOHOA_MINIO_ENDPOINT"], LIVE_MINIO.get("SOHOA_MINIO_ACCESS_KEY", ""),
                          LIVE_MINIO.get("SOHOA_MINIO_SECRET_KEY", ""),
                          LIVE_MINIO.get("SOHOA_MINIO_SECURE", "false").lower() in ("1", "true", "yes"))


@pytest.fixture
def archive(objects: ObjectStore) -> RecordArchive:
    return RecordArchive(objects)


def backend_of(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params["objects"])
