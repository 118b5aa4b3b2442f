"""Page fingerprints tell a rescan of one paper from another paper of the same printed form."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ocr.fingerprint import SAME_PAPER, VERSION, likeness, page_fingerprint
from sample_scans.captures import rescanned
from tests.conftest import SAMPLES


def grey(name: str) -> np.ndarray:
    return np.asarray(Image.open(SAMPLES / name).convert("L"))


def test_a_rescan_of_the_same_paper_is_alike_at_any_resolution() -> None:
    page = grey("khai_sinh_01.png")
    original = page_fingerprint(page)
    for scale, quality in ((0.7, 60), (0.5, 40), (0.4, 30)):  # 210, 150 and 120 dpi
        assert likeness(original, page_fingerprint(rescanned(page, scale, quality, 1))) >= 0.95


def test_fingerprints_of_another_version_are_never_compared() -> None:
    current = page_fingerprint(grey("khai_sinh_01.png"))
    assert current.startswith(VERSION) and likeness(current, current) > 0.99
    assert likeness(current, current[1:] + "0") == 0.0  # a version 1 fingerprint: no version mark


def test_two_papers_of_one_form_are_not_alike() -> None:
    assert likeness(page_fingerprint(grey("khai_sinh_01.png")), page_fingerprint(grey("khai_sinh_02.jpg"))) \
        < SAME_PAPER
    assert likeness(page_fingerprint(grey("tinh_trang_hon_nhan_01.jpg")),
                    page_fingerprint(grey("tinh_trang_hon_nhan_02_cmnd.png"))) < SAME_PAPER


def test_a_colour_page_has_the_fingerprint_of_its_grey() -> None:
    rgb = np.asarray(Image.open(SAMPLES / "khai_sinh_02.jpg").convert("RGB"))
    assert likeness(page_fingerprint(rgb), page_fingerprint(grey("khai_sinh_02.jpg"))) > 0.99


def test_a_blank_page_has_no_fingerprint_and_matches_nothing() -> None:
    blank = np.full((3508, 2480), 255, np.uint8)
    assert page_fingerprint(blank) == ""
    assert likeness("", page_fingerprint(grey("khai_sinh_01.png"))) == 0.0
