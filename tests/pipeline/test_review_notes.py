"""What the reviewer reads beside each flagged record, word for word: the sentence is the reviewer's whole brief, so
each one is checked as a reviewer would read it, with the value and the reason it carries."""

from __future__ import annotations

from datetime import date

import pytest

from context.settings import load_catalogue
from domain.records import Classification, FieldEvidence, Note, PageInfo, Person
from pipeline.fields import Extracted
from pipeline.review import number_fits, plausible_number, review_notes

CATALOGUE = load_catalogue()
TODAY = date(2026, 12, 2)
BIRTH = CATALOGUE.get("khai_sinh")
CHILD = Person(role="registrant", name="NGUYỄN VĂN NGHĨA", dob=date(2015, 5, 29), personal_number="001215912779")


def read(type_id: str | None = "khai_sinh", pages: tuple[PageInfo, ...] = (), confidence: float = 1.0,
         needs_review: bool = False, **fields: object) -> list[Note]:
    values: dict = {"number": "256", "issue_date": date(2015, 7, 11), "issuer": "ỦY BAN NHÂN DÂN XÃ HÀ TAM",
                    "persons": [CHILD]}
    values.update(fields)
    doc_type = CATALOGUE.get(type_id) if type_id else None
    classification = Classification(type_id=type_id, type_name=doc_type.name if doc_type else None,
                                    confidence=confidence, needs_review=needs_review)
    return review_notes(classification, Extracted(**values), list(pages), TODAY, doc_type)


def said(notes: list[Note]) -> list[tuple[str, str]]:
    return [(n.code, n.message) for n in notes]


def test_a_complete_record_carries_no_note() -> None:
    assert read() == []


def test_the_type_unknown_or_recognised_with_low_confidence() -> None:
    assert ("unknown_type", "Không nhận diện được loại giấy tờ") in said(read(type_id=None))
    assert said(read(confidence=0.42, needs_review=True)) == [
        ("low_type_confidence", "Độ tin cậy khi nhận diện loại giấy tờ thấp (42%)")]


def test_the_date_missing_in_the_future_or_in_doubt() -> None:
    assert said(read(issue_date=None)) == [("no_issue_date", "Không đọc được ngày cấp")]
    assert said(read(issue_date=None, doubts={"issue_date": "Dòng ngày tháng viết tay"})) == [
        ("no_issue_date", "Dòng ngày tháng viết tay")]
    assert said(read(issue_date=date(2027, 1, 5))) == [
        ("future_issue_date", "Ngày cấp 05/01/2027 ở sau ngày số hóa")]
    assert said(read(issue_date=TODAY)) == []  # today is not the future
    assert said(read(doubts={"issue_date": "Hai bộ đọc khác nhau"})) == [
        ("issue_date_uncertain", "Hai bộ đọc khác nhau")]


def test_the_number_missing_in_doubt_or_of_the_wrong_form() -> None:
    assert said(read(number=None)) == [("no_number", "Không đọc được số, ký hiệu giấy tờ")]
    assert said(read(number=None, doubts={"number": "Số viết tay"})) == [("no_number", "Số viết tay")]
    assert said(read(doubts={"number": "Đọc được 209 và 289"})) == [("number_uncertain", "Đọc được 209 và 289")]
    assert said(read(number="2Œ")) == [("number_uncertain", "Số, ký hiệu «2Œ» không đúng dạng (số thường được viết "
                                        "tay sau khi ký, hoặc bị đọc sai): cần người đối chiếu với bản giấy")]


def test_a_decision_needs_no_number_when_its_type_does_not_require_one() -> None:
    decision = CATALOGUE.get("quyet_dinh")
    assert "number" in decision.required
    assert [n.code for n in read(type_id="quyet_dinh", number=None, persons=[])] == ["no_number"]


def test_the_issuer_missing_or_in_doubt() -> None:
    assert said(read(issuer=None)) == [("no_issuer", "Không đọc được cơ quan ban hành")]
    assert said(read(doubts={"issuer": "Địa danh viết khác"})) == [("issuer_uncertain", "Địa danh viết khác")]
    assert said(read(issuer=None, doubts={"issuer": "x"})) == [("no_issuer", "Không đọc được cơ quan ban hành")]


