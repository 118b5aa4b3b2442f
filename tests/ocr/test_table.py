"""A ruled form is read row by row, each label beside its value; a page without a grid is left as read."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from ocr.page import read_page
from ocr.preprocess import erase_leaders
from ocr.table import find_tables
from tests.conftest import REPO, SAMPLES

VARIETY = REPO / "variety_scans"


def test_each_row_of_a_ruled_form_reads_as_label_then_value() -> None:
    truth = json.loads((VARIETY / "khai_sinh_ruled_scan300.json").read_text(encoding="utf-8"))
    rows = [line for line in truth["text"].splitlines() if " | " in line]
    reading = read_page(np.asarray(Image.open(VARIETY / "khai_sinh_ruled_scan300.jpg")), dpi=300)
    read = [line.text for line in reading.ocr.lines]
    assert len(rows) == 10
    assert sum(row in read for row in rows) >= 9, read  # one cell may hold a misread letter
    assert "Họ, chữ đệm và tên người được khai sinh | " + truth["persons"][0]["name"] in read


def test_a_page_of_prose_has_no_table() -> None:
    for name in ("khai_sinh_01.png", "quyet_dinh_02.jpg"):
        grey = np.asarray(Image.open(SAMPLES / name).convert("L"))
        assert find_tables(grey) == []


def test_dotted_blanks_are_found_and_erased_and_diacritics_are_not() -> None:
    page = np.full((200, 1200), 250, np.uint8)
    for x in range(300, 1100, 20):  # a dotted blank: 40 dots of 5 px, evenly spaced
        page[150:155, x:x + 5] = 0
    for x in (100, 400, 900):  # lone dots, as over an i or under an ạ
        page[60:65, x:x + 5] = 0
    erased, blanks = erase_leaders(page, 300)
    assert len(blanks) == 1 and blanks[0][0] == 300 and blanks[0][2] == 1085
    assert erased[150:155, 300:1100].min() >= 250  # paper where the dots were
    assert erased[60:65, 100:105].max() == 0  # the lone dots stay
    grey = np.asarray(Image.open(SAMPLES / "khai_sinh_01.png").convert("L"))
    assert erase_leaders(grey, 300)[1] == []


def test_a_blank_cell_keeps_its_place_and_a_rule_read_into_a_word_is_dropped() -> None:
    """A header row over a row whose first cell is blank: the values stay under their labels."""
    from ocr.engine import Line, OcrPage, Word
    from ocr.table import Table, read_rows

    table = Table(rows=(100, 200, 300), columns=(0, 100, 400, 700, 1000))
    header = Line(tuple(Word(t, 95.0, x, 140, 60, 30) for t, x in
                        (("STT", 20), ("Họ", 120), ("tên", 190), ("Ngày", 420), ("sinh", 500), ("CCCD", 720))))
    row = Line(tuple(Word(t, 95.0, x, 240, 60, 30) for t, x in
                     (("|Lê", 120), ("Văn", 190), ("An", 260), ("01/02/1950", 420), ("064050123456", 720))))
    page = read_rows(OcrPage((header, row), 1200, 1600, 300, b""), [table])
    assert [line.text for line in page.lines] == ["STT | Họ tên | Ngày sinh | CCCD",
                                                  "| Lê Văn An | 01/02/1950 | 064050123456"]
