"""Who may read which record, beyond what their role allows:

- a citizen reaches only records naming their own personal number; any other record is "not found", the same answer
  as for a code that does not exist, so guessing result codes tells them nothing;
- a clerk gets signed copies only of documents that one of their own lookups returned, for `copy_grant_hours`;
- lookups of personal data are limited per account and per API client per minute, so the API cannot be used to walk
  through citizens' numbers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from domain.actor import Actor
from domain.records import Manifest
from pipeline.services import Services
from service.auth_settings import auth_settings
from service.auth_store import connect
from service.errors import NotFound, Refused, TooMany

UNLIMITED = ("console", "system")  # a shell on the archive machine, and scheduled flows
clock = time.time  # what the rate limits count by (a test holds it still)


def not_found(result_code: str) -> NotFound:
    return NotFound("no_record", f"Không có hồ sơ với mã kết quả {result_code}")


def names_citizen(manifest: Manifest, actor: Actor) -> bool:
    return any(p.personal_number == actor.personal_number for p in manifest.persons)


def check_reach(actor: Actor, manifest: Manifest, asked: str) -> None:
    """Refuse a citizen any record that does not name them, as if it did not exist: the answer repeats what they
    asked (a dossier code, a hash), never the record's own code."""
    if actor.role == "citizen" and not names_citizen(manifest, actor):
        raise not_found(asked)


def count_lookup(services: Services, actor: Actor) -> None:
    """One more read of personal data by this actor (a lookup, a verification, a record's public page); TooMany past
    their limit over the last minute (`[auth] lookups_per_minute`, `client_lookups_per_minute` for API clients).

    A sliding window estimated from two fixed minutes (this one's count, and the last one's weighted by how much of
    it still lies within the past 60 seconds): one row per actor and minute, so the check costs the same at ten
    lookups a minute as at ten thousand. Kept in the sign-in database, so every server process on the machine
    (`sohoa serve --workers N`) shares one allowance."""
    if actor.role in UNLIMITED:
        return
    auth = auth_settings(services)
    limit = auth.client_lookups_per_minute if actor.identity.startswith("client:") else auth.lookups_per_minute
    now = clock()
    minute, into = int(now // 60), (now % 60) / 60
    conn = connect(services.settings.keys_dir)
    conn.execute("BEGIN IMMEDIATE")  # the count and the increment as one step among concurrent processes
    try:
        counts = dict(conn.execute("SELECT minute, count FROM lookup_counts WHERE identity = ? AND minute >= ?",
                                   (actor.identity, minute - 1)).fetchall())
        if counts.get(minute - 1, 0) * (1 - into) + counts.get(minute, 0) >= limit:
            wait = int(60 - now % 60) + 1
            raise TooMany("rate_limited", f"Đã tra cứu {limit} lần trong một phút, giới hạn của tài khoản này; thử "
                          f"lại sau {wait} giây.", wait)
        conn.execute("INSERT INTO lookup_counts VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET count = count + 1",
                     (actor.identity, minute))
        conn.execute("DELETE FROM lookup_counts WHERE identity = ? AND minute < ?", (actor.identity, minute - 1))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def grant_copies(services: Services, actor: Actor, result_codes: Iterable[str], seconds: int) -> None:
    """Let this clerk fetch signed copies of what their lookup just returned."""
    if actor.role != "clerk":
        return
    until = time.time() + seconds
    connect(services.settings.keys_dir).executemany(
        "INSERT INTO copy_grants VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET until = excluded.until",
        [(actor.identity, code, until) for code in result_codes])


def check_copy_grant(services: Services, actor: Actor, result_code: str) -> None:
    if actor.role != "clerk":
        return
    row = connect(services.settings.keys_dir).execute(
        "SELECT until FROM copy_grants WHERE identity = ? AND result_code = ?",
        (actor.identity, result_code)).fetchone()
    if row is None or row[0] < time.time():
        raise Refused("not_looked_up", f"Tài khoản {actor.identity} chỉ lấy được bản sao của giấy tờ mà lượt tra "
                      "cứu của chính mình đã trả về trong ngày làm việc; hãy tra cứu công dân trước.")
