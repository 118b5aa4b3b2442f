"""Whose a signature is, in words a clerk reads: the signer's display name, the top of its chain, and the role sohoa's
own fields give it (agency, officer, timestamp), never trusted from a field's name alone."""

from __future__ import annotations

import io
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from domain.dates import VIETNAM


def display_name(name: asn1_x509.Name) -> str:
    """'Common name — Organisation', the way a person names a certificate holder."""
    native = name.native
    parts = [native.get("common_name"), native.get("organization_name")]
    return " — ".join(str(p) for p in parts if p) or name.human_friendly


def chain_top(sig: EmbeddedPdfSignature) -> str:
    """The last certificate of the chain a signature carries, as a person names it: its root when the file carries
    it, else the highest issuer the file names ("…, cấp bởi X (không kèm trong tệp)")."""
    try:
        carried = [c.chosen for c in sig.signed_data["certificates"] or ()
                   if isinstance(c.chosen, asn1_x509.Certificate)]
        cert = sig.signer_cert
    except (KeyError, ValueError, TypeError):
        return ""
    by_subject = {c.subject.dump(): c for c in carried}
    seen = 0
    while cert.self_signed == "no" and cert.issuer.dump() in by_subject and seen < 10:  # asn1crypto: "no"/"maybe"
        cert, seen = by_subject[cert.issuer.dump()], seen + 1
    if cert.self_signed != "no":
        return display_name(cert.subject)
    return f"{display_name(cert.issuer)} (không kèm trong tệp)"


def field_role(field_name: str) -> str:
    """The role a field's name claims: sohoa names its fields SohoaAgency-… and SohoaOfficer-…; anyone can copy that."""
    if field_name.startswith("SohoaAgency"):
        return "agency"
    if field_name.startswith("SohoaOfficer"):
        return "officer"
    return "other"


def claims_sohoa_fields(data: bytes) -> bool:
    """The file has a signature in a field named like sohoa's: it presents itself as a sohoa e-copy."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        return any(field_role(s.field_name or "") != "other" for s in reader.embedded_regular_signatures)
    except Exception:  # not readable: verify_pdf says why, in words
        return False


def signer_words(role: str, sig: EmbeddedPdfSignature) -> str:
    if role in ("agency", "officer"):
        return {"agency": "của cơ quan", "officer": "của người số hóa"}[role]
    try:
        return f"của {display_name(sig.signer_cert.subject)} (trường '{sig.field_name}')"
    except (KeyError, ValueError, TypeError):
        return f"'{sig.field_name}'"


def vietnam_time(t: datetime) -> str:
    """A moment as a Vietnamese reader writes it, on Vietnam's clock: 07/12/2026 19:24:37."""
    return f"{t.astimezone(VIETNAM):%d/%m/%Y %H:%M:%S}"
