"""Reading records: lookups, the intake check, search, one record, its signed copy (as a file or a short-lived
link), verifying a copy someone hands in; and the reviewer's queue and corrections."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from archive.base import OCR_TEXT, ORIGINAL, SIGNED_PDF
from domain.records import Person
from portal.callers import Caller, ServicesDep
from service.corrections import Changes, correct_record
from service.errors import InvalidRequest
from service.intake import intake_check
from service.links import follow
from service.lookup import filters_for, lookup, person_query, search
from service.records import download_link, review_queue, show, signed_copy, verification_json, verify_upload
from signing.verification_report import NotVerifiable

router = APIRouter(prefix="/v1", tags=["records"])
FILES = {"signed": SIGNED_PDF, "original": ORIGINAL, "text": OCR_TEXT}


class LookupRequest(BaseModel):
    """Whom to look up (one of: citizen, old_id, name with dob, code, number), why, and on which day."""

    citizen: str | None = Field(None, description="12-digit personal number, or a 9-digit old ID number")
    old_id: str | None = Field(None, description="9-digit old ID card number (CMND)")
    name: str | None = Field(None, description="full name, with or without diacritics (with dob)")
    dob: date | None = None
    code: str | None = Field(None, description="a result code or a dossier code")
    number: str | None = Field(None, description="the document's số/ký hiệu")
    type_ids: list[str] = Field(default_factory=list)
    purpose: str = Field("", description="why, kept in the audit log (NĐ 13/2023); required of staff")
    valid_on: date | None = Field(None, description="the appointment date validity is judged on (default today)")


class IntakeRequest(BaseModel):
    """The applicant (citizen, old_id, or name with dob), the procedure applied for, and the new dossier."""

    citizen: str | None = None
    old_id: str | None = None
    name: str | None = None
    dob: date | None = None
    procedure_code: str = Field(..., description="the procedure's code in the national TTHC database")
    purpose: str
    appointment: date | None = Field(None, description="the day validity is judged on (default today)")
    dossier_code: str | None = Field(None, description="the new dossier's code: records the reuse against it")


class SearchRequest(BaseModel):
    text: str = Field("", max_length=500, description="words of names or text; may be empty with a paper's place")
    purpose: str
    type_ids: list[str] = Field(default_factory=list, max_length=50)
    limit: int = Field(20, ge=1, le=100)
    fonds: str = Field("", max_length=200, description="only records whose paper is in this fonds (phông)")
    inventory: str = Field("", max_length=50, description="... in this inventory (mục lục)")
    box: str = Field("", max_length=50, description="... in this box (hộp)")
    file: str = Field("", max_length=50, description="... in this file (hồ sơ số)")


class LinkRequest(BaseModel):
    purpose: str
    file: str = Field("signed", description="signed, original or text")
    minutes: float | None = None


class CorrectionRequest(BaseModel):
    reason: str
    type_id: str | None = None
    number: str | None = None
    issue_date: date | None = None
    issuer: str | None = None
    persons: list[Person] | None = None


@router.post("/lookup", summary="an applicant's digitised documents, each judged for reuse",
             response_class=JSONResponse)
def lookup_endpoint(body: LookupRequest, actor: Caller, services: ServicesDep) -> JSONResponse:
    filters = filters_for(services.settings, type_ids=tuple(body.type_ids))
    if actor.role == "citizen" and not any((body.citizen, body.old_id, body.name, body.code, body.number)):
        body.citizen = actor.personal_number  # a citizen asking for "my documents"
    query, warnings = person_query(citizen=body.citizen, old_id=body.old_id, name=body.name, dob=body.dob,
                                   code=body.code, number=body.number, filters=filters)
    # Already plain JSON types: handed to the response as they are (FastAPI's encoder would walk them again).
    return JSONResponse(lookup(services, actor, query, body.purpose, on=body.valid_on, warnings=warnings).as_json())


@router.post("/intake-check", summary="which required papers the applicant need not bring, and record the reuse",
             response_class=JSONResponse)
def intake_endpoint(body: IntakeRequest, request: Request, actor: Caller, services: ServicesDep) -> JSONResponse:
    query, _ = person_query(citizen=body.citizen, old_id=body.old_id, name=body.name, dob=body.dob)
    answer = intake_check(services, actor, query, body.procedure_code, body.purpose, appointment=body.appointment,
                          dossier_code=body.dossier_code).as_json()
    for paper in answer["papers"]:
        paper["download_url"] = absolute(request, paper["download_url"])
    return JSONResponse(answer)


def absolute(request: Request, url: str | None) -> str | None:
    """A link on this service (`/v1/links/…`) as a full address another system can follow."""
    return f"{str(request.base_url).rstrip('/')}{url}" if url and url.startswith("/") else url


@router.get("/links/{token}", summary="follow a download link (the link is the credential; no sign-in)",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def follow_link_endpoint(token: str, services: ServicesDep) -> Response:
    got = follow(services, token)
    name = got.manifest.files[got.role].name
    kind = "application/pdf" if name.endswith(".pdf") else "application/octet-stream"
    return Response(got.data, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                        "Cache-Control": "private, no-store"})


@router.post("/search", summary="full-text search of names and document text")
def search_endpoint(body: SearchRequest, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    filters = filters_for(services.settings, type_ids=tuple(body.type_ids), fonds=body.fonds,
                          inventory=body.inventory, box=body.box, file=body.file)
    return search(services, actor, body.text, body.purpose, filters=filters, limit=body.limit).as_json()


@router.get("/records/{result_code}", summary="one record's manifest")
def show_endpoint(result_code: str, actor: Caller, services: ServicesDep, purpose: str = "") -> dict[str, Any]:
    manifest = show(services, actor, result_code, purpose)
    return manifest.model_dump(mode="json", by_alias=True)


@router.get("/records/{result_code}/signed-copy", summary="the signed e-copy (PDF)",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def signed_copy_endpoint(result_code: str, actor: Caller, services: ServicesDep, purpose: str = "") -> Response:
    manifest, data = signed_copy(services, actor, result_code, purpose)
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{manifest.result_code}.pdf"', "Cache-Control": "no-store"})


@router.post("/records/{result_code}/link", summary="a short-lived download link to one of a record's files")
def link_endpoint(result_code: str, body: LinkRequest, request: Request, actor: Caller,
                  services: ServicesDep) -> dict[str, Any]:
    if body.file not in FILES:
        raise InvalidRequest("bad_file", files=", ".join(FILES))
    link = download_link(services, actor, result_code, FILES[body.file], body.purpose, minutes=body.minutes)
    return {"result_code": link.result_code, "url": absolute(request, link.url), "expires_in_s": link.expires_in_s}


@router.post("/verify", summary="verify an e-copy: send the PDF as the request body (Content-Type: application/pdf)")
async def verify_endpoint(request: Request, actor: Caller, services: ServicesDep,
                          file_name: str = "upload.pdf") -> dict[str, Any]:
    limit = services.settings.max_file_bytes
    declared = int(request.headers.get("content-length") or 0)
    if declared > limit:
        raise InvalidRequest("too_large", mb=limit // (1024 * 1024))
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise InvalidRequest("too_large", mb=limit // (1024 * 1024))
    if not data:
        raise InvalidRequest("empty_file")
    try:
        report, code = await run_in_threadpool(verify_upload, services, actor, data, file_name)
    except NotVerifiable as e:
        raise InvalidRequest("not_verifiable", reason=e.vietnamese) from e
    return verification_json(report, code)


@router.get("/review-queue", summary="records waiting for a person to check them, with the reasons")
def review_endpoint(actor: Caller, services: ServicesDep, limit: int = 100) -> dict[str, Any]:
    items = review_queue(services, actor, limit=limit)
    return {"records": [{"result_code": i.hit.result_code, "type_id": i.hit.type_id, "type": i.hit.type_name,
                         "number": i.hit.number, "reasons": i.reasons} for i in items]}


@router.post("/records/{result_code}/corrections", summary="a reviewer's correction, stored as a new version")
def correct_endpoint(result_code: str, body: CorrectionRequest, actor: Caller,
                     services: ServicesDep) -> dict[str, Any]:
    fields: dict[str, Any] = {k: getattr(body, k) for k in ("number", "issue_date", "issuer")
                              if k in body.model_fields_set}
    manifest = correct_record(services, actor, result_code,
                              Changes(type_id=body.type_id, fields=fields, persons=body.persons), body.reason)
    return {"result_code": manifest.result_code, "version": manifest.version, "change_reason": manifest.change_reason}
