"""The MinIO backend chosen by configuration, end to end through the pipeline and the command (against a real S3
server with Object Lock, SeaweedFS), and the sentences an operator gets when MinIO is unreachable, refuses the keys,
or has a bucket without Object Lock."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from pathlib import Path

import pytest

from archive.minio_store import MinioObjects
from archive.objects import ArchiveError, ArchiveUnavailable
from context.services import open_services
from context.settings import load_settings
from domain.messages import vietnamese
from pipeline.process import ACCEPTED, digitise
from tests.conftest import ARCHIVIST, OPERATOR, SAMPLES, free_port, run_cli
from tests.s3_server import S3Server


@pytest.fixture
def minio_env(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> str:
    bucket = f"sohoa-e2e-{uuid.uuid4().hex[:10]}"
    for key, value in {"SOHOA_ARCHIVE_BACKEND": "minio", "SOHOA_MINIO_ENDPOINT": s3_server.endpoint,
                       "SOHOA_MINIO_ACCESS_KEY": s3_server.access_key,
                       "SOHOA_MINIO_SECRET_KEY": s3_server.secret_key,
                       "SOHOA_MINIO_BUCKET": bucket, "SOHOA_MINIO_SECURE": "false"}.items():
        monkeypatch.setenv(key, value)
    return bucket


def test_the_pipeline_archives_into_minio_when_configured(minio_env: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    services = open_services(load_settings(data))
    result = digitise(SAMPLES / "quyet_dinh_01.pdf", services, OPERATOR)
    assert result.outcome == ACCEPTED and result.result_code
    code = result.result_code
    assert not (data / "archive").exists()  # nothing went to the local disk
    hit = services.index.get(code)
    assert hit is not None and hit.location.startswith(f"s3://{minio_env}/records/")

    status, out = run_cli("show", code, *ARCHIVIST, "--data-dir", data)
    assert status == 0 and json.loads(out)["result_code"] == code
    status, out = run_cli("link", code, "--json", "--data-dir", data)
    assert status == 0
    manifest = services.archive.manifest(code)
    assert manifest is not None
    with urllib.request.urlopen(json.loads(out)["url"], timeout=10) as response:
        assert response.read() == services.archive.read(manifest, "signed_pdf")
    assert run_cli("audit", "fixity", "--data-dir", data)[0] == 0
    status, out = run_cli("audit", "verify-log", "--data-dir", data)
    assert status == 0
    actions = [json.loads(line)["action"] for line in run_cli("audit", "export-log", "--data-dir", data)[1].split("\n")
               if line]
    assert actions == ["record.write", "record.read", "download.link", "fixity.check", "audit.verify_log"]


def test_an_unreachable_minio_is_a_sentence_not_a_stack_trace(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("SOHOA_ARCHIVE_BACKEND", "minio")
    monkeypatch.setenv("SOHOA_MINIO_ENDPOINT", f"127.0.0.1:{port}")
    monkeypatch.setenv("SOHOA_MINIO_SECURE", "false")
    status, out = run_cli("show", "000.00.00.H49-261122-0001-KQ1", *ARCHIVIST, "--data-dir", tmp_path / "data")
    assert status == 3
    assert "Không kết nối được kho lưu trữ MinIO tại" in " ".join(out.split())
    assert "Traceback" not in out


@pytest.mark.parametrize(("access", "secret"), [("sohoa-test", "not the secret"), ("nobody", "anything")])
def test_wrong_credentials_name_the_settings_to_check(s3_server: S3Server, access: str, secret: str) -> None:
    good = MinioObjects(s3_server.endpoint, s3_server.access_key, s3_server.secret_key,
                        f"keys-{uuid.uuid4().hex[:10]}", secure=False, retries=0)
    good.ensure_bucket()
    wrong = MinioObjects(s3_server.endpoint, access, secret, good.bucket, secure=False, retries=0)
    with pytest.raises(ArchiveUnavailable) as refused:
        wrong.get("results/x")  # the server itself refuses the signature or the unknown key
    assert re.search(r"từ chối khóa truy cập.*SOHOA_MINIO_ACCESS_KEY", vietnamese(refused.value))


def test_a_bucket_without_object_lock_is_refused(s3_server: S3Server) -> None:
    store = MinioObjects(s3_server.endpoint, s3_server.access_key, s3_server.secret_key,
                         f"plain-{uuid.uuid4().hex[:10]}", secure=False)
    store.client.make_bucket(store.bucket)  # created by someone else, without Object Lock
    with pytest.raises(ArchiveError) as refused:
        store.ensure_bucket()
    assert "không bật Object Lock" in vietnamese(refused.value)
