"""Local staff accounts: made, disabled and reset by an administrator (`sohoa users …`, or the admin API).

Passwords are hashed with argon2id (argon2-cffi's defaults: 64 MiB, 3 passes). A new or reset account gets a random
password shown once, which its owner must change at first sign-in. A disabled account keeps its row, so the audit
log's names keep meaning, and its sessions end at once.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from context.services import Services
from domain.actor import STAFF_ROLES, Actor, Role
from service.auth_store import connect
from service.errors import InvalidRequest, NotFound
from service.permissions import require

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD = 12
_hasher = PasswordHasher()  # argon2id


@cache
def _dummy_hash() -> str:
    """Checked against when the account does not exist: the same time taken. Made on first use (hashing costs a
    fifth of a second, which every command importing this module would otherwise pay)."""
    return _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: Role
    created_at: str
    created_by: str
    disabled_at: str
    must_change: bool


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(row: tuple) -> Account:
    username, name, role, created_at, created_by, disabled_at, must_change = row
    return Account(username, name, role, created_at, created_by, disabled_at, bool(must_change))


_COLUMNS = "username, name, role, created_at, created_by, disabled_at, must_change"


def get_account(services: Services, username: str) -> Account | None:
    row = connect(services.settings.keys_dir).execute(
        f"SELECT {_COLUMNS} FROM accounts WHERE username = ?", (username,)).fetchone()
    return _row(row) if row else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest("weak_password", length=MIN_PASSWORD)


def add_user(services: Services, actor: Actor, username: str, name: str, role: str,
             password: str | None = None) -> tuple[Account, str]:
    """A new account and its first password (the one given, or a random one to hand over, changed at sign-in)."""
    require(actor, "manage_users")
    if not USERNAME.fullmatch(username):
        raise InvalidRequest("bad_username", username=username)
    if role not in STAFF_ROLES:
        raise InvalidRequest("bad_role", roles=", ".join(STAFF_ROLES))
    if not name.strip():
        raise InvalidRequest("name_required")
    chosen = password or secrets.token_urlsafe(12)
    _check_password(chosen)
    conn = connect(services.settings.keys_dir)
    try:
        conn.execute("INSERT INTO accounts (username, name, role, password_hash, created_at, created_by, must_change) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", (username, name.strip(), role, _hasher.hash(chosen), _now(),
                                                       actor.identity, int(password is None)))
    except Exception as e:
        if "UNIQUE" in str(e):
            raise InvalidRequest("user_exists", username=username) from e
        raise
    services.log(actor, "user.add", None, "Tạo tài khoản", username=username, role=role)
    account = get_account(services, username)
    assert account is not None
    return account, chosen


def _existing(services: Services, username: str) -> Account:
    account = get_account(services, username)
    if account is None:
        raise NotFound("no_user", username=username)
    return account


def _end_sessions(services: Services, username: str) -> None:
    connect(services.settings.keys_dir).execute("DELETE FROM sessions WHERE identity = ? AND source = 'local'",
                                                (username,))


def disable_user(services: Services, actor: Actor, username: str) -> Account:
    require(actor, "manage_users")
    _existing(services, username)
    connect(services.settings.keys_dir).execute(
        "UPDATE accounts SET disabled_at = ? WHERE username = ? AND disabled_at = ''", (_now(), username))
    _end_sessions(services, username)
    services.log(actor, "user.disable", None, "Khóa tài khoản", username=username)
    return _existing(services, username)


def reset_user(services: Services, actor: Actor, username: str) -> str:
    """A new random password (to hand over; changed at the next sign-in); lifts the disable and any lock-out."""
    require(actor, "manage_users")
    _existing(services, username)
    password = secrets.token_urlsafe(12)
    conn = connect(services.settings.keys_dir)
    conn.execute("UPDATE accounts SET password_hash = ?, must_change = 1, disabled_at = '' WHERE username = ?",
                 (_hasher.hash(password), username))
    conn.execute("DELETE FROM signin_failures WHERE username = ?", (username,))
    _end_sessions(services, username)
    services.log(actor, "user.reset", None, "Đặt lại mật khẩu", username=username)
    return password


def unlock_user(services: Services, actor: Actor, username: str) -> None:
    """Lift a lock-out now (from every address), keeping the password: the person locked out by someone else's
    guesses signs in again without a new password to hand over."""
    require(actor, "manage_users")
    _existing(services, username)
    connect(services.settings.keys_dir).execute("DELETE FROM signin_failures WHERE username = ?", (username,))
    services.log(actor, "user.unlock", None, "Mở khóa đăng nhập", username=username)


def list_users(services: Services, actor: Actor) -> list[Account]:
    require(actor, "manage_users")
    rows = connect(services.settings.keys_dir).execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY username")
    return [_row(r) for r in rows]


def check_local_password(services: Services, username: str, password: str) -> Account | None:
    """The account when the password is right and the account enabled; None otherwise (in the same time whether or
    not the account exists, so timing does not tell which usernames exist)."""
    row = connect(services.settings.keys_dir).execute(
        "SELECT password_hash, disabled_at FROM accounts WHERE username = ?", (username,)).fetchone()
    stored, disabled = (row[0], row[1]) if row else (_dummy_hash(), "x")
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not row or disabled:
        return None
    if _hasher.check_needs_rehash(stored):
        connect(services.settings.keys_dir).execute("UPDATE accounts SET password_hash = ? WHERE username = ?",
                                                    (_hasher.hash(password), username))
    return get_account(services, username)


def change_password(services: Services, actor: Actor, old: str, new: str, *, keep_session_csrf: str = "") -> None:
    """The account's owner sets their own password (required after a reset). Every other session of the account
    ends (a password changed because it leaked must shut out whoever used it); the one making the change, named by
    its CSRF token, goes on."""
    if check_local_password(services, actor.identity, old) is None:
        raise InvalidRequest("wrong_password")
    _check_password(new)
    if new == old:
        raise InvalidRequest("same_password")
    conn = connect(services.settings.keys_dir)
    conn.execute("UPDATE accounts SET password_hash = ?, must_change = 0 WHERE username = ?",
                 (_hasher.hash(new), actor.identity))
    conn.execute(
        "DELETE FROM sessions WHERE identity = ? AND source = 'local' AND csrf != ?",
        (actor.identity, keep_session_csrf))
    services.log(actor, "user.password", None, "Đổi mật khẩu")
