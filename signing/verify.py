"""Check every signature of a PDF with pyHanko's whole verdict, and say in Vietnamese what a clerk needs to know.

A copy is HỢP LỆ only when every signature is: intact (the signed bytes are unchanged), valid (the signature value
fits the certificate), trusted (the certificate chains to a trusted root and is neither expired nor revoked at the
time it is judged), allowed by the document's modification rules (after a signature, only what it permits: later
signatures, revocation data, document timestamps), and its timestamps fit it. Anything else is KHÔNG HỢP LỆ with
the reason: which signature, what changed ("trang 1 bị sửa sau khi ký"), which certificate failed and why.

Long-term validity: a signature whose certificate has expired since it was made still verifies when the file proves
when it was made and that its certificate was good then: a signature timestamp or document timestamp, revocation
data in the DSS, and a chain of document timestamps whose newest is valid today (PAdES B-LTA). The signature is then
judged at that proven time, with the embedded revocation data only.

`at` moves "today" (for an auditor asking "would this verify on that day?", and for tests of the years ahead).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import UnacceptableSignerError
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from domain.dates import VIETNAM
from signing.certificates import load_certificates as load_certificates  # named from here by callers
from signing.identity import certificate_sha256, revocation_fetchers
from signing.page_changes import changed_pages
from signing.quiet import quiet_pyhanko
from signing.signature_roles import chain_top, display_name, field_role, signer_words, vietnam_time
from signing.verification_report import NotVerifiable, SignatureReport, VerificationReport

quiet_pyhanko()


class _Context:
    """One file's facts and its validation contexts: trust roots, the DSS, its document timestamps' revisions,
    fetching or not, and the moment judged."""

    def __init__(self, reader: PdfFileReader, stamps: Sequence[EmbeddedPdfSignature],
                 roots: list[asn1_x509.Certificate], fetch: bool, at: datetime | None,
                 roles: Mapping[str, str] | None = None) -> None:
        self.roots = roots
        self.roles = roles
        self.fetch = fetch
        self.at = at
        self.stamp_revisions = {s.field_name: s.signed_revision for s in stamps}
        try:
            self.dss: DocumentSecurityStore | None = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            self.dss = None
        # The revision that first brought the DSS: a document timestamp after it covers revocation data (B-LTA).
        self.first_dss_revision = next((r for r in range(reader.xrefs.total_revisions)
                                        if "/DSS" in reader.get_historical_root(r)), None) if self.dss else None

    def role_of(self, sig: EmbeddedPdfSignature) -> str:
        """Whose signature it is, by its certificate when the caller knows the certificates (an archived record's),
        else by the field's name."""
        if self.roles is None:
            return field_role(sig.field_name)
        try:
            return self.roles.get(certificate_sha256(sig.signer_cert), "other")
        except (KeyError, ValueError, TypeError):
            return "other"

    def anchors(self, sig: EmbeddedPdfSignature) -> bool:
        """The signer's chain reaches a trusted root when revocation is not asked: a signature not trusted under
        the strict check then failed only for want of revocation data (a responder that did not answer)."""
        kwargs: dict[str, Any] = {"moment": self.at} if self.at is not None else {}
        context = ValidationContext(trust_roots=self.roots, allow_fetching=False, revocation_mode="soft-fail",
                                    **kwargs)
        try:
            return bool(validate_pdf_signature(sig, context, skip_diff=True).trusted)
        except (SignatureValidationError, UnacceptableSignerError, ValueError):
            return False

    @property
    def has_revinfo(self) -> bool:
        return self.dss is not None and bool(self.dss.ocsps or self.dss.crls)

    def make(self, moment: datetime | None = None, *, embedded_only: bool = False,
             today: bool = False) -> ValidationContext:
        """`embedded_only`: judged in the past on the file's own revocation data, which must then be complete.
        `today`: the newest document timestamp, judged now; revocation data it carries from years ago is stale by
        design, so without fetching only the certificate chain and its validity are required."""
        fetch = self.fetch and not embedded_only
        # Today's newest document timestamp: a fetch that fails (no network) proves nothing either way, so only a
        # revocation found counts against it; everything older is held to the revocation data it needs.
        strict = not today and (fetch or embedded_only or self.has_revinfo)
        kwargs: dict[str, Any] = {
            "trust_roots": self.roots, "allow_fetching": fetch, "retroactive_revinfo": True,
            "revocation_mode": "hard-fail" if strict else "soft-fail",
            "fetcher_backend": revocation_fetchers() if fetch else None,
        }
        when = moment or self.at
        if when is not None:
            kwargs["moment"] = when
        if self.dss is None:
            return ValidationContext(**kwargs)
        if today:
            return ValidationContext(other_certs=list(self.dss.load_certs()), **kwargs)
        return self.dss.as_validation_context(kwargs)


def pdf_part(data: bytes) -> tuple[bytes, int, int]:
    """The file from its %PDF- header to its last %%EOF (and the line end after it), with how many bytes stood
    before and after: what the signatures' byte ranges can cover, and what they cannot."""
    start = max(data.find(b"%PDF-"), 0)
    eof = data.rfind(b"%%EOF")
    end = len(data) if eof < start else eof + len(b"%%EOF")
    for byte in (b"\r", b"\n"):  # "%%EOF\r\n", "%%EOF\n": the line end belongs to the file
        if data[end : end + 1] == byte:
            end += 1
    return data[start:end], start, len(data) - end


def verify_pdf(data: bytes, trust_roots: Sequence[Path], *, fetch: bool = False, at: datetime | None = None,
               roles: Mapping[str, str] | None = None) -> VerificationReport:
    """Every signature and document timestamp of the file, judged as of `at` (default: now). `roles` names whose
    each known certificate is ({sha256: "agency" | "officer"}); any other signer is "other", whatever its field's
    name. Without it, roles are what field names claim (a file sohoa has just signed itself)."""
    data = pdf_part(data)[0]  # the signatures' byte ranges count from the real start
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        regular = reader.embedded_regular_signatures
        stamps = reader.embedded_timestamp_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise NotVerifiable(f"cannot read the PDF: {e}", "unreadable_pdf", reason=e) from e
    ctx = _Context(reader, stamps, load_certificates(trust_roots), fetch, at, roles)
    chain = _timestamp_chain(stamps, ctx)
    reports = [_check_signature(sig, data, ctx, chain) for sig in regular]
    reports += [report for _, report in chain]
    return VerificationReport(reports, [] if regular else ["Tệp không có chữ ký số nào."])


def _timestamp_chain(stamps: Sequence[EmbeddedPdfSignature], ctx: _Context
                     ) -> list[tuple[datetime | None, SignatureReport]]:
    """Document timestamps, newest judged today, each older one at the time of the next (its proof of existence)."""
    out: list[tuple[datetime | None, SignatureReport]] = []
    next_time: datetime | None = None
    for ts in sorted(stamps, key=lambda s: s.signed_revision, reverse=True):
        problems: list[str] = []
        try:
            status = validate_pdf_timestamp(ts, validation_context=ctx.make(next_time, today=next_time is None))
            intact, valid, trusted = status.intact, status.valid, status.trusted
            when: datetime | None = status.timestamp
            cert = status.signing_cert
        except (SignatureValidationError, ValueError) as e:
            intact = valid = trusted = False
            when, cert = None, _carried_cert(ts)
            problems.append(f"Dấu thời gian tài liệu '{ts.field_name}' không kiểm tra được: {e}")
        if not (intact and valid):
            problems.append(f"Dấu thời gian tài liệu '{ts.field_name}' không khớp với nội dung tệp.")
        elif not trusted:
            problems.append(f"Dấu thời gian tài liệu '{ts.field_name}' do nơi không tin cậy cấp, hoặc chứng thư "
                            "của nơi cấp đã hết hạn hay bị thu hồi mà không có dấu thời gian mới hơn bảo đảm.")
        ok = not problems and (not out or out[-1][1].ok)  # an older link counts only under a valid newer one
        signer, issuer, sha256 = _named(cert)
        out.append((when if ok else None, SignatureReport(
            field=ts.field_name, kind="document_timestamp", role="archive", ok=not problems, intact=intact,
            valid=valid, trusted=trusted, modification="none", changes_allowed=True, certified=False,
            covers_whole_file=ts.coverage == SignatureCoverageLevel.ENTIRE_FILE, signer=signer, issuer=issuer,
            certificate_sha256=sha256,
            algorithm=f"{ts.md_algorithm}", signed_at=when.astimezone(VIETNAM) if when else None,
            time_source="tsa", level="", revocation="not_checked", problems=tuple(problems))))
        next_time = when
    out.reverse()  # oldest first, as the file has them
    return out


def _proof_time(sig: EmbeddedPdfSignature, chain: Sequence[tuple[datetime | None, SignatureReport]],
                ctx: _Context) -> datetime | None:
    """The earliest time a valid document timestamp proves the signature (and the revocation data) existed."""
    times = [when for when, report in chain
             if when is not None and ctx.stamp_revisions.get(report.field, -1) > sig.signed_revision]
    return min(times) if times else None


def _check_signature(sig: EmbeddedPdfSignature, data: bytes, ctx: _Context,
                     chain: Sequence[tuple[datetime | None, SignatureReport]]) -> SignatureReport:
    proof = _proof_time(sig, chain, ctx)
    role = ctx.role_of(sig)
    try:
        status = validate_pdf_signature(sig, ctx.make(), ts_validation_context=ctx.make())
    except (SignatureValidationError, UnacceptableSignerError, ValueError) as e:
        return _unreadable(sig, role, str(e))
    long_term = False
    if not status.bottom_line and proof is not None and status.intact and status.valid and ctx.has_revinfo:
        # Judged again at the time the file proves: the signature timestamp if it has one, else the first
        # document timestamp after it; with the embedded revocation data only.
        ts = status.timestamp_validity
        moment = ts.timestamp if ts is not None else proof
        try:
            again = validate_pdf_signature(sig, ctx.make(moment, embedded_only=True),
                                           ts_validation_context=ctx.make(proof, embedded_only=True))
        except (SignatureValidationError, UnacceptableSignerError, ValueError):
            again = None
        if again is not None and again.bottom_line:
            status, long_term = again, True
    level = _level(status, proof, ctx, sig, long_term)
    later_stamps = any(r > sig.signed_revision for r in ctx.stamp_revisions.values())
    no_proof = ("dấu thời gian lưu trữ của tệp không hợp lệ" if later_stamps and proof is None else
                "tệp không kèm dữ liệu kiểm tra chứng thư (OCSP, CRL)" if proof is not None and not ctx.has_revinfo else
                "dữ liệu kiểm tra chứng thư kèm trong tệp không chứng minh được chứng thư còn hiệu lực lúc ký"
                if proof is not None else "thiếu dấu thời gian lưu trữ")
    problems = []
    if not status.bottom_line:
        unchecked = not status.trusted and status.intact and status.valid and ctx.anchors(sig)
        problems = _problems(status, sig, role, data, chain_top(sig), no_proof, revocation_unchecked=unchecked)
    if status.bottom_line and status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE,
                                                      SignatureCoverageLevel.ENTIRE_REVISION):
        problems.append(f"Chữ ký {signer_words(role, sig)} chỉ phủ một phần tệp.")
    cert = status.signing_cert
    ts = status.timestamp_validity
    when = ts.timestamp if ts is not None and ts.valid and ts.intact else status.signer_reported_dt
    return SignatureReport(
        field=sig.field_name, kind="signature", role=role, ok=status.bottom_line and not problems,
        intact=status.intact, valid=status.valid, trusted=status.trusted,
        modification=_modification(status.modification_level),
        changes_allowed=status.docmdp_ok or status.modification_level is None, certified=sig.docmdp_level is not None,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=display_name(cert.subject), issuer=display_name(cert.issuer),
        certificate_sha256=certificate_sha256(cert),
        algorithm=f"{status.md_algorithm}/{status.pkcs7_signature_mechanism}",
        signed_at=when.astimezone(VIETNAM) if when else None,
        time_source="tsa" if ts is not None and ts.valid and ts.intact else "signer", level=level,
        revocation=_revocation(status, ctx, long_term), long_term=long_term, problems=tuple(problems),
        chain_top=chain_top(sig), trust_judged=status.intact and status.valid)


