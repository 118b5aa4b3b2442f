"""Papers as archives hold them: hand-filled values reach a reviewer with the field named, a ruled form gives its
people, the old "Giấy chứng tử" is known, and a complete record is not flagged."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from context.services import Services, services_for
from context.settings import load_catalogue
from pipeline.fields import extract
from pipeline.intake import file_sha256
from pipeline.process import ACCEPTED, digitise
from sample_scans.captures import FAX_STANDARD, faxed
from tests.conftest import OPERATOR, REPO, SAMPLES

VARIETY = REPO / "variety_scans"
CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Services:
    return services_for(str(tmp_path_factory.mktemp("variety")))


def _digitised(name: str, office: Services) -> tuple[Any, dict[str, Any]]:
    path = VARIETY / name
    assert digitise(path, office, OPERATOR).outcome == ACCEPTED
    manifest = office.archive.find(file_sha256(path))
    assert manifest is not None
    return manifest, json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_values_written_in_blue_ink_are_read_by_two_readers_and_believed_only_when_they_agree(
        office: Services) -> None:
    manifest, truth = _digitised("ket_hon_hand_filled_scan200.jpg", office)
    codes = [n.code for n in manifest.review]
    husband = next(p for p in manifest.persons if p.role == "husband")
    wife = next(p for p in manifest.persons if p.role == "wife")
    assert husband.name == "NGÔ ĐỨC NGHĨA" and wife.name == "PHAN THỊ THU THẢO"
    assert {husband.old_id, wife.old_id} == {p["old_id"] for p in truth["persons"]}
    assert "name" in husband.handwritten and "old_id" in husband.handwritten  # still known to be by hand
    for index in range(len(manifest.persons)):
        for name in ("name", "dob", "old_id"):
            evidence = manifest.evidence[f"persons.{index}.{name}"]
            readers = {r.reader for r in evidence.readings}
            if evidence.confirmed:  # Tesseract and the second reader read the same: no person needs to look
                assert readers == {"tesseract", "ppocr-v4"} and len({r.value for r in evidence.readings}) == 1
            else:  # otherwise the field is flagged, with what each reader read
                code = {"name": "handwritten_subject", "dob": "handwritten_dob"}.get(name, "handwritten_identifier")
                assert code in codes
    assert sum(e.confirmed for e in manifest.evidence.values()) >= 5
    number = manifest.evidence["number"]  # the number, written in after printing, read by both
    assert manifest.fields.number == truth["fields"]["number"]
    assert {r.reader for r in number.readings} == {"tesseract", "ppocr-v4"}


def test_a_ruled_form_gives_its_people_and_a_complete_one_is_not_flagged(office: Services) -> None:
    manifest, truth = _digitised("khai_sinh_ruled_scan300.jpg", office)
    child = truth["persons"][0]
    registrant = next(p for p in manifest.persons if p.role == "registrant")
    assert (registrant.name, str(registrant.dob), registrant.personal_number) == (
        child["name"], child["dob"], child["personal_number"])
    assert manifest.review == []


def test_the_old_death_certificate_is_known_by_its_title(office: Services) -> None:
    manifest, _ = _digitised("khai_tu_hand_filled_fax.tif", office)
    assert manifest.classification.type_id == "khai_tu"


def test_a_value_on_a_dotted_blank_counts_as_filled_in_by_hand() -> None:
    got = extract(["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "Họ và tên: HỒ VĂN.PHÚC........",
                   "Sinh ngày: 21/09/1968", "Số CMND: ,232195642......"], CATALOGUE.labels_for("tinh_trang_hon_nhan"),
                  title_index=0)
    person = got.persons[0]
    assert (person.name, person.old_id) == ("HỒ VĂN PHÚC", "232195642")
    assert person.handwritten == ["name", "old_id"]  # the printed date of birth is not


def test_ink_flags_a_number_and_a_name_and_black_print_none() -> None:
    lines = ["Số: 27", "GIẤY CHỨNG NHẬN KẾT HÔN", "Họ và tên chồng: NGÔ ĐỨC NGHĨA", "Giấy CMND số: 234706187"]
    inked = [[False, True], [False] * 4, [False] * 4 + [True] * 3, [False, False, False, True]]
    got = extract(lines, CATALOGUE.labels_for("ket_hon"), title_index=1, inked=inked)
    assert "viết tay" in got.doubts["number"]
    assert got.persons[0].role == "husband" and got.persons[0].handwritten == ["name", "old_id"]
    plain = extract(lines, CATALOGUE.labels_for("ket_hon"), title_index=1, inked=[[False] * len(x) for x in inked])
    assert "number" not in plain.doubts and plain.persons[0].handwritten == []


def test_a_fax_at_standard_resolution_is_stretched_back_to_a_page(office: Services, tmp_path: Path) -> None:
    truth = json.loads((SAMPLES / "ket_hon_01.json").read_text(encoding="utf-8"))
    page = np.asarray(Image.open(SAMPLES / "ket_hon_01.jpg").convert("L"))
    fax = faxed(page, 3, FAX_STANDARD)  # 204 x 98 dpi: every pixel twice as tall as wide
    path = tmp_path / "ket_hon_standard_fax.tif"
    fax.save(path, "TIFF", compression="group4", dpi=fax.info["dpi"])
    assert digitise(path, office, OPERATOR).outcome == ACCEPTED
    manifest = office.archive.find(file_sha256(path))
    assert manifest is not None
    width, height = manifest.pages[0].width, manifest.pages[0].height
    assert abs(height / width - page.shape[0] / page.shape[1]) < 0.05  # the page's own proportions, not half
    assert manifest.classification.type_id == "ket_hon"
    assert manifest.fields.number == truth["fields"]["number"]
    assert {p.name for p in manifest.persons} >= {p["name"] for p in truth["persons"]}


def test_a_number_without_a_name_is_flagged_on_any_type() -> None:
    from domain.records import Classification
    from pipeline.review import review_notes

    got = extract(["QUYẾT ĐỊNH", "Số: 12/QĐ-UBND", "Điều 1. Hỗ trợ cho người có số định danh cá nhân",
                   "Số định danh cá nhân: 064192000123"], CATALOGUE.labels_for("quyet_dinh"), title_index=0)
    assert got.persons and got.persons[0].name is None
    notes = review_notes(Classification(type_id="quyet_dinh", type_name="Quyết định", confidence=1.0,
                                        needs_review=False), got, [], date(2026, 1, 1),
                         load_catalogue().get("quyet_dinh"))
    assert any(n.code == "nameless_person" and "064192000123" in n.message for n in notes)


def test_a_birth_year_written_by_hand_and_read_impossible_is_mended_and_flagged() -> None:
    lines = ["GIẤY CHỨNG NHẬN KẾT HÔN", "Họ và tên chồng: NGÔ ĐỨC NGHĨA", "Ngày, tháng, năm sinh: 10/08/4976"]
    hand = [[False] * 4, [False] * 4 + [True] * 3, [False] * 4 + [True]]
    husband = extract(lines, CATALOGUE.labels_for("ket_hon"), title_index=0, inked=hand).persons[0]
    assert husband.dob == date(1976, 8, 10) and "dob" in husband.handwritten  # a person confirms it
    printed = extract(lines, CATALOGUE.labels_for("ket_hon"), title_index=0).persons[0]
    assert printed.dob is None  # printed, the year is not guessed: the record is flagged for a missing birth date
    future = extract([*lines[:2], "Ngày, tháng, năm sinh: 10/08/4076"], CATALOGUE.labels_for("ket_hon"),
                     title_index=0, inked=hand).persons[0]
    assert future.dob is None  # neither 1076 nor 2076 is a birth year: left for a person


def test_an_unreadable_birth_date_in_figures_is_read_from_the_same_date_written_in_words() -> None:
    lines = ["GIẤY KHAI SINH", "Họ và tên: HOÀNG MINH PHÚC", "Ngày, tháng, năm sinh: . 76/1 7/2009",
             "Ghi bằng chữ: .ngày..mười.sáu.tháng.mười.một năm hai nghìn không trăm lẻ chín"]
    hand = [[False] * 3, [False] * 3 + [True] * 3, [False] * 4 + [True] * 3, [False] * 3 + [True] * 8]
    child = extract(lines, CATALOGUE.labels_for("khai_sinh"), title_index=0, inked=hand).persons[0]
    assert (child.role, child.dob) == ("registrant", date(2009, 11, 16)) and "dob" in child.handwritten


def test_a_name_written_by_hand_whose_first_stroke_was_read_as_a_mark_gets_its_surname_back() -> None:
    lines = ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "Họ và tên: #OÀNG THỊ THỦ DUYÊN", "Sinh ngày: 02/08/1982"]
    hand = [[False] * 7, [False] * 3 + [True] * 4, [False, False, True]]
    person = extract(lines, CATALOGUE.labels_for("tinh_trang_hon_nhan"), title_index=0, inked=hand).persons[0]
    assert (person.name, person.handwritten) == ("HOÀNG THỊ THỦ DUYÊN", ["name", "dob"])
    printed = extract(lines, CATALOGUE.labels_for("tinh_trang_hon_nhan"), title_index=0).persons[0]
    assert printed.name == "OÀNG THỊ THỦ DUYÊN"  # not written by hand: kept as read, nothing guessed


def test_a_capture_under_200_dpi_or_a_fax_asks_for_a_rescan_not_for_a_reviewer(office: Services) -> None:
    """Every value of this 150 dpi scan is read and confirmed by two readers: the paper must be scanned again, but no
    reviewer needs to open the record for its fields; the lead sees it in the rescan queue."""
    from domain.actor import Actor
    from service.statistics import holdings

    manifest, _ = _digitised("tinh_trang_hon_nhan_hand_filled_scan150.jpg", office)
    assert [n.code for n in manifest.review] == ["low_resolution"]
    assert manifest.needs_rescan and not manifest.needs_review
    assert manifest.result_code not in [h.result_code for h in office.index.review_queue()]
    fax, _ = _digitised("quyet_dinh_ruled_fax.tif", office)
    assert "fax_capture" in {n.code for n in fax.review} and fax.pages[0].fax
    queue = holdings(office, Actor("lead-01", "operator")).rescans
    assert {r.result_code for r in queue} >= {manifest.result_code, fax.result_code}
    assert any("150 dpi" in reason for r in queue for reason in r.reasons)
