"""Index writes that failed after the archive write succeeded, kept in the data directory until they go through.

One small JSON file per failed write, written by rename, so a crash never leaves half an entry. The newest action
for a record wins: a record disposed of after a failed upsert is queued for removal only.
`sohoa reindex --pending` (indexer.rebuild.drain) replays them.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Action = Literal["upsert", "remove"]
_SAFE = re.compile(r"^[A-Za-z0-9.\-]+$")


@dataclass(frozen=True)
class Pending:
    result_code: str
    content_hash: str
    action: Action
    reason: str
    queued_at: str
    sequence: int  # nanoseconds when queued: orders entries for one record


class Outbox:
    """Each entry is its own file <result code>~<sequence>.json; nothing is ever rewritten in place."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def add(self, result_code: str, content_hash: str, action: Action, reason: str) -> Pending:
        if not _SAFE.match(result_code):
            raise ValueError(f"not a result code: {result_code!r}")
        entry = Pending(result_code, content_hash, action, reason, datetime.now(UTC).isoformat(), time.time_ns())
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{result_code}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(json.dumps(asdict(entry), ensure_ascii=False))
        os.replace(tmp, self.folder / f"{result_code}~{entry.sequence}.json")
        return entry

    def _files(self) -> dict[str, list[tuple[int, Path]]]:
        by_code: dict[str, list[tuple[int, Path]]] = {}
        if self.folder.is_dir():
            for path in self.folder.glob("*~*.json"):
                code, _, seq = path.stem.rpartition("~")
                by_code.setdefault(code, []).append((int(seq), path))
        return by_code

    def pending(self) -> list[Pending]:
        """The newest entry of each record, oldest record first."""
        entries = []
        for files in self._files().values():
            try:
                entries.append(Pending(**json.loads(max(files)[1].read_text())))
            except FileNotFoundError:  # done by another process meanwhile
                continue
        return sorted(entries, key=lambda e: e.sequence)

    def done(self, entry: Pending) -> None:
        """Remove this entry and older ones for the record; one queued meanwhile stays."""
        for seq, path in self._files().get(entry.result_code, []):
            if seq <= entry.sequence:
                path.unlink(missing_ok=True)

    def __len__(self) -> int:
        return len(self._files())
