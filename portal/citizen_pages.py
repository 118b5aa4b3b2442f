"""The citizen's pages: their own documents (signed in through the national identity provider), a signed copy of
each through a short-lived link; and the public page where anyone verifies a copy they were handed, which the QR code
on every signed copy opens for its record."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from domain.actor import PUBLIC, Actor
from indexer.base import RecordQuery
from pipeline.intake import sniff
from portal.callers import client_address, current_session
from portal.pages import (
    form_token_ok,
    new_token,
    remember_form_token,
    render,
    services_of,
    signed_in,
)
from service.errors import InvalidRequest, TooMany
from service.lookup import OWN_RECORDS, lookup, reuse_status
from service.records import public_record, verify_upload
from signing.verification_report import NotVerifiable, report_vi

router = APIRouter(include_in_schema=False)
REUSE_VI = {"valid": "CÒN HIỆU LỰC", "expired": "HẾT HIỆU LỰC", "needs_review": "ĐANG RÀ SOÁT"}


@router.get("/cong-dan")
def my_documents(request: Request) -> Response:
    actor, session = signed_in(request, "citizen")
    answer = lookup(services_of(request), actor, RecordQuery(personal_number=actor.personal_number), OWN_RECORDS)
    groups: dict[str, list[tuple[Any, str, Any]]] = defaultdict(list)
    for hit in answer.hits:
        reuse, validity = reuse_status(hit, answer.as_of)
        groups[hit.type_name or "Giấy tờ khác"].append((hit, reuse, validity))
    return render(request, "citizen.html", session=session, groups=sorted(groups.items()), reuse_vi=REUSE_VI,
                  count=len(answer.hits), today=date.today())


def _verify_form(request: Request, *, code: str | None = None, status: int = 200, error: str = "",
                 facts: tuple[tuple[str, str], ...] | None = None, differs: list[str] | None = None) -> Response:
    token = new_token()
    response = render(request, "verify.html", status=status, code=code, error=error, facts=facts,
                      differs=differs or [], form_token=token,
                      limit_mb=services_of(request).settings.max_file_bytes // (1024 * 1024))
    remember_form_token(request, response, token, "/xac-minh")
    return response


@router.get("/xac-minh")
def verify_form(request: Request) -> Response:
    return _verify_form(request)


@router.get("/xac-minh/{result_code}")
def verify_record(request: Request, result_code: str) -> Response:
    """Where the QR code of a signed copy leads: the record as the archive holds it (the holder masked), to compare
    with the paper in hand, and the form to check an e-copy against it."""
    session = current_session(request)
    found = public_record(services_of(request), session.actor if session else _visitor(request), result_code,
                          str(request.url))
    if found is None:
        return _verify_form(request, code=result_code, status=404)
    return _verify_form(request, code=result_code, facts=found[0], differs=found[1])


def _visitor(request: Request) -> Actor:
    """Someone not signed in, known by their address: what the public pages' limits count by."""
    return Actor(f"public@{client_address(request)}", "public", PUBLIC.name)


async def _upload(request: Request) -> tuple[bytes, str, str, str]:
    """The uploaded file, its name, the form token and the record it is checked against; refused past the size
    limit before the body is kept, as ingest refuses an oversized scan."""
    limit = services_of(request).settings.max_file_bytes
    if int(request.headers.get("content-length") or 0) > limit + 65536:
        raise InvalidRequest("too_large", mb=limit // (1024 * 1024))
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("tep")
    token, code = str(form.get("form_token") or ""), str(form.get("ma") or "")
    if upload is None or isinstance(upload, str):
        raise InvalidRequest("no_file")
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidRequest("too_large", mb=limit // (1024 * 1024))
    if not data:
        raise InvalidRequest("empty_file")
    if sniff(data[:1024]) != "application/pdf":
        raise InvalidRequest("not_a_pdf")
    return data, upload.filename or "ban-sao.pdf", token, code


@router.post("/xac-minh")
async def verify(request: Request) -> Response:
    """Anyone (not signed in) verifies a copy: its signatures, its QR code and the archive's own signed copy."""
    try:
        data, name, token, code = await _upload(request)
    except InvalidRequest as e:
        return _verify_form(request, status=400, error=e.message)
    if not form_token_ok(request, token):
        return _verify_form(request, status=403, error="Biểu mẫu đã cũ hoặc không do trang này gửi; hãy chọn tệp và "
                            "gửi lại.")
    session = current_session(request)  # staff verifying a copy are named; anyone else is the public
    try:
        report, found = await run_in_threadpool(partial(verify_upload, expected=code), services_of(request),
                                                session.actor if session else _visitor(request), data, name)
    except NotVerifiable as e:
        return _verify_form(request, status=400, error=e.vietnamese)
    except TooMany as e:
        return _verify_form(request, status=429, error=e.message)
    return render(request, "verify_report.html", report=report, text=report_vi(report), found=found, name=name)
