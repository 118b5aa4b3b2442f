"""Page fingerprints tell a rescan of one paper from another paper of the same printed form."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from ocr.fingerprint import SAME_PAPER, likeness, page_fingerprint
from tests.conftest import SAMPLES


def grey(name: str) -> np.ndarray:
    return np.asarray(Image.open(SAMPLES / name).convert("L"))


def rescanned(page: np.ndarray, scale: float, quality: int, seed: int = 1) -> np.ndarray:
    """The same paper through another scanner: another resolution, JPEG, sensor noise, a shifted margin."""
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    shifted = cv2.copyMakeBorder(small, 40, 0, 25, 0, cv2.BORDER_CONSTANT, value=255)
    noisy = np.clip(shifted + np.random.default_rng(seed).normal(0, 8, shifted.shape), 0, 255).astype(np.uint8)
    _, data = cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def test_a_rescan_of_the_same_paper_is_alike() -> None:
    page = grey("khai_sinh_01.png")
    original = page_fingerprint(page)
    for scale, quality in ((0.7, 60), (0.5, 40)):
        assert likeness(original, page_fingerprint(rescanned(page, scale, quality))) >= SAME_PAPER


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
