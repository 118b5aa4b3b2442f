"""Read one page: stand it upright, straighten it, OCR it, and if it reads badly, try it turned over.

A page on its side is found from the direction of its text lines; an upside-down page reads as gibberish with low
word confidence, so a page under the confidence threshold is read once more turned 180 degrees and the better
reading is kept. Upright pages, the common case, cost one Tesseract run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ocr.preprocess import PreparedPage, clean, deskew, estimate_orientation, rotate_quarter, to_grey
from ocr.tesseract import OcrPage, read_image


@dataclass(frozen=True)
class PageReading:
    rotation: int  # degrees clockwise that stand the source page upright (0, 90, 180, 270)
    prepared: PreparedPage
    ocr: OcrPage
    preprocess_s: float
    ocr_s: float


def read_page(image: np.ndarray, *, dpi: int, language: str = "vie", flip_below: float = 70.0,
              timeout_s: int = 300) -> PageReading:
    started = time.perf_counter()
    grey = to_grey(image)
    quarter, skew = estimate_orientation(grey)
    spent = {"preprocess": time.perf_counter() - started, "ocr": 0.0}

    def attempt(rotation: int) -> tuple[int, PreparedPage, OcrPage]:
        t0 = time.perf_counter()
        prepared = deskew(clean(rotate_quarter(grey, rotation)), skew)
        t1 = time.perf_counter()
        ocr = read_image(prepared.image, dpi=dpi, language=language, timeout_s=timeout_s)
        spent["preprocess"] += t1 - t0
        spent["ocr"] += time.perf_counter() - t1
        return rotation % 360, prepared, ocr

    best = attempt(quarter)
    if best[2].mean_confidence < flip_below:
        turned = attempt(quarter + 180)
        if turned[2].mean_confidence > best[2].mean_confidence:
            best = turned
    return PageReading(*best, preprocess_s=spent["preprocess"], ocr_s=spent["ocr"])
