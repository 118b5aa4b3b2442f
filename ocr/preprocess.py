"""Make a page image easy for Tesseract: grey from the red channel, skew removed.

The red channel is used as the grey image because red seals and stamps almost vanish in it while black and blue
ink stay dark. Skew comes from a search over projection profiles: text lines give the sharpest profile when they are
exactly horizontal, so the angle that maximises sharpness wins. Which way up the page is, is settled by reading it
(`ocr.page`).
The original image is never changed: callers get a new array and the affine matrix that maps into it, and
`straighten` applies the same geometry to the colour image the PDF shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_SKEW_DEG = 10.0
_ANALYSIS_LONG_SIDE = 1400  # pixels; enough to separate lines of 10-pt text at 300 dpi
_MAX_POINTS = 150_000


@dataclass(frozen=True)
class PreparedPage:
    """The image Tesseract reads, and how it relates to the upright page the PDF shows."""

    image: np.ndarray  # uint8 grey, deskewed
    skew_deg: float  # rotation applied, degrees counter-clockwise
    matrix: np.ndarray  # 2x3 affine: upright-page pixel -> prepared pixel


def to_grey(image: np.ndarray) -> np.ndarray:
    """Grey image for OCR; for colour input the red channel, in which red seals fade into the paper."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        image = image[:, :, :3]
    return np.ascontiguousarray(image[:, :, 0])  # arrays here are RGB, as Pillow gives them


def rotate_quarter(image: np.ndarray, degrees_cw: int) -> np.ndarray:
    """Rotate by a multiple of 90 degrees clockwise, losslessly."""
    turns = (degrees_cw // 90) % 4
    return np.ascontiguousarray(np.rot90(image, k=-turns)) if turns else image


def _foreground_points(grey: np.ndarray) -> np.ndarray:
    scale = _ANALYSIS_LONG_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    small = cv2.GaussianBlur(small, (3, 3), 0)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    pts = np.stack([xs, ys], axis=1).astype(np.float32)
    if len(pts) > _MAX_POINTS:
        pts = pts[np.random.default_rng(0).choice(len(pts), _MAX_POINTS, replace=False)]
    return pts


def _sharpness(pts: np.ndarray, angle_deg: float, vertical: bool) -> float:
    """How peaked the profile across text lines is once the page is turned by `angle_deg`."""
    t = np.deg2rad(angle_deg)
    x, y = pts[:, 0], pts[:, 1]
    across = (x * np.cos(t) + y * np.sin(t)) if vertical else (y * np.cos(t) - x * np.sin(t))
    hist = np.bincount((across - across.min()).astype(np.int64))
    return float(np.dot(hist, hist)) / max(1, len(pts)) ** 2


def estimate_skew(grey: np.ndarray, *, lines_vertical: bool = False) -> float:
    """The counter-clockwise rotation, in degrees, that makes the text lines exactly horizontal (or vertical).

    Which way the lines run is decided elsewhere (`ocr.page`, by reading): a projection profile alone takes the
    rules of a table or a dense page for lines running the other way. A rotation keeps its sense under a quarter
    or half turn of the page, so the angle measured here straightens the page whichever way it is then turned.
    """
    pts = _foreground_points(grey)
    if len(pts) < 200:  # blank or nearly blank page: nothing to measure
        return 0.0
    angles = np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 0.01, 0.5)
    coarse = max(angles, key=lambda a: _sharpness(pts, float(a), lines_vertical))
    fine = max(np.arange(coarse - 0.5, coarse + 0.51, 0.05), key=lambda a: _sharpness(pts, float(a), lines_vertical))
    return round(float(fine), 2)


def deskew(grey: np.ndarray, skew_deg: float) -> PreparedPage:
    """Rotate by `skew_deg` counter-clockwise on a canvas grown to keep every corner of the page."""
    h, w = grey.shape
    if abs(skew_deg) < 0.05:
        return PreparedPage(grey, 0.0, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), skew_deg, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(np.ceil(w * cos + h * sin)), int(np.ceil(w * sin + h * cos))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(grey, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return PreparedPage(out, skew_deg, m)


def straighten(image: np.ndarray, prepared: PreparedPage) -> np.ndarray:
    """The colour page on the prepared page's pixel grid; the corners the rotation uncovers take the paper colour."""
    if prepared.skew_deg == 0.0:
        return image
    h, w = prepared.image.shape
    edge = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    paper = np.median(edge, axis=0)
    fill = tuple(float(v) for v in np.atleast_1d(paper))
    return cv2.warpAffine(image, prepared.matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=fill)


def clean(grey: np.ndarray) -> np.ndarray:
    """Median blur: removes scanner speckle and JPEG ringing without thinning strokes."""
    return cv2.medianBlur(grey, 3)
