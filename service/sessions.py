"""Signed-in sessions of people: a random token (in a cookie for the portal, or sent as a bearer token by a
program), its CSRF token, an absolute expiry and an idle timeout. Only the token's SHA-256 is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from context.services import Services
from domain.actor import ROLES, Actor
from service.auth_settings import AuthSettings
from service.auth_store import connect

TOKEN_PREFIX = "sess_"
TOUCH_EVERY_S = 30  # last_seen is written at most this often: a busy clerk's calls are not each a write


@dataclass(frozen=True)
class Session:
    actor: Actor
    source: str  # local, ldap, oidc
    csrf: str
    expires: float  # epoch seconds

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(self.csrf, presented or "")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(services: Services, auth: AuthSettings, actor: Actor, source: str) -> tuple[str, Session]:
    """A new session for a person who has just proved who they are; the token is returned this once."""
    token, csrf, now = TOKEN_PREFIX + secrets.token_urlsafe(32), secrets.token_urlsafe(24), time.time()
    expires = now + auth.session_seconds
    conn = connect(services.settings.keys_dir)
    conn.execute("DELETE FROM sessions WHERE expires < ? OR last_seen < ?", (now, now - auth.idle_seconds))
    conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (_digest(token), actor.identity, actor.role, actor.name, actor.personal_number, source, csrf, now,
                  expires, now))
    return token, Session(actor, source, csrf, expires)


def session_for(services: Services, auth: AuthSettings, token: str) -> Session | None:
    """The live session a token opens; None when unknown, expired or idle too long (it is then removed)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    conn = connect(services.settings.keys_dir)
    key = _digest(token)
    row = conn.execute("SELECT identity, role, name, personal_number, source, csrf, expires, last_seen FROM sessions "
                       "WHERE token_sha256 = ?", (key,)).fetchone()
    if row is None:
        return None
    identity, role, name, personal_number, source, csrf, expires, last_seen = row
    now = time.time()
    if now >= expires or now - last_seen > auth.idle_seconds:
        conn.execute("DELETE FROM sessions WHERE token_sha256 = ?", (key,))
        return None
    if now - last_seen > TOUCH_EVERY_S:
        conn.execute("UPDATE sessions SET last_seen = ? WHERE token_sha256 = ?", (now, key))
    chosen = next(r for r in ROLES if r == role)
    return Session(Actor(identity, chosen, name, personal_number), source, csrf, expires)


def end_session(services: Services, token: str) -> None:
    connect(services.settings.keys_dir).execute("DELETE FROM sessions WHERE token_sha256 = ?", (_digest(token),))
