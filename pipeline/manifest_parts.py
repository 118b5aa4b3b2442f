"""The parts of a manifest not read from the paper: its file entries, its signature block (a record is archived
only with signatures pyHanko accepts whole; the block says what they are: signer, officer, level reached, time
source) and the tools that made it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import metadata

from context.services import Services
from domain.records import FileEntry, SignatureInfo
from ocr.chosen_engine import current_engine
from pipeline import __version__
from signing.identity import verification_roots
from signing.settings import LEVELS
from signing.sign import SignedPdf
from signing.verify import verify_pdf


def file_entry(name: str, data: bytes, media_type: str) -> FileEntry:
    return FileEntry(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), media_type=media_type)


def checked_signature(signed: SignedPdf, services: Services, *, development: bool) -> SignatureInfo:
    """Validate the signatures just made: a record is archived only with signatures pyHanko accepts whole."""
    return signature_info(signed.data, services, target_level=signed.target_level, problems=signed.problems,
                          fields=signed.fields, development=development)


def signature_info(data: bytes, services: Services, *, target_level: str, problems: Sequence[str],
                   development: bool, fields: Sequence[str] = ()) -> SignatureInfo:
    """The manifest's signature block for a signed PDF whose own signatures (the `fields` given, else sohoa's
    officer and agency fields) pyHanko accepts whole; RuntimeError otherwise.

    Signatures the file arrived with are not ours to vouch for (their roots may not be configured here)."""
    report = verify_pdf(data, verification_roots(services.settings.signing))
    mine = [r for r in report.regular if (r.field in fields if fields else r.role in ("agency", "officer"))]
    agency = [r for r in mine if r.role == "agency"]
    officer = [r for r in mine if r.role == "officer"]
    if not all(r.ok for r in mine) or not agency or not officer or agency[-1].signed_at is None:
        found = [p for r in mine for p in r.problems]
        raise RuntimeError(f"the signatures do not validate: {found or report}")
    a, o = agency[-1], officer[-1]
    assert a.signed_at is not None
    level = min((r.level for r in (a, o)), key=LEVELS.index)
    return SignatureInfo(signer=a.signer, certificate_sha256=a.certificate_sha256, issuer=a.issuer,
                         signed_at=a.signed_at, algorithm=a.algorithm, development_identity=development, level=level,
                         target_level=target_level, time_source=a.time_source, officer=o.signer,
                         officer_certificate_sha256=o.certificate_sha256, problems=list(problems))


def tool_versions() -> dict[str, str]:
    """What made a record, kept in its manifest: sohoa, the page engine that read it, the libraries."""
    engine = current_engine()
    return {"sohoa": __version__, engine.name: engine.version(), **_library_versions()}


@cache
def _library_versions() -> dict[str, str]:
    versions = {}
    for dist in ("pytesseract", "opencv-python-headless", "pikepdf", "pyHanko", "pdfplumber", "Pillow"):
        try:
            versions[dist.lower()] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist.lower()] = "unknown"
    return versions
