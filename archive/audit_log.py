"""The audit log: who wrote, read, looked up, disclosed, held or disposed of what, and why (NĐ 13/2023).

Events are chained: each carries the SHA-256 of the one before it and its own hash over its content, so changing,
removing or reordering any event breaks the chain at that point. The log lives in the archive itself, as segments
(audit/<first seq>.jsonl) written once under the retention class of the audit log. Appending is a conditional write
of the next segment: two writers racing for the same segment number cannot both win, and the loser re-chains
onto the winner's segment, so the log stays one chain whatever the number of processes.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from archive.objects import Lock, ObjectExists, ObjectStore

PREFIX = "audit/"
GENESIS = "0" * 64
MAX_ATTEMPTS = 1000


def event_hash(event: dict[str, Any]) -> str:
    body = {k: v for k, v in event.items() if k != "hash"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def segment_key(first_seq: int) -> str:
    return f"{PREFIX}{first_seq:012d}.jsonl"


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: str  # hash of the last good event: keep it elsewhere to detect a cut-off tail
    position: int | None = None  # 1-based position of the first event that breaks the chain
    reason: str = ""


def verify_events(lines: Iterable[str]) -> Verification:
    """Check a stream of events (JSON lines, oldest first): hashes, sequence numbers and links."""
    prev, count = GENESIS, 0
    for position, line in enumerate((ln for ln in lines if ln.strip()), 1):
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            return Verification(False, count, prev, position, "dòng không phải JSON")
        if not isinstance(event, dict):
            return Verification(False, count, prev, position, "dòng không phải một sự kiện")
        if event.get("hash") != event_hash(event):
            return Verification(False, count, prev, position, "nội dung sự kiện đã bị sửa (hash không khớp)")
        if event.get("seq") != position:
            return Verification(False, count, prev, position,
                                f"số thứ tự {event.get('seq')} thay vì {position}: sự kiện bị xóa hoặc đảo thứ tự")
        if event.get("prev") != prev:
            return Verification(False, count, prev, position, "không nối với sự kiện trước (chuỗi bị cắt)")
        prev, count = event["hash"], count + 1
    return Verification(True, count, prev)


WRITE = "record.write"


def manifest_attestations(lines: Iterable[str]) -> dict[tuple[str, int], set[str]]:
    """(content hash, version) -> the SHA-256 of each manifest a `record.write` event announced for it."""
    attested: dict[tuple[str, int], set[str]] = {}
    for line in lines:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(event, dict) or event.get("action") != WRITE or not isinstance(event.get("details"), dict):
            continue  # a line that is no event (the chain check names it) vouches for nothing
        details = event["details"]
        digest, content_hash, version = (details.get(k) for k in ("manifest_sha256", "content_hash", "version"))
        if isinstance(digest, str) and isinstance(content_hash, str) and isinstance(version, int):
            attested.setdefault((content_hash, version), set()).add(digest)
    return attested


class AuditLog:
    def __init__(self, objects: ObjectStore, lock: Callable[[], Lock],
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.objects = objects
        self._lock_for_segment = lock
        self._now = now
        self._mutex = threading.Lock()
        self._head: tuple[str, int, str] | None = None  # last segment key, last seq, last hash (a cache)

    def _refresh_head(self) -> tuple[str, int, str]:
        """The log's last segment, last sequence number and last hash. The first time, from a listing; after that,
        by reading forward from the known head (the next segment starts at the next sequence number), so catching
        up with another writer costs the segments it wrote, not a listing of the whole log."""
        if self._head is None:
            key, seq, digest = "", 0, GENESIS
            for newer in self.objects.keys(PREFIX):
                key, seq, digest = self._last_of(newer) or (key, seq, digest)
        else:
            key, seq, digest = self._head
            while True:
                try:
                    found = self._last_of(segment_key(seq + 1))
                except KeyError:
                    break
                if found is None:
                    break
                key, seq, digest = found
        self._head = (key, seq, digest)
        return self._head

    def _last_of(self, key: str) -> tuple[str, int, str] | None:
        events = [json.loads(line) for line in self.objects.get(key).decode("utf-8").splitlines() if line]
        return (key, int(events[-1]["seq"]), str(events[-1]["hash"])) if events else None

    def append(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Write entries (actor, action, record, purpose, details) as one new segment; returns the chained events."""
        if not entries:
            return []
        with self._mutex:
            for attempt in range(MAX_ATTEMPTS):
                # The head this process last wrote or read is tried first without listing the log (a listing grows
                # with the log; a lookup service appends an event per call). If another writer got there first, the
                # conditional write fails and the head is read again: segments are never removed, so a free next
                # key means nobody wrote after this head.
                _, seq, prev = self._head if attempt == 0 and self._head else self._refresh_head()
                events = []
                for entry in entries:
                    seq += 1
                    event = {"seq": seq, "time": self._now().astimezone().isoformat(timespec="seconds"),
                             "actor": entry["actor"], "action": entry["action"], "record": entry.get("record"),
                             "purpose": entry.get("purpose", ""), "details": entry.get("details", {}),
                             "prev": prev}
                    event["hash"] = prev = event_hash(event)
                    events.append(event)
                body = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in events)
                key = segment_key(events[0]["seq"])
                try:
                    self.objects.put(key, body.encode("utf-8"), {"role": "audit-segment"}, self._lock_for_segment(),
                                     "application/x-ndjson")
                except ObjectExists:
                    continue  # another process appended first: chain onto its segment
                self._head = (key, seq, prev)
                return events
        raise RuntimeError("could not append to the audit log: too many concurrent writers")

    def record(self, actor: str, action: str, record: str | None = None, purpose: str = "",
               **details: Any) -> dict[str, Any]:
        return self.append([{"actor": actor, "action": action, "record": record, "purpose": purpose,
                             "details": details}])[0]

    def lines(self) -> Iterator[str]:
        """Every event as a JSON line, oldest first."""
        for key in self.objects.keys(PREFIX):
            yield from self.objects.get(key).decode("utf-8").splitlines()

    def attestations(self) -> dict[tuple[str, int], set[str]]:
        """What the log says each record version's manifest hashes to (see manifest_attestations)."""
        return manifest_attestations(self.lines())

    def verify(self) -> Verification:
        """Check the whole log as stored, including that each segment sits under its first event's number."""
        result = verify_events(self.lines())
        if not result.ok:
            return result
        for key in self.objects.keys(PREFIX):
            lines = self.objects.get(key).decode("utf-8").splitlines()
            first = json.loads(lines[0]) if lines else {"seq": -1}
            if key != segment_key(int(first["seq"])):
                return Verification(False, result.events, result.head, int(first["seq"]),
                                    f"đoạn nhật ký {key} không khớp số thứ tự sự kiện đầu")
        return result
