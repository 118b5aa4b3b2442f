"""Values written in coloured ink are told from black print; a grey page claims nothing."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ocr.engine import Word
from ocr.ink import coloured_ink, inked_words, on_blanks, slanted_words
from ocr.page import read_page
from ocr.preprocess import rotate_quarter, straighten
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


SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
SERIF_ITALIC = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf"
HAND = "/usr/share/fonts/truetype/liberation2/LiberationSans-Italic.ttf"  # as the variety set writes values in


def _grey_line(parts: list[tuple[str, str]]) -> tuple[np.ndarray, list[Word]]:
    """One line of words on a grey page, each in its own font, and their boxes as Tesseract would give them."""
    from PIL import ImageDraw, ImageFont

    page = Image.new("L", (1800, 160), 255)
    draw = ImageDraw.Draw(page)
    x, words = 20, []
    for text, font_path in parts:
        font = ImageFont.truetype(font_path, 54)
        left, top, right, bottom = draw.textbbox((x, 40), text, font=font)
        draw.text((x, 40), text, font=font, fill=0)
        words.append(Word(text, 95, left, top, right - left, bottom - top))
        x = right + 30
    return np.asarray(page), words


def test_on_a_grey_page_a_value_leaning_beside_its_upright_label_is_by_hand() -> None:
    grey, words = _grey_line([("Số", SERIF), ("CMND:", SERIF), ("236508288", HAND)])
    assert slanted_words(grey, words) == [False, False, True]
    grey, words = _grey_line([("Số:", SERIF), ("65", HAND)])
    assert slanted_words(grey, words) == [False, True]
    grey, words = _grey_line([("Số:", SERIF), ("45", SERIF)])
    assert slanted_words(grey, words) == [False, False]


def test_a_printed_italic_line_is_not_taken_for_handwriting() -> None:
    date_line = ["Gia", "Lai,", "ngày", "07", "tháng", "10", "năm", "2017"]  # an italic 7 leans like a hand
    grey, words = _grey_line([(w, SERIF_ITALIC) for w in date_line])
    assert not any(slanted_words(grey, words))


def test_on_a_real_fax_the_values_written_in_lean_and_the_print_does_not() -> None:
    image = Image.open(VARIETY / "khai_tu_hand_filled_fax.tif").convert("L")
    pixels = np.asarray(image)
    reading = read_page(pixels, dpi=image.info["dpi"][0] if "dpi" in image.info else 200)
    shown = straighten(rotate_quarter(pixels, reading.rotation), reading.prepared)
    assert coloured_ink(shown) is None  # a fax: no colour to tell ink by
    flags = {w.text: flag for line in reading.ocr.lines
             for w, flag in zip(line.words, slanted_words(shown, line.words, 1 / reading.upscale), strict=True)}
    assert flags["65"] and flags["236508288"] and flags["04/07/1925"]  # the number, old ID and birth date
    assert not any(flags[w] for w in ("CMND:", "GIẤY", "CHỨNG", "TỬ", "Quyển", "sinh:", "2011"))
