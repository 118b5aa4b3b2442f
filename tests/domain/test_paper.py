"""The archival description of a batch's paper: read from the file beside the scans, refused with a sentence when a
key is unknown or a count is not a number, and reconciled against what was scanned."""

from __future__ import annotations

import pytest

from domain.paper import (
    ArchivalDescription,
    DescriptionError,
    read_description,
    read_separator_payload,
    separator_payload,
)

TOML = """fonds = "UBND xã Ia Kênh"
inventory = "3"
box = "12"
file = "7"
sheets = "1-24"
paper_code = "H49.03.12.07"
retention = "Vĩnh viễn"
condition = "Ố vàng, rách mép"
"""


def test_a_toml_description_is_read_and_worded_as_an_archivist_reads_a_cover() -> None:
    d = read_description("paper.toml", TOML.encode())
    assert (d.fonds, d.inventory, d.box, d.file, d.paper_code) == ("UBND xã Ia Kênh", "3", "12", "7", "H49.03.12.07")
    assert d.expected_sheets() == 24 and d.places_something
    assert d.words()[:3] == [("Phông", "UBND xã Ia Kênh"), ("Mục lục", "3"), ("Hộp", "12")]


def test_a_csv_description_is_one_row_under_a_header_of_keys() -> None:
    d = read_description("paper.csv", "fonds,box,sheet_count\nUBND xã Ia Kênh,12,40\n".encode())
    assert (d.fonds, d.box, d.sheet_count, d.expected_sheets()) == ("UBND xã Ia Kênh", "12", 40, 40)
    with pytest.raises(DescriptionError) as two:
        read_description("paper.csv", b"box\n1\n2\n")
    assert two.value.vietnamese == "paper.csv: cần đúng một dòng mô tả, có 2."


def test_an_unknown_key_or_a_count_that_is_not_a_number_is_refused_with_a_sentence() -> None:
    with pytest.raises(DescriptionError) as typo:
        read_description("paper.toml", b'hop = "12"\n')
    assert typo.value.vietnamese.startswith("paper.toml: không có mục hop (các mục dùng được: fonds, inventory")
    with pytest.raises(DescriptionError) as count:
        read_description("paper.toml", 'sheet_count = "bốn mươi"\n'.encode())
    assert count.value.vietnamese == "paper.toml: giá trị của sheet_count không hợp lệ."


def test_a_separator_payload_round_trips_and_other_qr_text_is_not_one() -> None:
    box = ArchivalDescription(fonds="UBND xã Ia Kênh", box="12", page_count=80)
    assert read_separator_payload(separator_payload(box)) == (True, box)
    assert read_separator_payload(separator_payload(None)) == (True, None)
    assert read_separator_payload("https://sohoa.example.gov.vn/verify/x") == (False, None)
    assert read_separator_payload('{"kind": "other"}') == (False, None)


def test_a_file_description_goes_over_its_box_description() -> None:
    box = ArchivalDescription(fonds="F", inventory="3", box="12", title="Hộ tịch 2019")
    assert box.merged(ArchivalDescription(file="7", title="Khai sinh")).model_dump(exclude_defaults=True) == {
        "fonds": "F", "inventory": "3", "box": "12", "file": "7", "title": "Khai sinh"}


def test_a_refusal_logs_english_names_its_file_and_keeps_a_stable_code() -> None:
    with pytest.raises(DescriptionError) as typo:
        read_description("paper.toml", b'hop = "12"\nngan = "3"\n')
    assert (typo.value.code, str(typo.value)) == ("unknown_keys", "paper.toml: unknown key(s) hop, ngan")
    assert typo.value.vietnamese.startswith("paper.toml: không có mục hop, ngan (các mục dùng được: fonds, inventory, ")
    with pytest.raises(DescriptionError) as counts:
        read_description("paper.csv", b"sheet_count,page_count\nmot,-2\n")
    assert (counts.value.code, str(counts.value)) == ("bad_values", "paper.csv: bad value for sheet_count, page_count")
    assert counts.value.vietnamese == "paper.csv: giá trị của sheet_count, page_count không hợp lệ."
    with pytest.raises(DescriptionError) as broken:
        read_description("paper.toml", b'box = "12\n')
    assert broken.value.code == "bad_toml" and str(broken.value).startswith("paper.toml: ")
    assert broken.value.vietnamese.startswith("paper.toml: không đọc được tệp TOML (") and "line 1" in str(broken.value)
    with pytest.raises(DescriptionError) as none:
        read_description("paper.csv", b"box\n")
    assert (none.value.code, str(none.value)) == ("csv_rows", "paper.csv: 0 rows")
    with pytest.raises(DescriptionError) as qr:
        read_separator_payload('{"kind":"sohoa-separator","v":1,"paper":{"hop":"1"}}')
    assert qr.value.vietnamese.startswith("separator: không có mục hop")


def test_empty_cells_are_empty_and_a_spreadsheets_byte_order_mark_is_not_a_key() -> None:
    d = read_description("paper.csv", "\ufefffonds,box,sheet_count,page_count\n, 12 ,,\n".encode())
    assert (d.fonds, d.box, d.sheet_count, d.page_count) == ("", "12", None, None)
    toml = read_description("paper.toml", b'box = 12\ninventory = 3\nsheet_count = 40\n')  # numbers written bare
    assert (toml.box, toml.inventory, toml.sheet_count) == ("12", "3", 40)


@pytest.mark.parametrize(("sheets", "expected"), [("1-24", 24), ("5-5", 1), (" 3 - 7 ", 5), ("7-3", None),
                                                  ("12", None), ("1-2-3", None), ("a-b", None), ("", None)])
def test_the_sheets_a_scan_should_hold_come_from_the_span_written_on_the_cover(sheets: str,
                                                                               expected: int | None) -> None:
    assert ArchivalDescription(sheets=sheets).expected_sheets() == expected


def test_a_separator_payload_is_compact_readable_and_leaves_out_what_is_empty() -> None:
    box = ArchivalDescription(fonds="UBND xã Ia Kênh", box="12", page_count=80)
    assert separator_payload(box) == ('{"kind":"sohoa-separator","v":1,"paper":{"fonds":"UBND xã Ia Kênh",'
                                      '"box":"12","page_count":80}}')
    assert separator_payload(None) == '{"kind":"sohoa-separator","v":1}'
    assert read_separator_payload('{"kind":"sohoa-separator","v":1,"paper":{}}') == (True, None)
    assert read_separator_payload('{"kind":"sohoa-separator","v":1,"paper":"12"}') == (True, None)
    assert read_separator_payload("[1, 2]") == (False, None)
