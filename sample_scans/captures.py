"""How a paper reaches sohoa other than through a good flatbed scan, simulated from a drawn page: another scanner,
a phone photo on a desk, a fax, a scan kept at 150 or 200 dpi. The bench and the tests make their captures here,
so each kind is made one way. Pages come in at 300 dpi (grey, or RGB where the ink's colour matters).
"""

from __future__ import annotations

import io
from typing import Any

import cv2
import numpy as np
from PIL import Image

SOURCE_DPI = 300
FAX_FINE = (204, 196)  # ITU-T T.4 fine resolution, dots per inch across and down
FAX_STANDARD = (204, 98)


def rescanned(page: Any, scale: float, quality: int, seed: int) -> Any:
    """The same paper through another scanner: another resolution, JPEG, sensor noise, a shifted margin."""
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    shifted = cv2.copyMakeBorder(small, 40, 0, 25, 0, cv2.BORDER_CONSTANT, value=255)
    noisy = np.clip(shifted + np.random.default_rng(seed).normal(0, 8, shifted.shape), 0, 255).astype(np.uint8)
    _, data = cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def photographed(page: Any, seed: int) -> Any:
    """A phone photo of the page on a desk (RGB): the page inside a larger frame, in perspective, lit from one side,
    a warm cast, 3000 pixels across; saved as a phone does, it says 72 dpi. A colour page keeps its inks."""
    rng = np.random.default_rng(seed)
    h, w = page.shape[:2]
    height, width = int(h * 1.3), int(w * 1.3)
    desk = (np.linspace(60, 115, width)[None, :] + rng.normal(0, 6, (height, width))).clip(0, 255)
    x0, y0 = (width - w) / 2, (height - h) / 2
    corners = np.array([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]], dtype=np.float32)
    placed = (corners + rng.uniform(-0.04, 0.04, (4, 2)) * [w, h]).astype(np.float32)
    sheet_corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    warp = cv2.getPerspectiveTransform(sheet_corners, placed)
    sheet = cv2.warpPerspective(page, warp, (width, height), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), warp, (width, height), borderValue=0)
    yy, xx = np.mgrid[0:height, 0:width]
    light = 0.72 + 0.3 * (xx / width * 0.6 + yy / height * 0.4)
    cast = np.array([1.0, 0.95, 0.84])
    if sheet.ndim == 2:
        lit = np.where(mask > 127, sheet, desk) * light
        rgb = lit[..., None] * cast
    else:
        rgb = np.where((mask > 127)[..., None], sheet, desk[..., None]) * light[..., None] * cast
    small = cv2.resize(rgb.clip(0, 255).astype(np.uint8), None, fx=3000 / width, fy=3000 / width,
                       interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(small, (3, 3), 0.8)


def faxed(page: Any, seed: int, resolution: tuple[int, int] = FAX_FINE) -> Image.Image:
    """A fax as received: black and white only (1 bit), at the fax's resolution (204 x 196 dpi, or 204 x 98 in
    standard mode, whose pixels are twice as tall as wide), with the line noise and dropouts a phone line adds."""
    rng = np.random.default_rng(seed)
    grey = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY) if page.ndim == 3 else page
    fx, fy = resolution[0] / SOURCE_DPI, resolution[1] / SOURCE_DPI
    small = cv2.resize(grey, None, fx=fx, fy=fy, interpolation=cv2.INTER_AREA).astype(np.float32)
    small += rng.normal(0, 12, small.shape)
    black = small < 150
    for row in rng.choice(small.shape[0], size=6, replace=False):  # a few scan lines lost on the line
        black[row] = rng.random(small.shape[1]) < 0.02
    black |= rng.random(small.shape) < 0.0008  # specks
    image = Image.fromarray(np.where(black, 0, 255).astype(np.uint8)).convert("1")
    image.info["dpi"] = resolution
    return image


def at_resolution(page: Any, dpi: int, quality: int = 80) -> Image.Image:
    """The page scanned at `dpi` instead of 300 and saved as JPEG, as a batch scanned to save disk is."""
    scale = dpi / SOURCE_DPI
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    buf = io.BytesIO()
    Image.fromarray(small).save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out
