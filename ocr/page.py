"""Read one page: stand it upright, straighten it, OCR it.

The page is read first as it came: most pages are upright, and for them that is the only Tesseract run. When that
reading does not look upright, a page whose words lie flat (few Vietnamese syllables, low confidence) is read turned
over, and a page whose words stand on end is read turned the quarter its reading points to; only if that does not
read well either does Tesseract's orientation detection (OSD, on the page halved) propose a turn. The readings are
compared word by word (`ocr.orientation`); a page is turned only when a turned reading is clearly better than the
page as it came.

A page whose pixels are under 200 per inch (a 150 dpi scan kept at its own resolution) is also read enlarged to
about 300 dpi, where Tesseract's models were trained; the enlarged reading is kept when it scores better. The image
the PDF shows stays the scan's own pixels either way.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ocr import page_memo
from ocr.blanks import read_lost_lines
from ocr.chosen_engine import detect_orientation, read_image
from ocr.engine import OcrPage, Osd
from ocr.orientation import TOO_FEW_WORDS, ReadingQuality, assess, better_turned, quarter_turn_back
from ocr.preprocess import PreparedPage, clean, deskew, erase_leaders, estimate_skew, rotate_quarter, to_grey
from ocr.table import find_tables, read_rows

OSD_DPI = 125  # the least density OSD is given


@dataclass(frozen=True)
class PageReading:
    rotation: int  # degrees clockwise that stand the source page upright (0, 90, 180, 270)
    prepared: PreparedPage
    ocr: OcrPage
    preprocess_s: float
    ocr_s: float
    quality: ReadingQuality | None = None
    osd: Osd | None = None  # set when the orientation was in doubt and Tesseract's OSD was asked
    tried: dict[int, float] = field(default_factory=dict)  # rotation -> reading score, for every reading made
    upscale: int = 1  # the factor the page was enlarged by for the reading kept


def _for_osd(grey: np.ndarray, dpi: int) -> tuple[np.ndarray, int]:
    """The page halved for OSD when it has pixels to spare: its verdicts hold at 150 dpi, in two thirds of the time
    (0.7 s instead of 1.1 s on an A4 page)."""
    if dpi < OSD_DPI * 2:
        return grey, dpi
    return cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), dpi // 2


PRINTED_SHARE = 0.01  # of a page's pixels dark enough to be ink: more than a blank back or a few lines


def _printed(grey: np.ndarray) -> bool:
    """Whether a page carries enough ink to hold text worth reading (not a blank back, not a lone signature)."""
    small = cv2.resize(grey, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    return float(np.mean(small < 128)) > PRINTED_SHARE


def read_page(image: np.ndarray, *, dpi: int, language: str = "vie", flip_below: float = 70.0,
              timeout_s: int = 300, upscale_below: int = 200) -> PageReading:
    """`flip_below`: a reading under this mean confidence is not taken as upright without trying other turns.
    `upscale_below`: pages of fewer pixels per inch are also read enlarged (0: never). While a stack is split
    (`page_memo.remembering`), a page read once is recalled, not read again."""
    key = page_memo.key_of(image, dpi=dpi, language=language, flip_below=flip_below, upscale_below=upscale_below)
    found = page_memo.recall(key)
    if isinstance(found, PageReading):
        return replace(found, preprocess_s=0.0, ocr_s=0.0)  # read once already: nothing spent this time
    reading = _read_page(image, dpi=dpi, language=language, flip_below=flip_below, timeout_s=timeout_s,
                         upscale_below=upscale_below)
    page_memo.keep(key, reading)
    return reading


def _read_page(image: np.ndarray, *, dpi: int, language: str, flip_below: float, timeout_s: int,
               upscale_below: int) -> PageReading:
    started = time.perf_counter()
    grey = to_grey(image)
    skews: dict[bool, float] = {}
    spent = {"preprocess": time.perf_counter() - started, "ocr": 0.0}

    def attempt(rotation: int, factor: int = 1) -> tuple[int, PreparedPage, OcrPage, ReadingQuality]:
        t0 = time.perf_counter()
        vertical = rotation in (90, 270)  # text lines of the source run up the page
        if vertical not in skews:
            skews[vertical] = estimate_skew(grey, lines_vertical=vertical)
        turned = rotate_quarter(grey, rotation)
        if factor > 1:
            turned = cv2.resize(turned, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        prepared = deskew(clean(turned), skews[vertical])
        without, blanks = erase_leaders(prepared.image, dpi * factor)  # dots under a hand-filled value
        prepared = replace(prepared, image=without, blanks=tuple(blanks))
        t1 = time.perf_counter()
        ocr = read_image(prepared.image, dpi=dpi * factor, language=language, timeout_s=timeout_s)
        ocr = read_lost_lines(ocr, prepared.image, prepared.blanks, language=language, timeout_s=timeout_s)
        t2 = time.perf_counter()
        spent["preprocess"] += t1 - t0
        spent["ocr"] += t2 - t1
        return rotation, prepared, ocr, assess(ocr)

    first = best = attempt(0)
    tried = {0: first[3].score}
    osd = None

    def try_turns(rotations: list[int]) -> bool:
        """Read the page turned each way in order until a reading is upright; whether one was."""
        nonlocal best
        for rotation in rotations:
            if rotation in tried:
                continue
            turned = attempt(rotation)
            tried[rotation] = turned[3].score
            if turned[3].score > best[3].score:
                best = turned
            if turned[3].upright(flip_below):
                return True
        return False

    if first[3].words < TOO_FEW_WORDS and _printed(grey):
        # Next to nothing read off a page full of print: its lines run the other way (on its side, the skew found
        # for lines lying flat was noise and Tesseract read nothing at it). OSD proposes a turn; the quarter turns
        # follow, then the half turn.
        t0 = time.perf_counter()
        small, small_dpi = _for_osd(grey, dpi)
        osd = detect_orientation(small, dpi=small_dpi, timeout_s=timeout_s)
        spent["ocr"] += time.perf_counter() - t0
        proposed = [osd.rotate] if osd is not None and osd.rotate else []
        try_turns(proposed + [r for r in (90, 270, 180) if r not in proposed])
        if best is not first and not better_turned(best[3], first[3]):
            best = first
    elif not first[3].upright(flip_below):
        # Words lying flat but unreadable: most likely upside down, which one more reading settles (OSD costs as
        # much as a reading). Words standing on end: the reading itself says which quarter turn to try first.
        # Neither upright: OSD says which way.
        if not try_turns([quarter_turn_back(first[3]) if first[3].sideways else 180]):
            t0 = time.perf_counter()
            small, small_dpi = _for_osd(grey, dpi)
            osd = detect_orientation(small, dpi=small_dpi, timeout_s=timeout_s)
            spent["ocr"] += time.perf_counter() - t0
            proposed = [osd.rotate] if osd is not None and osd.rotate else []
            try_turns(proposed + [r for r in ((90, 270) if first[3].sideways else ()) if r not in proposed])
        if best is not first and not better_turned(best[3], first[3]):
            best = first
    rotation, prepared, ocr, quality = best
    factor = 1
    if 0 < dpi < upscale_below:
        enlarged = attempt(rotation, min(4, math.ceil(300 / dpi)))
        if enlarged[3].score > quality.score:  # the text layer keeps the page's size in points at any factor
            ocr, quality, factor = enlarged[2], enlarged[3], min(4, math.ceil(300 / dpi))
    t0 = time.perf_counter()  # a ruled form: each row's label and value on one line (of the reading kept only)
    ocr = read_rows(ocr, find_tables(prepared.image), scale=factor)
    spent["preprocess"] += time.perf_counter() - t0
    return PageReading(rotation, prepared, ocr, preprocess_s=spent["preprocess"], ocr_s=spent["ocr"],
                       quality=quality, osd=osd, tried=tried, upscale=factor)
