"""A page's fingerprint: where its ink lies, so that two captures of one paper (a rescan, a render, a JPEG of the
PDF) can be told from two papers of one printed form.

The ink of the upright page is cropped to its bounding box (margins and scale drop out) and counted on a coarse grid;
two fingerprints are compared by the correlation of their cells. A hash of grey levels (dHash, pHash) cannot tell
two birth certificates of the same form apart from a rescan of one: their printed text is the same and the
white page dominates the grey levels. Ink density per cell keeps the filled-in values, which differ.

Measured on the samples (rescans simulated at 40–70% scale, JPEG quality 30–60, noise): one paper 0.82–0.95;
two papers of one form 0.66–0.69; different forms under 0.5.
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


def page_fingerprint(pixels: npt.NDArray[np.uint8]) -> str:
    """The fingerprint of an upright page (grey or colour), as ROWS×COLUMNS hexadecimal digits; "" for a blank page."""
    grey: npt.NDArray[Any] = pixels
    if pixels.ndim == 3:
        grey = cv2.cvtColor(pixels, cv2.COLOR_RGBA2GRAY if pixels.shape[2] == 4 else cv2.COLOR_RGB2GRAY)
    level, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink: npt.NDArray[Any] = (grey < level).astype(np.uint8)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))  # specks and scanner dust do not count
    ys, xs = np.nonzero(ink)
    if len(xs) < 100:
        return ""
    x0, x1 = np.percentile(xs, [0.5, 99.5]).astype(int)  # a stray mark at the edge does not move the box
    y0, y1 = np.percentile(ys, [0.5, 99.5]).astype(int)
    box = ink[y0:y1 + 1, x0:x1 + 1].astype(np.float32)
    cells = cv2.resize(box, (COLUMNS, ROWS), interpolation=cv2.INTER_AREA)
    top = float(cells.max())
    if top <= 0:
        return ""
    digits = np.round(cells / top * LEVELS).astype(np.uint8).flatten()
    return "".join("0123456789abcdef"[d] for d in digits)


def likeness(a: str, b: str) -> float:
    """How alike two fingerprints are: their cells' correlation, −1 to 1; 0 when either is missing or flat."""
    if not a or not b or len(a) != len(b):
        return 0.0
    x, y = _cells(a), _cells(b)
    if x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def _cells(fingerprint: str) -> npt.NDArray[np.float64]:
    return np.array([int(c, 16) for c in fingerprint], dtype=np.float64)