def test_the_subject_missing_or_without_birth_date_or_identifier() -> None:
    assert said(read(persons=[]))[:2] == [("no_subject", "Không tìm thấy họ tên người được cấp giấy tờ"),
                                         ("no_identifier", "Không tìm thấy số định danh cá nhân hay số CMND")]
    nameless = Person(role="registrant", dob=date(2015, 5, 29), personal_number="001215912779")
    assert said(read(persons=[nameless])) == [
        ("no_subject", "Không tìm thấy họ tên người được cấp giấy tờ")]  # said once, not also as nameless
    undated = CHILD.model_copy(update={"dob": None})
    assert said(read(persons=[undated])) == [("no_dob", "Không đọc được ngày sinh của NGUYỄN VĂN NGHĨA")]
    unnumbered = CHILD.model_copy(update={"personal_number": None})
    assert said(read(persons=[unnumbered])) == [("no_identifier", "Không tìm thấy số định danh cá nhân, số CMND hay "
                                                 "quyển số đăng ký của NGUYỄN VĂN NGHĨA")]
    assert read(persons=[unnumbered], register_book="01/2015") == []  # an old register entry: book and number
    assert read(persons=[unnumbered.model_copy(update={"old_id": "230987654"})]) == []


def test_a_number_without_a_name_and_a_label_without_a_number() -> None:
    other = Person(role="father", old_id="230987654")
    assert ("nameless_person", "Có số 230987654 nhưng không đọc được họ tên người mang số này") in said(
        read(persons=[CHILD, other]))
    notes = read(type_id="quyet_dinh", persons=[], unread_labels=["Số CCCD"])
    assert ("no_identifier", "Có nhãn «Số CCCD» nhưng không đọc được số đi kèm: cần xem bản giấy") in said(notes)


def test_a_personal_number_that_fails_its_checks_is_shown_with_the_problem() -> None:
    wrong = CHILD.model_copy(update={"problems": ["birth_year"]})
    [(code, message)] = said(read(persons=[wrong]))
    assert code == "personal_number_birth_year"
    assert message.endswith(": NGUYỄN VĂN NGHĨA — 001215912779") and len(message) > 40


def test_handwritten_values_not_confirmed_are_flagged_with_the_value_and_why() -> None:
    handwritten = CHILD.model_copy(update={"handwritten": ["name", "dob"]})
    evidence = {"persons.0.dob": FieldEvidence(value="29/05/2015", confirmed=False, readings=[],
                                               reason="chỉ một bộ đọc đọc được")}
    assert said(read(persons=[handwritten], evidence=evidence)) == [
        ("handwritten_subject", "Họ tên viết tay («NGUYỄN VĂN NGHĨA»): cần đối chiếu với bản giấy"),
        ("handwritten_dob", "Ngày sinh của NGUYỄN VĂN NGHĨA viết tay («29/05/2015»): chỉ một bộ đọc đọc được: cần "
                            "đối chiếu với bản giấy")]
    confirmed = {"persons.0.name": FieldEvidence(value="NGUYỄN VĂN NGHĨA", confirmed=True, readings=[], reason=""),
                 "persons.0.dob": FieldEvidence(value="29/05/2015", confirmed=True, readings=[], reason="")}
    assert read(persons=[handwritten], evidence=confirmed) == []  # two readings agreed: nothing to check


def test_a_printed_name_in_doubt_is_flagged_with_its_reason() -> None:
    doubt = {"persons.0.name": FieldEvidence(value="NGUYỄN VĂN NGHĨA", confirmed=False, readings=[],
                                             reason="chữ «NGHĨA» có thể là «NGHỊA»")}
    assert said(read(evidence=doubt)) == [
        ("name_uncertain", "Họ tên «NGUYỄN VĂN NGHĨA»: chữ «NGHĨA» có thể là «NGHỊA»")]


