"""Verify an e-copy a citizen hands in: its signatures (pyHanko's whole verdict) and its QR code against the archive.

The QR code on page 1 names the record (result code) and the procedure. It is drawn under the signatures, so it
cannot be changed without breaking them; what is checked here is that it names a record this archive holds and that
the file is that record's signed copy (the archive's signatures are all in it), with the same procedure code.

Whose signature is whose comes from the archived record's certificates, never from a field's name: a forger can
name a field anything. The report then shows the record as the archive holds it (type, number, date, issuer, the
holder's name masked, the last digits of their number, validity today) so that a clerk can see at a glance whether
the paper in front of them is this one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from archive.base import SIGNED_PDF, ArchiveError, RecordArchive
from context.settings import Settings
from domain.catalogue import Catalogue
from domain.dates import VIETNAM
from domain.messages import vietnamese
from domain.names import masked
from domain.records import Manifest
from domain.validity import status_on
from pdf.active_content import active_content, web_links
from pipeline.qr_content import holders
from signing.identity import verification_roots
from signing.qr import SCOPES, QrFacts, parse_qr, read_qr
from signing.sign import signature_values
from signing.signature_roles import claims_sohoa_fields
from signing.verification_report import VerificationReport
from signing.verify import pdf_part, verify_pdf

RESULT_CODE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}-[^/?&#\s]+")


def agency_of(result_code: str) -> str:
    """The agency code a result code was issued under: its part before the receiving date."""
    return result_code.split("-", 1)[0]


def record_facts(manifest: Manifest, catalogue: Catalogue, today: date) -> tuple[tuple[str, str], ...]:
    """The record as a clerk compares it with the paper: nothing that identifies its holder to a stranger."""
    f = manifest.fields
    validity = status_on(today, until=f.valid_until, rule=f.validity_rule, issued=f.issue_date)
    rows = [("Mã kết quả", manifest.result_code + (f" (phiên bản {manifest.version})" if manifest.version > 1 else "")),
            ("Loại giấy tờ", manifest.classification.type_name or "chưa xác định"),
            ("Số, ký hiệu", f.number or "không rõ"),
            ("Ngày cấp", f"{f.issue_date:%d/%m/%Y}" if f.issue_date else "không rõ"),
            ("Cơ quan cấp", f.issuer or "không rõ")]
    for person in holders(manifest.persons, manifest.classification.type_id, catalogue):
        ident = (f"số định danh cá nhân …{person.personal_number[-4:]}" if person.personal_number else
                 f"số CMND …{person.old_id[-3:]}" if person.old_id else "")
        who = ", ".join(w for w in (masked(person.name or "") or "không rõ tên", ident) if w)
        rows.append((catalogue.role_name(person.role).capitalize() if person.role else "Người có tên", who))
    rows.append(("Hiệu lực hôm nay", validity.text))
    return tuple(rows)


def qr_disagreements(qr: QrFacts, manifest: Manifest, catalogue: Catalogue) -> list[str]:
    """Where what the QR code says differs from the record the archive holds (Vietnamese, one line each). A field
    the code does not carry (an older format) is not held against it."""
    said = []
    if (manifest.procedure_code or "-") != (qr.procedure_code or "-"):
        said.append(f"Mã thủ tục trong mã QR ({qr.procedure_code or 'không có'}) khác với hồ sơ "
                    f"({manifest.procedure_code or 'không có'}).")
    if qr.version < 1:
        return said
    f = manifest.fields
    if qr.dossier_code and qr.dossier_code != manifest.dossier_code:
        said.append(f"Mã hồ sơ trong mã QR ({qr.dossier_code}) khác với hồ sơ ({manifest.dossier_code}).")
    if qr.document_name and qr.document_name != (manifest.classification.type_name or ""):
        said.append(f"Tên giấy tờ trong mã QR («{qr.document_name}») khác với hồ sơ "
                    f"(«{manifest.classification.type_name or 'chưa xác định'}»).")
    if qr.document_date and qr.document_date != f.issue_date:
        said.append(f"Ngày cấp trong mã QR ({qr.document_date:%d/%m/%Y}) khác với hồ sơ "
                    f"({f'{f.issue_date:%d/%m/%Y}' if f.issue_date else 'không rõ'}).")
    if (qr.valid_until or qr.permanent) and (qr.valid_until != f.valid_until
                                              or qr.permanent != (f.validity_rule == "permanent")):
        said.append("Thời hạn hiệu lực trong mã QR khác với hồ sơ.")
    ids = {p.personal_number or p.old_id for p in holders(manifest.persons, manifest.classification.type_id,
                                                          catalogue)} - {None, ""}
    if qr.applicant_id and ids and qr.applicant_id not in ids:
        said.append(f"Số định danh trong mã QR (…{qr.applicant_id[-4:]}) không phải của người có tên trong hồ sơ.")
    return said


def qr_said(qr: QrFacts) -> str:
    """The QR code's fields in words (the applicant's number shown by its last digits only)."""
    parts = [f"hồ sơ {qr.dossier_code}" if qr.dossier_code else "",
             f"thủ tục {qr.procedure_code}" if qr.procedure_code else "",
             f"giấy tờ «{qr.document_name}»" if qr.document_name else "",
             f"ngày cấp {qr.document_date:%d/%m/%Y}" if qr.document_date else "",
             "hiệu lực không thời hạn" if qr.permanent else
             f"hiệu lực đến hết {qr.valid_until:%d/%m/%Y}" if qr.valid_until else "",
             f"phạm vi {SCOPES.get(qr.scope, qr.scope)}" if qr.scope else "",
             f"số định danh …{qr.applicant_id[-4:]}" if qr.applicant_id else "",
             f"bản điện tử cấp lúc {qr.issued_at:%H:%M %d/%m/%Y}" if qr.issued_at else "",
             f"hệ thống {qr.system}" if qr.system else ""]
    return f"Mã QR ghi (định dạng {qr.version}): " + "; ".join(p for p in parts if p) + "."


def _qr_code(text: str) -> str | None:
    found = RESULT_CODE.search(text)
    return found.group(0) if found else None


def verify_copy(data: bytes, settings: Settings, archive: RecordArchive | None, *, at: datetime | None = None,
                fetch: bool | None = None) -> tuple[VerificationReport, str | None]:
    """The verdict on a copy and the result code its QR code names (None: no sohoa QR code)."""
    signing = settings.signing
    data, before, after = pdf_part(data)
    claims_sohoa = claims_sohoa_fields(data)
    text = read_qr(data) if claims_sohoa else None
    code = _qr_code(text) if text else None
    manifest = archive.manifest(code) if archive is not None and code else None
    roles: dict[str, str] | None = None  # a file sohoa did not sign: its fields claim nothing of ours
    if claims_sohoa:  # whose each signature is: the record says; without one, a field's name proves nothing
        roles = {}
        if manifest is not None and manifest.signature is not None:
            roles[manifest.signature.certificate_sha256] = "agency"
            if manifest.signature.officer_certificate_sha256:
                roles[manifest.signature.officer_certificate_sha256] = "officer"
    report = verify_pdf(data, verification_roots(signing), at=at, roles=roles,
                        fetch=signing.revocation_fetch if fetch is None else fetch)  # NotVerifiable: no PDF
    problems, notes = list(report.problems), list(report.notes)
    if before or after:  # no signature covers them: whatever they hold was not issued with the copy
        where = " và ".join(w for w in (f"{before} byte trước phần đầu %PDF-" if before else "",
                                         f"{after} byte sau dấu kết thúc %%EOF cuối cùng" if after else "") if w)
        problems.append(f"Tệp có {where}, không thuộc phần nào được ký: không phải nguyên bản do hệ thống cấp.")
    try:
        active, links = active_content(data), web_links(data)
    except Exception:  # a file pikepdf cannot parse: the signature verdict above already says what is wrong
        active, links = [], []
    if links:  # kept as they came: they run nothing, but a reader should know where they lead
        shown = ", ".join(links[:5]) + (f" và {len(links) - 5} địa chỉ khác" if len(links) > 5 else "")
        notes.append(f"Tệp có liên kết tới địa chỉ web (chỉ mở khi bấm vào, không phải nội dung chủ động): {shown}.")
    if active:  # sohoa removes all of it before signing: a copy holding any was not issued as it is now
        problems.append("Tệp chứa nội dung chủ động (" + "; ".join(active) + "): bản sao do hệ thống cấp không bao "
                        "giờ chứa nội dung này; không mở tệp bằng trình xem cho chạy mã.")
    if not claims_sohoa:
        return replace(report, problems=problems, notes=notes), None  # not a sohoa e-copy: no QR code to check
    if text is None:
        return replace(report, problems=[*problems, "Không đọc được mã QR trên trang 1."], notes=notes), None
    notes.append(f"Mã QR trên trang 1: {text}")  # what a phone would show
    if code is None:
        return replace(report, problems=[*problems, f"Mã QR không chứa mã kết quả: {text}"], notes=notes), None
    if manifest is None:
        if agency_of(code) == settings.agency_code and archive is not None:
            problems.append(f"Mã QR chỉ tới hồ sơ {code}, mang mã cơ quan của kho lưu trữ này nhưng kho chưa từng "
                            "cấp hồ sơ đó (hoặc hồ sơ đã hết thời hạn lưu trữ): không phải bản sao do hệ thống cấp.")
        else:
            notes.append(f"Mã QR chỉ tới hồ sơ {code} của cơ quan khác (mã {agency_of(code)}), không có trong kho "
                         "lưu trữ này: chưa đối chiếu được với hồ sơ gốc; không xác định được chữ ký nào là của "
                         "cơ quan cấp.")
        return replace(report, problems=problems, notes=notes), code
    assert archive is not None and text is not None  # a manifest was found in it, named by the QR code
    problems += _against_archive(data, manifest, archive, code)
    qr = parse_qr(text, code)
    problems += qr_disagreements(qr, manifest, settings.catalogue)
    notes.append(qr_said(qr))
    today = (at or datetime.now(VIETNAM)).astimezone(VIETNAM).date()
    judged = replace(report, problems=problems, notes=notes,
                     record=record_facts(manifest, settings.catalogue, today))
    said = (f"Mã QR khớp với hồ sơ {code} trong kho lưu trữ." if judged.ok  # never beside a rejection
            else f"Mã QR chỉ tới hồ sơ {code} trong kho lưu trữ; tệp này không phải bản hợp lệ của hồ sơ đó.")
    return replace(judged, notes=[*notes, said]), code


def _against_archive(data: bytes, manifest: Manifest, archive: RecordArchive, code: str) -> list[str]:
    """What sets the copy apart from the archive's signed copy of the record its QR code names."""
    problems = []
    try:
        archived = set(signature_values(archive.read(manifest, SIGNED_PDF)))
    except ArchiveError as e:
        problems.append(f"Không đọc được bản đã ký của hồ sơ {code} trong kho lưu trữ: {vietnamese(e)}")
        archived = set()
    mine = set(signature_values(data))
    if archived and not archived <= mine:
        older = next((m for m in reversed(archive.versions(manifest.content_hash)[:-1])
                      if (theirs := _signatures_of(archive, m)) and theirs <= mine), None)
        if older is not None:
            problems.append(f"Tệp là bản đã ký của phiên bản {older.version} của hồ sơ {code}, đã được hiệu đính "
                            f"thành phiên bản {manifest.version} ({manifest.change_reason or 'không ghi lý do'}): "
                            "đề nghị dùng bản sao của phiên bản mới.")
        else:
            problems.append(f"Mã QR chỉ tới hồ sơ {code} nhưng tệp không phải bản đã ký của hồ sơ đó.")
    return problems


def _signatures_of(archive: RecordArchive, manifest: Manifest) -> set[bytes]:
    try:
        return set(signature_values(archive.read(manifest, SIGNED_PDF)))
    except ArchiveError:
        return set()