def _revocation(status: PdfSignatureStatus, ctx: _Context, long_term: bool) -> str:
    """What the verdict knows of the signer certificate's revocation: only what was really checked counts."""
    cert = status.signing_cert
    if status.revocation_details is not None:
        return "revoked"
    if not (status.intact and status.valid and status.trusted):
        return "not_checked"
    if not (cert.crl_distribution_points or cert.ocsp_urls):
        return "no_source"  # nothing to ask: a certificate that names no CRL or OCSP responder
    if long_term or ctx.fetch or ctx.has_revinfo:  # hard-fail then: trusted means an answer was found
        return "good"
    return "not_carried"


def _carried_cert(sig: EmbeddedPdfSignature) -> asn1_x509.Certificate | None:
    """The signer's certificate, None when the signature does not carry it (then there is nobody to name)."""
    try:
        return sig.signer_cert
    except ValueError:  # pyHanko's SignatureValidationError: no signing certificate found
        return None


def _named(cert: asn1_x509.Certificate | None) -> tuple[str, str, str]:
    """Who signed, who certified them and the certificate's hash, as a report names them (all "" for a certificate
    the file does not carry)."""
    if cert is None:
        return "", "", ""
    return display_name(cert.subject), display_name(cert.issuer), certificate_sha256(cert)


