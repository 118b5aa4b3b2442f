"""Signing people in: a login and password (a local account, else the province's LDAP directory) or single sign-on;
wrong passwords counted per login, with a lock-out; every sign-in and every refusal an audit event.

The refusal never says whether the login exists: a wrong password and an unknown login read the same.
"""

from __future__ import annotations

import time

from context.services import Services
from domain.actor import Actor
from service.accounts import check_local_password, get_account
from service.auth_settings import AuthSettings, auth_settings
from service.auth_store import connect
from service.errors import NotAuthenticated, TooMany
from service.ldap_login import ldap_actor
from service.sessions import Session, open_session


def _claim_attempt(services: Services, auth: AuthSettings, username: str, source: str) -> tuple[int, str, float]:
    """Seconds until this login may try again from this address, and the refusal's code (0, "": it may now, and
    this attempt is already counted as a failure, stamped with the time returned).

    The counts and the claim are one transaction, taken before the password is checked: forty logins sent at once
    are not all checked against a count none of them has raised yet. A right password then clears its count."""
    conn = connect(services.settings.keys_dir)
    now = time.time()
    since = now - auth.lockout_seconds
    conn.execute("BEGIN IMMEDIATE")
    try:
        for code, where, args, limit in (
                ("account_locked", "username = ? AND source = ?", (username, source), auth.max_failures),
                ("source_locked", "source = ?", (source,), auth.max_failures_per_source),
                ("account_locked", "username = ?", (username,), auth.max_failures_per_account)):
            query = f"SELECT at FROM signin_failures WHERE {where} AND at > ? ORDER BY at"
            times = [at for (at,) in conn.execute(query, (*args, since))]
            if len(times) >= limit:
                return max(1, int(times[-limit] + auth.lockout_seconds - now) + 1), code, now
        conn.execute("DELETE FROM signin_failures WHERE username = ? AND at <= ?", (username, since))  # spent
        conn.execute("INSERT INTO signin_failures VALUES (?, ?, ?)", (username, source, now))
        return 0, "", now
    finally:
        conn.execute("COMMIT")


def password_sign_in(services: Services, username: str, password: str, *, source: str = "local",
                     auth: AuthSettings | None = None) -> tuple[str, Session]:
    """A session for a right login and password; NotAuthenticated for a wrong one, TooMany while locked out.
    `source`: the caller's address, which the lock-outs count by."""
    auth = auth or auth_settings(services)
    login = username.strip().lower()
    wait, code, claimed = _claim_attempt(services, auth, login, source)
    if wait:
        services.audit.record(login or "?", "signin.refused", None, "Đăng nhập", reason="locked out", address=source,
                              lock=code)
        minutes = max(1, round(wait / 60))
        # `code` is one of these two: spelled out, each is a code the catalogue test sees raised
        raise TooMany("source_locked" if code == "source_locked" else "account_locked", retry_after_s=wait,
                      minutes=minutes)
    actor: Actor | None = None
    kind, why = "local", "wrong password"
    conn = connect(services.settings.keys_dir)
    try:
        account = get_account(services, login)
        if account is not None or auth.ldap is None:
            found = check_local_password(services, login, password)
            if found is not None:
                actor = Actor(found.username, found.role, found.name)
            elif account is not None and account.disabled_at:
                why = "account disabled"
        else:
            kind = "ldap"
            actor, why = ldap_actor(auth.ldap, login, password)
    except Exception:  # the directory could not answer: no password was judged wrong
        conn.execute("DELETE FROM signin_failures WHERE username = ? AND source = ? AND at = ?",
                     (login, source, claimed))
        raise
    if actor is None:  # the failure was counted when the attempt was claimed
        services.audit.record(login or "?", "signin.refused", None, "Đăng nhập", source=kind, reason=why,
                              address=source)
        raise NotAuthenticated("wrong_credentials")
    conn.execute("DELETE FROM signin_failures WHERE username = ? AND source = ?", (login, source))
    token, session = open_session(services, auth, actor, kind)
    services.log(actor, "signin", None, "Đăng nhập", source=kind, address=source)
    return token, session


def must_change_password(services: Services, session: Session) -> bool:
    if session.source != "local":
        return False
    account = get_account(services, session.actor.identity)
    return bool(account and account.must_change)
