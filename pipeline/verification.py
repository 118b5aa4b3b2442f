"""Verify an e-copy a citizen hands in: its signatures (pyHanko's whole verdict) and its QR code against the archive.

The QR code on page 1 names the record (result code) and the procedure. It is drawn under the signatures, so it
cannot be changed without breaking them; what is checked here is that it names a record this archive holds and that
the file is that record's signed copy (the archive's signatures are all in it), with the same procedure code.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from archive.base import SIGNED_PDF, ArchiveError, RecordArchive
from ocr.active_content import active_content, web_links
from pipeline.config import Settings
from signing.identity import verification_roots
from signing.qr import read_qr
from signing.sign import signature_values
from signing.verify import VerificationReport, pdf_part, verify_pdf

RESULT_CODE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}-[^/?&#\s]+")


def verify_copy(data: bytes, settings: Settings, archive: RecordArchive | None, *, at: datetime | None = None,
                fetch: bool | None = None) -> tuple[VerificationReport, str | None]:
    """The verdict on a copy and the result code its QR code names (None: no sohoa QR code)."""
    signing = settings.signing
    data, before, after = pdf_part(data)
    report = verify_pdf(data, verification_roots(signing), at=at,
                        fetch=signing.revocation_fetch if fetch is None else fetch)
    if before or after:  # no signature covers them: whatever they hold was not issued with the copy
        where = " và ".join(w for w in (f"{before} byte trước phần đầu %PDF-" if before else "",
                                         f"{after} byte sau dấu kết thúc %%EOF cuối cùng" if after else "") if w)
        report = replace(report, problems=[*report.problems, f"Tệp có {where}, không thuộc phần nào được ký: "
                                           "không phải nguyên bản do hệ thống cấp."])
    try:
        active, links = active_content(data), web_links(data)
    except Exception:  # a file pikepdf cannot parse: the signature verdict above already says what is wrong
        active, links = [], []
    if links:  # kept as they came: they run nothing, but a reader should know where they lead
        shown = ", ".join(links[:5]) + (f" và {len(links) - 5} địa chỉ khác" if len(links) > 5 else "")
        report = replace(report, notes=[*report.notes, f"Tệp có liên kết tới địa chỉ web (chỉ mở khi bấm vào, "
                                        f"không phải nội dung chủ động): {shown}."])
    if active:  # sohoa removes all of it before signing: a copy holding any was not issued as it is now
        report = replace(report, problems=[*report.problems, "Tệp chứa nội dung chủ động ("
                                           + "; ".join(active) + "): bản sao do hệ thống cấp không bao giờ chứa "
                                           "nội dung này; không mở tệp bằng trình xem cho chạy mã."])
    if not any(s.role == "officer" for s in report.regular):
        return report, None  # not an e-copy made by sohoa: there is no QR code to check
    text = read_qr(data)
    if text is None:
        return replace(report, problems=[*report.problems, "Không đọc được mã QR trên trang 1."]), None
    report = replace(report, notes=[*report.notes, f"Mã QR trên trang 1: {text}"])  # what a phone would show
    found = RESULT_CODE.search(text)
    if found is None:
        return replace(report, problems=[*report.problems, f"Mã QR không chứa mã kết quả: {text}"]), None
    code = found.group(0)
    procedure = parse_qs(urlsplit(text).query).get("tthc", [""])[0]
    manifest = archive.manifest(code) if archive is not None else None
    if manifest is None:
        return replace(report, notes=[*report.notes, f"Mã QR chỉ tới hồ sơ {code}, không có trong kho lưu trữ này: "
                                                      "chưa đối chiếu được với hồ sơ gốc."]), code
    problems = list(report.problems)
    try:
        assert archive is not None  # a manifest was found in it
        archived = set(signature_values(archive.read(manifest, SIGNED_PDF)))
    except ArchiveError as e:
        problems.append(f"Không đọc được bản đã ký của hồ sơ {code} trong kho lưu trữ: {e}")
        archived = set()
    if archived and not archived <= set(signature_values(data)):
        problems.append(f"Mã QR chỉ tới hồ sơ {code} nhưng tệp không phải bản đã ký của hồ sơ đó.")
    if (manifest.procedure_code or "-") != (procedure or "-"):
        problems.append(f"Mã thủ tục trong mã QR ({procedure or 'không có'}) khác với hồ sơ "
                        f"({manifest.procedure_code or 'không có'}).")
    judged = replace(report, problems=problems)
    said = (f"Mã QR khớp với hồ sơ {code} trong kho lưu trữ." if judged.ok  # never beside a rejection
            else f"Mã QR chỉ tới hồ sơ {code} trong kho lưu trữ; tệp này không phải bản hợp lệ của hồ sơ đó.")
    return replace(judged, notes=[*report.notes, said]), code
