"""Signature upkeep over the archive: a record signed B-B while the timestamp authority was down is upgraded as a new
version; a record whose timestamp certificate is about to expire is renewed by the Prefect flow."""

import json
from pathlib import Path

import pytest

from archive.base import SIGNED_PDF
from context.services import open_services, services_for
from context.settings import load_settings
from pipeline.process import ACCEPTED, digitise
from tests.conftest import OPERATOR, SAMPLES, free_port, run_cli
from tests.signing.conftest import pki_settings
from tests.signing.pki import PkiUnderTest, running_pki

SCAN = SAMPLES / "ho_kinh_doanh_02.pdf"


def digitised(data: Path) -> str:
    result = digitise(SCAN, open_services(load_settings(data)), OPERATOR)
    assert result.outcome == ACCEPTED, result.reason
    assert result.result_code
    return result.result_code


def audit(data: Path) -> list[dict]:
    services_for.cache_clear()
    return [json.loads(line) for line in run_cli("audit", "export-log", "--data-dir", data)[1].splitlines()]


def test_a_record_signed_while_the_tsa_was_down_is_upgraded_as_a_new_version(
        pki: PkiUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    pki_settings(data, pki, monkeypatch, level="B-LTA", tsa="tsa2")
    tsa = pki.tsa_url("tsa2")
    monkeypatch.setenv("SOHOA_TSA_URL", f"http://127.0.0.1:{free_port()}/down")
    code = digitised(data)
    archive = open_services(load_settings(data)).archive
    v1 = archive.manifest(code)
    assert v1 is not None and (v1.signature.level, v1.signature.target_level) == ("B-B", "B-LTA")
    assert any("máy chủ cấp dấu thời gian" in p for p in v1.signature.problems)

    status, out = run_cli("signatures", "upgrade", "--data-dir", data)  # still down: reported, nothing written
    assert status == 1 and "không thực hiện được 1" in out
    assert archive.manifest(code) == v1

    monkeypatch.setenv("SOHOA_TSA_URL", tsa)
    status, out = run_cli("signatures", "status", "--data-dir", data)
    assert status == 0 and f"{code}: B-B → B-LTA" in out
    status, out = run_cli("signatures", "upgrade", "--data-dir", data)
    assert status == 0, out
    v2 = archive.manifest(code)
    assert v2 is not None and v2.version == 2 and v2.signature.level == "B-LTA"
    assert v2.change_reason.startswith("Nâng cấp chữ ký từ B-B lên B-LTA")
    assert [m.version for m in archive.versions(v1.content_hash)] == [1, 2]  # the first version stays
    assert archive.read(v2, SIGNED_PDF).startswith(archive.read(v1, SIGNED_PDF))
    copy = tmp_path / "v2.pdf"
    copy.write_bytes(archive.read(v2, SIGNED_PDF))
    status, out = run_cli("verify", copy, "--data-dir", data)
    assert status == 0 and "Mức chữ ký: B-LTA" in out and "Mã QR khớp với hồ sơ" in out
    status, out = run_cli("signatures", "upgrade", "--data-dir", data)
    assert status == 0 and "đã xét 0 hồ sơ" in out  # nothing is owed any more
    events = [e for e in audit(data) if e["action"] == "record.signatures"]
    assert [(e["record"], e["details"]["version"], e["details"]["level_after"]) for e in events] == [(code, 2,
                                                                                                    "B-LTA")]


def test_upgrade_without_a_timestamp_authority_says_what_to_configure(tmp_path: Path) -> None:
    data = tmp_path / "data"
    digitised(data)  # the embedded default: development keys, no TSA, so B-B with B-LTA owed
    status, _ = run_cli("signatures", "upgrade", "--data-dir", data)
    assert status == 2


def test_the_flow_renews_a_timestamp_whose_certificate_is_about_to_expire(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.signatures import signatures_flow

    with running_pki(tmp_path / "pki", tsa_days=20) as short:
        data = tmp_path / "data"
        pki_settings(data, short, monkeypatch, level="B-LTA", tsa="tsa")  # its certificate ends in 20 days
        code = digitised(data)
        monkeypatch.setenv("SOHOA_TSA_URL", short.tsa_url("tsa2"))
        services_for.cache_clear()
        status, out = run_cli("signatures", "status", "--horizon-days", "30", "--data-dir", data)
        assert status == 0 and f"{code}: chứng thư của máy chủ cấp dấu thời gian lưu trữ 'sohoa Test TSA'" in out
        services_for.cache_clear()
        summary = signatures_flow(str(data), 30)
        assert [(u["result_code"], u["action"], u["version"]) for u in summary["renewed"]] == [(code, "renewed", 2)]
        services_for.cache_clear()
        assert signatures_flow(str(data), 30)["renewed"] == []  # the new timestamp lasts beyond the horizon
        record = open_services(load_settings(data)).archive.manifest(code)
        assert record is not None and record.version == 2 and record.change_reason.startswith("Gia hạn")
        assert [e["action"] for e in audit(data)].count("signatures.upkeep") == 2
