"""Sign-in for people: a login and password (a local account or the province's LDAP directory), single sign-on
through OpenID Connect, the current session, signing out, and changing one's password."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from context.services import Services
from domain.actor import Actor
from portal.callers import COOKIE, CSRF_HEADER, Caller, ServicesDep, client_address, current_session
from service import oidc_login
from service.accounts import change_password
from service.auth_settings import AuthSettings, OidcSettings, auth_settings
from service.errors import NotFound, Refused
from service.sessions import Session, end_session, open_session
from service.signin import must_change_password, password_sign_in

router = APIRouter(prefix="/v1/auth", tags=["sign-in"])
OIDC_PATH = "/v1/auth/oidc/"
STATE_COOKIE = "sohoa_oidc_state"  # the single sign-on this browser started: its callback is accepted from it alone


class Login(BaseModel):
    username: str
    password: str


class PasswordChange(BaseModel):
    old_password: str
    new_password: str


def _actor_json(actor: Actor) -> dict[str, Any]:
    return {"identity": actor.identity, "role": actor.role, "name": actor.name,
            "personal_number": actor.personal_number}


def _session_json(session: Session, services: Services) -> dict[str, Any]:
    return {"actor": _actor_json(session.actor), "source": session.source, "csrf_token": session.csrf,
            "expires_at": datetime.fromtimestamp(session.expires, UTC).isoformat(timespec="seconds"),
            "must_change_password": must_change_password(services, session)}


def set_session_cookie(response: Response, token: str, auth: AuthSettings) -> None:
    response.set_cookie(COOKIE, token, max_age=auth.session_seconds, httponly=True, secure=auth.cookie_secure,
                        samesite="lax", path="/")


@router.post("/login", summary="sign in with a login and password (local account, else LDAP)")
def login(body: Login, request: Request, response: Response, services: ServicesDep) -> dict[str, Any]:
    auth = auth_settings(services)
    token, session = password_sign_in(services, body.username, body.password, auth=auth,
                                      source=client_address(request))
    set_session_cookie(response, token, auth)
    return {"token": token, **_session_json(session, services)}


@router.post("/logout", summary="end this session")
def logout(request: Request, response: Response, services: ServicesDep) -> dict[str, str]:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" else ""
    cookie = request.cookies.get(COOKIE, "")
    if cookie and not bearer:  # a cookie rides along with any site's form: its session ends only with its token
        session = current_session(request)
        if session is not None and not session.csrf_ok(request.headers.get(CSRF_HEADER)):
            raise Refused("csrf_failed")
    for t in (bearer, cookie):
        if t:
            end_session(services, t)
    response.delete_cookie(COOKIE, path="/")
    return {"status": "signed_out"}


@router.get("/me", summary="who is signed in, until when, and the CSRF token for the cookie session")
def me(request: Request, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    session = current_session(request)
    if session is None:  # an API client
        return {"actor": _actor_json(actor), "source": "api_client"}
    return _session_json(session, services)


@router.post("/password", summary="change one's own password (local accounts)")
def password(body: PasswordChange, request: Request, actor: Caller, services: ServicesDep) -> dict[str, str]:
    session = current_session(request)
    if session is None or session.source != "local":
        raise Refused("not_local_account")
    change_password(services, actor, body.old_password, body.new_password, keep_session_csrf=session.csrf)
    return {"status": "changed"}


def _oidc(services: Services) -> OidcSettings:
    oidc = auth_settings(services).oidc
    if oidc is None:
        raise NotFound("sso_not_configured")
    return oidc


@router.get("/oidc/login", summary="start single sign-on (authorization code with PKCE)")
def oidc_start(services: ServicesDep, next: str = "/v1/auth/me") -> RedirectResponse:
    url, state = oidc_login.start(services, _oidc(services), next)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(STATE_COOKIE, state, max_age=oidc_login.PENDING_S, httponly=True,
                        secure=auth_settings(services).cookie_secure, samesite="lax", path=OIDC_PATH)
    return response


@router.get("/oidc/callback", summary="where the identity provider sends the browser back")
def oidc_callback(request: Request, services: ServicesDep, state: str = "", code: str = "", error: str = "",
                  error_description: str = "") -> RedirectResponse:
    oidc = _oidc(services)
    if error or not code:
        services.audit.record("?", "signin.refused", None, "Đăng nhập", source="oidc", reason=error or "no code",
                              detail=error_description[:200])
        if error_description:
            raise Refused("sso_refused", says="sso_refused_saying", reason=error_description)
        raise Refused("sso_refused", says="sso_refused_by_provider")
    auth = auth_settings(services)
    actor, next_url = oidc_login.finish(services, oidc, code, state, request.cookies.get(STATE_COOKIE, ""))
    token, _ = open_session(services, auth, actor, "oidc")
    services.log(actor, "signin", None, "Đăng nhập", source="oidc")
    response = RedirectResponse(next_url, status_code=303)
    set_session_cookie(response, token, auth)
    response.delete_cookie(STATE_COOKIE, path=OIDC_PATH)
    return response
