"""The signatures a PDF arrived with, in plain words: who signed, when, where the certificate chain ends, and
whether this system trusts that end (the national roots are configuration: `[signing] trust_roots`).

They are evidence about the paper the file carries (a decision cannot be dated after it was signed) and what a
records officer checks of an original; they are never the agency's to vouch for, so a chain ending at a root not
configured here is said so, not raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from domain.records import ArrivedSignature
from signing.verification_report import NotVerifiable
from signing.verify import verify_pdf

OUR_FIELDS = ("SohoaAgency", "SohoaOfficer")  # the fields of an e-copy this system issued (`signing.sign`)


def arrived_signatures(data: bytes, trust_roots: Sequence[Path]) -> list[ArrivedSignature]:
    """Every signature the file carries as it came, judged today against `trust_roots`; empty for a file without
    signatures or one whose signatures cannot be read at all."""
    try:
        report = verify_pdf(data, trust_roots)
    except NotVerifiable:
        return []
    return [ArrivedSignature(field=r.field, signer=r.signer, issuer=r.issuer, signed_at=r.signed_at,
                             chain_top=r.chain_top, trusted=r.trusted, intact=r.intact and r.valid, ok=r.ok,
                             problems=list(r.problems))
            for r in report.regular]
