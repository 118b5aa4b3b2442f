"""Check the signatures of a PDF and say in Vietnamese what a citizen or clerk needs to know.

Intact: the signed bytes are unchanged. Trusted: the signer's certificate chains to a trusted root (the national
root in production; the data directory's development CA otherwise). No network is used: revocation is checked only
if the information is embedded, as it is in long-term (B-LT) signatures.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from signing.identity import certificate_sha256
from signing.sign import VIETNAM


class NotVerifiable(ValueError):
    """The file is not a PDF that can be read for signatures; the message is Vietnamese."""


@dataclass(frozen=True)
class SignatureReport:
    field: str
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    signer: str
    issuer: str
    certificate_sha256: str
    algorithm: str
    signed_at: datetime | None

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted


def display_name(name: asn1_x509.Name) -> str:
    """'Common name — Organisation', the way a person names a certificate holder."""
    native = name.native
    parts = [native.get("common_name"), native.get("organization_name")]
    return " — ".join(str(p) for p in parts if p) or name.human_friendly


def load_certificates(paths: Sequence[Path]) -> list[asn1_x509.Certificate]:
    certs: list[asn1_x509.Certificate] = []
    for path in paths:
        data = path.read_bytes()
        if pem.detect(data):
            certs.extend(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
        else:
            certs.append(asn1_x509.Certificate.load(data))
    return certs


def verify_pdf(data: bytes, trust_roots: Sequence[Path]) -> list[SignatureReport]:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
    except (PdfReadError, ValueError, KeyError) as e:
        raise NotVerifiable(f"Không đọc được tệp PDF: {e}") from e
    context = ValidationContext(trust_roots=load_certificates(trust_roots), allow_fetching=False)
    reports = []
    for sig in signatures:
        status = validate_pdf_signature(sig, context)
        cert = status.signing_cert
        when = status.signer_reported_dt
        reports.append(SignatureReport(
            field=sig.field_name,
            intact=status.intact,
            valid=status.valid,
            trusted=status.trusted,
            covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            signer=display_name(cert.subject),
            issuer=display_name(cert.issuer),
            certificate_sha256=certificate_sha256(cert),
            algorithm=f"{status.md_algorithm}/{status.pkcs7_signature_mechanism}",
            signed_at=when.astimezone(VIETNAM) if when else None,
        ))
    return reports


def _yes(flag: bool) -> str:
    return "có" if flag else "KHÔNG"


def report_vi(reports: Sequence[SignatureReport]) -> str:
    """The verification result as a citizen reads it."""
    if not reports:
        return "Tệp không có chữ ký số nào."
    lines = []
    for i, r in enumerate(reports, 1):
        verdict = "HỢP LỆ" if r.ok else "KHÔNG HỢP LỆ"
        lines += [
            f"Chữ ký số {i}/{len(reports)}: {verdict}",
            f"  Toàn vẹn (nội dung không bị sửa sau khi ký): {_yes(r.intact and r.valid)}",
            f"  Tin cậy (chứng thư số do nơi được tin cậy cấp): {_yes(r.trusted)}",
            f"  Phạm vi ký: {'toàn bộ tệp' if r.covers_whole_file else 'một phần tệp (có nội dung thêm sau khi ký)'}",
            f"  Người ký: {r.signer}",
            f"  Cơ quan cấp chứng thư: {r.issuer}",
            f"  Thời điểm ký: {r.signed_at.isoformat() if r.signed_at else 'không rõ'}",
            f"  Dấu vân tay chứng thư (SHA-256): {r.certificate_sha256}",
        ]
    return "\n".join(lines)
