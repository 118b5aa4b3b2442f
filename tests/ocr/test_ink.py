"""Values written in coloured ink are told from black print; a grey page claims nothing."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ocr.ink import coloured_ink, inked_words, on_blanks
from ocr.page import read_page
from ocr.preprocess import rotate_quarter, straighten
from ocr.tesseract import Word
from tests.conftest import REPO

VARIETY = REPO / "variety_scans"


def _page_with(black: tuple[int, int, int, int], blue: tuple[int, int, int, int]) -> np.ndarray:
    page = np.full((400, 800, 3), 245, np.uint8)
    x0, y0, x1, y1 = black
    page[y0:y1, x0:x1] = (25, 25, 25)
    x0, y0, x1, y1 = blue
    page[y0:y1, x0:x1] = (28, 48, 150)
    return page


def test_blue_ink_marks_its_word_and_black_print_does_not() -> None:
    page = _page_with((10, 10, 200, 40), (300, 10, 500, 40))
    words = [Word("Họ", 96, 10, 10, 190, 30), Word("NGHĨA", 90, 300, 10, 200, 30), Word("", 0, 600, 300, 50, 30)]
    assert inked_words(coloured_ink(page), words) == [False, True, False]


def test_a_grey_page_or_one_printed_in_black_has_no_ink_to_tell() -> None:
    page = _page_with((10, 10, 200, 40), (0, 0, 0, 0))
    assert inked_words(coloured_ink(page), [Word("Họ", 96, 10, 10, 190, 30)]) == [False]
    assert coloured_ink(page[:, :, 0]) is None
    assert inked_words(None, [Word("x", 90, 0, 0, 5, 5)]) == [False]


def test_a_word_on_a_dotted_blank_is_marked_and_one_beside_it_is_not() -> None:
    blank = [(300, 36, 700, 40)]  # dots on the baseline of the value written over them
    words = [Word("Họ", 96, 10, 10, 100, 30), Word("NGHĨA", 90, 320, 10, 200, 30)]
    assert on_blanks(words, blank) == [False, True]


def test_the_hand_filled_values_of_a_real_reading_are_the_ones_in_ink() -> None:
    image = Image.open(VARIETY / "ket_hon_hand_filled_scan200.jpg")
    pixels = np.asarray(image)
    reading = read_page(pixels, dpi=200)
    shown = straighten(rotate_quarter(pixels, reading.rotation), reading.prepared)
    masks = coloured_ink(shown)
    inked = {w.text for line in reading.ocr.lines
             for w, flag in zip(line.words, inked_words(masks, line.words, 1 / reading.upscale), strict=True) if flag}
    printed = {w.text for line in reading.ocr.lines
               for w, flag in zip(line.words, inked_words(masks, line.words, 1 / reading.upscale), strict=True)
               if not flag}
    assert {"27", "234706187", "239589642"} <= inked  # the number and both CMND numbers, written in by hand
    assert {"NGHĨA", "THẢO"} <= inked
    assert {"CHỨNG", "NHẬN", "KẾT", "HÔN", "Quyển", "CMND"} <= printed