def _unreadable(sig: EmbeddedPdfSignature, role: str, reason: str) -> SignatureReport:
    signer, issuer, sha256 = _named(_carried_cert(sig))
    return SignatureReport(
        field=sig.field_name, kind="signature", role=role, ok=False, intact=False, valid=False,
        trusted=False, modification="other", changes_allowed=False, certified=False, covers_whole_file=False,
        signer=signer, issuer=issuer, certificate_sha256=sha256, algorithm="", signed_at=None, time_source="signer",
        level="",
        revocation="not_checked", problems=(f"Chữ ký {signer_words(role, sig)} không kiểm tra được: {reason}",),
        chain_top=chain_top(sig), trust_judged=False)


def _modification(level: ModificationLevel | None) -> str:
    return {None: "none", ModificationLevel.NONE: "none", ModificationLevel.LTA_UPDATES: "lta_updates",
            ModificationLevel.FORM_FILLING: "form_filling"}.get(level, "other")


def _level(status: PdfSignatureStatus, proof: datetime | None, ctx: _Context, sig: EmbeddedPdfSignature,
           long_term: bool) -> str:
    """`long_term`: `status` was judged on the embedded revocation data alone, so it covers the signer already."""
    ts = status.timestamp_validity
    timed = (ts is not None and ts.valid and ts.intact and ts.trusted) or proof is not None
    if not timed:
        return "B-B"
    if not ctx.has_revinfo or not (long_term or _revinfo_covers(status, ctx, sig)):
        return "B-T"
    lta = proof is not None and ctx.first_dss_revision is not None and \
        max(ctx.stamp_revisions.values()) > ctx.first_dss_revision
    return "B-LTA" if lta else "B-LT"


