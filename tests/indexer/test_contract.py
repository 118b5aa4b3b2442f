"""The one query model, run on every index backend with the same expected answers.

Backends: SQLite; Elasticsearch through the real client against the recording double; a live cluster when
SOHOA_ES_URL is set (see tests/indexer/conftest.py).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest

from indexer.base import Filters, Index, RecordQuery
from tests.indexer.conftest import (
    AGENCY,
    BIRTH_LAN,
    LAN_DOB,
    MARRIAGE,
    OCR_LAM,
    OCR_LAMM,
    STATUS_NEW,
    STATUS_OLD,
    UNSIGNED,
    UNTYPED,
    sample_records,
)


def codes(index: Index, **query: object) -> list[str]:
    return [h.result_code for h in index.find(RecordQuery(**query))]  # type: ignore[arg-type]


def test_by_personal_number_finds_every_role_and_never_an_unsigned_record(loaded: Index) -> None:
    assert codes(loaded, personal_number="064190000001") == [MARRIAGE]  # UNSIGNED names her too
    [hit] = loaded.find(RecordQuery(personal_number="064088000002"))
    assert hit.location == "/archive/marriage" and hit.number == "15/2020/KH"
    assert [p.role for p in hit.persons] == ["wife", "husband"]
    assert hit.persons[1].name == "ĐẶNG VĂN ĐẠT" and hit.persons[1].dob == date(1988, 1, 2)
    assert codes(loaded, personal_number="064190000009") == []


def test_by_old_id_newest_issue_first(loaded: Index) -> None:
    assert codes(loaded, old_id="230987654") == [STATUS_NEW, STATUS_OLD]
    assert codes(loaded, old_id="230987655") == []


def test_by_name_and_birth_date_ignores_case_and_diacritics_and_tolerates_one_ocr_error(loaded: Index) -> None:
    # "TRẦN THỊ LÂN" folds to the same name; "TRAN THI LAM" is one letter off; "TRAN THI LAMM" two: not found.
    assert codes(loaded, name="tran thi lan", dob=LAN_DOB) == [STATUS_NEW, STATUS_OLD, OCR_LAM, BIRTH_LAN]
    assert codes(loaded, name="Tran  Thi   Lna", dob=LAN_DOB) == [STATUS_NEW, STATUS_OLD, BIRTH_LAN]  # a swap
    assert OCR_LAMM in codes(loaded, name="tran thi lamm", dob=LAN_DOB)
    assert codes(loaded, name="tran thi lan", dob=date(1978, 9, 3)) == []
    assert codes(loaded, name="tran thi", dob=LAN_DOB) == []
    assert codes(loaded, name="dang van dat", dob=date(1988, 1, 2)) == [MARRIAGE]  # đ -> d


def test_a_person_whose_paper_gives_only_the_year_of_birth_is_found_by_a_birth_date_in_that_year(
        backend: Index) -> None:
    from domain.records import Person
    from tests.indexer.conftest import _record

    permit = _record("permit", f"{AGENCY}-261207-000042-KQ1", type_id="giay_phep_xay_dung", type_name="Giấy phép",
                     issued=date(2024, 5, 2), text="GIẤY PHÉP XÂY DỰNG",
                     persons=[Person(role="owner", name="LÝ ĐÌNH HÙNG", birth_year=1985)])
    assert backend.upsert_many([permit]) == []
    [hit] = backend.find(RecordQuery(name="Lý Đình Hùng", dob=date(1985, 3, 5)))
    assert hit.result_code == permit.result_code and hit.persons[0].birth_year == 1985
    assert hit.persons[0].dob is None  # no day invented
    assert codes(backend, name="Lý Đình Hùng", dob=date(1986, 3, 5)) == []


def test_an_exact_spelling_ranks_before_other_spellings(loaded: Index) -> None:
    assert codes(loaded, name="Trần Thị Lân", dob=LAN_DOB) == [BIRTH_LAN, STATUS_NEW, STATUS_OLD, OCR_LAM]
    assert codes(loaded, name="TRẦN THỊ LAN", dob=LAN_DOB) == [STATUS_NEW, STATUS_OLD, OCR_LAM, BIRTH_LAN]


def test_by_result_code_or_dossier_code(loaded: Index) -> None:
    assert codes(loaded, code=MARRIAGE) == [MARRIAGE]
    assert codes(loaded, code=STATUS_OLD.rsplit("-", 1)[0]) == [STATUS_OLD]  # the dossier code
    assert codes(loaded, code=UNSIGNED) == []
    assert codes(loaded, code="000.00.00.H49-200304") == []  # no prefix matching


def test_by_number_as_a_clerk_types_it(loaded: Index) -> None:
    assert codes(loaded, number="102/XN-UBND") == [STATUS_OLD]
    assert codes(loaded, number="102/xn-ubnd") == [STATUS_OLD]
    assert codes(loaded, number=" 102 / XN – UBND ") == [STATUS_OLD]
    assert codes(loaded, number="15/2020/kh") == [MARRIAGE]
    assert codes(loaded, number="102/XN") == []
    assert codes(loaded, number="09/tk-ubnd") == [UNTYPED]  # the stored number is normalised the same way


def test_full_text_needs_every_word_ignores_diacritics_and_ranks_exact_names_first(loaded: Index) -> None:
    assert codes(loaded, text="dak po") == [MARRIAGE]
    assert codes(loaded, text="Đắk Pơ Gia Lai") == [MARRIAGE]
    assert codes(loaded, text="hong nhung ket hon") == [MARRIAGE]  # a name and the text together
    assert set(codes(loaded, text="tinh trang hon nhan")) == {STATUS_NEW, STATUS_OLD}
    assert codes(loaded, text="hồng lan") == []
    assert codes(loaded, text='" OR *') == []  # query syntax is not passed through
    found = codes(loaded, text="Trần Thị Lân")
    assert set(found) == {STATUS_NEW, STATUS_OLD, BIRTH_LAN} and found[0] == BIRTH_LAN
    assert codes(loaded, text="tam", filters=Filters(type_ids=("khai_sinh",))) == []
    assert codes(loaded, text="le van tam") == [UNTYPED]


DECISION_A = ("QUYẾT ĐỊNH Về việc phê duyệt kế hoạch số hóa hồ sơ hộ tịch năm 2025 của phường Hội Phú. "
              "Giao Phòng Tư pháp chủ trì, phối hợp Trung tâm Công nghệ thông tin triển khai tại kho lưu trữ Pleiku")
DECISION_B = ("QUYẾT ĐỊNH Về việc công bố danh mục thủ tục hành chính lĩnh vực đất đai thuộc thẩm quyền của "
              "Sở Tài nguyên và Môi trường. Chánh Văn phòng, Giám đốc Sở chịu trách nhiệm thi hành Quyết định này")


def test_like_finds_the_record_a_second_reading_of_a_paper_comes_from(loaded: Index) -> None:
    base = next(r for r in sample_records() if r.result_code == STATUS_OLD)
    a, b = f"{AGENCY}-250101-0101-KQ1", f"{AGENCY}-250101-0102-KQ1"
    loaded.upsert(replace(base, result_code=a, persons=(), names="", number=None, body=DECISION_A))
    loaded.upsert(replace(base, result_code=b, persons=(), names="", number=None, body=DECISION_B))
    loaded.refresh()
    # another OCR of A: words misread, some lost, its number unread
    reading = ("QUYẾT ĐJNH Về viêc phê duyệt kế hoach số hóa hồ sơ hộ tich năm 2O25 của phường Hôi Phú. Giao Phòng "
               "Tư pháp chủ trì, phối hơp Trung tâm Công nghệ thông tin triển khai")
    assert codes(loaded, like=reading)[:1] == [a]
    assert b not in codes(loaded, like=reading)  # it shares a few words ("quyết định về việc"), not enough
    assert codes(loaded, like="Biên bản họp tổ dân phố số 3") == []
    assert codes(loaded, like=DECISION_B, filters=Filters(type_ids=("ket_hon",))) == []


def test_filters_by_type_issuer_and_issue_dates(loaded: Index) -> None:
    lan = {"name": "tran thi lan", "dob": LAN_DOB}
    assert codes(loaded, **lan, filters=Filters(type_ids=("tinh_trang_hon_nhan",))) == [STATUS_NEW, STATUS_OLD]
    assert codes(loaded, **lan, filters=Filters(type_ids=("khai_sinh", "ket_hon"))) == [OCR_LAM, BIRTH_LAN]
    assert codes(loaded, **lan, filters=Filters(issuer="ubnd phuong hoi phu")) == [STATUS_NEW, STATUS_OLD]
    assert codes(loaded, **lan, filters=Filters(issuer="UBND xã Ia Kênh")) == [BIRTH_LAN]
    spring = Filters(issued_from=date(2026, 1, 1), issued_to=date(2026, 6, 30))
    assert codes(loaded, **lan, filters=spring) == [STATUS_OLD]
    assert codes(loaded, **lan, filters=Filters(issued_from=date(2026, 10, 1))) == [STATUS_NEW]  # inclusive
    assert codes(loaded, **lan, filters=Filters(issued_to=date(2000, 1, 1))) == [BIRTH_LAN]


def test_valid_on_a_day_leaves_out_a_marital_status_confirmation_older_than_six_months(loaded: Index) -> None:
    lan = {"name": "tran thi lan", "dob": LAN_DOB}
    assert codes(loaded, **lan, filters=Filters(valid_on=date(2026, 11, 22))) == [STATUS_NEW, OCR_LAM, BIRTH_LAN]
    assert codes(loaded, **lan, filters=Filters(valid_on=date(2026, 8, 31))) == \
        [STATUS_NEW, STATUS_OLD, OCR_LAM, BIRTH_LAN]  # its last day (the later one is valid too, by its dates)
    assert codes(loaded, **lan, filters=Filters(valid_on=date(2027, 4, 1))) == [OCR_LAM, BIRTH_LAN]
    assert codes(loaded, old_id="230987654", filters=Filters(valid_on=date(2026, 11, 22),
                                                             type_ids=("tinh_trang_hon_nhan",))) == [STATUS_NEW]


def test_get_count_types_and_review_queue(loaded: Index) -> None:
    hit = loaded.get(STATUS_OLD)
    assert hit is not None and hit.valid_until == date(2026, 8, 31) and hit.validity_rule == "6 months"
    assert hit.dossier_code == STATUS_OLD.rsplit("-", 1)[0] and hit.issuer == "UBND phường Hội Phú"
    assert loaded.get("000.00.00.H49-990101-0099-KQ1") is None
    assert loaded.get(UNSIGNED) is not None  # held, only never offered for reuse
    assert loaded.count() == 8
    assert loaded.count_by_type() == {"khai_sinh": 4, "tinh_trang_hon_nhan": 2, "ket_hon": 1, "": 1}
    assert [h.result_code for h in loaded.review_queue()] == [OCR_LAM]


def test_upsert_replaces_and_remove_forgets(loaded: Index) -> None:
    old = next(r for r in sample_records() if r.result_code == STATUS_OLD)
    loaded.upsert(replace(old, location="/archive/moved", number="103/XN-UBND"))
    loaded.refresh()
    assert loaded.count() == 8
    assert codes(loaded, number="102/XN-UBND") == []
    [hit] = loaded.find(RecordQuery(number="103/xn-ubnd"))
    assert hit.location == "/archive/moved"
    loaded.remove(STATUS_OLD)
    loaded.remove(STATUS_OLD)  # twice: nothing to forget the second time
    loaded.refresh()
    assert codes(loaded, old_id="230987654") == [STATUS_NEW] and loaded.count() == 7


def test_upserts_from_several_worker_threads_all_land(backend: Index) -> None:
    records = sample_records()

    def write(k: int) -> None:
        for j in range(10):
            backend.upsert(replace(records[k], result_code=f"000.00.00.H49-261122-{k:02d}{j:02d}-KQ1"))

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    backend.refresh()
    assert backend.count() == 40
    assert len(backend.find(RecordQuery(personal_number="064088000002"))) == 10  # records[0] is the marriage


def test_a_new_build_is_invisible_until_published_then_replaces_everything(loaded: Index) -> None:
    build = loaded.start_build()
    kept = [r for r in sample_records() if r.result_code in (MARRIAGE, STATUS_NEW)]
    assert build.add(iter(kept)) == 2
    assert loaded.count() == 8 and codes(loaded, old_id="230987654") == [STATUS_NEW, STATUS_OLD]
    build.publish()
    assert loaded.count() == 2
    assert codes(loaded, old_id="230987654") == [STATUS_NEW]
    assert codes(loaded, personal_number="064088000002") == [MARRIAGE]
    loaded.upsert(sample_records()[1])  # writes go to the new index
    loaded.refresh()
    assert loaded.count() == 3


def test_an_abandoned_build_leaves_the_index_as_it_was(loaded: Index) -> None:
    build = loaded.start_build()
    build.add(iter(sample_records()[:1]))
    build.abandon()
    assert loaded.count() == 8 and codes(loaded, old_id="230987654") == [STATUS_NEW, STATUS_OLD]


def test_a_lookup_needs_exactly_one_way_of_finding() -> None:
    with pytest.raises(ValueError):
        RecordQuery(name="Trần Thị Lan")
    with pytest.raises(ValueError):
        RecordQuery()
    with pytest.raises(ValueError):
        RecordQuery(personal_number="064190000001", old_id="230987654")
    assert RecordQuery(name="Lan", dob=LAN_DOB).kind == "name_dob"


def test_an_archivist_finds_the_records_of_a_box_by_where_their_paper_sits(backend: Index) -> None:
    from dataclasses import replace as changed

    from indexer.document import IndexedRecord, place_keys
    from tests.indexer.conftest import _record

    def in_box(seed: str, number: str, **place: str) -> IndexedRecord:
        made = _record(seed, f"{AGENCY}-261207-0{number}-KQ1", type_id="khai_sinh", type_name="Giấy khai sinh",
                       issued=date(2019, 1, int(number[-1]) + 1), text="GIẤY KHAI SINH", persons=[])
        return changed(made, paper=place_keys(**place))

    a = in_box("a", "0011", fonds="UBND xã Ia Kênh", inventory="3", box="12", file="7")
    b = in_box("b", "0012", fonds="UBND xã Ia Kênh", inventory="3", box="12", file="8")
    c = in_box("c", "0013", fonds="UBND xã Ia Kênh", inventory="3", box="2", file="7")  # "2" is not "12"
    assert backend.upsert_many([a, b, c]) == []
    backend.refresh()
    box_12 = Filters(paper=place_keys(inventory="3", box="12"))
    assert codes(backend, filters=box_12) == [b.result_code, a.result_code]
    assert codes(backend, filters=Filters(paper=place_keys(fonds="ubnd xa ia kenh", box="12", file="7"))) == [
        a.result_code]
    assert codes(backend, text="khai sinh", filters=Filters(paper=place_keys(box="2"))) == [c.result_code]
    [hit] = backend.find(RecordQuery(code=a.result_code))
    assert hit.paper == ("fonds:ubnd xa ia kenh", "inventory:3", "box:12", "file:7")
