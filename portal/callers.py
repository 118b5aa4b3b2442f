"""Who is calling: an API client's key, a person's session token sent as a bearer token, or the portal's session
cookie, which (being sent by the browser on its own) must come with the session's CSRF token on every call that
changes something. A person whose password was reset may only change it until they have."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from context.services import Services
from domain.actor import Actor
from service.auth_settings import auth_settings
from service.clients import KEY_PREFIX, client_actor
from service.errors import NotAuthenticated, Refused
from service.sessions import Session, session_for
from service.signin import must_change_password

COOKIE = "sohoa_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


async def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _session(request: Request, services: Services) -> tuple[Session | None, str]:
    """The session named by a bearer token or the cookie, and how it came ("bearer", "cookie", or "")."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token and not token.startswith(KEY_PREFIX):
        return session_for(services, auth_settings(services), token), "bearer"
    cookie = request.cookies.get(COOKIE, "")
    if cookie:
        return session_for(services, auth_settings(services), cookie), "cookie"
    return None, ""


def current_session(request: Request) -> Session | None:
    return _session(request, request.app.state.services)[0]


async def caller(request: Request) -> Actor:
    """Who is calling. Async, so FastAPI calls it on the event loop rather than in a worker thread: it reads one
    small file or one SQLite row, cheaper than the thread hop."""
    services: Services = request.app.state.services
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and key.strip().startswith(KEY_PREFIX):
        actor = client_actor(services, key.strip())
        if actor is None:
            raise NotAuthenticated("not_authenticated", says="bad_api_key")
        request.state.actor = actor.identity
        return actor
    session, how = _session(request, services)
    if session is None:
        raise NotAuthenticated("not_authenticated")
    if how == "cookie" and request.method not in SAFE_METHODS and not session.csrf_ok(
            request.headers.get(CSRF_HEADER)):
        raise Refused("csrf_failed")
    if must_change_password(services, session) and not request.url.path.startswith("/v1/auth/"):
        raise Refused("password_change_required")
    request.state.actor = session.actor.identity
    return session.actor


Caller = Annotated[Actor, Depends(caller)]
ServicesDep = Annotated[Services, Depends(services_of)]


def client_address(request: Request) -> str:
    """The caller's address, which sign-in lock-outs and the public pages' limits count by: the peer of the
    connection, or, behind a reverse proxy named in `[auth] trusted_proxies`, the address it forwarded (uvicorn's
    proxy headers, set up by `sohoa serve` from that list and off without it, so no one else can claim one)."""
    return request.client.host if request.client else "unknown"
