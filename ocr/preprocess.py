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
Box = tuple[int, int, int, int]  # left, top, right, bottom, in pixels
_ANALYSIS_LONG_SIDE = 1400  # pixels; enough to separate lines of 10-pt text at 300 dpi
_MAX_POINTS = 150_000


@dataclass(frozen=True)
class PreparedPage:
    """The image Tesseract reads, and how it relates to the upright page the PDF shows."""

    image: np.ndarray  # uint8 grey, deskewed
    skew_deg: float  # rotation applied, degrees counter-clockwise
    matrix: np.ndarray  # 2x3 affine: upright-page pixel -> prepared pixel
    blanks: tuple[Box, ...] = ()  # dotted leaders erased before OCR


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


LEADER_RUN = 6  # dots in a row, evenly spaced, for a dotted blank rather than diacritics or full stops


def find_leaders(grey: np.ndarray, dpi: int) -> list[tuple[Box, list[Box]]]:
    """The dotted leaders of blanks ("Họ và tên: ......"): each run's box and its dots' boxes. A leader is a chain
    of at least `LEADER_RUN` dots of one size on one line, evenly spaced; the dots of ị, ạ or a full stop never
    form one."""
    dot = max(3, round(dpi / 40))  # a 13-pt full stop is about 5 px at 300 dpi
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    small = np.flatnonzero((w <= dot) & (h <= dot) & (area >= 2) & (w * 2 >= h) & (h * 2 >= w))
    small = small[small > 0]
    if len(small) < LEADER_RUN:
        return []
    runs: list[tuple[Box, list[Box]]] = []
    open_chains: list[list[int]] = []  # chains whose last dot is near enough to take the next one

    def close(chain: list[int]) -> None:
        if len(chain) >= LEADER_RUN:
            dots = [(int(stats[i, 0]), int(stats[i, 1]), int(stats[i, 0] + stats[i, 2]),
                     int(stats[i, 1] + stats[i, 3])) for i in chain]
            runs.append(((min(d[0] for d in dots), min(d[1] for d in dots), max(d[2] for d in dots),
                          max(d[3] for d in dots)), dots))

    for i in small[np.argsort(centroids[small, 0], kind="stable")]:
        x, y = centroids[i]
        still = []
        for chain in open_chains:
            if x - centroids[chain[-1], 0] > dot * 4:
                close(chain)  # the gap is too wide for a leader: this chain has ended
            else:
                still.append(chain)
        open_chains = still
        near = next((c for c in open_chains if abs(centroids[c[-1], 1] - y) <= dot / 2
                     and x > centroids[c[-1], 0]), None)
        if near is None:
            open_chains.append([int(i)])
        else:
            near.append(int(i))
    for chain in open_chains:
        close(chain)
    return runs


def erase_leaders(grey: np.ndarray, dpi: int) -> tuple[np.ndarray, list[Box]]:
    """The page without dotted leaders, and where they were: a value written over them, by hand, reads as noise
    to Tesseract when they touch it, and the whole line is lost. A page of 250 dpi or more is first searched at
    half its size (a quarter of the time; it finds the leaders the full search finds, with their dots a little
    less exactly placed): most pages have none and pay no more."""
    if dpi >= 250 and not find_leaders(cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA),
                                       dpi // 2):
        return grey, []
    runs = find_leaders(grey, dpi)
    if not runs:
        return grey, []
    out = grey.copy()
    for _, dots in runs:
        for x0, y0, x1, y1 in dots:
            out[max(0, y0 - 1) : y1 + 1, max(0, x0 - 1) : x1 + 1] = 255
    return out, [box for box, _ in runs]
