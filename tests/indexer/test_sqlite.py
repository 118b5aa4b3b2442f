from datetime import date
from pathlib import Path

import pytest

from indexer.base import CitizenQuery
from indexer.sqlite import SqliteIndex
from pipeline.records import Person
from tests.archive.records import files, manifest_for


def indexed(tmp_path: Path) -> SqliteIndex:
    index = SqliteIndex(tmp_path / "index.sqlite")
    a = manifest_for(files(b"a"), "000.00.00.H49-261122-0001-KQ1")
    a.persons = [Person(role="wife", name="NGUYỄN THỊ HỒNG NHUNG", dob=date(1990, 5, 1),
                        personal_number="064190000001"),
                 Person(role="husband", name="ĐẶNG VĂN ĐẠT", dob=date(1988, 1, 2), personal_number="064088000002")]
    b = manifest_for(files(b"b"), "000.00.00.H49-261122-0002-KQ1")
    b.persons = [Person(role="subject", name="TRẦN THỊ LAN", dob=date(1978, 9, 2), old_id="230987654")]
    b.fields.issue_date = date(2020, 1, 1)
    index.upsert(a, "GIẤY CHỨNG NHẬN KẾT HÔN\nNơi cư trú: xã Đắk Pơ", "/archive/a")
    index.upsert(b, "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "/archive/b")
    return index


def test_lookup_by_personal_number_old_id_or_name_and_birth_date(tmp_path: Path) -> None:
    index = indexed(tmp_path)
    [hit] = index.lookup(CitizenQuery(personal_number="064088000002"))
    assert hit.result_code.endswith("0001-KQ1") and hit.location == "/archive/a"
    assert [p.role for p in hit.persons] == ["wife", "husband"]
    assert index.lookup(CitizenQuery(old_id="230987654"))[0].result_code.endswith("0002-KQ1")
    assert index.lookup(CitizenQuery(name="Tran Thi Lan", dob=date(1978, 9, 2)))[0].result_code.endswith("0002-KQ1")
    assert index.lookup(CitizenQuery(name="Tran Thi Lan", dob=date(1978, 9, 3))) == []
    assert index.lookup(CitizenQuery(personal_number="064190000009")) == []


def test_search_without_diacritics_finds_names_with_them_including_d_stroke(tmp_path: Path) -> None:
    index = indexed(tmp_path)
    assert [h.result_code[-8:] for h in index.search("nguyen thi hong")] == ["0001-KQ1"]
    assert [h.result_code[-8:] for h in index.search("dang van dat")] == ["0001-KQ1"]
    assert [h.result_code[-8:] for h in index.search("Đạt")] == ["0001-KQ1"]
    assert [h.result_code[-8:] for h in index.search("dak po")] == ["0001-KQ1"]
    assert [h.result_code[-8:] for h in index.search("TINH TRANG hon nhan")] == ["0002-KQ1"]
    assert index.search("hồng lan") == []  # every word must match
    assert index.search('" OR *') == []  # query syntax is not passed through


def test_upsert_replaces_and_clear_empties(tmp_path: Path) -> None:
    index = indexed(tmp_path)
    again = manifest_for(files(b"a"), "000.00.00.H49-261122-0001-KQ1")
    index.upsert(again, "", "/archive/a2")
    assert index.count() == 2
    assert index.get("000.00.00.H49-261122-0001-KQ1").location == "/archive/a2"  # type: ignore[union-attr]
    index.clear()
    assert index.count() == 0 and index.search("kết hôn") == []


def test_a_lookup_needs_someone_to_look_for() -> None:
    with pytest.raises(ValueError):
        CitizenQuery(name="Trần Thị Lan")
