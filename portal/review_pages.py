"""The reviewer's pages: the review queue one record at a time, the scan beside the fields read off it with the
reasons it was flagged; the reviewer corrects fields and people (or confirms them as read), which stores a new
version, signs it again and re-indexes it, and the next record comes up. Every action has a key: a reviewer clears a
record without the mouse."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from domain.dates import parse_day
from domain.records import Manifest, Person
from pipeline.agreement import PRIMARY
from portal.pages import check_csrf, render, services_of, signed_in
from portal.preview import data_uri, page_images
from service.corrections import Changes, correct_record
from service.errors import InvalidRequest, ServiceError
from service.records import record, review_backlog, review_crops, review_queue, review_scan

router = APIRouter(include_in_schema=False)
CHECKED = "Đã đối chiếu với bản giấy"
NOTE_VI = {  # what each review note asks a person to look at, in a word or two
    "unknown_type": "LOẠI GIẤY TỜ", "low_type_confidence": "LOẠI GIẤY TỜ", "no_number": "SỐ",
    "number_uncertain": "SỐ", "no_issue_date": "NGÀY CẤP", "issue_date_uncertain": "NGÀY CẤP",
    "future_issue_date": "NGÀY CẤP", "no_issuer": "CƠ QUAN CẤP", "issuer_uncertain": "CƠ QUAN CẤP",
    "no_subject": "HỌ TÊN", "nameless_person": "HỌ TÊN", "name_uncertain": "HỌ TÊN",
    "handwritten_subject": "HỌ TÊN VIẾT TAY",
    "no_dob": "NGÀY SINH", "handwritten_dob": "NGÀY SINH VIẾT TAY", "no_identifier": "SỐ GIẤY TỜ",
    "handwritten_identifier": "SỐ GIẤY TỜ VIẾT TAY", "low_resolution": "ĐỘ PHÂN GIẢI",
    "low_ocr_confidence": "CHẤT LƯỢNG ẢNH", "duplicate_unchecked": "BẢN TRÙNG"}
PERSON_FIELDS = ("role", "name", "dob", "sex", "personal_number", "old_id")


@router.get("/ra-soat")
def queue(request: Request, da_luu: str = "") -> Response:
    """The first record waiting, or a page saying the queue is empty."""
    actor, session = signed_in(request, "reviewer", "console")
    items = review_queue(services_of(request), actor, limit=1)
    if items:
        suffix = f"?da_luu={da_luu}" if da_luu else ""
        return RedirectResponse(f"/ra-soat/{items[0].hit.result_code}{suffix}", status_code=303)
    return render(request, "review_empty.html", session=session, saved=da_luu)


FIELD_INPUTS = {"number": "so", "issue_date": "ngay_cap"}  # evidence key -> the form's input (people: p<n>_<field>)
READER_VI = {"tesseract": "Tesseract", "ppocr-v4": "Bộ đọc thứ hai (PP-OCR)", "text_layer": "Lớp chữ của tệp"}


@dataclass(frozen=True)
class FieldHelp:
    """What the reviewer sees beside a field read with doubt: where it was read, and what each reader read."""

    crop: str | None  # data URI of the place on the page
    readings: list[tuple[str, str, str]]  # (who and where, what they read, confidence)
    reason: str


def _input_of(key: str) -> str:
    if key in FIELD_INPUTS:
        return FIELD_INPUTS[key]
    _, index, name = key.split(".")  # persons.<n>.<field>
    return f"p{index}_{name}"


def field_help(manifest: Manifest, crops: dict[str, bytes]) -> dict[str, FieldHelp]:
    """Per form input, for each field whose readings did not agree: its crop and each reader's reading."""
    out = {}
    for key, evidence in manifest.evidence.items():
        if evidence.confirmed:
            continue
        readings = [(READER_VI.get(r.reader, r.reader) + (f", {r.place}" if r.place != PRIMARY else "")
                     + (f" ({PART_VI.get(r.part, r.part)})" if r.part else ""),
                     r.raw or r.value or "—", f"{r.confidence:.0f}%") for r in evidence.readings]
        out[_input_of(key)] = FieldHelp(data_uri(crops[key]) if key in crops else None, readings, evidence.reason)
    return out


PART_VI = {"day": "ngày", "month": "tháng", "year": "năm"}
NOTE_INPUT = {  # the input a review note is about: it has the cursor when no reading is shown
    "no_number": "so", "number_uncertain": "so", "no_issue_date": "ngay_cap", "issue_date_uncertain": "ngay_cap",
    "future_issue_date": "ngay_cap", "no_issuer": "co_quan", "issuer_uncertain": "co_quan", "no_subject": "p0_name",
    "handwritten_subject": "p0_name", "nameless_person": "p0_name", "name_uncertain": "p0_name", "no_dob": "p0_dob",
    "handwritten_dob": "p0_dob",
    "no_identifier": "p0_personal_number", "handwritten_identifier": "p0_personal_number"}


