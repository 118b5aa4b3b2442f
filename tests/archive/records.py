"""Small records for the archive tests: real manifests over a few bytes of content."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from archive.base import OCR_TEXT, ORIGINAL, SIGNED_PDF
from domain.records import (
    Classification,
    DocumentFields,
    FileEntry,
    Manifest,
    Person,
    Retention,
    SignatureInfo,
)

NAMES = {ORIGINAL: "original.png", SIGNED_PDF: "signed.pdf", OCR_TEXT: "ocr.txt"}
MEDIA = {ORIGINAL: "image/png", SIGNED_PDF: "application/pdf", OCR_TEXT: "text/plain; charset=utf-8"}


def files(seed: bytes = b"scan") -> dict[str, bytes]:
    return {ORIGINAL: seed * 100, SIGNED_PDF: b"%PDF-" + seed, OCR_TEXT: "GIẤY KHAI SINH ".encode() + seed}


def manifest_for(data: dict[str, bytes], code: str = "000.00.00.H49-261122-0001-KQ1", *, version: int = 1,
                 retain_until: date | None = None, mode: str = "COMPLIANCE", type_id: str = "khai_sinh",
                 number: str = "12") -> Manifest:
    return Manifest(
        version=version,
        result_code=code, dossier_code=code.rsplit("-", 1)[0],
        content_hash=hashlib.sha256(data[ORIGINAL]).hexdigest(), source_name="scan.png",
        classification=Classification(type_id=type_id, type_name="Giấy khai sinh", confidence=1.0,
                                      needs_review=False),
        fields=DocumentFields(number=number, issue_date=date(2017, 2, 8)),
        persons=[Person(role="registrant", name="NGUYỄN VĂN A", personal_number="064217000001")],
        retention=Retention(class_id="ho_tich", label="Hộ tịch — vĩnh viễn", years=0 if retain_until is None else 1,
                            retain_until=retain_until, mode=mode),  # type: ignore[arg-type]
        files={role: FileEntry(name=NAMES[role], sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                               media_type=MEDIA[role]) for role, content in data.items()},
        pages=[], pdf_profile="PDF/A-2b",
        signature=SignatureInfo(signer="s", certificate_sha256="0" * 64, issuer="i", signed_at=datetime.now(UTC),
                                algorithm="sha256/ecdsa", development_identity=True),
        tools={}, ingested_at=datetime.now(UTC))
