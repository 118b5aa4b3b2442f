"""Read back the QR code sohoa draws on page 1 (TT 01/2023 Điều 26; ISO/IEC 18004) beside the officer's stamp.

The code is drawn by the officer's signature appearance, so page 1 is rendered with its form appearances, only the
top strip where the stamps are, at a resolution where a module is several pixels wide.
"""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2

STRIP = 0.2  # the top fifth of the page holds both stamps


def read_qr(data: bytes) -> str | None:
    """The text of the QR code at the top of page 1, or None when there is none that can be read."""
    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None
    try:
        doc.init_forms()
        if len(doc) == 0:
            return None
        page = doc[0]
        _width, height = page.get_size()
        detector = cv2.QRCodeDetector()
        for scale in (4, 6, 3):
            image = page.render(scale=scale, may_draw_forms=True, crop=(0, height * (1 - STRIP), 0, 0))
            grey = np.asarray(image.to_pil().convert("L"))
            text, _, _ = detector.detectAndDecode(grey)
            if text:
                return str(text)
        return None
    finally:
        doc.close()
