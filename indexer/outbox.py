"""Index writes that failed after the archive write succeeded, kept in the archive's object store until they go
through.

The outbox lives beside the records (keys `outbox/<result code>~<sequence>.json`), not on the disk of the machine
that queued the write: when workers on several machines share one archive, any of them (or `sohoa reindex
--pending` anywhere) replays what a machine that has since died could not index. Each entry is written once
(a conditional write) and removed once replayed; nothing is rewritten in place. The newest action for a record wins:
a record disposed of after a failed upsert is queued for removal only.
"""

from __future__ import annotations

import json
import re
import threading
import time
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from archive.objects import ArchiveError, ObjectExists, ObjectStore

Action = Literal["upsert", "remove"]
PREFIX = "outbox/"
_SAFE = re.compile(r"^[A-Za-z0-9.\-]+$")
COUNT_CACHE_S = 2.0  # every lookup reports how many writes wait: one listing per two seconds is enough for that


@dataclass(frozen=True)
class Pending:
    result_code: str
    content_hash: str
    action: Action
    reason: str
    queued_at: str
    sequence: int  # nanoseconds when queued: orders entries for one record


def _key(result_code: str, sequence: int) -> str:
    return f"{PREFIX}{result_code}~{sequence:020d}.json"


class Outbox:
    """Entries in the object store; `legacy_folder`, the per-machine folder of earlier versions, is moved in once."""

    def __init__(self, objects: ObjectStore, legacy_folder: Path | None = None) -> None:
        self.objects = objects
        self._count: tuple[float, int] | None = None
        self._lock = threading.Lock()
        if legacy_folder is not None:
            self._move_in(legacy_folder)

    def add(self, result_code: str, content_hash: str, action: Action, reason: str) -> Pending:
        if not _SAFE.match(result_code):
            raise ValueError(f"not a result code: {result_code!r}")
        while True:
            entry = Pending(result_code, content_hash, action, reason, datetime.now(UTC).isoformat(), time.time_ns())
            try:
                self._put(entry)
            except ObjectExists:  # the same record queued in the same nanosecond elsewhere: a later sequence
                continue
            self._count = None
            return entry

    def _put(self, entry: Pending) -> None:
        body = json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8")
        self.objects.put(_key(entry.result_code, entry.sequence), body, {"role": "index-outbox"},
                         content_type="application/json")

    def _entries(self) -> dict[str, list[tuple[int, str]]]:
        by_code: dict[str, list[tuple[int, str]]] = {}
        for key in self.objects.keys(PREFIX):
            code, _, seq = key[len(PREFIX):].removesuffix(".json").rpartition("~")
            if code and seq.isdigit():
                by_code.setdefault(code, []).append((int(seq), key))
        return by_code

    def pending(self) -> list[Pending]:
        """The newest entry of each record, oldest record first."""
        entries = []
        for keys in self._entries().values():
            try:
                entries.append(Pending(**json.loads(self.objects.get(max(keys)[1]))))
            except KeyError:  # replayed by another process meanwhile
                continue
        return sorted(entries, key=lambda e: e.sequence)

    def done(self, entry: Pending) -> None:
        """Remove this entry and older ones for the record; one queued meanwhile stays."""
        for seq, key in self._entries().get(entry.result_code, []):
            if seq <= entry.sequence:
                with suppress(KeyError):  # replayed by another process meanwhile
                    self.objects.delete(key)
        self._count = None

    def __len__(self) -> int:
        """Records waiting for the index (counted again at most every COUNT_CACHE_S seconds)."""
        with self._lock:
            now = time.monotonic()
            if self._count is None or now - self._count[0] > COUNT_CACHE_S:
                self._count = (now, len(self._entries()))
            return self._count[1]

    def _move_in(self, folder: Path) -> None:
        """Entries an earlier version left in `<data-dir>/outbox` go into the store, then leave the disk."""
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*~*.json")):
            try:
                entry = Pending(**json.loads(path.read_text(encoding="utf-8")))
                with suppress(ObjectExists):  # moved by another process already
                    self._put(entry)
                path.unlink()
            except (OSError, ValueError, TypeError, ArchiveError):
                continue  # left where it is; moved on a later start
