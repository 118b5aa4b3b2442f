"""What every page of the portal shares: templates, who is signed in, CSRF on forms, refusals as pages.

The pages are rendered on the server (Jinja2) and call the same use cases as the API; they add no rules of their
own. A person is known by the session cookie that signing in sets (the same sessions as the API's); a form that
changes something carries the session's CSRF token in a hidden field, checked before the use case runs. A page that
needs a signed-in person sends the browser to the sign-in page and back; a refusal (a role that may not, a record
that is not theirs) is a page in Vietnamese with the same status the API would answer. Every page carries a
Content-Security-Policy that allows only the portal's own scripts, styles and images, and may not be framed.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from context.services import Services
from domain.actor import Actor
from portal.callers import current_session
from portal.charts import vn_number
from service.auth_settings import auth_settings
from service.errors import Refused
from service.sessions import Session
from service.signin import must_change_password

HERE = Path(__file__).parent
STATIC_PREFIX = "/tai-nguyen"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
PAGE_HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY", "Cache-Control": "no-store"}
FORM_COOKIE = "sohoa_form"  # the CSRF token of a form filled in before signing in (double submit): no session yet
HOME = {"clerk": "/tiep-nhan", "reviewer": "/ra-soat", "archivist": "/luu-tru", "citizen": "/cong-dan",
        "operator": "/tien-do", "admin": "/tai-khoan", "console": "/luu-tru"}
ROLE_VI = {"clerk": "Cán bộ tiếp nhận", "reviewer": "Cán bộ rà soát", "archivist": "Cán bộ lưu trữ",
           "citizen": "Công dân", "operator": "Phụ trách số hóa", "admin": "Quản trị", "console": "Quản trị máy chủ",
           "public": "Khách"}
NAV = {  # what each role's menu offers: (address, label)
    "clerk": [("/tiep-nhan", "Tiếp nhận hồ sơ")],
    "reviewer": [("/ra-soat", "Rà soát")],
    "archivist": [("/luu-tru", "Lưu trữ")],
    "operator": [("/tien-do", "Tiến độ số hóa")],
    "citizen": [("/cong-dan", "Giấy tờ của tôi")],
    "admin": [("/tai-khoan", "Quản trị")],
    "console": [("/luu-tru", "Lưu trữ"), ("/tien-do", "Tiến độ số hóa"), ("/tai-khoan", "Quản trị")],
}

templates = Jinja2Templates(directory=str(HERE / "templates"))


def _day(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy, as Vietnamese papers write a day."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value:%d/%m/%Y}"


templates.env.filters["day"] = _day
templates.env.filters["vn_number"] = vn_number


class SignInNeeded(Exception):
    """The page needs a signed-in person: the browser is sent to the sign-in page, then back to `next_url`."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PasswordChangeNeeded(Exception):
    """A person signed in with a first password given by an administrator: they change it before anything else."""


def signed_in(request: Request, *roles: str) -> tuple[Actor, Session]:
    """The person of this request's session cookie, if their role is one of `roles` (any, when none are named).
    A page of another role is refused as the API refuses it (403)."""
    session = current_session(request)
    if session is None:
        raise SignInNeeded(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if must_change_password(services_of(request), session):
        raise PasswordChangeNeeded()
    if roles and session.actor.role not in roles:
        raise Refused("role_not_allowed", says="page_not_allowed", identity=session.actor.identity,
                      role=ROLE_VI.get(session.actor.role, ""))
    request.state.actor = session.actor.identity
    return session.actor, session


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def check_csrf(session: Session, form: Mapping[str, Any]) -> None:
    """A form that changes something must carry the session's CSRF token (a page of this portal put it there)."""
    if not session.csrf_ok(str(form.get("csrf") or "")):
        raise Refused("csrf_failed", says="csrf_failed_form")


def render(request: Request, template: str, *, status: int = 200, session: Session | None = None,
           headers: Mapping[str, str] | None = None, **context: Any) -> HTMLResponse:
    """A page: the template with who is signed in, their menu and the CSRF token its forms carry."""
    if session is None:
        session = current_session(request)
    actor = session.actor if session else None
    services = services_of(request)
    page = templates.TemplateResponse(request, template, {
        "actor": actor, "role_vi": ROLE_VI.get(actor.role, "") if actor else "",
        "nav": NAV.get(actor.role, []) if actor else [], "csrf": session.csrf if session else "",
        "agency": services.settings.agency_name, "path": request.url.path, "static": STATIC_PREFIX,
        "role_name": services.settings.catalogue.role_name, "role_vi_of": lambda role: ROLE_VI.get(role, role),
        **context,
    }, status_code=status)
    page.headers.update({**PAGE_HEADERS, **(headers or {})})
    return page


def error_page(request: Request, status: int, code: str, message: str,
               headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """A refusal as a page, with the status the API would answer."""
    titles = {401: "Cần đăng nhập", 403: "Không được phép", 404: "Không tìm thấy", 409: "Kho lưu trữ từ chối",
              429: "Quá nhiều yêu cầu", 503: "Hệ thống tạm thời chưa sẵn sàng"}
    return render(request, "error.html", status=status, headers=headers,
                  title=titles.get(status, "Yêu cầu không hợp lệ"), message=message, code=code)


def message_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, title=title, message=message, code="")


def to_sign_in(next_url: str) -> RedirectResponse:
    return RedirectResponse(f"/dang-nhap?next={quote(next_url, safe='/')}", status_code=303)


def safe_next(next_url: str | None, fallback: str = "/") -> str:
    """Only an address on this portal: a sign-in must never send the browser elsewhere."""
    if next_url and next_url.startswith("/") and not next_url.startswith("//") and "\\" not in next_url:
        return next_url
    return fallback


def remember_form_token(request: Request, response: Response, token: str, path: str) -> None:
    """The CSRF token of a form shown to someone not signed in (the sign-in form, the public verification page),
    also set as a cookie only this site's pages under `path` send back (double submit), over HTTPS only as the
    session cookie is."""
    response.set_cookie(FORM_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path=path,
                        secure=auth_settings(services_of(request)).cookie_secure)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def form_token_ok(request: Request, presented: str) -> bool:
    expected = request.cookies.get(FORM_COOKIE, "")
    return bool(expected) and hmac.compare_digest(expected, presented)


def is_page_path(path: str) -> bool:
    """Whether an address is a page (answered in HTML) rather than the API (JSON)."""
    return not (path.startswith("/v1/") or path in ("/health", "/ready", "/docs", "/openapi.json", "/redoc")
                or path.startswith("/o/"))
