"""The officer's stamp with its QR code, drawn with one fixed mask pattern.

pyHanko's QR stamp lets the `qrcode` package pick the best of the eight mask patterns (ISO/IEC 18004 §7.8.3), which
builds and scores the symbol eight times: 5.3 ms of every e-copy, a tenth of signing it, against 1.0 ms with the
mask given. Any mask gives a valid symbol that readers decode; the penalty score only steers clear of patterns that
can trouble a poor reader, which a code printed from a vector drawing at the size of the stamp does not meet. The
signed copy's code is read back in the tests (`signing.qr.read_qr`).
"""

from __future__ import annotations

from typing import Any

import qrcode
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.qr import PdfStreamQRImage
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary
from pyhanko.stamp import QRStampStyle
from pyhanko.stamp.qr import QRStamp

MASK_PATTERN = 0  # a checkerboard of single modules: the evenest spread of dark and light


class FixedMaskQRStampStyle(QRStampStyle):
    """A `QRStampStyle` whose stamps draw their code with `MASK_PATTERN` (plain codes only: no inner image)."""

    def create_stamp(self, writer: BasePdfFileWriter, box: layout.BoxConstraints,
                     text_params: dict[str, Any]) -> QRStamp:
        try:
            url = text_params.pop("url")
        except KeyError:
            raise layout.LayoutError("A QR stamp needs a 'url' text parameter.") from None
        return _FixedMaskQRStamp(writer, style=self, url=url, text_params=text_params, box=box)


class _FixedMaskQRStamp(QRStamp):
    def _qr_xobject(self) -> tuple[Any, int]:
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=MASK_PATTERN)
        qr.add_data(self.url)
        qr.make()
        image = qr.make_image(image_factory=PdfStreamQRImage)
        size = (qr.modules_count + 2 * qr.border) * qr.box_size
        xobject = init_xobject_dictionary(image.render_command_stream(), size, size)
        xobject.compress()
        assert self.writer is not None  # a stamp is always drawn into a writer
        return self.writer.add_object(xobject), size
