"""Tampering with the archive behind sohoa's back: every edit is found, the damaged record alone is set aside, and
nothing forged reaches a clerk's lookup."""

from __future__ import annotations

import json

import pytest

from archive.filesystem import META_SUFFIX
from archive.objects import sha256_hex
from tests.reliability.conftest import CITIZEN, Archive, overwrite

FORGED = "099999999999"


def forge_personal_number(archive: Archive, also_sidecar: bool = False) -> None:
    manifest = archive.record_dir("khai_sinh_01.png") / "manifest.json"
    data = manifest.read_bytes()
    assert CITIZEN.encode() in data
    forged = data.replace(CITIZEN.encode(), FORGED.encode())
    overwrite(manifest, forged)
    if also_sidecar:  # a root user who knows the store: the stored hash rewritten to match the forgery
        sidecar = manifest.with_name(f".manifest.json{META_SUFFIX}")
        meta = json.loads(sidecar.read_text("utf-8"))
        meta["metadata"]["sha256"] = sha256_hex(forged)
        overwrite(sidecar, json.dumps(meta).encode())


def test_an_edited_personal_number_is_caught_by_fixity_and_never_reaches_a_lookup(archive: Archive) -> None:
    forge_personal_number(archive)
    status, out = archive.cli("audit", "fixity")
    assert status == 1 and "Toàn vẹn" not in out
    assert "manifest hỏng hoặc bị sửa" in out and archive.codes["khai_sinh_01.png"] in out
    status, out = archive.cli("reindex")
    assert status == 0 and "KHÔNG được lập chỉ mục" in out
    status, out = archive.cli("lookup", "--citizen", FORGED, "--json", "--purpose", "Kiểm tra")
    assert status == 0 and json.loads(out)["documents"] == []
    status, out = archive.cli("lookup", "--code", archive.codes["quyet_dinh_01.pdf"], "--json", "--purpose", "Kiểm tra")
    assert [d["result_code"] for d in json.loads(out)["documents"]] == [archive.codes["quyet_dinh_01.pdf"]]


def test_a_forgery_that_also_rewrites_the_stored_hash_is_caught_by_the_audit_log(archive: Archive) -> None:
    forge_personal_number(archive, also_sidecar=True)
    status, out = archive.cli("audit", "fixity", "--json")
    findings = json.loads(out)["findings"]
    assert status == 1
    assert [(f["problem"], f["detail"]) for f in findings] == \
        [("damaged", "không khớp mã băm ghi trong nhật ký kiểm toán")]
    archive.cli("reindex")
    status, out = archive.cli("lookup", "--citizen", FORGED, "--json", "--purpose", "Kiểm tra")
    assert json.loads(out)["documents"] == []


def test_strays_anywhere_under_the_archive_are_reported(archive: Archive) -> None:
    folder = archive.record_dir("quyet_dinh_01.pdf")
    (folder / ".hidden").write_bytes(b"x")
    (archive.root / "notes.txt").write_text("?")
    (archive.root / "records" / "zz").mkdir()
    (archive.root / "records" / "zz" / "payload.bin").write_bytes(b"x")
    status, out = archive.cli("audit", "fixity", "--json")
    found = {(f["key"], f["problem"]) for f in json.loads(out)["findings"]}
    rel = folder.relative_to(archive.root)
    assert status == 1
    assert found == {(str(rel / ".hidden"), "unexpected"), ("notes.txt", "unexpected"),
                     ("records/payload.bin", "unexpected"), ("records/zz/payload.bin", "unexpected")}


def test_a_truncated_manifest_is_reported_for_its_record_only_and_every_audit_goes_on(archive: Archive) -> None:
    overwrite(archive.record_dir("khai_sinh_01.png") / "manifest.json", b'{"x": ')
    status, out = archive.cli("audit", "fixity", "--json")
    report = json.loads(out)
    assert status == 1 and report["records"] == 2
    assert {(f["problem"], f["key"].split("/")[-1]) for f in report["findings"]} == {("damaged", "manifest.json")}
    status, out = archive.cli("audit", "retention", "--json")
    retention = json.loads(out)
    assert status == 0 and len(retention["damaged"]) == 1 and sum(c["records"] for c in retention["counts"]) == 1
    status, out = archive.cli("reindex")
    assert status == 0 and "1 hồ sơ KHÔNG được lập chỉ mục" in out
    status, out = archive.cli("show", archive.codes["khai_sinh_01.png"])
    assert status == 3 and "Traceback" not in out


def test_a_result_pointer_moved_to_another_record_is_reported(archive: Archive) -> None:
    pointer = archive.root / "results" / archive.codes["khai_sinh_01.png"]
    overwrite(pointer, archive.hashes["quyet_dinh_01.pdf"].encode())
    status, out = archive.cli("audit", "fixity", "--json")
    assert status == 1
    assert [(f["key"], f["problem"]) for f in json.loads(out)["findings"]] == \
        [(f"results/{archive.codes['khai_sinh_01.png']}", "changed")]


def test_an_untouched_archive_is_whole(archive: Archive) -> None:
    status, out = archive.cli("audit", "fixity")
    assert status == 0 and "Toàn vẹn" in out


def test_fixity_findings_keep_whole_codes_and_paths_on_a_narrow_terminal(archive: Archive,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    folder = archive.record_dir("quyet_dinh_01.pdf")
    (folder / ".a-rather-long-hidden-file-name-left-by-someone.bin").write_bytes(b"x")
    status, out = archive.cli("audit", "fixity")
    assert status == 1
    stray = str(folder.relative_to(archive.root) / ".a-rather-long-hidden-file-name-left-by-someone.bin")
    assert stray in out.replace("\n", "")  # wrapped perhaps, never cut with an ellipsis
    assert "…" not in out
