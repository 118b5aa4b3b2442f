"""What verifying a PDF found, per signature and as a whole (`VerificationReport`), and the same in plain Vietnamese
(`report_vi`) for the command line and the verification page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.messages import CodedError
from signing.signature_roles import vietnam_time

LEVEL_NAMES = {"B-B": "B-B (chỉ chữ ký)", "B-T": "B-T (có dấu thời gian)",
               "B-LT": "B-LT (kèm dữ liệu kiểm tra chứng thư)", "B-LTA": "B-LTA (lưu trữ dài hạn)"}


class NotVerifiable(CodedError, ValueError):
    """The file is not a PDF that can be read for signatures; `vietnamese` says so."""

    area = "signing"


@dataclass(frozen=True)
class SignatureReport:
    field: str
    kind: str  # "signature" or "document_timestamp"
    role: str  # "agency", "officer" (sohoa's own fields) or "other"
    ok: bool
    intact: bool
    valid: bool
    trusted: bool
    modification: str  # what changed after it: "none", "lta_updates", "form_filling", "other"
    changes_allowed: bool  # what changed after it is what the document's modification rules allow
    certified: bool  # it locks the document: a certification (DocMDP) signature, or a field lock
    covers_whole_file: bool
    signer: str
    issuer: str
    certificate_sha256: str
    algorithm: str
    signed_at: datetime | None
    time_source: str  # "tsa": a timestamp authority's token; "signer": the signer's own claim
    level: str  # B-B, B-T, B-LT, B-LTA ("" for a document timestamp)
    revocation: str  # a key of REVOCATION_VI: what is known of its certificate's revocation, and from where
    long_term: bool = False  # judged at the proven signing time (its certificate has expired since)
    problems: tuple[str, ...] = ()  # Vietnamese, why it is not valid
    chain_top: str = ""  # the last certificate of the chain the signature carries (its root, or the highest issuer)
    trust_judged: bool = True  # False: the signature is broken, so whether its certificate is trusted was not asked


@dataclass(frozen=True)
class VerificationReport:
    signatures: list[SignatureReport]
    problems: list[str] = field(default_factory=list)  # about the file as a whole (Vietnamese)
    notes: list[str] = field(default_factory=list)  # what the reader should know, without changing the verdict
    record: tuple[tuple[str, str], ...] = ()  # the archived record the copy is of, as (label, value) in Vietnamese

    @property
    def regular(self) -> list[SignatureReport]:
        return [s for s in self.signatures if s.kind == "signature"]

    @property
    def ok(self) -> bool:
        return bool(self.regular) and all(s.ok for s in self.signatures) and not self.problems


def report_vi(report: VerificationReport, *, at: datetime | None = None) -> str:
    """The verification result as a citizen or clerk reads it."""
    if not report.signatures:
        return "KHÔNG HỢP LỆ: tệp không có chữ ký số nào."
    verdict = "HỢP LỆ" if report.ok else "KHÔNG HỢP LỆ"
    lines = [f"Kết luận: {verdict}" + (f" (tính đến {vietnam_time(at)} giờ Việt Nam)" if at else "")]
    problems = [p for s in report.signatures for p in s.problems] + report.problems
    lines += [f"  - {p}" for p in problems]
    lines += [f"  * {n}" for n in report.notes]
    if report.record:
        lines.append("Hồ sơ trong kho lưu trữ (đối chiếu với giấy tờ trước mặt):")
        lines += [f"  {label}: {value}" for label, value in report.record]
    regular = report.regular
    for i, r in enumerate(regular, 1):
        role = {"agency": "Chữ ký của cơ quan", "officer": "Chữ ký của người số hóa"}.get(r.role, "Chữ ký số")
        source = "máy chủ cấp dấu thời gian" if r.time_source == "tsa" else "do người ký tự khai, chưa được xác thực"
        lines += [
            f"{role} ({i}/{len(regular)}): {'HỢP LỆ' if r.ok else 'KHÔNG HỢP LỆ'}",
            f"  Người ký: {r.signer or 'không rõ (chữ ký không kèm chứng thư số)'}",
            f"  Cơ quan cấp chứng thư: {r.issuer or 'không rõ'}",
            *([f"  Chuỗi chứng thư lên tới: {r.chain_top}"] if r.chain_top else []),
            f"  Thời điểm ký: {vietnam_time(r.signed_at) if r.signed_at else 'không rõ'} ({source})",
            f"  Toàn vẹn (nội dung không bị sửa sau khi ký): {_yes(r.intact and r.valid and r.changes_allowed)}",
            "  Tin cậy (chứng thư số do nơi được tin cậy cấp, còn hiệu lực): "
            + (_yes(r.trusted) if r.trust_judged else "không xét (chữ ký không còn nguyên vẹn)"),
            f"  Tình trạng thu hồi: {REVOCATION_VI[r.revocation]}",
            f"  Mức chữ ký: {LEVEL_NAMES.get(r.level, r.level or 'không xác định')}"
            + (" — được bảo đảm dài hạn bởi dấu thời gian lưu trữ" if r.long_term else ""),
            f"  Khóa tài liệu (không cho sửa sau khi ký): {_yes(r.certified)}",
            f"  Dấu vân tay chứng thư (SHA-256): {r.certificate_sha256}",
        ]
    stamps = [s for s in report.signatures if s.kind == "document_timestamp"]
    for s in stamps:
        lines.append(f"Dấu thời gian lưu trữ: {'HỢP LỆ' if s.ok else 'KHÔNG HỢP LỆ'} — "
                     f"{vietnam_time(s.signed_at) if s.signed_at else 'không rõ'}, cấp bởi {s.signer}")
    return "\n".join(lines)


REVOCATION_VI = {
    "good": "chưa bị thu hồi (đã kiểm tra)",
    "revoked": "ĐÃ BỊ THU HỒI",
    "no_source": "không kiểm tra được: chứng thư số không chỉ nơi tra cứu thu hồi (OCSP, CRL)",
    "not_carried": "chưa kiểm tra (tệp không kèm dữ liệu thu hồi, không tra cứu trực tuyến)",
    "not_checked": "không kiểm tra",
}


def _yes(flag: bool) -> str:
    return "có" if flag else "KHÔNG"
