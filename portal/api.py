"""The HTTP API (`sohoa serve`): JSON in and out, for one-stop-shop systems and, later, the portal's pages.

Every call but the health checks names its caller with an API client key (`Authorization: Bearer sohoa_…`, made by
`sohoa clients add`); the key stands for an actor with the client's role, and the use cases in `service/` decide
what that role may do and write the audit events. Errors are `{"error": <stable English code>, "message":
<Vietnamese>}` with a matching status. Each response carries `X-Request-ID` (the caller's, or a new one), which the
log lines of that request also carry.
"""


import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from domain.actor import Actor
from indexer.base import IndexUnavailable
from pipeline.services import Services
from service.clients import client_actor
from service.errors import NotAuthenticated, ServiceError
from service.lookup import filters_for, lookup, person_query

log = logging.getLogger("sohoa.api")  # annotations stay live (no __future__ import): FastAPI reads them
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class LookupRequest(BaseModel):
    """Whom to look up (one of: citizen, old_id, name with dob, code, number), why, and on which day."""

    citizen: str | None = Field(None, description="12-digit personal number, or a 9-digit old ID number")
    old_id: str | None = Field(None, description="9-digit old ID card number (CMND)")
    name: str | None = Field(None, description="full name, with or without diacritics (with dob)")
    dob: date | None = None
    code: str | None = Field(None, description="a result code or a dossier code")
    number: str | None = Field(None, description="the document's số/ký hiệu")
    type_ids: list[str] = Field(default_factory=list)
    purpose: str = Field(..., description="why, kept in the audit log (NĐ 13/2023)")
    valid_on: date | None = Field(None, description="the appointment date validity is judged on (default today)")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def create_app(services: Services) -> FastAPI:
    app = FastAPI(title="sohoa", version="1", description="Tra cứu và khai thác kết quả giải quyết thủ tục hành "
                  "chính đã số hóa.")

    @app.middleware("http")
    async def request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.headers.get("x-request-id", "")
        rid = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.state.request_id = rid
        response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        log.info("request %s %s %s -> %s", rid, request.method, request.url.path, response.status_code)
        return response

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, e: ServiceError) -> JSONResponse:
        return _error(e.status, e.code, e.message)

    @app.exception_handler(IndexUnavailable)
    async def index_down(request: Request, e: IndexUnavailable) -> JSONResponse:
        return _error(503, "index_unavailable", f"Chỉ mục tra cứu chưa sẵn sàng: {e}")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        wrong = ", ".join(".".join(str(p) for p in err["loc"][1:]) or "body" for err in e.errors())
        return _error(422, "invalid_request", f"Yêu cầu không hợp lệ ở: {wrong}")

    def caller(request: Request) -> Actor:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        actor = client_actor(services, key.strip()) if scheme.lower() == "bearer" else None
        if actor is None:
            raise NotAuthenticated("not_authenticated", "Cần khóa API hợp lệ (Authorization: Bearer …).")
        return actor

    Caller = Annotated[Actor, Depends(caller)]

    @app.get("/health", summary="the process answers")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", summary="the archive and the index can be reached")
    def ready() -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            services.archive.objects.stat("results/ready-probe")  # one request, whatever the archive's size
            checks["archive"] = "ok"
        except Exception as e:  # any failure of the store means not ready
            checks["archive"] = f"{type(e).__name__}: {e}"
        try:
            services.index.count_by_type()
            checks["index"] = "ok"
        except Exception as e:
            checks["index"] = f"{type(e).__name__}: {e}"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", **checks}, status_code=200 if ok else 503)

    @app.post("/v1/lookup", summary="an applicant's digitised documents, each judged for reuse")
    def lookup_endpoint(body: LookupRequest, actor: Caller) -> dict[str, Any]:
        filters = filters_for(services.settings, type_ids=tuple(body.type_ids))
        query, warnings = person_query(citizen=body.citizen, old_id=body.old_id, name=body.name, dob=body.dob,
                                       code=body.code, number=body.number, filters=filters)
        return lookup(services, actor, query, body.purpose, on=body.valid_on, warnings=warnings).as_json()

    return app
