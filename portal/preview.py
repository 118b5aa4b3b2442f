"""Pages of a PDF or a scan drawn as PNG images for a page to show: the signed copy beside a clerk's lookup, the scan
beside the fields a reviewer checks. Drawn on the server, so the browser needs no PDF viewer and the page's Content
Security Policy allows images from the page itself only."""

from __future__ import annotations

import base64
import io

import pypdfium2
from PIL import Image, ImageSequence

MAX_PAGES = 6  # a preview shows the first pages; the whole copy is one download away


def _png(image: Image.Image, width: int) -> bytes:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=3)
    return out.getvalue()


def page_images(data: bytes, media_type: str, *, width: int = 900, pages: int = MAX_PAGES) -> list[bytes]:
    """PNG images of the first pages of a PDF (with its signature stamps and QR code drawn) or of an image file."""
    if media_type == "application/pdf" or data[:5] == b"%PDF-":
        doc = pypdfium2.PdfDocument(data)
        try:
            doc.init_forms()  # the stamps are the signature fields' appearances
            out = []
            for index in range(min(len(doc), pages)):
                page = doc[index]
                scale = width / page.get_size()[0]
                out.append(_png(page.render(scale=scale, may_draw_forms=True).to_pil(), width))
            return out
        finally:
            doc.close()
    with Image.open(io.BytesIO(data)) as image:
        return [_png(frame.copy(), width) for _, frame in zip(range(pages), ImageSequence.Iterator(image),
                                                              strict=False)]


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