def _revinfo_covers(status: PdfSignatureStatus, ctx: _Context, sig: EmbeddedPdfSignature) -> bool:
    """The DSS alone (no network) proves the signer's certificate was not revoked."""
    ts = status.timestamp_validity
    moment = ts.timestamp if ts is not None and ts.timestamp else None
    try:
        check = validate_pdf_signature(sig, ctx.make(moment, embedded_only=True), skip_diff=True)
    except (SignatureValidationError, UnacceptableSignerError, ValueError):
        return False
    return bool(check.trusted)


def _problems(status: PdfSignatureStatus, sig: EmbeddedPdfSignature, role: str, data: bytes, top: str = "",
              no_proof: str = "thiếu dấu thời gian lưu trữ", *, revocation_unchecked: bool = False) -> list[str]:
    who = signer_words(role, sig)
    problems = []
    if not status.intact:
        problems.append(f"Chữ ký {who}: nội dung đã ký bị thay đổi (tệp bị sửa hoặc hỏng).")
    elif not status.valid:
        problems.append(f"Chữ ký {who}: giá trị chữ ký không khớp với chứng thư số.")
    if status.modification_level not in (None, ModificationLevel.NONE) and not status.docmdp_ok:
        pages = changed_pages(data, _signed_end(sig))
        what = "; ".join(pages) if pages else "tệp bị thay đổi theo cách chữ ký không cho phép"
        problems.append(f"Chữ ký {who}: {what} sau khi ký.")
    if not status.trusted and (status.revocation_details is not None or (status.intact and status.valid)):
        # a broken signature's trust was never asked
        problems.append(_trust_problem(status, who, top, no_proof, revocation_unchecked=revocation_unchecked))
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid):
        problems.append(f"Chữ ký {who}: dấu thời gian không khớp với chữ ký.")
    elif ts is not None and not ts.trusted:
        problems.append(f"Chữ ký {who}: dấu thời gian do nơi không tin cậy cấp hoặc chứng thư của nơi cấp "
                        "không còn hiệu lực.")
    if not status.seed_value_ok:
        problems.append(f"Chữ ký {who}: không đáp ứng ràng buộc của trường chữ ký.")
    return problems or [f"Chữ ký {who}: không hợp lệ."]


