"""A clean page lying on its side, either way, is stood upright and read.

The case that regressed (2026-12-01 → 2026-12-06): a clean marital-status confirmation turned a quarter, whose
skew, measured as if its lines lay flat, came out near the 10° bound; Tesseract read nothing at that angle, a
reading with no words was taken as upright, and the record kept no text and no type.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from domain.text import fold
from ocr.page import read_page
from sample_scans.generate import DPI, Damage, damage, tinh_trang_hon_nhan


@pytest.mark.parametrize("turned", [90, 270])  # counter-clockwise on the glass: text reading bottom to top, top down
def test_a_clean_page_on_its_side_is_turned_upright_and_read(turned: int) -> None:
    document = tinh_trang_hon_nhan(random.Random(3))
    scan = damage(document.pages[0].image, Damage("clean", rotate=turned), np.random.default_rng(0))
    reading = read_page(np.asarray(scan), dpi=DPI)
    assert reading.rotation == turned
    assert "xac nhan tinh trang hon nhan" in fold(reading.ocr.text)


def test_a_blank_page_is_read_once_and_left_as_it_came() -> None:
    blank = np.full((3508, 2480), 246, dtype=np.uint8)
    reading = read_page(blank, dpi=DPI)
    assert reading.rotation == 0 and list(reading.tried) == [0]
