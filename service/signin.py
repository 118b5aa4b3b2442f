"""Signing people in: a login and password (a local account, else the province's LDAP directory) or single sign-on;
wrong passwords counted per login, with a lock-out; every sign-in and every refusal an audit event.

The refusal never says whether the login exists: a wrong password and an unknown login read the same.
"""

from __future__ import annotations

import time

from domain.actor import Actor
from pipeline.services import Services
from service.accounts import check_local_password, get_account
from service.auth_settings import AuthSettings, auth_settings
from service.auth_store import connect
from service.errors import NotAuthenticated, TooMany
from service.ldap_login import ldap_actor
from service.sessions import Session, open_session

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def _claim_attempt(services: Services, auth: AuthSettings, username: str) -> tuple[int, float]:
    """Seconds until this login may try again (0: it may now, and this attempt is already counted as a failure,
    stamped with the time returned).

    The count and the claim are one transaction, taken before the password is checked: forty logins sent at once
    are not all checked against a count none of them has raised yet. A right password then clears the count."""
    conn = connect(services.settings.keys_dir)
    now = time.time()
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = [at for (at,) in conn.execute("SELECT at FROM failures WHERE username = ? AND at > ? ORDER BY at",
                                             (username, now - auth.lockout_seconds))]
        if len(rows) >= auth.max_failures:
            return max(1, int(rows[-auth.max_failures] + auth.lockout_seconds - now) + 1), now
        conn.execute("INSERT INTO failures VALUES (?, ?)", (username, now))
        return 0, now
    finally:
        conn.execute("COMMIT")


def password_sign_in(services: Services, username: str, password: str, *,
                     auth: AuthSettings | None = None) -> tuple[str, Session]:
    """A session for a right login and password; NotAuthenticated for a wrong one, TooMany while locked out."""
    auth = auth or auth_settings(services)
    login = username.strip().lower()
    wait, claimed = _claim_attempt(services, auth, login)
    if wait:
        services.audit.record(login or "?", "signin.refused", None, "Đăng nhập", reason="locked out")
        raise TooMany("account_locked", f"Tài khoản tạm khóa do nhập sai mật khẩu {auth.max_failures} lần; thử lại "
                      f"sau {max(1, round(wait / 60))} phút hoặc nhờ quản trị viên đặt lại mật khẩu.", wait)
    actor: Actor | None = None
    source, why = "local", "wrong password"
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
            source = "ldap"
            actor, why = ldap_actor(auth.ldap, login, password)
    except Exception:  # the directory could not answer: no password was judged wrong
        conn.execute("DELETE FROM failures WHERE username = ? AND at = ?", (login, claimed))
        raise
    if actor is None:  # the failure was counted when the attempt was claimed
        services.audit.record(login or "?", "signin.refused", None, "Đăng nhập", source=source, reason=why)
        raise NotAuthenticated("wrong_credentials", WRONG)
    conn.execute("DELETE FROM failures WHERE username = ?", (login,))
    token, session = open_session(services, auth, actor, source)
    services.log(actor, "signin", None, "Đăng nhập", source=source)
    return token, session


def must_change_password(services: Services, session: Session) -> bool:
    if session.source != "local":
        return False
    account = get_account(services, session.actor.identity)
    return bool(account and account.must_change)
