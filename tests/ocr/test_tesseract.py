from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from context.settings import load_settings
from domain.text import nfc
from ocr.page import read_page
from ocr.tesseract import parse_tsv, tesseract_version
from pipeline.intake import open_document
from tests.conftest import SAMPLES

HEAD = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


def row(block: int, line: int, word: int, left: int, width: int, text: str, conf: float = 95.0) -> str:
    return f"5\t1\t{block}\t1\t{line}\t{word}\t{left}\t100\t{width}\t40\t{conf}\t{text}\n"


def test_two_columns_on_one_tesseract_line_become_two_lines() -> None:
    tsv = HEAD + "".join([
        row(1, 1, 1, 100, 80, "ỦY"), row(1, 1, 2, 190, 80, "BAN"),
        row(1, 1, 3, 900, 120, "CỘNG"), row(1, 1, 4, 1030, 80, "HÒA"),
        "4\t1\t1\t1\t2\t0\t0\t0\t0\t0\t-1\t\n",  # a line record, not a word
        row(1, 2, 1, 100, 80, "Số:", 90), row(1, 2, 2, 190, 80, "12", 80),
    ])
    lines = parse_tsv(tsv)
    assert [line.text for line in lines] == ["ỦY BAN", "CỘNG HÒA", "Số: 12"]
    assert lines[2].words[1].confidence == 80


def at(block: int, top: int, left: int, text: str) -> str:
    return f"5\t1\t{block}\t1\t{top}\t1\t{left}\t{top}\t{40 * len(text)}\t40\t95\t{text}\n"  # a line each


def test_values_indented_under_their_labels_are_read_after_their_own_label() -> None:
    # Tesseract put the labels in one block and the values, indented under them, in the next.
    tsv = HEAD + at(1, 100, 100, "Sinh năm:") + at(1, 260, 100, "CCCD số:") + at(2, 180, 260, "1969") + at(
        2, 340, 260, "064069534351")
    assert [line.text for line in parse_tsv(tsv)] == ["Sinh năm:", "1969", "CCCD số:", "064069534351"]


def test_columns_side_by_side_keep_tesseracts_order() -> None:
    # "Nơi nhận" on the left, the signature block on the right: each column read whole, as Tesseract gave them.
    tsv = HEAD + at(1, 100, 100, "Nơi nhận:") + at(1, 160, 100, "Lưu VT") + at(2, 100, 1200, "CHỦ TỊCH") + at(
        2, 160, 1200, "Lê Văn An")
    assert [line.text for line in parse_tsv(tsv)] == ["Nơi nhận:", "Lưu VT", "CHỦ TỊCH", "Lê Văn An"]


def test_tesseract_5_with_vietnamese_is_installed() -> None:
    assert tesseract_version().startswith("5.")


def test_an_upside_down_scan_is_read_turned_over() -> None:
    with Image.open(SAMPLES / "ket_hon_02_upside_down.jpg") as im:
        reading = read_page(np.asarray(im.convert("RGB")), dpi=300)
    assert reading.rotation == 180
    assert reading.osd is None and list(reading.tried) == [0, 180]  # two readings settle it, without OSD
    assert reading.ocr.mean_confidence > 85
    assert nfc("GIẤY CHỨNG NHẬN KẾT HÔN") in reading.ocr.text
    assert reading.ocr.text_layer_pdf.startswith(b"%PDF")


def test_a_page_on_its_side_is_stood_up_by_its_own_reading_and_the_comparison_of_readings() -> None:
    with Image.open(SAMPLES / "giay_phep_xay_dung_02_sideways.jpg") as im:
        reading = read_page(np.asarray(im.convert("RGB")), dpi=300)
    assert reading.rotation == 90
    assert reading.osd is None and list(reading.tried) == [0, 90]  # the reading on its side said which way: no OSD
    assert reading.tried[90] > reading.tried[0]  # the turned reading was compared with the page as it came
    assert nfc("GIẤY PHÉP XÂY DỰNG") in reading.ocr.text


def test_an_upright_page_costs_one_reading() -> None:
    with Image.open(SAMPLES / "khai_tu_02_photocopy.jpg") as im:
        reading = read_page(np.asarray(im.convert("RGB")), dpi=300)
    assert reading.rotation == 0 and reading.osd is None and list(reading.tried) == [0]


def test_a_signature_page_of_few_words_costs_one_reading(tmp_path: Path) -> None:
    document = open_document(SAMPLES / "quyet_dinh_01.pdf", load_settings(tmp_path / "data"))
    last = list(document.pages())[-1]  # "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / Nơi nhận: … Lưu: VT, KT;"
    reading = read_page(np.asarray(last.image.convert("L")), dpi=last.dpi)
    assert reading.rotation == 0 and reading.osd is None and list(reading.tried) == [0]


def test_an_empty_image_is_an_ocr_error_not_a_crash() -> None:


    from ocr.engine import OcrError
    from ocr.tesseract import TesseractEngine

    with pytest.raises(OcrError):
        TesseractEngine().read(np.zeros((0, 40), dtype=np.uint8), dpi=300)


def test_a_blank_left_of_the_text_margin_is_skipped_not_cut_out_empty() -> None:


    from ocr.blanks import read_lost_lines
    from ocr.engine import Line, OcrPage, Word

    page = OcrPage((Line((Word("Họ", 90.0, 900, 400, 60, 40), Word("tên", 90.0, 980, 400, 70, 40))),), 2480, 3508,
                   300, b"")
    image = np.full((3508, 2480), 255, dtype=np.uint8)
    assert read_lost_lines(page, image, ((100, 900, 700, 910),), language="vie", timeout_s=10) == page
