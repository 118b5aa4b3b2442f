"""The intake clerk's `sohoa lookup` on the digitised sample set: every way of finding a citizen, the filters, what
the clerk reads (grouped by type, reusable / expired / to check, result code, where the signed copy comes from), and
the audit log entry each lookup leaves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SAMPLES, Ingested, run_cli

CITIZEN = (SAMPLES / "demo_citizen.txt").read_text().strip()  # ĐẶNG VĂN PHÚC, born 20/09/1986


def lookup(data: Path, *args: str) -> tuple[int, str]:
    purpose = () if "--purpose" in args else ("--purpose", "Tiếp nhận hồ sơ")
    return run_cli("lookup", *args, *purpose, "--data-dir", str(data), "--actor", "clerk-07")


def documents(data: Path, *args: str) -> list[dict[str, Any]]:
    status, out = lookup(data, *args, "--json")
    assert status == 0
    return list(json.loads(out)["documents"])


def types(docs: list[dict[str, Any]]) -> list[str]:
    return sorted(d["type_id"] for d in docs)


def test_by_name_and_birth_date_without_diacritics_and_with_one_ocr_error(ingested: Ingested) -> None:
    expected = ["ho_kinh_doanh", "tinh_trang_hon_nhan"]  # the building permit does not give his birth date
    assert types(documents(ingested.data_dir, "--name", "dang van phuc", "--dob", "20/09/1986")) == expected
    assert types(documents(ingested.data_dir, "--name", "ĐẶNG VĂN PHÚK", "--dob", "1986-09-20")) == expected
    assert documents(ingested.data_dir, "--name", "dang van phuc", "--dob", "21/09/1986") == []


def test_by_old_id_card_number(ingested: Ingested) -> None:
    [doc] = documents(ingested.data_dir, "--cmnd", "231738270")
    assert doc["type_id"] == "tinh_trang_hon_nhan" and doc["persons"][0]["old_id"] == "231738270"
    assert [d["result_code"] for d in documents(ingested.data_dir, "--citizen", "231738270")] == [doc["result_code"]]


def test_by_result_code_dossier_code_and_number(ingested: Ingested) -> None:
    code = ingested.documents["ket_hon_01.jpg"]["result_code"]
    [by_code] = documents(ingested.data_dir, "--code", code)
    [by_dossier] = documents(ingested.data_dir, "--code", by_code["dossier_code"])
    assert by_code == by_dossier and by_code["type_id"] == "ket_hon"
    truth = json.loads((SAMPLES / "ket_hon_01.json").read_text())
    number = truth["fields"]["number"]
    assert code in [d["result_code"] for d in documents(ingested.data_dir, "--number", number.lower())]


def test_type_and_validity_filters(ingested: Ingested) -> None:
    data = ingested.data_dir
    assert types(documents(data, "--citizen", CITIZEN, "--type", "ho_kinh_doanh")) == ["ho_kinh_doanh"]
    every = documents(data, "--citizen", CITIZEN, "--valid-on", "2026-11-22")
    assert {d["type_id"]: d["reuse"] for d in every} == {
        "ho_kinh_doanh": "valid", "giay_phep_xay_dung": "expired", "tinh_trang_hon_nhan": "expired"}
    assert types(documents(data, "--citizen", CITIZEN, "--valid-on", "2026-11-22", "--only-valid")) == \
        ["ho_kinh_doanh"]
    status_doc = next(d for d in every if d["type_id"] == "tinh_trang_hon_nhan")
    last_day = status_doc["validity"]["valid_until"]
    still = documents(data, "--citizen", CITIZEN, "--valid-on", last_day, "--only-valid")
    assert "tinh_trang_hon_nhan" in types(still)
    status, out = lookup(data, "--citizen", CITIZEN, "--type", "so_do")
    assert status == 2 and "Không có loại giấy tờ so_do" in " ".join(out.split())


def test_the_clerk_sees_documents_grouped_by_type_with_what_to_do(ingested: Ingested) -> None:
    status, printed = lookup(ingested.data_dir, "--citizen", CITIZEN, "--valid-on", "2026-11-22")
    out = " ".join(printed.split())
    assert status == 0
    assert f"Giấy tờ đã số hóa của {CITIZEN}: 3; dùng được ngày 22/11/2026: 1" in out
    for heading in ("Giấy xác nhận tình trạng hôn nhân (1)", "Giấy chứng nhận đăng ký hộ kinh doanh (1)",
                    "Giấy phép xây dựng (1)"):
        assert heading in out, heading
    assert out.count("HẾT HIỆU LỰC") == 2 and out.count("DÙNG ĐƯỢC —") == 1
    code = ingested.documents["ho_kinh_doanh_01.tif"]["result_code"]
    assert f"Mã kết quả: {code}" in out and f"Bản sao số: sohoa link {code}" in out


def test_every_lookup_is_in_the_audit_log_with_who_whom_and_why(ingested: Ingested) -> None:
    lookup(ingested.data_dir, "--name", "dang van phuc", "--dob", "20/09/1986", "--purpose", "Đăng ký kết hôn")
    status, out = run_cli("audit", "export-log", "--data-dir", str(ingested.data_dir))
    assert status == 0
    event = [json.loads(line) for line in out.splitlines() if line.strip()][-1]
    assert (event["actor"], event["action"], event["purpose"]) == ("clerk-07", "lookup", "Đăng ký kết hôn")
    assert event["details"]["query"] == {"name": "dang van phuc", "dob": "1986-09-20"}
    assert len(event["details"]["results"]) == 2 and event["time"]
