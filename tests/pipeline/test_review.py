"""Review carries signal: each type's required fields are checked, and a complete, consistent record is not
flagged."""

from datetime import date

from context.settings import load_catalogue
from domain.records import Classification, Person
from pipeline.fields import Extracted
from pipeline.review import review_notes

CATALOGUE = load_catalogue()
TODAY = date(2026, 12, 2)


def notes(type_id: str, extracted: Extracted) -> list[str]:
    doc_type = CATALOGUE.get(type_id)
    classification = Classification(type_id=type_id, type_name=doc_type.name, confidence=1.0, needs_review=False)
    return [n.code for n in review_notes(classification, extracted, [], TODAY, doc_type)]


def test_a_decision_about_procedures_names_no_citizen_and_is_not_flagged_for_it() -> None:
    record = Extracted(number="237/QĐ-UBND", issue_date=date(2025, 2, 18), issuer="ỦY BAN NHÂN DÂN TỈNH BẠC LIÊU")
    assert notes("quyet_dinh", record) == []


def test_a_beneficiary_a_decision_names_needs_an_identifier() -> None:
    record = Extracted(number="237/QĐ-UBND", issue_date=date(2025, 2, 18), issuer="UBND TỈNH GIA LAI",
                       persons=[Person(role="beneficiary", name="ĐẶNG THỊ DUYÊN")])
    assert notes("quyet_dinh", record) == ["no_identifier"]


def birth(**changes: object) -> Extracted:
    values: dict = {"number": "256", "issue_date": date(2015, 7, 11), "issuer": "ỦY BAN NHÂN DÂN XÃ HÀ TAM",
                    "persons": [Person(role="registrant", name="NGUYỄN VĂN NGHĨA", dob=date(2015, 5, 29),
                                       personal_number="001215912779")]}
    values.update(changes)
    return Extracted(**values)


def test_a_complete_birth_certificate_is_not_flagged() -> None:
    assert notes("khai_sinh", birth()) == []


def test_each_missing_required_field_of_a_civil_status_result_is_flagged() -> None:
    assert notes("khai_sinh", birth(persons=[])) == ["no_subject", "no_identifier"]
    no_dob = [Person(role="registrant", name="NGUYỄN VĂN NGHĨA", personal_number="001215912779")]
    assert notes("khai_sinh", birth(persons=no_dob)) == ["no_dob"]
    assert notes("khai_sinh", birth(issuer=None)) == ["no_issuer"]


def test_a_register_book_and_number_identify_an_old_entry() -> None:
    old = [Person(role="registrant", name="NGUYỄN VĂN NGHĨA", dob=date(1990, 5, 29))]
    assert notes("khai_sinh", birth(persons=old)) == ["no_identifier"]
    assert notes("khai_sinh", birth(persons=old, register_book="01/1990")) == []


def test_numbers_are_checked_against_their_types_form() -> None:
    permit = Extracted(number="13/GPXD", issue_date=date(2022, 1, 23), issuer="UBND HUYỆN ĐAK PƠ",
                       persons=[Person(role="owner", name="NGÔ THANH HƯƠNG", personal_number="066163859956")])
    assert notes("giay_phep_xay_dung", permit) == []
    permit.number = "13/QĐ-UBND"
    assert notes("giay_phep_xay_dung", permit) == ["number_uncertain"]
    business = Extracted(number="84D8417225", issue_date=date(2022, 5, 7), issuer="UBND HUYỆN ĐAK PƠ",
                         persons=[Person(role="owner", name="ĐẶNG VĂN PHÚC", dob=date(1986, 9, 20),
                                         personal_number="064086927066")])
    assert notes("ho_kinh_doanh", business) == []
    business.number = "84D841722"  # a digit lost
    assert notes("ho_kinh_doanh", business) == ["number_uncertain"]


def test_a_doubt_from_reading_is_shown_with_its_reason() -> None:
    record = Extracted(number="440/QĐ-UBND", issue_date=None, issuer="UBND TỈNH BẠC LIÊU",
                       doubts={"number": "Số «440/QĐ-UBND» đọc với độ tin cậy 61%",
                               "issue_date": "Dòng ngày tháng «Bạc Liêu, ngày 48 tháng 02» không đọc được trọn"})
    doc_type = CATALOGUE.get("quyet_dinh")
    classification = Classification(type_id="quyet_dinh", type_name=doc_type.name, confidence=1.0,
                                    needs_review=False)
    found = {n.code: n.message for n in review_notes(classification, record, [], TODAY, doc_type)}
    assert found == {"no_issue_date": record.doubts["issue_date"], "number_uncertain": record.doubts["number"]}


def test_a_decision_with_an_id_label_but_no_id_read_goes_to_a_person() -> None:
    """A decision may name no one; one printing "Số định danh:" whose number the reader lost or put elsewhere does."""
    from context.settings import load_catalogue
    from pipeline.fields import extract

    catalogue = load_catalogue()
    labels = catalogue.labels_for("quyet_dinh")
    lost = extract(["Họ tên:", "Số định danh:", "Điều 2. Chánh Văn phòng chịu trách nhiệm thi hành."], labels,
                   title_index=None)
    assert lost.persons == [] and lost.unread_labels == ["Số định danh"]
    prose = extract(["Công dân xuất trình số định danh cá nhân khi làm thủ tục."], labels, title_index=None)
    assert prose.unread_labels == []  # a phrase in a sentence is no field left unread


def test_a_marriage_certificate_naming_only_one_side_goes_to_a_person() -> None:
    wife = Person(role="wife", name="NGÔ NGỌC TRINH", dob=date(1999, 4, 23), personal_number="064199123456")
    fields = {"number": "81", "issue_date": date(2025, 5, 8), "issuer": "ỦY BAN NHÂN DÂN XÃ IA PAL"}
    assert "no_subject" in notes("ket_hon", Extracted(persons=[wife], **fields))
    husband = Person(role="husband", name="LÂM QUANG LONG", dob=date(1983, 9, 19), personal_number="064083123456")
    assert "no_subject" not in notes("ket_hon", Extracted(persons=[wife, husband], **fields))


def test_a_year_of_birth_alone_is_not_a_missing_birth_date() -> None:
    holder = Person(role="subject", name="LÝ ĐÌNH HÙNG", birth_year=1985, personal_number="064085123456")
    fields = {"number": "12/UBND-XNTTHN", "issue_date": date(2026, 5, 2), "issuer": "ỦY BAN NHÂN DÂN XÃ IA PAL"}
    assert "no_dob" not in notes("tinh_trang_hon_nhan", Extracted(persons=[holder], **fields))
    unborn = holder.model_copy(update={"birth_year": None})
    assert "no_dob" in notes("tinh_trang_hon_nhan", Extracted(persons=[unborn], **fields))
