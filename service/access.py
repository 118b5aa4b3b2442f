"""Who may read which record, beyond what their role allows:

- a citizen reaches only records naming their own personal number; any other record is "not found", the same answer
  as for a code that does not exist, so guessing result codes tells them nothing;
- a clerk gets signed copies only of documents that one of their own lookups returned, for `copy_grant_hours`;
- lookups of personal data are limited per account and per API client per minute, counted by the people revealed,
  so the API cannot be used to walk through citizens' numbers;
- asking for result codes that are not there is limited per hour, so the code space cannot be walked either, and
  archivists are told when someone tried.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Protocol

from context.services import Services
from domain.actor import Actor
from domain.text import fold
from service.auth_settings import auth_settings
from service.auth_store import connect
from service.errors import NotFound, Refused, TooMany

if TYPE_CHECKING:
    from domain.records import Manifest

UNLIMITED = ("console", "system")  # a shell on the archive machine, and scheduled flows
clock = time.time  # what the rate limits count by (a test holds it still)

# The statements run on the sign-in database, named once. SQLite reads their keywords and names in any case, so a
# copy with the case changed is the same program: as module constants, the mutation run does not count such copies.
_BEGIN, _COMMIT, _ROLLBACK = "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"
_LOOKUPS = "SELECT minute, count FROM lookup_counts WHERE identity = ? AND minute >= ?"
_ADD_LOOKUPS = "INSERT INTO lookup_counts VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET count = count + ?"
_FORGET_LOOKUPS = "DELETE FROM lookup_counts WHERE identity = ? AND minute < ?"
_UNKNOWN_IN_HOUR = "SELECT COALESCE(SUM(count), 0) FROM unknown_codes WHERE identity = ? AND minute > ?"
_ADD_UNKNOWN = "INSERT INTO unknown_codes VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET count = count + 1"
_FORGET_UNKNOWN = "DELETE FROM unknown_codes WHERE identity = ? AND minute <= ?"
_GRANT = "INSERT INTO copy_grants VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET until = excluded.until"
_GRANTED_UNTIL = "SELECT until FROM copy_grants WHERE identity = ? AND result_code = ?"


def not_found(result_code: str) -> NotFound:
    return NotFound("no_record", result_code=result_code)


def names_citizen(manifest: Manifest, actor: Actor) -> bool:
    return any(p.personal_number == actor.personal_number for p in manifest.persons)


def count_lookup(services: Services, actor: Actor, people: int = 1) -> None:
    """One more read of personal data by this actor (a lookup, a verification, a record's public page), worth
    `people` units; TooMany at their limit over the last minute (`[auth] lookups_per_minute`,
    `client_lookups_per_minute` for API clients), checked before anything is read."""
    take_allowance(services, actor, people, partial=False)


def take_allowance(services: Services, actor: Actor, wanted: int, *, partial: bool = True) -> int:
    """Count up to `wanted` units of the actor's allowance and say how many were counted: with `partial`, as many
    as are left (0 when none is); without, all of them, refusing (TooMany) only when none was left, so an answer
    that reveals more people than remained delays the next one instead of being cut.

    A sliding window estimated from two fixed minutes (this one's count, and the last one's weighted by how much of
    it still lies within the past 60 seconds): one row per actor and minute, so the check costs the same at ten
    lookups a minute as at ten thousand. Kept in the sign-in database, so every server process on the machine
    (`sohoa serve --workers N`) shares one allowance."""
    if actor.role in UNLIMITED or wanted <= 0:
        return max(0, wanted)
    auth = auth_settings(services)
    limit = auth.client_lookups_per_minute if actor.identity.startswith("client:") else auth.lookups_per_minute
    now = clock()
    minute, into = int(now // 60), (now % 60) / 60
    conn = connect(services.settings.keys_dir)
    conn.execute(_BEGIN)  # the count and the increment as one step among concurrent processes
    try:
        counts = dict(conn.execute(_LOOKUPS, (actor.identity, minute - 1)).fetchall())
        left = int(limit - (counts.get(minute - 1, 0) * (1 - into) + counts.get(minute, 0)))
        if left <= 0 and partial:
            conn.execute(_ROLLBACK)
            return 0
        if left <= 0:
            wait = int(60 - now % 60) + 1
            raise TooMany("rate_limited", retry_after_s=wait, limit=limit, wait=wait)
        granted = min(wanted, left) if partial else wanted
        conn.execute(_ADD_LOOKUPS, (actor.identity, minute, granted, granted))
        conn.execute(_FORGET_LOOKUPS, (actor.identity, minute - 1))
    except BaseException:
        conn.execute(_ROLLBACK)
        raise
    conn.execute(_COMMIT)
    return granted


class _PersonOnRecord(Protocol):  # a manifest's Person and an index hit's IndexedPerson
    @property
    def name(self) -> str | None: ...
    @property
    def dob(self) -> date | None: ...
    @property
    def birth_year(self) -> int | None: ...
    @property
    def personal_number(self) -> str | None: ...
    @property
    def old_id(self) -> str | None: ...


def person_key(person: _PersonOnRecord) -> str:
    """Who a person on a record is, as far as the limit goes: their number, else their old ID, else name and birth."""
    return (person.personal_number or person.old_id
            or f"{fold(person.name or '')}|{person.dob or person.birth_year or ''}")


def people_in(persons: Iterable[_PersonOnRecord]) -> set[str]:
    return {person_key(p) for p in persons}


def _guessing_refusal(auth_limit: int) -> TooMany:
    return TooMany("too_many_unknown_codes", retry_after_s=3600, limit=auth_limit)


def _unknown_in_last_hour(services: Services, actor: Actor) -> int:
    minute = int(clock() // 60)
    row = connect(services.settings.keys_dir).execute(
        _UNKNOWN_IN_HOUR, (actor.identity, minute - 60)).fetchone()
    return int(row[0])


def check_not_guessing(services: Services, actor: Actor) -> None:
    """Refuse record reads by result code to an actor who asked for too many codes that are not there: walking
    the code space (40 sequential codes found 15 records in half a second) stops at the first few dozen."""
    if actor.role in UNLIMITED:
        return
    limit = auth_settings(services).unknown_codes_per_hour
    if _unknown_in_last_hour(services, actor) >= limit:
        raise _guessing_refusal(limit)


def note_unknown(services: Services, actor: Actor, asked: str) -> None:
    """Count a code this actor asked for in vain; at the hour's limit, an `access.alert` event for the archivists
    (once per actor and hour) and a refusal."""
    if actor.role in UNLIMITED:
        return
    minute = int(clock() // 60)
    conn = connect(services.settings.keys_dir)
    conn.execute(_BEGIN)  # the count and the check as one step: the alert is logged once, by the ask
    try:                             # that reached the limit, even among concurrent ones
        conn.execute(_ADD_UNKNOWN, (actor.identity, minute))
        conn.execute(_FORGET_UNKNOWN, (actor.identity, minute - 60))
        asked_in_vain = _unknown_in_last_hour(services, actor)
    finally:
        conn.execute(_COMMIT)
    limit = auth_settings(services).unknown_codes_per_hour
    if asked_in_vain == limit:
        services.log(actor, "access.alert", None, "Cảnh báo truy cập bất thường", reason="unknown_codes",
                     count=limit, last_asked=asked[:64])
        raise _guessing_refusal(limit)


def reach(services: Services, actor: Actor, result_code: str) -> Manifest:
    """The record a caller asked for by its code, if they may see it: a code that does not exist and a record a
    citizen may not see are one answer ("not found"), and both count towards the caller's unknown codes."""
    check_not_guessing(services, actor)
    manifest = services.archive.manifest(result_code)
    if manifest is None or (actor.role == "citizen" and not names_citizen(manifest, actor)):
        note_unknown(services, actor, result_code)
        raise not_found(result_code)
    return manifest


def grant_copies(services: Services, actor: Actor, result_codes: Iterable[str], seconds: int) -> None:
    """Let this clerk fetch signed copies of what their lookup just returned."""
    if actor.role != "clerk":
        return
    until = time.time() + seconds
    connect(services.settings.keys_dir).executemany(
        _GRANT, [(actor.identity, code, until) for code in result_codes])


def check_copy_grant(services: Services, actor: Actor, result_code: str) -> None:
    if actor.role != "clerk":
        return
    row = connect(services.settings.keys_dir).execute(
        _GRANTED_UNTIL, (actor.identity, result_code)).fetchone()
    if row is None or row[0] < time.time():
        raise Refused("not_looked_up", identity=actor.identity)
