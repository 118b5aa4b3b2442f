"""A page's density told by the size of its words, for images that do not say theirs."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from ocr.chosen_engine import read_image
from ocr.engine import Word
from ocr.resolution import estimate_dpi
from tests.conftest import SAMPLES


def test_the_size_of_the_words_tells_the_density_within_a_quarter() -> None:
    page = np.asarray(Image.open(SAMPLES / "khai_sinh_01.png").convert("L"))  # 300 dpi
    half = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)  # 150 dpi
    at_300 = estimate_dpi(read_image(page, dpi=300).words)
    at_150 = estimate_dpi(read_image(half, dpi=150).words)
    assert at_300 is not None and 225 <= at_300 <= 375
    assert at_150 is not None and 112 <= at_150 <= 188


def test_too_few_confident_words_tell_nothing() -> None:
    words = [Word("quyết", 95.0, 0, 0, 100, 40)] * 5 + [Word("định", 40.0, 0, 0, 100, 40)] * 30
    assert estimate_dpi(words) is None
