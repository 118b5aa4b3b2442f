"""Signing in and out on the portal's pages: a login and password (a local account or the province's directory), or
single sign-on through the identity provider; a first password given by an administrator is changed before work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from portal.callers import COOKIE, client_address, current_session
from portal.pages import (
    FORM_COOKIE,
    HOME,
    check_csrf,
    form_token_ok,
    new_token,
    remember_form_token,
    render,
    safe_next,
    services_of,
    to_sign_in,
)
from portal.signin_routes import set_session_cookie
from service.accounts import change_password
from service.auth_settings import auth_settings
from service.errors import NotAuthenticated, ServiceError, TooMany
from service.sessions import end_session
from service.signin import must_change_password, password_sign_in

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    session = current_session(request)
    if session is None:
        return to_sign_in("/")
    return RedirectResponse(HOME.get(session.actor.role, "/xac-minh"), status_code=303)


def _form(request: Request, next_url: str, *, status: int = 200, error: str = "", username: str = "") -> Response:
    """The sign-in form, with its own CSRF token (double submit: there is no session yet)."""
    token = new_token()
    response = render(request, "signin.html", status=status, session=None, next=next_url, error=error,
                      username=username, sso=auth_settings(services_of(request)).oidc is not None, form_token=token)
    remember_form_token(request, response, token, "/dang-nhap")
    return response


@router.get("/dang-nhap")
def sign_in_form(request: Request, next: str = "/") -> Response:
    return _form(request, safe_next(next))


@router.post("/dang-nhap")
def sign_in(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
            next: Annotated[str, Form()] = "/", form_token: Annotated[str, Form()] = "") -> Response:
    services = services_of(request)
    target = safe_next(next)
    if not form_token_ok(request, form_token):
        return _form(request, target, status=403, username=username,
                     error="Biểu mẫu đăng nhập đã cũ hoặc không do trang này gửi; hãy đăng nhập lại.")
    auth = auth_settings(services)
    try:
        token, session = password_sign_in(services, username, password, auth=auth, source=client_address(request))
    except (NotAuthenticated, TooMany) as e:
        return _form(request, target, status=e.status, error=e.message, username=username)
    home_page = HOME.get(session.actor.role, "/")
    response = RedirectResponse(target if target != "/" else home_page, status_code=303)
    set_session_cookie(response, token, auth)
    response.delete_cookie(FORM_COOKIE, path="/dang-nhap")
    return response


@router.post("/dang-xuat")
async def sign_out(request: Request) -> Response:
    session = current_session(request)
    if session is not None:
        check_csrf(session, await request.form())
        end_session(services_of(request), request.cookies.get(COOKIE, ""))
        services_of(request).log(session.actor, "signout", None, "Đăng xuất")
    response = RedirectResponse("/dang-nhap", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/doi-mat-khau")
def password_form(request: Request) -> Response:
    session = current_session(request)
    if session is None:
        return to_sign_in("/doi-mat-khau")
    return render(request, "password.html", session=session, error="",
                  required=must_change_password(services_of(request), session))


@router.post("/doi-mat-khau")
def password_change(request: Request, csrf: Annotated[str, Form()] = "", old_password: Annotated[str, Form()] = "",
                    new_password: Annotated[str, Form()] = "", again: Annotated[str, Form()] = "") -> Response:
    session = current_session(request)
    if session is None:
        return to_sign_in("/doi-mat-khau")
    services = services_of(request)
    check_csrf(session, {"csrf": csrf})
    required = must_change_password(services, session)
    if new_password != again:
        return render(request, "password.html", status=400, session=session, required=required,
                      error="Hai lần nhập mật khẩu mới không giống nhau.")
    try:
        change_password(services, session.actor, old_password, new_password, keep_session_csrf=session.csrf)
    except ServiceError as e:
        return render(request, "password.html", status=e.status, session=session, required=required,
                      error=e.message)
    return RedirectResponse(HOME.get(session.actor.role, "/"), status_code=303)
