"""The sheet in a phone photo is found and flattened; a scan is left as it is."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ocr.fingerprint import likeness, page_fingerprint
from ocr.page_finder import even_light, find_page, flatten
from ocr.preprocess import to_grey
from sample_scans.captures import photographed
from tests.conftest import SAMPLES

SCANS = ["khai_sinh_01.png", "khai_sinh_02.jpg", "ket_hon_01.jpg", "khai_tu_02_photocopy.jpg",
         "giay_phep_xay_dung_02_sideways.jpg", "tinh_trang_hon_nhan_02_cmnd.png"]


def grey(name: str) -> np.ndarray:
    return np.asarray(Image.open(SAMPLES / name).convert("L"))


def test_the_sheet_in_a_photo_is_found_and_flattened_to_the_page() -> None:
    page = grey("quyet_dinh_02.jpg")
    photo = photographed(page, 5)

    corners = find_page(to_grey(photo))

    assert corners is not None
    sheet = flatten(photo, corners)
    assert abs(sheet.shape[0] / sheet.shape[1] - page.shape[0] / page.shape[1]) < 0.05  # A4 again
    assert likeness(page_fingerprint(sheet), page_fingerprint(page)) >= 0.9  # the photo: 0.76-0.80


@pytest.mark.parametrize("name", SCANS)
def test_a_scan_is_left_as_it_is(name: str) -> None:
    assert find_page(grey(name)) is None


def test_a_page_on_a_white_scanner_bed_is_left_as_it_is() -> None:
    page = grey("khai_sinh_01.png")
    bed = np.full((int(page.shape[0] * 1.3), int(page.shape[1] * 1.3)), 250, np.uint8)
    bed[300:300 + page.shape[0], 200:200 + page.shape[1]] = page
    assert find_page(bed) is None


def test_a_sheet_lit_from_one_side_is_evened_out_and_its_ink_stays_dark() -> None:
    page = grey("khai_sinh_01.png").astype(np.float32)
    ramp = np.linspace(0.55, 1.0, page.shape[1], dtype=np.float32)[None, :]  # a window on the right
    lit = (page * ramp).astype(np.uint8)
    even = even_light(lit)
    paper = (page > 200)
    left, right = even[:, : page.shape[1] // 4], even[:, -page.shape[1] // 4:]
    assert abs(float(np.median(left[paper[:, : page.shape[1] // 4]])) -
               float(np.median(right[paper[:, -page.shape[1] // 4:]]))) < 12  # before: about 100 levels apart
    ink = page < 80
    assert float(np.median(even[ink])) < 110  # the letters are still dark
