"""The QR code sohoa draws on page 1 beside the officer's stamp (TT 01/2023 Điều 26; ISO/IEC 18004): what it
carries, and reading it back.

Format 1 (documented in docs/qr-format.md). The text is the record's verification address, so that a phone opens
the landing page, with the fields of Điều 26 in its query, compact and in a fixed order:

    {base_url}/xac-minh/{result_code}?v=1&hs=…&tthc=…&dd=…&gt=…&ht=…&tg=…&nc=…&hl=…&pv=…

    v     format version (1)                      hs   dossier code (mã hồ sơ)
    tthc  procedure code (mã thủ tục)             dd   applicant's identifier (số định danh cá nhân / CMND)
    gt    document name (tên giấy tờ)             ht   system name (tên hệ thống)
    tg    e-copy issued at, yyyymmddHHMM (Vietnam time)
    nc    the paper's issue date, yyyymmdd        hl   valid until, yyyymmdd; 0: no end; absent: not known
    pv    scope of validity (phạm vi): TQ = toàn quốc

A field with no value is left out. Reading accepts the format before versions (…?tthc=… only) as version 0.

The code is drawn by the officer's signature appearance, so page 1 is rendered with its form appearances, only the
top strip where the stamps are, at a resolution where a module is several pixels wide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs, quote, urlsplit

import cv2
import numpy as np
import pypdfium2

STRIP = 0.2  # the top fifth of the page holds both stamps
FORMAT = 1
SCOPES = {"TQ": "toàn quốc"}


@dataclass(frozen=True)
class QrFacts:
    """What a sohoa QR code carries (TT 01/2023 Điều 26)."""

    result_code: str
    procedure_code: str = ""
    dossier_code: str = ""
    applicant_id: str = ""
    document_name: str = ""
    system: str = ""
    issued_at: datetime | None = None
    document_date: date | None = None
    valid_until: date | None = None
    permanent: bool = False  # valid with no end
    scope: str = "TQ"
    version: int = FORMAT


def qr_text(template: str, base_url: str, facts: QrFacts) -> str:
    """The QR code's text in the current format: the template's address, then the fields."""
    address = template.format(base_url=base_url, result_code=facts.result_code,
                              procedure_code=facts.procedure_code or "-").split("?", 1)[0]
    fields = [("v", str(FORMAT)), ("hs", facts.dossier_code), ("tthc", facts.procedure_code),
              ("dd", facts.applicant_id), ("gt", facts.document_name), ("ht", facts.system),
              ("tg", f"{facts.issued_at:%Y%m%d%H%M}" if facts.issued_at else ""),
              ("nc", f"{facts.document_date:%Y%m%d}" if facts.document_date else ""),
              ("hl", "0" if facts.permanent else f"{facts.valid_until:%Y%m%d}" if facts.valid_until else ""),
              ("pv", facts.scope)]
    return address + "?" + "&".join(f"{k}={quote(v, safe='.-')}" for k, v in fields if v)


def parse_qr(text: str, result_code: str) -> QrFacts:
    """The facts a QR text gives for `result_code` (found in its address by the caller); unknown keys ignored."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(text).query).items() if v}

    def day(key: str) -> date | None:
        try:
            return datetime.strptime(query.get(key, ""), "%Y%m%d").date()
        except ValueError:
            return None

    try:
        issued = datetime.strptime(query.get("tg", ""), "%Y%m%d%H%M")
    except ValueError:
        issued = None
    try:
        version = int(query.get("v", "0"))
    except ValueError:
        version = -1
    return QrFacts(result_code=result_code, procedure_code=query.get("tthc", ""), dossier_code=query.get("hs", ""),
                   applicant_id=query.get("dd", ""), document_name=query.get("gt", ""), system=query.get("ht", ""),
                   issued_at=issued, document_date=day("nc"), valid_until=day("hl"),
                   permanent=query.get("hl") == "0", scope=query.get("pv", ""), version=version)


def read_qr(data: bytes) -> str | None:
    """The text of the QR code at the top of page 1, or None when there is none that can be read."""
    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None
    try:
        doc.init_forms()
        if len(doc) == 0:
            return None
        page = doc[0]
        _width, height = page.get_size()
        # OpenCV's ArUco-based finder locates format 1's denser codes where the classic one misses about one in a
        # hundred (sampled: 2 of 150 missed at every scale, both read by this one at every scale from 3).
        detectors = (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector())
        for scale in (4, 6, 3, 8):  # a module several pixels wide
            image = page.render(scale=scale, may_draw_forms=True, crop=(0, height * (1 - STRIP), 0, 0))
            grey = np.asarray(image.to_pil().convert("L"))
            for detector in detectors:
                text, _, _ = detector.detectAndDecode(grey)
                if text:
                    return str(text)
        return None
    finally:
        doc.close()
