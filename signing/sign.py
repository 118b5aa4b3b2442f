"""Sign an e-copy: PAdES B-B, SHA-256, with the visible text stamp NĐ 30/2020 Phụ lục I asks of an agency's copy.

The stamp is text only (no image): the copy form, the agency and the signing time in ISO 8601 with Vietnam's offset,
10-pt Liberation Serif (metric-compatible with Times New Roman), upright, black, at the top right of page 1. The
loaded key is kept between documents: parsing it again costs more than the signature itself.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR as PYHANKO_PRODUCER
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.stamp import TextStampStyle

from signing.identity import Identity

__all__ = ["PYHANKO_PRODUCER", "VIETNAM", "DocumentSigner", "SignedPdf"]

VIETNAM = timezone(timedelta(hours=7), "ICT")
FIELD_PREFIX = "SohoaAgencySignature"
MM = 72 / 25.4
STAMP_WIDTH = 80 * MM
STAMP_HEIGHT = 15 * MM
STAMP_MARGIN = 4 * MM
A4_POINTS = (595.28, 841.89)


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    field_name: str | None  # the signature field this signing created (None: one made earlier, the last one)


class DocumentSigner:
    def __init__(self, identity: Identity, *, agency_name: str, copy_form: str, font_file: Path) -> None:
        self.identity = identity
        self.signer = signers.SimpleSigner.load_pkcs12(str(identity.p12), passphrase=identity.password)
        if self.signer is None:
            raise ValueError(f"cannot load signing identity from {identity.p12}")
        self.agency_name = agency_name
        self.copy_form = copy_form
        self.style = TextStampStyle(
            stamp_text="%(copy_form)s\n%(agency)s\nThời gian ký: %(signed_at)s",
            text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font_file)), font_size=10),
            border_width=0,
            background=None,
        )

    def sign(self, pdf: bytes, *, reason: str, location: str = "") -> SignedPdf:
        """Sign in a new field of its own: a PDF that arrives already signed keeps its signatures."""
        field_name = f"{FIELD_PREFIX}-{uuid.uuid4().hex[:12]}"
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        _, _, right, top = _page_box(writer)
        box = (round(right - STAMP_MARGIN - STAMP_WIDTH), round(top - STAMP_MARGIN - STAMP_HEIGHT),
               round(right - STAMP_MARGIN), round(top - STAMP_MARGIN))
        meta = PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256",
                                    subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location or None,
                                    name=self.agency_name)
        pdf_signer = PdfSigner(meta, signer=self.signer, stamp_style=self.style,
                               new_field_spec=fields.SigFieldSpec(field_name, box=box, on_page=0))
        now = datetime.now(VIETNAM).replace(microsecond=0)
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=16384, appearance_text_params={
            "copy_form": self.copy_form, "agency": self.agency_name, "signed_at": now.isoformat()})
        return SignedPdf(out.getvalue(), field_name)


def _page_box(writer: IncrementalPdfFileWriter) -> tuple[float, float, float, float]:
    """Page 1's MediaBox, looked up through the page tree if the page inherits it."""
    page_ref, _ = writer.find_page_for_modification(0)
    node = page_ref.get_object()
    while node is not None:
        if "/MediaBox" in node:
            x0, y0, x1, y1 = (float(v) for v in node["/MediaBox"])
            return x0, y0, x1, y1
        node = node.get("/Parent")
    return 0.0, 0.0, *A4_POINTS
