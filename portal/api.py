"""The HTTP API (`sohoa serve`): JSON in and out, for one-stop-shop systems and the portal's pages.

Every call but the health checks and signing in names its caller: an API client's key (`Authorization: Bearer
sohoa_…`, made by `sohoa clients add`), or a person's session (the token from POST /v1/auth/login or single sign-on,
sent as a bearer token or in the session cookie with its CSRF token). The use cases in `service/` decide what the
caller's role may do and write the audit events. Errors are `{"error": <stable English code>, "message":
<Vietnamese>}` with a matching status. Each response carries `X-Request-ID` (the caller's, or a new one), which the
log lines of that request also carry.
"""

import inspect
import logging
import re
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive.disposition import DispositionRefused
from archive.objects import ArchiveError, RetentionViolation
from context.services import Services
from domain.messages import vietnamese
from indexer.base import IndexUnavailable
from portal import (
    admin_pages,
    admin_routes,
    archive_pages,
    archive_routes,
    citizen_pages,
    clerk_pages,
    lead_pages,
    link_routes,
    record_routes,
    review_pages,
    signin_pages,
    signin_routes,
)
from portal.access_log import redact_access_log
from portal.body_limit import FORM_OVERHEAD, BodyLimit
from portal.callers import Caller
from portal.pages import (
    HERE,
    STATIC_PREFIX,
    PasswordChangeNeeded,
    SignInNeeded,
    error_page,
    is_page_path,
    to_sign_in,
)
from service.errors import ServiceError, TooMany

PAGES = (signin_pages, clerk_pages, citizen_pages, review_pages, archive_pages, lead_pages, admin_pages,
         link_routes)
log = logging.getLogger("sohoa.api")  # annotations stay live (no __future__ import): FastAPI reads them
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "Cache-Control": "no-store", "X-Frame-Options": "DENY"}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


class RequestContext:
    """Pure ASGI middleware (a BaseHTTPMiddleware costs a task and a queue per request): gives each request its id
    (the caller's X-Request-ID, or a new one), adds it and the security headers to the response, and logs the
    request with its actor, status and time taken."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        rid = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"], state["actor"] = rid, "-"
        started, status = time.perf_counter(), 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = rid
                for header, value in SECURITY_HEADERS.items():
                    if header not in headers:
                        headers[header] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            log.info("request %s %s %s by %s -> %s in %.1f ms", rid, scope["method"], scope["path"],
                     state.get("actor", "-"), status, (time.perf_counter() - started) * 1000)


def create_app(services: Services) -> FastAPI:
    # FastAPI's own OpenTelemetry instrumentation is off: an installation without a collector would pay for spans
    # nobody reads (about a third of a lookup's time here); the request log above carries ids and timings.
    quiet: dict[str, Any] = {"telemetry": {"tracing": False, "metrics": False, "logs": False,
                                           "operation_spans": False}} \
        if "telemetry" in inspect.signature(FastAPI.__init__).parameters else {}  # FastAPI >= 0.154
    app = FastAPI(title="sohoa", version="1", description="Tra cứu và khai thác kết quả giải quyết thủ tục hành "
                  "chính đã số hóa.", docs_url=None, redoc_url=None, openapi_url=None, **quiet)
    app.state.services = services
    redact_access_log()
    settings = services.settings
    single = settings.max_file_bytes + FORM_OVERHEAD
    app.add_middleware(BodyLimit, uploads={"/xac-minh": single, "/v1/verify": single,
                                           "/tien-do/lo": settings.max_upload_batch_bytes + FORM_OVERHEAD},
                       default=settings.max_request_bytes)
    app.add_middleware(RequestContext)  # added last: the outermost, so a refusal too gets its id and headers

    def refusal(request: Request, status: int, code: str, message: str,
                headers: dict[str, str] | None = None) -> Response:
        """The API answers in JSON; a page answers with a page in Vietnamese, with the same status."""
        if is_page_path(request.url.path):
            return error_page(request, status, code, message, headers)
        return _error(status, code, message, headers)

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, e: ServiceError) -> Response:
        headers = {"Retry-After": str(e.retry_after_s)} if isinstance(e, TooMany) else None
        return refusal(request, e.status, e.code, e.message, headers)

    @app.exception_handler(ArchiveError)
    async def archive_error(request: Request, e: ArchiveError) -> Response:
        if isinstance(e, DispositionRefused | RetentionViolation):  # a rule of the archive said no
            return refusal(request, 409, "refused_by_archive", vietnamese(e))
        log.error("request %s: archive error %s: %s", request.state.request_id, type(e).__name__, e)
        return refusal(request, 503, "archive_unavailable", f"Kho lưu trữ chưa sẵn sàng: {vietnamese(e)}")

    @app.exception_handler(IndexUnavailable)
    async def index_down(request: Request, e: IndexUnavailable) -> Response:
        return refusal(request, 503, "index_unavailable", f"Chỉ mục tra cứu chưa sẵn sàng: {vietnamese(e)}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        """An address no route answers, or a method it does not take: on a page, a page saying so."""
        if is_page_path(request.url.path):
            message = "Không có trang này." if e.status_code == 404 else str(e.detail)
            return error_page(request, e.status_code, "not_found" if e.status_code == 404 else "http_error", message)
        return JSONResponse({"detail": e.detail}, status_code=e.status_code, headers=getattr(e, "headers", None))

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, e: SignInNeeded) -> Response:
        return to_sign_in(e.next_url)

    @app.exception_handler(PasswordChangeNeeded)
    async def password_change_needed(request: Request, e: PasswordChangeNeeded) -> Response:
        return RedirectResponse("/doi-mat-khau", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        wrong = ", ".join(".".join(str(p) for p in err["loc"][1:]) or "body" for err in e.errors())
        return _error(422, "invalid_request", f"Yêu cầu không hợp lệ ở: {wrong}")

    @app.get("/openapi.json", include_in_schema=False)
    def api_schema(actor: Caller) -> JSONResponse:
        """The API's description, for the systems' integrators: to callers who have signed in (a person or a key),
        not to anyone mapping the service from outside."""
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def api_docs(actor: Caller) -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="sohoa API")

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

    for module in (signin_routes, record_routes, archive_routes, admin_routes):
        app.include_router(module.router)
    for pages in PAGES:  # the portal's pages: the same use cases, rendered for people (not in the API's schema)
        app.include_router(pages.router)
    app.mount(STATIC_PREFIX, StaticFiles(directory=HERE / "static"), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app of one uvicorn worker process (`sohoa serve --workers N`): the data directory from SOHOA_DATA_DIR."""
    from context.services import open_services
    from context.settings import load_settings

    return create_app(open_services(load_settings()))
