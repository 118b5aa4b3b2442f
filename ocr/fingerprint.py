"""A page's fingerprint: where its ink lies, so that two captures of one paper (a rescan, a render, a JPEG of the
PDF) can be told from two papers of one printed form.

The upright page is brought to one working width, its ink cropped to its bounding box (margins and scale drop out)
and counted on a coarse grid; two fingerprints are compared by the correlation of their cells. The working width
makes a 150 dpi scan and a 200 dpi render of it alike (0.65 when each was thresholded at its own resolution: a thin
stroke is a different share of a cell). A hash of grey levels (dHash, pHash) cannot tell two birth certificates of
the same form apart from a rescan of one: their printed text is the same and the white page dominates the grey
levels. Ink density per cell keeps the filled-in values, which differ. Straight lines a sixth of the page long or
more are left out: the dark edge a scanner draws along a photocopy was ink enough to move the box, and a copy of the
same page whose edge line lay elsewhere scored 0.15.

Measured: rescans of the samples simulated at 40–75% scale, JPEG quality 30–55, noise: 0.97–0.99; 200 dpi JPEG
renders of the eight real PDFs against their page images: 0.99–1.00; two papers of one form 0.45–0.68; different
forms at most 0.65.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

COLUMNS = 28
ROWS = 39  # an A4 page's proportion
LEVELS = 15  # each cell is kept as one hexadecimal digit
SAME_PAPER = 0.8  # correlation from which two fingerprints are taken for one paper
WORKING_WIDTH = 1000  # pixels across the page when its ink is found
LINE_THICKNESS = 6  # at the working width; a line of text joined up is 10 or more
VERSION = "2"  # first character of a fingerprint: those of another version are never compared
FRAME = "F"  # first character of a fingerprint over the page's frame (`frame_fingerprint`)


def page_fingerprint(pixels: npt.NDArray[np.uint8]) -> str:
    """The fingerprint of an upright page (grey or colour): VERSION, then ROWS×COLUMNS hexadecimal digits; "" for a
    blank page."""
    return _fingerprint(pixels, crop=True)


def frame_fingerprint(pixels: npt.NDArray[np.uint8]) -> str:
    """The same, counted over the whole page as captured rather than its ink's box (FRAME, then the digits). A mark
    one capture has and the other lacks (a signature's stamp drawn on a render of a signed page, a note in the
    margin) moves the box of the ink, and with it every cell; over the page's own frame it changes its cells only.
    Captures of the whole sheet at its own size (renders, flatbed scans, flattened photos) agree this way."""
    return _fingerprint(pixels, crop=False)


def _fingerprint(pixels: npt.NDArray[np.uint8], *, crop: bool) -> str:
    grey: npt.NDArray[Any] = pixels
    if pixels.ndim == 3:
        grey = cv2.cvtColor(pixels, cv2.COLOR_RGBA2GRAY if pixels.shape[2] == 4 else cv2.COLOR_RGB2GRAY)
    height, width = grey.shape
    grey = cv2.resize(grey, (WORKING_WIDTH, max(1, round(height * WORKING_WIDTH / width))),
                      interpolation=cv2.INTER_AREA if width > WORKING_WIDTH else cv2.INTER_LINEAR)
    level, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink: npt.NDArray[Any] = (grey < level).astype(np.uint8)
    ink = ink & (1 - _long_thin_lines(ink)) & (1 - _at_the_border(ink))  # where edges and shadows fall varies
    ys, xs = np.nonzero(ink)
    if len(xs) < 100:
        return ""
    box = ink.astype(np.float32)
    if crop:
        x0, x1 = np.percentile(xs, [0.5, 99.5]).astype(int)  # a stray mark at the edge does not move the box
        y0, y1 = np.percentile(ys, [0.5, 99.5]).astype(int)
        box = box[y0:y1 + 1, x0:x1 + 1]
    cells = cv2.resize(box, (COLUMNS, ROWS), interpolation=cv2.INTER_AREA)
    top = float(cells.max())
    if top <= 0:
        return ""
    digits = np.round(cells / top * LEVELS).astype(np.uint8).flatten()
    return (VERSION if crop else FRAME) + "".join("0123456789abcdef"[d] for d in digits)


def _long_thin_lines(ink: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """The pixels of straight lines a sixth of the page long or more and a few pixels thick, dashed ones included
    (a scanner's edge is seldom unbroken); text lines, joined up the same way, are far thicker."""
    found = np.zeros_like(ink)
    for join, long_side in (((1, 9), 1), ((9, 1), 0)):
        joined = cv2.dilate(ink, np.ones(join, np.uint8))
        _, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
        length, thickness = (width, height) if long_side else (height, width)
        found |= _ink_of(ink, labels, (length >= ink.shape[long_side] // 6) & (thickness <= LINE_THICKNESS))
    return found


def _at_the_border(ink: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Ink reaching within 1% of the image's edge: a scanner's dark bar, the shadow of the lid, a desk. Text keeps
    its margins."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, np.ones((3, 3), np.uint8)),
                                                           connectivity=8)
    height, width = ink.shape
    near_y, near_x = max(1, height // 100), max(1, width // 100)
    left, top = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    right, bottom = left + stats[:, cv2.CC_STAT_WIDTH], top + stats[:, cv2.CC_STAT_HEIGHT]
    near = (left < near_x) | (top < near_y) | (right > width - near_x) | (bottom > height - near_y)
    return _ink_of(ink, labels, near)


def _ink_of(ink: npt.NDArray[np.uint8], labels: npt.NDArray[Any],
            chosen: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint8]:
    """The ink pixels of the chosen connected components (label 0, the background, never)."""
    chosen[0] = False
    return (chosen[labels] & (ink > 0)).astype(np.uint8) if chosen.any() else np.zeros_like(ink)


def likeness(a: str, b: str) -> float:
    """How alike two fingerprints are: their cells' correlation, −1 to 1; 0 when either is missing, flat or of another
    version (fingerprints made before version 2 are compared by nothing: the record's words still are)."""
    if not a or not b or len(a) != len(b) or a[0] != b[0] or a[0] not in (VERSION, FRAME):
        return 0.0
    x, y = _cells(a[1:]), _cells(b[1:])
    if x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def _cells(fingerprint: str) -> npt.NDArray[np.float64]:
    return np.array([int(c, 16) for c in fingerprint], dtype=np.float64)
