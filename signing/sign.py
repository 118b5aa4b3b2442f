"""Sign an e-copy: the digitising officer's and the agency's PAdES signatures, at the configured level.

- The officer's personal signature (TT 01/2023 Điều 8): name and time, top left of page 1, beside the QR code of
  Điều 26 (the verification address and the fields Điều 26 names: signing.qr, docs/qr-format.md).
- The agency's signature (NĐ 30/2020 Phụ lục I): text only, the copy form, the agency and the signing time in ISO 8601
  with Vietnam's offset, 10-pt Liberation Serif (metric-compatible with Times New Roman), top right of page 1.
- The stamps never cover the original (a certified copy reproduces all of it): page 1's canvas grows by a band
  above the original, in the same update as the first signature, and the stamps sit in the band; the original's
  content is not touched. A file that arrived signed cannot have its page changed without breaking its own
  signatures: there the stamps go where page 1 is blank, measured on the rendered page.
- The first signature creates both fields. The agency's is a certification (DocMDP) signature when it comes first;
  the second signature's field locks the document when signed (FieldMDP /Lock, /P 1): afterwards only revocation
  data and document timestamps, the archive's own upkeep, are allowed.
- Levels: B-B, B-T (RFC 3161 signature timestamps), B-LT (certificates, OCSP and CRLs in the DSS), B-LTA (a document
  timestamp). An unreachable timestamp authority or revocation service lowers the level reached, never stops the
  batch; the record keeps the level it still needs (`sohoa signatures upgrade`). A revoked or expired signing
  certificate stops signing: it is checked before every batch and again every few minutes.
- The file stays at the version its PDF/A claim needs: pyHanko's ISO 32002 extension for ECDSA would make a PDF 1.7
  file declare PDF 2.0; PAdES in PDF 1.7 is declared by the ESIC extension instead.

Keys, stamp styles and fonts are loaded once per signer and reused for every document.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from asn1crypto import cms
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.metadata.model import VENDOR as PYHANKO_PRODUCER
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec
from pyhanko.sign.signers import constants
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    NotYetValidError,
    PathValidationError,
    RevokedError,
)

from domain.dates import VIETNAM
from domain.messages import say
from domain.text import fold, squash
from signing.fonts import preset_font, stamp_font
from signing.identity import LoadedKey, SigningKeyError, load_key, validation_context
from signing.qr import QrFacts, qr_text
from signing.qr_stamp import FixedMaskQRStampStyle
from signing.settings import LEVELS, Level, Officer, Role, SigningSettings
from signing.stamp_places import stamp_boxes
from signing.timestamp_field import AppearedTimeStamper, add_empty_appearance

__all__ = ["PYHANKO_PRODUCER", "DocumentSigner", "SignedPdf", "level_at_least"]


logger = logging.getLogger(__name__)


# The officer's stamp lies on a white ground: a QR code over a yellowed or printed scan would not read.
_WHITE = RawContent(b"1 g 0 0 100 100 re f", box=BoxConstraints(100, 100))


_FILL = SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
                            margins=Margins(0, 0, 0, 0), inner_content_scaling=InnerScaling.STRETCH_FILL)


AGENCY_STAMP = "%(copy_form)s\n%(signer)s\nThời gian ký: %(signed_at)s"


OFFICER_STAMP = "Người số hóa: %(signer)s\nThời gian ký: %(signed_at)s\nMã kết quả: %(result_code)s"


DEVELOPMENT_MARK = "KHÓA THỬ NGHIỆM - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"  # in the stamp of a development key's signature


MIN_ROOM = 4096  # hex digits reserved for a CMS signature at the least


CERT_CHECK_SECONDS = 600  # how long a certificate check before signing is trusted


def level_at_least(level: str, wanted: str) -> bool:
    return LEVELS.index(level) >= LEVELS.index(wanted)


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    fields: tuple[str, ...]  # the signature fields this signing filled, in signing order
    level: Level  # the level reached
    target_level: Level  # the level configured; above `level` when a service could not be reached
    problems: tuple[str, ...] = ()  # Vietnamese: why the target was not reached


class _RecordingTimeStamper(HTTPTimeStamper):
    """The TSA client, remembering whether it failed (so a TSA outage is told apart from other errors). Worker
    threads share it, so each remembers its own failure."""

    def __init__(self, url: str, *, timeout: float) -> None:
        super().__init__(url, timeout=timeout)
        self._local = threading.local()

    @property
    def failure(self) -> BaseException | None:
        return getattr(self._local, "failure", None)

    @failure.setter
    def failure(self, value: BaseException | None) -> None:
        self._local.failure = value

    async def async_request_tsa_response(self, req: Any) -> Any:
        try:
            return await super().async_request_tsa_response(req)
        except Exception as e:
            self.failure = e
            raise


class _Pdf17Signer(PdfSigner):
    """A PdfSigner that keeps a PDF 1.7 file at 1.7 (PAdES declared by ESIC, no ISO 32002 extension)."""

    def register_extensions(self, pdf_out: BasePdfFileWriter, *, md_algorithm: str) -> None:
        if pdf_out.output_version >= (2, 0):
            super().register_extensions(pdf_out, md_algorithm=md_algorithm)
            return
        pdf_out.ensure_output_version(version=(1, 7))
        pdf_out.register_extension(constants.ESIC_EXTENSION_1)


@dataclass
class _Signatory:
    role: Role
    name: str  # shown in the stamp
    key: LoadedKey
    style: TextStampStyle
    checked_at: float | None = None  # monotonic time of the last check; None: never (monotonic may start near 0)
    revocation_checked: bool = False
    untimestamped_room: int | None = None  # hex digits to reserve for a B-B signature, once measured

    def room(self, level: Level) -> int:
        """Hex digits to reserve in /Contents for this signatory's CMS. A later signature parses the reserve of every
        earlier one digit by digit, so a reserve five times too large cost a tenth of signing. A B-B signature's
        size is fixed by the key and its certificates: one dry run tells it, with pyHanko's own 50% margin. A
        timestamp token's size is the authority's to choose, and revocation data grows with the chain: those keep
        room to spare."""
        if level_at_least(level, "B-LT"):
            return 32768
        if level_at_least(level, "B-T"):
            return 16384
        if self.untimestamped_room is None:
            try:
                dry = asyncio.run(self.key.signer.async_sign(hashlib.sha256().digest(), "sha256", use_pades=True,
                                                             dry_run=True))
                digits = 2 * len(dry.dump())
                room = digits * 3 // 2
                self.untimestamped_room = max(MIN_ROOM, room + room % 2)  # pyHanko wants whole bytes
            except Exception:  # a signer that cannot dry-run: the generous reserve
                self.untimestamped_room = 16384
        return self.untimestamped_room


@dataclass
class DocumentSigner:
    settings: SigningSettings
    officer: Officer
    _signatories: dict[str, _Signatory] = field(default_factory=dict, repr=False)
    _timestamper: _RecordingTimeStamper | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        s = self.settings
        font = preset_font(stamp_font(s.stamp_font, s.cache_dir),
                           (AGENCY_STAMP, OFFICER_STAMP, DEVELOPMENT_MARK, s.copy_form, s.agency_name,
                            self.officer.name), 10)
        agency = load_key(s.agency_key, s, role="agency")
        try:
            check_identity(s, agency)
            officer = load_key(self.officer.key, s, role="officer", login=self.officer.login, name=self.officer.name)
        except Exception:
            agency.close()
            raise

        def marked(text: str, key: LoadedKey) -> str:
            return f"{text}\n{DEVELOPMENT_MARK}" if key.development else text

        self._signatories = {
            "agency": _Signatory("agency", s.agency_name, agency, TextStampStyle(
                stamp_text=marked(AGENCY_STAMP, agency), text_box_style=TextBoxStyle(font=font, font_size=10),
                border_width=0, background=None)),
            "officer": _Signatory("officer", self.officer.name, officer, FixedMaskQRStampStyle(
                stamp_text=marked(OFFICER_STAMP, officer),
                text_box_style=TextBoxStyle(font=replace(font, font_size=8), font_size=8),
                border_width=0, innsep=1, background=_WHITE, background_opacity=1.0,
                background_layout=_FILL)),
        }
        if s.tsa_url:
            self._timestamper = _RecordingTimeStamper(s.tsa_url, timeout=s.tsa_timeout_s)
        for signatory in self._signatories.values():
            self._check_certificate(signatory)

    @property
    def development(self) -> bool:
        return any(s.key.development for s in self._signatories.values())

    def close(self) -> None:
        for signatory in self._signatories.values():
            signatory.key.close()

    # --- certificates -----------------------------------------------------------------------------------

    def validation_context(self, *, fetch: bool | None = None) -> ValidationContext:
        return validation_context(self.settings, fetch=fetch)

    def _check_certificate(self, signatory: _Signatory) -> None:
        """Refuse an expired, not yet valid or revoked certificate (TT 15/2025: signing software checks it)."""
        if signatory.checked_at is not None and time.monotonic() - signatory.checked_at < CERT_CHECK_SECONDS:
            return
        cert = signatory.key.certificate
        now = datetime.now(VIETNAM)
        who = say("signing.role_agency") if signatory.role == "agency" else say("signing.role_officer")
        if not cert.not_valid_before <= now <= cert.not_valid_after:
            raise SigningKeyError(f"the {signatory.role} certificate is outside its validity period",
                                  "certificate_expired", who=who, name=signatory.name, ended=say(
                                      "signing.ended_on", date=f"{cert.not_valid_after.astimezone(VIETNAM):%d/%m/%Y}"))
        signatory.revocation_checked = False
        if self.settings.revocation_fetch and not signatory.key.development:
            intermediates = list(signatory.key.signer.cert_registry)
            validator = CertificateValidator(cert, intermediate_certs=intermediates,
                                             validation_context=self.validation_context(fetch=True))
            try:
                asyncio.run(validator.async_validate_usage({"digital_signature"}))
                signatory.revocation_checked = True
            except RevokedError as e:
                raise SigningKeyError(f"the {signatory.role} certificate is revoked: {e}", "certificate_revoked",
                                      who=who, name=signatory.name) from e
            except (ExpiredError, NotYetValidError) as e:
                raise SigningKeyError(str(e), "certificate_expired", who=who, name=signatory.name, ended="") from e
            except InsufficientRevinfoError:
                pass  # the OCSP responder or CRL could not be reached: signed below B-LT, upgraded later
            except PathValidationError as e:
                raise SigningKeyError(str(e), "certificate_untrusted", who=who, name=signatory.name) from e
        signatory.checked_at = time.monotonic()

    # --- signing ----------------------------------------------------------------------------------------

    def sign(self, pdf: bytes, *, result_code: str, procedure_code: str, reason: str,
             location: str = "", qr: QrFacts | None = None) -> SignedPdf:
        """Both signatures in new fields of their own: a PDF that arrives already signed keeps its signatures.
        `qr`: what the QR code carries besides the codes (Điều 26); its issue time is the signing time."""
        facts = replace(qr or QrFacts(result_code), result_code=result_code, procedure_code=procedure_code,
                        system=(qr.system if qr and qr.system else "sohoa"),
                        issued_at=datetime.now(VIETNAM).replace(tzinfo=None))
        target: Level = self.settings.level
        problems: list[str] = []
        level = target
        signatories = [self._signatories[role] for role in self.settings.order]
        for signatory in signatories:
            self._check_certificate(signatory)
        if level_at_least(level, "B-T") and self._timestamper is None:
            level = "B-B"
            problems.append("Chưa cấu hình máy chủ cấp dấu thời gian (tsa_url): chữ ký ở mức B-B.")
        if level_at_least(level, "B-LT") and not all(s.revocation_checked or s.key.development for s in signatories):
            level = "B-T"
            problems.append("Không lấy được thông tin thu hồi chứng thư (OCSP/CRL): chữ ký chưa đạt mức B-LT.")
        while True:
            try:
                data, names = self._sign_at(pdf, level, signatories, qr=facts, reason=reason, location=location)
                return SignedPdf(data, names, level, target, tuple(problems))
            except Exception:
                stamper = self._timestamper
                if stamper is not None and stamper.failure is not None and level != "B-B":
                    stamper.failure = None
                    level = "B-B"
                    problems.append("Không kết nối được máy chủ cấp dấu thời gian: chữ ký ở mức B-B, sẽ được "
                                    "nâng cấp sau (sohoa signatures upgrade).")
                    continue
                if level_at_least(level, "B-LT"):  # revocation data went missing between the check and now
                    level = "B-T"
                    problems.append("Không nhúng được thông tin thu hồi chứng thư: chữ ký chưa đạt mức B-LT.")
                    continue
                raise

    def _sign_at(self, pdf: bytes, level: Level, signatories: Sequence[_Signatory], *, qr: QrFacts, reason: str,
                 location: str) -> tuple[bytes, tuple[str, ...]]:
        suffix = uuid.uuid4().hex[:12]
        names = tuple(f"Sohoa{'Agency' if s.role == 'agency' else 'Officer'}-{suffix}" for s in signatories)
        timestamper: TimeStamper | None = self._timestamper if level_at_least(level, "B-T") else None
        embed = level_at_least(level, "B-LT")
        context = self.validation_context() if embed else None
        data = pdf
        for i, signatory in enumerate(signatories):
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            new_field = None
            if i == 0:  # this signature's field, and the second's, which locks the document once it is signed
                boxes = stamp_boxes(writer, data)
                new_field = SigFieldSpec(names[0], on_page=0, box=boxes[signatory.role])
                fields.append_signature_field(writer, SigFieldSpec(
                    names[1], on_page=0, box=boxes[signatories[1].role],
                    field_mdp_spec=FieldMDPSpec(FieldMDPAction.ALL), doc_mdp_update_value=MDPPerm.NO_CHANGES))
                if not writer.prev.embedded_signatures:  # for the document timestamps to come (see there)
                    add_empty_appearance(writer)
            # A certification signature must be the document's first: a PDF that came signed gets approvals only.
            certify = i == 0 and signatory.role == "agency" and not writer.prev.embedded_signatures
            meta = PdfSignatureMetadata(
                field_name=names[i], md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
                reason=reason, location=location or None, name=signatory.name, certify=certify,
                docmdp_permissions=MDPPerm.FILL_FORMS if i == 0 else MDPPerm.NO_CHANGES,
                embed_validation_info=embed, validation_context=context,
                use_pades_lta=False)  # the document timestamp comes after, in a field with an appearance
            signer = _Pdf17Signer(meta, signer=signatory.key.signer, timestamper=timestamper,
                                  stamp_style=signatory.style, new_field_spec=new_field)
            out = io.BytesIO()
            signer.sign_pdf(writer, output=out, bytes_reserved=signatory.room(level),
                            appearance_text_params={
                                "copy_form": self.settings.copy_form, "signer": signatory.name,
                                "signed_at": datetime.now(VIETNAM).replace(microsecond=0).isoformat(),
                                "result_code": qr.result_code,
                                "url": qr_text(self.settings.qr_template, self.settings.verify_base_url, qr)})
            data = out.getvalue()
        if level == "B-LTA":
            assert timestamper is not None and context is not None
            out = io.BytesIO()
            AppearedTimeStamper(timestamper).timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False),
                                                           "sha256", context, output=out)
            data = out.getvalue()
        return data, names


def check_identity(settings: SigningSettings, agency: LoadedKey) -> None:
    """Before anything is signed: the agency named in the stamps is the one the certificate was issued to, and the
    verification address printed in every QR code is a real one. A development key may sign under a placeholder
    address (with a warning): its copies have no legal value anyway."""
    cert = agency.certificate
    holder = cert.subject.native
    named = [str(holder.get(k) or "") for k in ("common_name", "organization_name")]
    if not agency.development and not any(same_agency(n, settings.agency_name) for n in named if n):
        raise SigningKeyError(f"the agency name {settings.agency_name!r} does not match the certificate's subject "
                              f"{named}", "agency_name_mismatch", configured=settings.agency_name,
                              certified=named[0] or named[1])
    host = (urlsplit(settings.verify_base_url).hostname or "").lower()
    if not host or host.split(".")[-1] in ("example", "invalid", "test", "localhost") or "example." in host:
        if not agency.development:
            raise SigningKeyError(f"verify_base_url {settings.verify_base_url!r} is a placeholder",
                                  "placeholder_verify_url", url=settings.verify_base_url or say("signing.empty"))
        logger.warning("development signing with a placeholder verification address %s", settings.verify_base_url)


def same_agency(a: str, b: str) -> bool:
    """Two writings of one agency's name: case, diacritics' placement ("Uỷ"/"Ủy") and spacing aside."""
    return squash(fold(a)) == squash(fold(b))


def signature_values(data: bytes) -> list[bytes]:
    """The signature value of every CMS signature in a PDF: equal values mean the same signing act."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    values = []
    for sig in reader.embedded_regular_signatures:
        signed_data: cms.SignedData = sig.signed_data
        values.append(bytes(signed_data["signer_infos"][0]["signature"].native))
    return values
