"""The archivist's work end to end, through the real pipeline and the `sohoa` command, on the embedded archive:
retention audit, legal hold, two-person disposition, fixity, BagIt transfer, the audit log, crash recovery."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest

from archive.base import SIGNED_PDF, RecordArchive
from archive.filesystem import FilesystemObjects
from context.services import open_services
from context.settings import load_settings
from pipeline.process import ACCEPTED, QUARANTINED, digitise
from tests.archive.test_contract import CrashingStore
from tests.conftest import ARCHIVIST, CLERK, OPERATOR, SAMPLES, run_cli

SCANS = ("khai_sinh_01.png", "quyet_dinh_01.pdf")


def schedule_with_short_decisions(folder: Path) -> Path:
    """The shipped schedule, but decisions kept 1 year: the 2021 decision is past its retention today."""
    default = (Path(__file__).parents[2] / "context" / "defaults" / "retention.toml").read_text("utf-8")
    path = folder / "retention.toml"
    path.write_text(default.replace("years = 20", "years = 1"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("archivist")
    data = root / "data"
    data.mkdir()
    (data / "settings.toml").write_text(
        f'[archive]\nretention_schedule = "{schedule_with_short_decisions(root)}"\n', encoding="utf-8")
    services = open_services(load_settings(data))
    codes = {}
    for name in SCANS:
        result = digitise(SAMPLES / name, services, OPERATOR)
        assert result.outcome == ACCEPTED and result.result_code
        codes[name] = result.result_code
    return data, codes


@pytest.fixture
def archive_copy(built: tuple[Path, dict[str, str]], tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, dict[str, str]]]:
    data = tmp_path / "data"
    shutil.copytree(built[0], data)
    monkeypatch.delenv("SOHOA_ACTOR", raising=False)
    yield data, built[1]


def cli(data: Path, actor: str, *args: str) -> tuple[int, str]:
    return run_cli(*args, "--data-dir", str(data), "--actor", actor)


def flat(text: str) -> str:
    """Terminal output without the line breaks rich adds at 80 columns."""
    return " ".join(text.split())


def events(data: Path) -> list[dict]:  # type: ignore[type-arg]
    status, out = run_cli("audit", "export-log", "--data-dir", str(data))
    assert status == 0
    return [json.loads(line) for line in out.splitlines()]


def test_the_retention_audit_counts_holdings_and_names_what_is_due(archive_copy: tuple[Path, dict[str, str]]) -> None:
    data, codes = archive_copy
    status, out = cli(data, "archivist", "audit", "retention", "--json")
    assert status == 0
    report = json.loads(out)
    assert {(c["type_id"], c["class_id"], c["records"]) for c in report["counts"]} == {
        ("khai_sinh", "ho_tich", 1), ("quyet_dinh", "quyet_dinh", 1)}
    assert [r["result_code"] for r in report["expired"]] == [codes["quyet_dinh_01.pdf"]]
    assert report["expired"][0]["retain_until"] == "2022-12-31"
    assert report["unsigned"] == [] and report["incomplete"] == [] and report["unlocked"] == []


def test_disposition_needs_a_second_person_and_respects_retention_and_holds(
        archive_copy: tuple[Path, dict[str, str]]) -> None:
    data, codes = archive_copy
    birth, decision = codes["khai_sinh_01.png"], codes["quyet_dinh_01.pdf"]

    status, out = cli(data, "archivist-a", "dispose", "request", birth)
    assert status == 3 and "còn trong thời hạn lưu trữ (vĩnh viễn)" in flat(out)

    assert cli(data, "archivist-a", "hold", "set", decision, "--reason", "Vụ án số 12/2026")[0] == 0
    status, out = cli(data, "archivist-a", "dispose", "request", decision)
    assert status == 3 and "phong tỏa" in flat(out)
    assert cli(data, "archivist-a", "hold", "lift", decision, "--reason", "Vụ án đã kết thúc")[0] == 0

    assert cli(data, "archivist-a", "dispose", "request", decision, "--reason", "Hết hạn lưu trữ")[0] == 0
    status, out = cli(data, "archivist-a", "dispose", "list", "--json")
    request_id = json.loads(out)[0]["id"]
    status, out = cli(data, "archivist-a", "dispose", "approve", request_id)
    assert status == 3 and "phải khác người đề nghị" in flat(out)
    assert cli(data, "archivist-b", "dispose", "approve", request_id)[0] == 0

    assert run_cli("show", decision, *ARCHIVIST, "--data-dir", str(data))[0] == 1  # gone from the archive
    status, out = run_cli("search", "HUỲNH", *CLERK, "--json", "--data-dir", str(data))
    assert decision not in {d["result_code"] for d in json.loads(out)}  # and from the index
    assert json.loads(cli(data, "x", "dispose", "list", "--json")[1]) == []
    objects = FilesystemObjects(data / "archive")
    approval = json.loads(objects.get(f"dispositions/approvals/{request_id}.json"))
    assert (approval["requested_by"], approval["approved_by"], approval["result_code"]) == \
        ("archivist-a", "archivist-b", decision)
    assert "persons" not in approval  # proof of destruction without the personal data destroyed
    log = [(e["actor"], e["action"], e["record"]) for e in events(data)]
    assert ("archivist-a", "legal_hold.set", decision) in log
    assert ("archivist-a", "disposition.request", decision) in log
    assert ("archivist-b", "disposition.approve", decision) in log
    assert cli(data, "archivist", "audit", "verify-log")[0] == 0


def test_fixity_reports_a_changed_signed_copy(archive_copy: tuple[Path, dict[str, str]]) -> None:
    data, codes = archive_copy
    assert cli(data, "archivist", "audit", "fixity")[0] == 0
    archive = RecordArchive(FilesystemObjects(data / "archive"))
    manifest = archive.manifest(codes["khai_sinh_01.png"])
    assert manifest is not None
    path = archive.objects.path(f"records/{manifest.content_hash}/v1/signed.pdf")  # type: ignore[attr-defined]
    path.chmod(0o644)
    path.write_bytes(path.read_bytes().replace(b"/Type", b"/Typf", 1))
    status, out = cli(data, "archivist", "audit", "fixity", "--json")
    assert status == 1
    findings = json.loads(out)["findings"]
    assert [(f["result_code"], f["problem"]) for f in findings] == [(manifest.result_code, "changed")]


def test_a_bagit_transfer_package_validates(archive_copy: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    data, codes = archive_copy
    out = tmp_path / "transfer"
    assert cli(data, "archivist", "export", "bagit", *codes.values(), "--out", str(out))[0] == 0
    bag = bagit.Bag(str(out))
    bag.validate()
    assert bag.info["Source-Organization"] == load_settings(data).agency_name
    signed = out / "data" / codes["khai_sinh_01.png"] / "v1" / "signed.pdf"
    assert signed.read_bytes().startswith(b"%PDF")
    assert "sha256" in bag.algorithms
    assert {e["action"] for e in events(data)} >= {"record.write", "record.export"}


def test_a_tampered_audit_log_segment_is_found(archive_copy: tuple[Path, dict[str, str]]) -> None:
    data, _ = archive_copy
    assert cli(data, "archivist", "audit", "verify-log")[0] == 0
    segment = sorted((data / "archive" / "audit").glob("*.jsonl"))[0]
    segment.chmod(0o644)
    segment.write_text(segment.read_text("utf-8").replace("Số hóa", "So hoa", 1), encoding="utf-8")
    status, out = cli(data, "archivist", "audit", "verify-log")
    assert status == 1 and "tại sự kiện thứ 1" in flat(out)


def test_a_write_killed_before_its_manifest_is_finished_by_the_next_run(tmp_path: Path) -> None:
    data = tmp_path / "data"
    services = open_services(load_settings(data))
    crashing = open_services(load_settings(data))
    crashing.archive = RecordArchive(CrashingStore(services.archive.objects))  # type: ignore[arg-type]
    scan = SAMPLES / "quyet_dinh_01.pdf"
    assert digitise(scan, crashing, OPERATOR).outcome == QUARANTINED  # the worker died mid-write
    partial = services.archive.partial(next(iter(services.archive.incomplete())))
    assert partial is not None and partial.result_code
    result = digitise(scan, services, OPERATOR)  # the batch is run again
    assert result.outcome == ACCEPTED and result.result_code == partial.result_code
    manifest = services.archive.manifest(result.result_code)
    assert manifest is not None and services.archive.read(manifest, SIGNED_PDF) == partial.files[SIGNED_PDF]
    numbers = services.archive.dossier_numbers()
    assert (numbers.reserved, numbers.unused, numbers.double) == (1, [], [])  # one dossier number, no duplicate
    assert list(services.archive.incomplete()) == []
    assert services.index.count() == 1


def test_a_second_archivist_refuses_a_disposition_and_the_record_stays(
        archive_copy: tuple[Path, dict[str, str]]) -> None:
    data, codes = archive_copy
    decision = codes["quyet_dinh_01.pdf"]
    assert cli(data, "archivist-a", "dispose", "request", decision, "--reason", "Hết hạn lưu trữ")[0] == 0
    request_id = json.loads(cli(data, "archivist-a", "dispose", "list", "--json")[1])[0]["id"]
    status, out = cli(data, "archivist-a", "dispose", "refuse", request_id, "--reason", "Tự rút")
    assert status == 3 and "phải khác người đề nghị" in flat(out)
    status, out = cli(data, "archivist-b", "dispose", "refuse", request_id, "--reason", "Còn giá trị tra cứu")
    assert status == 0 and "được giữ nguyên" in flat(out)
    assert json.loads(cli(data, "x", "dispose", "list", "--json")[1]) == []  # closed
    status, out = cli(data, "archivist-c", "dispose", "approve", request_id)
    assert status == 3  # a refused request cannot be approved afterwards
    assert run_cli("show", decision, *ARCHIVIST, "--data-dir", str(data))[0] == 0  # the record stays
    refusal = json.loads(FilesystemObjects(data / "archive").get(f"dispositions/refusals/{request_id}.json"))
    assert (refusal["refused_by"], refusal["refusal_reason"]) == ("archivist-b", "Còn giá trị tra cứu")
    assert ("archivist-b", "disposition.refuse", decision) in [(e["actor"], e["action"], e["record"])
                                                               for e in events(data)]