def test_pages_too_poor_a_fax_or_under_200_dpi_are_named_by_number() -> None:
    pages = (PageInfo(index=0, width=10, height=10, dpi=300, source="ocr", ocr_confidence=59.4),
             PageInfo(index=1, width=10, height=10, dpi=200, source="ocr", ocr_confidence=60.0, fax=True),
             PageInfo(index=2, width=10, height=10, dpi=150, source="ocr", dpi_source="estimated"),
             PageInfo(index=3, width=10, height=10, dpi=96, source="text_layer"),
             PageInfo(index=4, width=10, height=10, dpi=199, source="ocr"))
    assert said(read(pages=pages)) == [
        ("low_ocr_confidence", "Trang 1: chất lượng nhận dạng chữ thấp (59%)"),
        ("fax_capture", "Trang 2: bản fax (ảnh đen trắng nén fax), không phải bản quét từ giấy: cần quét lại từ bản "
                        "giấy"),
        ("low_resolution", "Trang 3: độ phân giải 150 dpi (ước tính từ cỡ chữ, tệp ảnh không ghi), dưới mức tối "
                           "thiểu 200 dpi"),
        ("low_resolution", "Trang 5: độ phân giải 199 dpi, dưới mức tối thiểu 200 dpi")]


@pytest.mark.parametrize(("number", "ok"), [
    ("256", True), ("237/QĐ-UBND", True), ("39C8303514", True), ("102/XN-UBND.TP", True), ("2Œ", False),
    ("¿02", False), ("QĐ-UBND", False), ("237/", False), ("237/qđ", False), ("", False),
])
def test_a_number_has_the_regulations_form(number: str, ok: bool) -> None:
    assert plausible_number(number) is ok
    assert number_fits(number, None) is ok


def test_a_type_with_its_own_form_of_number_is_held_to_it() -> None:
    business = next(t for t in CATALOGUE.types if t.number_pattern == "[0-9]{2}[A-Z][0-9]{7,8}")
    assert number_fits("84D8417225", business) and not number_fits("237/QĐ-UBND", business)
    assert plausible_number("237/QĐ-UBND")  # the general form would take it: the type's own form decides
    assert number_fits("1234567", BIRTH) is False and plausible_number("1234567")  # six figures at most


def test_a_paper_about_two_names_the_side_it_lacks() -> None:
    wife = Person(role="wife", name="LÊ THỊ HOA", dob=date(1995, 1, 2), personal_number="064195000123")
    husband = Person(role="husband", name="TRẦN VĂN BÌNH", dob=date(1993, 3, 4), personal_number="064093000456")
    assert read(type_id="ket_hon", persons=[wife, husband]) == []
    assert said(read(type_id="ket_hon", persons=[wife])) == [
        ("no_subject", "Chỉ tìm thấy họ tên của một bên: không tìm thấy bên thứ 2 trong 2 bên của giấy tờ")]
    assert said(read(type_id="ket_hon", persons=[husband])) == [
        ("no_subject", "Chỉ tìm thấy họ tên của một bên: không tìm thấy bên thứ 1 trong 2 bên của giấy tờ")]
    witness = Person(role="witness", name="NGUYỄN VĂN AN")  # a person the paper is not about is not checked
    assert read(type_id="ket_hon", persons=[wife, husband, witness]) == []


def test_a_subject_without_a_name_is_called_the_holder_in_every_note() -> None:
    nameless = Person(role="registrant", handwritten=["dob"], dob=date(2015, 5, 29))
    notes = said(read(persons=[nameless], register_book="01/2015"))
    assert ("handwritten_dob", "Ngày sinh của người được cấp viết tay («29/05/2015»): cần đối chiếu với bản giấy") \
        in notes
    undated = Person(role="registrant")
    assert ("no_dob", "Không đọc được ngày sinh của người được cấp") in said(read(persons=[undated]))
    assert ("no_identifier", "Không tìm thấy số định danh cá nhân, số CMND hay quyển số đăng ký của người được "
                             "cấp") in said(read(persons=[undated]))
