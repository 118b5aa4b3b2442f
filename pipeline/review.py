"""Why a record needs a person's eyes. Each note has a stable code and a Vietnamese sentence for the reviewer;
a record with notes is archived and indexed like any other, but flagged in lookups and listed by `sohoa review`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from domain.catalogue import DEFAULT_REQUIRED, DocumentType
from domain.personal_number import PROBLEMS
from domain.records import Classification, Note, PageInfo
from pipeline.fields import Extracted

LOW_OCR_CONFIDENCE = 60.0
MIN_DPI = 200  # TT 02/2019/TT-BNV: scans of paper records at 200 dpi or more


_NUMBER_HEAD = re.compile(r"[0-9][0-9A-Z]*")  # 2471, 39C8303514: starts with a digit, then digits or letters
_NUMBER_TAIL = re.compile(r"[0-9A-ZĐ]+(?:[-.][0-9A-ZĐ]+)*")  # QĐ-UBND, UBND-XNTTHN, TLKT-BS


def plausible_number(number: str) -> bool:
    """Whether a số/ký hiệu has the form the regulations give it (NĐ 30/2020 Phụ lục I): the number, then
    optionally "/" and the abbreviations. "2Œ" or "¿02" is a handwritten number read wrong, never to be trusted."""
    head, sep, tail = number.partition("/")
    return bool(_NUMBER_HEAD.fullmatch(head)) and (not sep or bool(_NUMBER_TAIL.fullmatch(tail)))


def number_fits(number: str, doc_type: DocumentType | None) -> bool:
    """The type's own form when it declares one (237/QĐ-UBND, 84D8417225, 13/GPXD), else the regulation's."""
    if doc_type is not None and doc_type.number_pattern:
        return re.fullmatch(doc_type.number_pattern, number) is not None
    return plausible_number(number)


HANDWRITTEN = {  # person field -> (review code, the required field it serves, what it is in the message)
    "name": ("handwritten_subject", "subject", "Họ tên"),
    "dob": ("handwritten_dob", "subject_dob", "Ngày sinh"),
    "personal_number": ("handwritten_identifier", "subject_identifier", "Số định danh cá nhân"),
    "old_id": ("handwritten_identifier", "subject_identifier", "Số CMND"),
}


def _required_notes(extracted: Extracted, required: Sequence[str], subject_roles: Sequence[str]) -> list[Note]:
    notes = []
    subjects = [p for p in extracted.persons if p.role in subject_roles] if subject_roles else extracted.persons
    if "subject" in required and not any(p.name for p in subjects):
        notes.append(Note(code="no_subject", message="Không tìm thấy họ tên người được cấp giấy tờ"))
    elif "subject" in required and len(subject_roles) > 1:  # a paper about two (wife and husband) names both
        for place, role in enumerate(subject_roles, 1):
            if not any(p.name for p in subjects if p.role == role):
                notes.append(Note(code="no_subject", message=(
                    f"Chỉ tìm thấy họ tên của một bên: không tìm thấy bên thứ {place} trong {len(subject_roles)} "
                    f"bên của giấy tờ")))
    if "subject_dob" in required:
        for person in subjects:
            if person.dob is None and person.birth_year is None:  # a paper giving only the year is read whole
                who = person.name or "người được cấp"
                notes.append(Note(code="no_dob", message=f"Không đọc được ngày sinh của {who}"))
    if "subject_identifier" in required:
        register = extracted.register_book is not None and extracted.number is not None
        for person in subjects:
            if not (person.personal_number or person.old_id or register):
                notes.append(Note(code="no_identifier", message=(
                    f"Không tìm thấy số định danh cá nhân, số CMND hay quyển số đăng ký của "
                    f"{person.name or 'người được cấp'}")))
        if "subject" in required and not subjects and not register:
            notes.append(Note(code="no_identifier", message="Không tìm thấy số định danh cá nhân hay số CMND"))
        elif not subjects and not register and extracted.unread_labels:  # a paper that may name no one, but does
            notes.append(Note(code="no_identifier", message=(
                f"Có nhãn «{extracted.unread_labels[0]}» nhưng không đọc được số đi kèm: cần xem bản giấy")))
    if "issuer" in required and not extracted.issuer:
        notes.append(Note(code="no_issuer", message="Không đọc được cơ quan ban hành"))
    flagged_subject = any(n.code == "no_subject" for n in notes)
    for person in extracted.persons:  # a number to find a citizen by, but no name to show the clerk who it is
        if (person.personal_number or person.old_id) and not person.name and not (
                flagged_subject and person in subjects):
            notes.append(Note(code="nameless_person", message=(
                f"Có số {person.personal_number or person.old_id} nhưng không đọc được họ tên người mang số này")))
    for person in subjects:  # written in by hand and not confirmed by a second reading: a person checks the paper
        index = extracted.persons.index(person)
        misread = extracted.evidence.get(f"persons.{index}.name")
        if "subject" in required and person.name and "name" not in person.handwritten and misread is not None \
                and not misread.confirmed:
            notes.append(Note(code="name_uncertain", message=f"Họ tên «{person.name}»: {misread.reason}"))
        for name, (code, required_as, what) in HANDWRITTEN.items():
            value = getattr(person, name)
            evidence = extracted.evidence.get(f"persons.{index}.{name}")
            if evidence is not None and evidence.confirmed:
                continue
            if name in person.handwritten and required_as in required and value:
                shown = f"{value:%d/%m/%Y}" if isinstance(value, date) else value
                whose = "" if name == "name" else f" của {person.name or 'người được cấp'}"
                why = f": {evidence.reason}" if evidence is not None else ""
                notes.append(Note(code=code, message=(
                    f"{what}{whose} viết tay («{shown}»){why}: cần đối chiếu với bản giấy")))
    return notes


def review_notes(classification: Classification, extracted: Extracted, pages: Sequence[PageInfo],
                 today: date, doc_type: DocumentType | None = None) -> list[Note]:
    """What a person must check: the fields the type requires that are missing, values that fail their checks or
    were read with doubt, and pages too poor to trust. A complete, consistent record gets none."""
    notes = []
    required = doc_type.required if doc_type is not None else DEFAULT_REQUIRED
    if classification.type_id is None:
        notes.append(Note(code="unknown_type", message="Không nhận diện được loại giấy tờ"))
    elif classification.needs_review:
        notes.append(Note(code="low_type_confidence", message=(
            f"Độ tin cậy khi nhận diện loại giấy tờ thấp ({classification.confidence:.0%})")))
    doubts = extracted.doubts
    if extracted.issue_date is None:
        if "issue_date" in required or "issue_date" in doubts:
            notes.append(Note(code="no_issue_date", message=doubts.get("issue_date", "Không đọc được ngày cấp")))
    elif extracted.issue_date > today:
        notes.append(Note(code="future_issue_date", message=(
            f"Ngày cấp {extracted.issue_date:%d/%m/%Y} ở sau ngày số hóa")))
    elif "issue_date" in doubts:
        notes.append(Note(code="issue_date_uncertain", message=doubts["issue_date"]))
    if extracted.number is None:
        if "number" in required or "number" in doubts:
            notes.append(Note(code="no_number", message=doubts.get("number", "Không đọc được số, ký hiệu giấy tờ")))
    elif "number" in doubts:
        notes.append(Note(code="number_uncertain", message=doubts["number"]))
    elif not number_fits(extracted.number, doc_type):
        notes.append(Note(code="number_uncertain", message=(
            f"Số, ký hiệu «{extracted.number}» không đúng dạng (số thường được viết tay sau khi ký, hoặc bị đọc "
            "sai): cần người đối chiếu với bản giấy")))
    if extracted.issuer and "issuer" in doubts:
        notes.append(Note(code="issuer_uncertain", message=doubts["issuer"]))
    notes += _required_notes(extracted, required, doc_type.subject_roles if doc_type else ())
    for person in extracted.persons:
        for problem in person.problems:
            notes.append(Note(code=f"personal_number_{problem}", message=(
                f"{PROBLEMS[problem]}: {person.name or 'không rõ tên'} — {person.personal_number}")))
    for page in pages:
        if page.ocr_confidence is not None and page.ocr_confidence < LOW_OCR_CONFIDENCE:
            notes.append(Note(code="low_ocr_confidence", message=(
                f"Trang {page.index + 1}: chất lượng nhận dạng chữ thấp ({page.ocr_confidence:.0f}%)")))
        if page.fax:
            notes.append(Note(code="fax_capture", message=(
                f"Trang {page.index + 1}: bản fax (ảnh đen trắng nén fax), không phải bản quét từ giấy: cần quét "
                "lại từ bản giấy")))
        if page.source == "ocr" and page.dpi < MIN_DPI:
            notes.append(Note(code="low_resolution", message=(
                f"Trang {page.index + 1}: độ phân giải {page.dpi} dpi"
                f"{' (ước tính từ cỡ chữ, tệp ảnh không ghi)' if page.dpi_source == 'estimated' else ''}, "
                f"dưới mức tối thiểu {MIN_DPI} dpi")))
    return notes
