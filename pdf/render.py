"""Render a PDF page with pdfium under a time limit.

pdfium's one-call render cannot be stopped: a page of 30 000 lines that each cross the page takes longer to draw
than any limit on its size would suggest. The progressive API (FPDF_RenderPageBitmap_Start/Continue) asks a pause
callback between objects; here it pauses every 50 ms, and the render is abandoned once the deadline has passed.
"""

from __future__ import annotations

import ctypes
import math
import time

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image

PAUSE_EVERY_S = 0.05


class RenderTimeout(Exception):
    """The page was not drawn by its deadline."""


def render_page(page: pdfium.PdfPage, scale: float, deadline: float) -> Image.Image:
    """The page drawn at `scale` on white, as an RGB image; RenderTimeout past `deadline` (time.monotonic())."""
    width = max(1, math.ceil(page.get_width() * scale))
    height = max(1, math.ceil(page.get_height() * scale))
    bitmap = pdfium.PdfBitmap.new_native(width, height, raw.FPDFBitmap_BGR, rev_byteorder=True)
    raw.FPDFBitmap_FillRect(bitmap.raw, 0, 0, width, height, 0xFFFFFFFF)
    resumed = time.monotonic()

    def need_to_pause(_: object) -> int:
        return int(time.monotonic() - resumed > PAUSE_EVERY_S)

    pause = raw.IFSDK_PAUSE(version=1)
    pause.NeedToPauseNow = type(pause.NeedToPauseNow)(need_to_pause)
    flags = raw.FPDF_ANNOT
    status = raw.FPDF_RenderPageBitmap_Start(bitmap.raw, page.raw, 0, 0, width, height, 0, flags,
                                             ctypes.byref(pause))
    try:
        while status == raw.FPDF_RENDER_TOBECONTINUED:
            if time.monotonic() > deadline:
                raise RenderTimeout(f"page not drawn within the time limit ({width}x{height} px)")
            resumed = time.monotonic()
            status = raw.FPDF_RenderPage_Continue(page.raw, ctypes.byref(pause))
    finally:
        raw.FPDF_RenderPage_Close(page.raw)
    if status != raw.FPDF_RENDER_DONE:
        raise RenderTimeout(f"pdfium could not draw the page (status {status})")
    image: Image.Image = bitmap.to_pil()
    return image.convert("RGB")


CROP_MARGIN = 0.6  # of the box's height, around a field's place when it is cut out to be shown
CROP_WIDTH = 640  # pixels at most: a field beside its input, not the page


def page_crops(data: bytes, places: dict[str, tuple[int, tuple[int, ...]]], widths: dict[int, int],
               seconds: float = 10.0) -> dict[str, bytes]:
    """Places on a PDF's pages cut out as PNG images: name -> (page index, box in pixels of that page's image, whose
    width in pixels `widths` gives), the page drawn at the image's own scale so the box falls where it was read."""
    import io

    out: dict[str, bytes] = {}
    doc = pdfium.PdfDocument(data)
    try:
        drawn: dict[int, Image.Image] = {}
        for name, (index, box) in places.items():
            if index >= len(doc) or len(box) != 4 or index not in widths:
                continue
            if index not in drawn:
                page = doc[index]
                drawn[index] = render_page(page, widths[index] / page.get_width(), time.monotonic() + seconds)
            image = drawn[index]
            left, top, right, bottom = box
            pad = round(CROP_MARGIN * (bottom - top))
            piece = image.crop((max(0, left - 2 * pad), max(0, top - pad), min(image.width, right + 2 * pad),
                                min(image.height, bottom + pad)))
            if piece.width > CROP_WIDTH:
                piece = piece.resize((CROP_WIDTH, round(piece.height * CROP_WIDTH / piece.width)))
            buffer = io.BytesIO()
            piece.save(buffer, "PNG")
            out[name] = buffer.getvalue()
    finally:
        doc.close()
    return out
