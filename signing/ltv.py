"""Keep signatures verifiable for as long as the record is kept: upgrade to the configured level, renew timestamps.

Both only append incremental updates (a DSS with certificates, OCSP responses and CRLs; document timestamps), which
PAdES and the signatures' own lock allow: the signed bytes are never rewritten, so the upgraded file starts with the
very bytes that were signed.

- upgrade: a copy signed B-B (the timestamp authority was down) gets a document timestamp (B-T), and for B-LT and
  above the validation data of every signature in the DSS followed by a document timestamp over it (B-LTA).
- renew: before the newest document timestamp's certificate (or a signer's certificate) expires, the validation data
  of that timestamp goes into the DSS and a new document timestamp covers it all (ETSI EN 319 142-1 B-LTA).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from asn1crypto import cms, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko_certvalidator import ValidationContext

from domain.messages import CodedError
from signing.identity import validation_context
from signing.settings import SigningSettings
from signing.sign import level_at_least
from signing.timestamp_field import AppearedTimeStamper


@dataclass(frozen=True)
class Expiry:
    """When the proof a copy carries runs out: the newest timestamp's TSA certificate, or a signer's certificate."""

    at: datetime | None  # None: no timestamp at all (a B-B copy: an upgrade, not a renewal)
    what: str  # Vietnamese


def proof_expiry(data: bytes) -> Expiry:
    """The newest document timestamp's certificate expiry; without one, the earliest expiry among the signature
    timestamps' and the signers' certificates."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    stamps = sorted(reader.embedded_timestamp_signatures, key=lambda s: s.signed_revision)
    if stamps:
        cert = stamps[-1].signer_cert
        return Expiry(cert.not_valid_after, f"chứng thư của máy chủ cấp dấu thời gian lưu trữ '{_cn(cert)}'")
    candidates: list[tuple[datetime, str]] = []
    for sig in reader.embedded_regular_signatures:
        tokens = list(extract_tst_data_iter(sig.signer_info, signed=False))
        if not tokens:
            return Expiry(None, "chữ ký chưa có dấu thời gian")
        for cert in (c for tst in tokens for c in _tsa_certificates(tst)):
            candidates.append((cert.not_valid_after, f"chứng thư của máy chủ cấp dấu thời gian '{_cn(cert)}'"))
        candidates.append((sig.signer_cert.not_valid_after, f"chứng thư số của '{_cn(sig.signer_cert)}'"))
    if not candidates:
        return Expiry(None, "tệp không có chữ ký")
    at, what = min(candidates)
    return Expiry(at, what)


def _cn(cert: x509.Certificate) -> str:
    return str(cert.subject.native.get("common_name", ""))


def _tsa_certificates(tst: cms.SignedData) -> list[x509.Certificate]:
    """The timestamp authority's certificate among those a timestamp token carries."""
    out = []
    for choice in tst["certificates"] or ():
        cert = choice.chosen
        usage = cert.extended_key_usage_value
        if isinstance(cert, x509.Certificate) and usage is not None and "time_stamping" in usage.native:
            out.append(cert)
    return out


def needs_renewal(data: bytes, now: datetime, horizon_days: int) -> Expiry | None:
    """The expiry that falls within the horizon, or None when the copy's proof lasts beyond it."""
    expiry = proof_expiry(data)
    if expiry.at is not None and expiry.at - now <= timedelta(days=horizon_days):
        return expiry
    return None


def upgrade(data: bytes, level: str, target: str, timestamper: TimeStamper, context: ValidationContext) -> bytes:
    """`data` brought from `level` up to `target`, by incremental updates only."""
    out = data
    if level == "B-B" and target == "B-T":
        return _document_timestamp(out, timestamper, None)
    if level_at_least(target, "B-LT"):
        count = len(PdfFileReader(io.BytesIO(out), strict=False).embedded_regular_signatures)
        for i in range(count):  # each update is read back before the next, so none is lost
            sig = PdfFileReader(io.BytesIO(out), strict=False).embedded_regular_signatures[i]
            buf = io.BytesIO()
            add_validation_info(sig, context, output=buf)
            out = buf.getvalue()
        out = _document_timestamp(out, timestamper, context)
    return out


def renew(data: bytes, timestamper: TimeStamper, context: ValidationContext) -> bytes:
    """A new document timestamp over the file, after the validation data of the newest timestamp (B-LTA renewal)."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    if reader.embedded_timestamp_signatures:
        AppearedTimeStamper(timestamper).update_archival_timestamp_chain(reader, context, in_place=False, output=out)
        return out.getvalue()
    return upgrade(data, "B-LT", "B-LTA", timestamper, context)


class UpkeepError(CodedError, RuntimeError):
    """Long-term upkeep cannot run; `vietnamese` (`signing.<code>`) says why."""

    area = "signing"


class NotConfigured(UpkeepError):
    """No timestamp authority is configured: nothing can be upgraded or renewed, for any record."""


@dataclass
class Upkeeper:
    """Upgrade and renewal with the configured timestamp authority; no signing key is needed for either."""

    settings: SigningSettings

    def __post_init__(self) -> None:
        url = self.settings.tsa_url
        self._timestamper = HTTPTimeStamper(url, timeout=self.settings.tsa_timeout_s) if url else None

    @property
    def timestamper(self) -> TimeStamper:
        if self._timestamper is None:
            raise NotConfigured("no timestamp authority is configured", "no_tsa")
        return self._timestamper

    def upgrade(self, data: bytes, level: str) -> bytes:
        return upgrade(data, level, self.settings.level, self.timestamper, validation_context(self.settings))

    def renew(self, data: bytes) -> bytes:
        return renew(data, self.timestamper, validation_context(self.settings))


def _document_timestamp(data: bytes, timestamper: TimeStamper, context: ValidationContext | None) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    AppearedTimeStamper(timestamper).timestamp_pdf(writer, "sha256", context, output=out)
    return out.getvalue()
