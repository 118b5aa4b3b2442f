"""The signatures a PDF arrived with, as their own bytes state them: who signed and when, without judging them.

What the file says of itself is evidence about the paper it carries: a decision cannot be dated after the moment
it was signed. Reading the claims costs little (no certificate path is built, nothing is fetched) and a file whose
signatures cannot be parsed simply says nothing.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from pyhanko.pdf_utils.reader import PdfFileReader

from signing.sign import VIETNAM

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArrivedSignature:
    field: str
    signer: str  # the certificate's holder, as a person names it
    signed_at: datetime | None  # the signer's own claim (or its timestamp's), in Vietnam's time


def arrived_signatures(data: bytes) -> list[ArrivedSignature]:
    """Every signature field the file carries, with its claimed time; empty for a file without or unreadable."""
    start = data.find(b"%PDF-")
    body = data[start:] if start > 0 else data
    out = []
    try:
        reader = PdfFileReader(io.BytesIO(body), strict=False)
        for sig in reader.embedded_regular_signatures:
            when = None
            try:
                stamp = sig.attached_timestamp_data
                when = stamp.timestamp if stamp is not None else None
            except Exception:  # a malformed timestamp token: the signer's own claim below
                when = None
            when = when or sig.self_reported_timestamp
            subject = sig.signer_cert.subject.native
            name = " — ".join(str(v) for v in (subject.get("common_name"), subject.get("organization_name")) if v)
            out.append(ArrivedSignature(sig.field_name, name, when.astimezone(VIETNAM) if when else None))
    except Exception as e:  # a file pyHanko cannot parse says nothing about its signatures
        log.info("signatures of an arriving file not read: %r", e)
        return []
    return out
