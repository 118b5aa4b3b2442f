"""Some pages of a scan file, as a file of the same kind: what a reviewer reads of a stack (a document's pages and one
on either side), instead of the whole box. PDF pages are copied as they are (their images not re-encoded); TIFF
frames are written again without loss."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf
from PIL import Image


def page_range(data: bytes, media_type: str, pages: Sequence[int]) -> bytes:
    """The `pages` (1-based, in order; those past the end left out) of a PDF or multi-page TIFF; the file as it is
    for any other kind (a single image has one page)."""
    if media_type == "application/pdf":
        start = data.find(b"%PDF-")
        with pikepdf.open(io.BytesIO(data[max(start, 0):])) as source:
            out = pikepdf.new()
            for number in pages:
                if 1 <= number <= len(source.pages):
                    out.pages.append(source.pages[number - 1])
            buffer = io.BytesIO()
            out.save(buffer, deterministic_id=True)
            return buffer.getvalue()
    if media_type == "image/tiff":
        with Image.open(io.BytesIO(data)) as im:
            frames = []
            for number in pages:
                if 1 <= number <= getattr(im, "n_frames", 1):
                    im.seek(number - 1)
                    frames.append(im.copy())
            dpi = im.info.get("dpi")
        buffer = io.BytesIO()
        if frames:
            extra = {"dpi": dpi} if dpi else {}
            frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate",
                           **extra)
        return buffer.getvalue()
    return data
