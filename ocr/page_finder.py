"""Find the sheet of paper in a photo and flatten it: a phone photo shows the page in perspective on a desk.

The paper is the largest bright region, darker all round (a desk, a hand, a table): its outline is simplified to four
corners and the sheet warped to a rectangle of its own size, so that Tesseract reads straight lines of even-sized
letters; then its light is evened out (a lamp or a window lights one side, a phone's shadow darkens another), so
that one threshold separates ink from paper everywhere on the sheet. A scan fills its frame, or lies on a white
scanner bed, and is left as it is: the region must cover 20–92% of the frame, have four clear corners and stand out
from what surrounds it.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

ANALYSIS_SIDE = 800  # pixels on the long side while looking for the sheet
MIN_SHARE, MAX_SHARE = 0.2, 0.92  # of the frame the sheet may cover
MIN_CONTRAST = 40  # grey levels between the sheet and what lies around it


def find_page(grey: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32] | None:
    """The sheet's corners in `grey`'s pixels (top left, top right, bottom right, bottom left), or None when the
    image is not a photo of a sheet on something darker."""
    scale = ANALYSIS_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))  # the text inside is paper too
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = cv2.convexHull(max(contours, key=cv2.contourArea))
    share = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    if not MIN_SHARE <= share <= MAX_SHARE:
        return None
    corners = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    if len(corners) != 4:
        return None
    inside = np.zeros_like(small)
    cv2.fillConvexPoly(inside, corners, 255)
    around = cv2.dilate(inside, np.ones((25, 25), np.uint8)) - cv2.erode(inside, np.ones((25, 25), np.uint8))
    ring_out = (around > 0) & (inside == 0)
    if not ring_out.any() or float(np.median(small[inside > 0])) - float(np.median(small[ring_out])) < MIN_CONTRAST:
        return None
    return _ordered(corners.reshape(4, 2).astype(np.float32) / scale)


def _ordered(points: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Top left, top right, bottom right, bottom left."""
    total, diff = points.sum(axis=1), points[:, 1] - points[:, 0]
    return np.array([points[np.argmin(total)], points[np.argmin(diff)], points[np.argmax(total)],
                     points[np.argmax(diff)]], dtype=np.float32)


def flatten(image: npt.NDArray[Any], corners: npt.NDArray[np.float32]) -> npt.NDArray[Any]:
    """The sheet inside `corners` warped to a rectangle as wide and high as its longer edges."""
    tl, tr, br, bl = corners
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    warp = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(image, warp, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


LIGHT_CELL = 24  # the paper's brightness is estimated on a grid this many times coarser than the page (text vanishes)


def even_light(image: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The sheet with its paper brought to one brightness: each channel divided by its paper's brightness around
    each point (the page shrunk until letters vanish, its brightest neighbourhood taken, smoothed and enlarged)."""
    h, w = image.shape[:2]
    small = cv2.resize(image, (max(1, w // LIGHT_CELL), max(1, h // LIGHT_CELL)), interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((3, 3), np.uint8))  # the paper beside a dark line of text, not the text
    paper = cv2.GaussianBlur(paper, (0, 0), 2)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = image.astype(np.float32) * (235.0 / np.maximum(paper, 1.0))
    return np.clip(out, 0, 255).astype(np.uint8)
