"""Why a record needs a person's eyes. Each note has a stable code and a Vietnamese sentence for the reviewer;
a record with notes is archived and indexed like any other, but flagged in lookups and listed by `sohoa review`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pipeline.fields import Extracted
from pipeline.personal_number import PROBLEMS
from pipeline.records import Classification, Note, PageInfo

LOW_OCR_CONFIDENCE = 60.0
MIN_DPI = 200  # TT 02/2019/TT-BNV: scans of paper records at 200 dpi or more


_NUMBER_HEAD = re.compile(r"[0-9][0-9A-Z]*")  # 2471, 39C8303514: starts with a digit, then digits or letters
_NUMBER_TAIL = re.compile(r"[0-9A-ZĐ]+(?:[-.][0-9A-ZĐ]+)*")  # QĐ-UBND, UBND-XNTTHN, TLKT-BS


def plausible_number(number: str) -> bool:
    """Whether a số/ký hiệu has the form the regulations give it (NĐ 30/2020 Phụ lục I): the number, then
    optionally "/" and the abbreviations. "2Œ" or "¿02" is a handwritten number read wrong, never to be trusted."""
    head, sep, tail = number.partition("/")
    return bool(_NUMBER_HEAD.fullmatch(head)) and (not sep or bool(_NUMBER_TAIL.fullmatch(tail)))


def review_notes(classification: Classification, extracted: Extracted, pages: Sequence[PageInfo],
                 today: date) -> list[Note]:
    notes = []
    if classification.type_id is None:
        notes.append(Note(code="unknown_type", message="Không nhận diện được loại giấy tờ"))
    elif classification.needs_review:
        notes.append(Note(code="low_type_confidence", message=(
            f"Độ tin cậy khi nhận diện loại giấy tờ thấp ({classification.confidence:.0%})")))
    if extracted.issue_date is None:
        notes.append(Note(code="no_issue_date", message="Không đọc được ngày cấp"))
    elif extracted.issue_date > today:
        notes.append(Note(code="future_issue_date", message=(
            f"Ngày cấp {extracted.issue_date:%d/%m/%Y} ở sau ngày số hóa")))
    if extracted.number is None:
        notes.append(Note(code="no_number", message="Không đọc được số, ký hiệu giấy tờ"))
    elif not plausible_number(extracted.number):
        notes.append(Note(code="number_uncertain", message=(
            f"Số, ký hiệu «{extracted.number}» không đúng dạng (số thường được viết tay sau khi ký, hoặc bị đọc "
            "sai): cần người đối chiếu với bản giấy")))
    if not any(p.personal_number or p.old_id for p in extracted.persons):
        notes.append(Note(code="no_identifier", message="Không tìm thấy số định danh cá nhân hay số CMND"))
    for person in extracted.persons:
        for problem in person.problems:
            notes.append(Note(code=f"personal_number_{problem}", message=(
                f"{PROBLEMS[problem]}: {person.name or 'không rõ tên'} — {person.personal_number}")))
    for page in pages:
        if page.ocr_confidence is not None and page.ocr_confidence < LOW_OCR_CONFIDENCE:
            notes.append(Note(code="low_ocr_confidence", message=(
                f"Trang {page.index + 1}: chất lượng nhận dạng chữ thấp ({page.ocr_confidence:.0f}%)")))
        if page.source == "ocr" and page.dpi < MIN_DPI:
            notes.append(Note(code="low_resolution", message=(
                f"Trang {page.index + 1}: độ phân giải {page.dpi} dpi, dưới mức tối thiểu {MIN_DPI} dpi")))
    return notes