def _page(request: Request, session: Any, manifest: Manifest, images: list[str], *, status: int = 200,
          error: str = "", saved: str = "", waiting: int = 0, crops: dict[str, bytes] | None = None) -> Response:
    catalogue = services_of(request).settings.catalogue
    persons = [*manifest.persons, Person(role="")]  # one empty row: a person the reading missed
    own = catalogue.get(manifest.classification.type_id).subject_roles if manifest.classification.type_id else ()
    roles = [*own, *sorted(({r for t in catalogue.types for r in t.subject_roles} | set(catalogue.role_names)
                            | {p.role for p in manifest.persons}) - set(own))]  # this type's people first
    helps = field_help(manifest, crops or {})
    noted = [NOTE_INPUT[n.code] for n in manifest.review if n.code in NOTE_INPUT]
    return render(request, "review.html", status=status, session=session, manifest=manifest, images=images,
                  persons=persons, roles=roles, types=catalogue.types, error=error, saved=saved, waiting=waiting,
                  checked=CHECKED, note_vi=NOTE_VI, helps=helps, first_doubt=next(iter([*helps, *noted]), ""))


def _scan(request: Request, actor: Any, result_code: str) -> tuple[Manifest, list[str], dict[str, bytes]]:
    services = services_of(request)
    manifest, data, media_type = review_scan(services, actor, result_code)
    return manifest, [data_uri(png) for png in page_images(data, media_type, width=1400)], review_crops(
        services, actor, manifest)


@router.get("/ra-soat/{result_code}")
def review(request: Request, result_code: str, da_luu: str = "") -> Response:
    actor, session = signed_in(request, "reviewer", "console")
    manifest, images, crops = _scan(request, actor, result_code)
    waiting = review_backlog(services_of(request), actor)
    return _page(request, session, manifest, images, saved=da_luu, waiting=waiting, crops=crops)


MAX_NEW_PEOPLE = 20  # rows a reviewer may add to the people read (the page offers one at a time)
MAX_FORM_FIELDS = 40 + 10 * 200  # the record's fields and a reason, and up to 200 people of ten fields each


def _persons(form: FormData, before: list[Person]) -> list[Person]:
    """The people as the form now has them; a row left empty is no one. What was read by hand stays recorded."""
    out = []
    rows = str(form.get("so_nguoi") or "0")
    if not rows.isdigit() or int(rows) > len(before) + MAX_NEW_PEOPLE:  # bounded before any work: the page's rows
        raise InvalidRequest("bad_form", rows=rows[:20])
    for index in range(int(rows)):
        value = {k: str(form.get(f"p{index}_{k}") or "").strip() for k in PERSON_FIELDS}
        if not (value["name"] or value["personal_number"] or value["old_id"]):
            continue
        year = int(value["dob"]) if re.fullmatch(r"(19|20)\d\d", value["dob"]) else None  # "sinh năm 1985"
        dob = parse_day(value["dob"]) if value["dob"] and year is None else None
        if value["dob"] and dob is None and year is None:
            raise InvalidRequest("bad_day", says="bad_dob", dob=value["dob"])
        old = before[index] if index < len(before) else None
        out.append(Person(role=value["role"] or "subject", name=value["name"].upper() or None, dob=dob, birth_year=year,
                          sex=value["sex"] or None, personal_number=value["personal_number"] or None,
                          old_id=value["old_id"] or None, handwritten=list(old.handwritten) if old else []))
    return out


def _changes(form: FormData, current: Manifest) -> Changes:
    """Only what the reviewer changed; nothing changed is a confirmation of the record as read."""
    fields: dict[str, Any] = {}
    number, issuer = str(form.get("so") or "").strip() or None, str(form.get("co_quan") or "").strip() or None
    issue_text = str(form.get("ngay_cap") or "").strip()
    issue_date = parse_day(issue_text) if issue_text else None
    if issue_text and issue_date is None:
        raise InvalidRequest("bad_day", says="bad_issue_day", issue_text=issue_text)
    for key, value in (("number", number), ("issuer", issuer), ("issue_date", issue_date)):
        if value != getattr(current.fields, key):
            fields[key] = value
    type_id = str(form.get("loai") or "") or None
    persons = _persons(form, current.persons)
    same_people = [p.model_dump(exclude={"problems", "handwritten"}) for p in persons] == [
        p.model_dump(exclude={"problems", "handwritten"}) for p in current.persons]
    return Changes(type_id=type_id if type_id != current.classification.type_id else None, fields=fields,
                   persons=None if same_people else persons, confirmed=True)


@router.post("/ra-soat/{result_code}")
async def save(request: Request, result_code: str) -> Response:
    actor, session = signed_in(request, "reviewer", "console")
    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    check_csrf(session, form)
    services = services_of(request)
    manifest = record(services, result_code)
    try:
        changes = _changes(form, manifest)
        # Signing runs its own event loop (pyHanko): off this one, in a worker thread.
        corrected = await run_in_threadpool(correct_record, services, actor, result_code, changes,
                                            str(form.get("ly_do") or "").strip() or CHECKED)
    except ServiceError as e:
        if e.status >= 403:
            raise
        _, images, crops = await run_in_threadpool(_scan, request, actor, result_code)
        return _page(request, session, manifest, images, status=e.status, error=e.message, crops=crops)
    return RedirectResponse(f"/ra-soat?da_luu={corrected.result_code}", status_code=303)
