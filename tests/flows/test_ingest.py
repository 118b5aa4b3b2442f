"""End to end: the sample set through `sohoa ingest` and the Prefect flow, on the embedded defaults."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from archive.base import OCR_TEXT, ORIGINAL, SIGNED_PDF, RecordArchive
from archive.filesystem import FilesystemObjects
from domain.codes import is_dossier_code
from domain.dates import VIETNAM
from domain.records import Manifest
from domain.text import nfc
from indexer.sqlite import SqliteIndex
from signing.verify import load_certificates
from tests.conftest import ARCHIVIST, CLERK, OPERATOR, SAMPLES, Ingested, run_cli
from tests.pdf.test_pdfa import assert_pdfa_2b_structure

pytestmark = pytest.mark.e2e


def archive_at(root: Path) -> RecordArchive:
    return RecordArchive(FilesystemObjects(root))


def manifest_of(ingested: Ingested, file: str) -> Manifest:
    code = ingested.documents[file]["result_code"]
    manifest = archive_at(ingested.data_dir / "archive").manifest(code)
    assert manifest is not None, f"{file}: no manifest for {code}"
    return manifest


def lookup(data_dir: Path, *args: str) -> dict[str, Any]:
    status, out = run_cli("lookup", *args, *CLERK, "--json", "--data-dir", data_dir)
    assert status == 0
    return dict(json.loads(out))


def test_every_sample_is_archived_signed_indexed_and_typed(ingested: Ingested,
                                                           sample_truths: list[dict[str, Any]]) -> None:
    assert ingested.summary["accepted"] == len(sample_truths) == 14
    assert ingested.summary["quarantined"] == 0
    archive = archive_at(ingested.data_dir / "archive")
    index = SqliteIndex(ingested.data_dir / "index")
    roots = ValidationContext(trust_roots=load_certificates([ingested.data_dir / "keys" / "dev-ca.pem"]))
    for truth in sample_truths:
        manifest = manifest_of(ingested, truth["file"])
        assert manifest.classification.type_id == truth["type"], truth["file"]
        assert len(manifest.pages) == truth["pages"], truth["file"]
        assert is_dossier_code(manifest.dossier_code)
        assert manifest.result_code == f"{manifest.dossier_code}-KQ1"
        assert archive.read(manifest, ORIGINAL) == (SAMPLES / truth["file"]).read_bytes()  # untouched
        signed = archive.read(manifest, SIGNED_PDF)
        agency, officer = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        for sig in (agency, officer):  # pyHanko's whole verdict, modification rules included
            assert validate_pdf_signature(sig, roots).bottom_line, truth["file"]
        assert manifest.signature.officer and manifest.signature.level == "B-B"
        assert manifest.signature.target_level == "B-LTA"  # no timestamp authority in the embedded default
        assert index.get(manifest.result_code) is not None


def test_fields_match_ground_truth_on_clean_and_light_scans(ingested: Ingested,
                                                             sample_truths: list[dict[str, Any]]) -> None:
    checked = 0
    for truth in sample_truths:
        if truth["profile"] not in ("clean", "light"):
            continue
        manifest = manifest_of(ingested, truth["file"])
        assert manifest.fields.issue_date is not None
        assert manifest.fields.issue_date.isoformat() == truth["fields"]["issue_date"], truth["file"]
        assert manifest.fields.number == truth["fields"]["number"], truth["file"]
        for expected in truth["persons"]:
            matches = [p for p in manifest.persons if p.role == expected["role"]]
            assert matches, f"{truth['file']}: no {expected['role']}"
            person = matches[0]
            assert person.name == nfc(expected["name"]), truth["file"]
            assert person.personal_number == expected["personal_number"], truth["file"]
            assert person.old_id == expected["old_id"], truth["file"]
            assert person.problems == []
        assert not manifest.review, f"{truth['file']}: {manifest.review}"
        checked += 1
    assert checked >= 9


def test_a_lookup_by_each_samples_number_returns_that_document(ingested: Ingested,
                                                               sample_truths: list[dict[str, Any]]) -> None:
    for truth in sample_truths:
        code = ingested.documents[truth["file"]]["result_code"]
        for person in truth["persons"]:
            if person["personal_number"]:
                found = lookup(ingested.data_dir, "--citizen", person["personal_number"])
            elif person["old_id"]:
                found = lookup(ingested.data_dir, "--old-id", person["old_id"])
            else:
                continue
            assert code in [d["result_code"] for d in found["documents"]], (truth["file"], person)


def test_a_clerk_sees_validity_as_of_the_day(ingested: Ingested) -> None:
    citizen = (SAMPLES / "demo_citizen.txt").read_text().strip()
    found = lookup(ingested.data_dir, "--citizen", citizen, "--valid-on", "2026-11-22")
    docs = {d["type_id"]: d for d in found["documents"]}
    assert set(docs) == {"tinh_trang_hon_nhan", "ho_kinh_doanh", "giay_phep_xay_dung"}
    assert docs["ho_kinh_doanh"]["validity"]["status"] == "permanent"
    permit = docs["giay_phep_xay_dung"]
    issued = permit["issue_date"]
    day_before_lapse = permit["validity"]["valid_until"]
    assert day_before_lapse > issued
    on_last_day = lookup(ingested.data_dir, "--citizen", citizen, "--valid-on", day_before_lapse)["documents"]
    assert {d["type_id"]: d["validity"]["status"] for d in on_last_day}["giay_phep_xay_dung"] == "valid"
    assert permit["validity"]["status"] == "expired"  # issued in 2022, twelve months long
    assert all(d["location"].startswith(str(ingested.data_dir)) for d in docs.values())


def test_the_signed_pdf_is_pdfa_with_extractable_vietnamese(ingested: Ingested) -> None:
    manifest = manifest_of(ingested, "khai_sinh_01.png")
    signed = archive_at(ingested.data_dir / "archive").read(manifest, SIGNED_PDF)
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        assert_pdfa_2b_structure(pdf)
    with pdfplumber.open(io.BytesIO(signed)) as pdf:
        text = nfc(pdf.pages[0].extract_text())
    assert "GIẤY KHAI SINH" in text
    assert "Họ, chữ đệm, tên:" in text and "Ngày, tháng, năm sinh:" in text
    assert f"Số định danh cá nhân: {manifest.persons[0].personal_number}" in text
    assert manifest.pdf_profile == "PDF/A-2b"


def test_the_manifest_holds_hashes_provenance_and_signer(ingested: Ingested) -> None:
    manifest = manifest_of(ingested, "ket_hon_02_upside_down.jpg")
    assert manifest.pages[0].rotation == 180
    assert set(manifest.pages[0].readings) == {0, 180}  # the evidence: read both ways, turned over far better
    assert manifest.pages[0].readings[180] > 10 * manifest.pages[0].readings[0]
    assert manifest.tools["tesseract"].startswith("5.")
    assert manifest.signature.development_identity
    assert len(manifest.signature.certificate_sha256) == 64
    assert manifest.retention.class_id == "ho_tich" and manifest.retention.retain_until is None
    status, out = run_cli("show", manifest.result_code, *ARCHIVIST, "--data-dir", ingested.data_dir)
    assert status == 0
    shown = json.loads(out)
    assert shown["schema"] == "sohoa.record/1"
    assert shown["files"]["ocr_text"]["sha256"] == manifest.files[OCR_TEXT].sha256


def test_ingesting_twice_keeps_one_record_per_document(ingested: Ingested) -> None:
    status, out = run_cli("ingest", SAMPLES, "--data-dir", ingested.data_dir, "--json")
    assert status == 0
    summary = json.loads(out)["summary"]
    assert (summary["accepted"], summary["already_archived"]) == (0, 14)
    assert len(list(archive_at(ingested.data_dir / "archive").manifests())) == 14
    assert SqliteIndex(ingested.data_dir / "index").count() == 14
    numbers = archive_at(ingested.data_dir / "archive").dossier_numbers()
    assert (numbers.reserved, numbers.unused, numbers.double) == (14, [], [])  # none spent on a document again


def test_reindex_rebuilds_the_same_answers_from_the_archive_alone(ingested: Ingested, tmp_path: Path,
                                                                  sample_truths: list[dict[str, Any]]) -> None:
    data = tmp_path / "copy"
    shutil.copytree(ingested.data_dir, data, ignore=shutil.ignore_patterns("prefect"))
    numbers = [p["personal_number"] for t in sample_truths for p in t["persons"] if p["personal_number"]]
    # The copy's index still points into the original data directory; a rebuilt one points into the copy.
    before = [json.loads(json.dumps(lookup(data, "--citizen", n, "--valid-on", "2026-11-22"))
                         .replace(str(ingested.data_dir), str(data))) for n in numbers]
    shutil.rmtree(data / "index")
    assert [d["documents"] for d in (lookup(data, "--citizen", n) for n in numbers[:1])] == [[]]
    status, _ = run_cli("reindex", "--data-dir", data)
    assert status == 0
    assert [lookup(data, "--citizen", n, "--valid-on", "2026-11-22") for n in numbers] == before


def test_bad_files_are_quarantined_with_reasons_and_the_batch_goes_on(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.jpg").write_bytes(b"")
    jpeg = (SAMPLES / "ket_hon_01.jpg").read_bytes()
    (batch / "truncated.jpg").write_bytes(jpeg[: len(jpeg) // 3])
    (batch / "note.png").write_text("Biên bản bàn giao, không phải ảnh quét", encoding="utf-8")
    for good in ("khai_sinh_01.png", "tinh_trang_hon_nhan_02_cmnd.png"):
        shutil.copy(SAMPLES / good, batch / good)
    data = tmp_path / "data"
    status, out = run_cli("ingest", batch, "--data-dir", data, "--json")
    assert status == 0
    report = json.loads(out)
    assert (report["summary"]["accepted"], report["summary"]["quarantined"]) == (2, 3)
    reasons = sorted((data / "quarantine").glob("*.reason.txt"))
    assert len(reasons) == 3
    for reason in reasons:
        text = reason.read_text(encoding="utf-8")
        assert text.startswith("Lý do: ") and "\nReason: " in text
        assert reason.with_name(reason.name.removesuffix(".reason.txt")).is_file()  # the file itself, copied
    assert (batch / "empty.jpg").exists()  # the operator's folder is left as it was
    # Two data directories never interfere: this one holds only its own two records.
    assert len(list(archive_at(data / "archive").manifests())) == 2


def test_verify_tells_a_citizen_in_vietnamese(ingested: Ingested, tmp_path: Path) -> None:
    manifest = manifest_of(ingested, "quyet_dinh_01.pdf")
    signed = archive_at(ingested.data_dir / "archive").read(manifest, SIGNED_PDF)
    copy = tmp_path / "ban-sao.pdf"
    copy.write_bytes(signed)
    status, out = run_cli("verify", copy, "--data-dir", ingested.data_dir)
    assert status == 0
    assert "HỢP LỆ" in out and "Toàn vẹn (nội dung không bị sửa sau khi ký): có" in out
    assert f"Thời điểm ký: {manifest.signature.signed_at.astimezone(VIETNAM):%d/%m/%Y %H:%M:%S}" in out
    status, out = run_cli("verify", copy, "--data-dir", tmp_path / "elsewhere")  # no trust in this CA there
    assert status == 1 and "Tin cậy (chứng thư số do nơi được tin cậy cấp, còn hiệu lực): KHÔNG" in out
    assert out.startswith("Kết luận: KHÔNG HỢP LỆ")


def test_an_already_ocrd_pdf_is_read_from_its_text_layer(ingested: Ingested, tmp_path: Path) -> None:
    from context.services import open_services
    from context.settings import load_settings
    from pipeline.process import ACCEPTED, digitise

    manifest = manifest_of(ingested, "khai_sinh_01.png")
    digital = tmp_path / "scanner-ocr.pdf"
    digital.write_bytes(archive_at(ingested.data_dir / "archive").read(manifest, SIGNED_PDF))
    services = open_services(load_settings(tmp_path / "data"))
    result = digitise(digital, services, OPERATOR)
    assert result.outcome == ACCEPTED
    record = services.archive.manifest(result.result_code or "")
    assert record is not None
    assert record.pages[0].source == "text_layer" and record.pdf_profile == "source"
    assert record.classification.type_id == "khai_sinh"
    assert record.persons[0].personal_number == manifest.persons[0].personal_number


def test_search_finds_documents_by_name_without_diacritics(ingested: Ingested,
                                                         sample_truths: list[dict[str, Any]]) -> None:
    citizen = (SAMPLES / "demo_citizen.txt").read_text().strip()
    name = next(p["name"] for t in sample_truths for p in t["persons"] if p["personal_number"] == citizen)
    from domain.text import fold

    status, out = run_cli("search", *fold(name).split(), *CLERK, "--json", "--data-dir", ingested.data_dir)
    assert status == 0
    found = {d["result_code"] for d in json.loads(out)}
    expected = {ingested.documents[t["file"]]["result_code"] for t in sample_truths
                if any(p["personal_number"] == citizen for p in t["persons"])}
    assert expected <= found and len(expected) == 3
    status, out = run_cli("audit", "export-log", "--data-dir", ingested.data_dir)
    events = [json.loads(line) for line in out.splitlines()]
    searches = [e for e in events if e["action"] == "search"]
    assert searches and searches[-1]["actor"] and searches[-1]["purpose"]  # attributable, with a purpose
    assert expected <= set(searches[-1]["details"]["results"])


def test_an_unknown_document_is_archived_for_review_not_guessed(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    from context.services import open_services
    from context.settings import load_settings
    from pipeline.process import ACCEPTED, digitise

    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 54)
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(["ỦY BAN NHÂN DÂN XÃ IA BLANG", "BIÊN BẢN NGHIỆM THU CÔNG TRÌNH",
                              "Hôm nay các bên đã kiểm tra khối lượng thi công hoàn thành."]):
        draw.text((300, 300 + 120 * i), line, font=font, fill=0)
    scan = tmp_path / "bien-ban.png"
    page.save(scan, dpi=(300, 300))
    data = tmp_path / "data"
    result = digitise(scan, open_services(load_settings(data)), OPERATOR)
    assert result.outcome == ACCEPTED and result.needs_review
    status, out = run_cli("review", "--json", "--data-dir", data)
    assert status == 0
    [row] = json.loads(out)
    assert row["result_code"] == result.result_code
    assert "Không nhận diện được loại giấy tờ" in row["reasons"]
    assert "Không đọc được số, ký hiệu giấy tờ" in row["reasons"]  # what every record needs; no citizen asked of it
