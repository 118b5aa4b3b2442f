"""The file as it was before sohoa signed it: what a corrected record is signed again from.

sohoa signs by incremental updates, so the unsigned file is a prefix of the signed one: everything up to the end of
the revision before sohoa's first signature (its /Contents lies in the update that follows that revision's %%EOF).
A born-digital file's own earlier signatures (and document timestamps) stay inside that prefix, untouched; the
revocation data and document timestamps of a B-LTA copy come after it and go with sohoa's signatures.
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils.reader import PdfFileReader

SOHOA_FIELD_PREFIX = "Sohoa"  # the fields signing.sign makes: SohoaAgency-…, SohoaOfficer-…


class NotSignedBySohoa(ValueError):
    """The file carries no signature of sohoa's to go back before."""


def unsigned_original(signed: bytes) -> bytes:
    """The bytes of the file before sohoa's first signature; checked to parse with one signature fewer each."""
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    named = [s for s in reader.embedded_regular_signatures if (s.field_name or "").startswith(SOHOA_FIELD_PREFIX)]
    if not named:
        raise NotSignedBySohoa("no sohoa signature in this file")
    first = min(named, key=lambda s: s.signed_revision)
    # Document timestamps after it were added by sohoa's upkeep (B-LTA, renewals): they go with its signatures.
    ours = [*named, *(t for t in reader.embedded_timestamp_signatures if t.signed_revision > first.signed_revision)]
    contents_at = first.byte_range[1]  # where the first signature's /Contents begins, inside its own update
    end = signed.rfind(b"%%EOF", 0, contents_at)
    if end < 0:
        raise NotSignedBySohoa("no end of file before sohoa's first signature")
    end += len(b"%%EOF")
    while end < len(signed) and signed[end:end + 1] in (b"\r", b"\n"):
        end += 1
    prefix = signed[:end]
    before = PdfFileReader(io.BytesIO(prefix), strict=False)
    if len(before.embedded_signatures) != len(reader.embedded_signatures) - len(ours):
        raise NotSignedBySohoa("the revision before sohoa's signatures does not parse as expected")
    return prefix