def _signed_end(sig: EmbeddedPdfSignature) -> int:
    byte_range = [int(v) for v in sig.sig_object["/ByteRange"]]
    return byte_range[2] + byte_range[3]


def _trust_problem(status: PdfSignatureStatus, who: str, top: str = "", no_proof: str = "", *,
                   revocation_unchecked: bool = False) -> str:
    """Why a signature is not trusted. `revocation_unchecked`: its chain reaches a trusted root, so what failed is
    the revocation check (no responder answered and the file carries no revocation data)."""
    details = status.revocation_details
    if details is not None:
        whose = "chứng thư của nơi cấp" if details.ca_revoked else "chứng thư số"
        return f"Chữ ký {who}: {whose} đã bị thu hồi từ {vietnam_time(details.revocation_date)}."
    indic = str(status.trust_problem_indic or "")
    cert = status.signing_cert
    if "EXPIRED" in indic or "OUT_OF_BOUNDS" in indic:
        return (f"Chữ ký {who}: chứng thư số đã hết hạn ngày {cert.not_valid_after.astimezone(VIETNAM):%d/%m/%Y} "
                f"và tệp không chứng minh được chữ ký có trước ngày đó ({no_proof}).")
    if "NOT_YET_VALID" in indic:
        return f"Chữ ký {who}: chứng thư số chưa có hiệu lực tại thời điểm ký."
    if "REVOKED" in indic:
        return f"Chữ ký {who}: chứng thư số đã bị thu hồi."
    if revocation_unchecked:
        return (f"Chữ ký {who}: không kiểm tra được tình trạng thu hồi của chứng thư số (nơi cấp không trả lời và "
                "tệp không kèm dữ liệu kiểm tra chứng thư); chuỗi chứng thư tới chứng thư gốc tin cậy là đúng.")
    if "TRY_LATER" in indic or "REVOCATION" in indic:
        return f"Chữ ký {who}: không kiểm tra được tình trạng thu hồi của chứng thư số."
    if top:
        return (f"Chữ ký {who}: chuỗi chứng thư lên tới «{top}», không có trong danh sách chứng thư gốc tin cậy của "
                "hệ thống (cấu hình [signing] trust_roots).")
    return f"Chữ ký {who}: chứng thư số không chuỗi được tới chứng thư gốc tin cậy."
