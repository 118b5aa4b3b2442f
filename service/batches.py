"""Ingest batches: submitted by a digitising officer (from the command line or the API), run by a runner the face
supplies (the Prefect flow in this process, or chunks taken by workers on several machines), and followed while they
run: files done of files listed, outcomes, the reasons of what went to quarantine.

A batch's state lives in the archive's object store, so that a batch run by workers on several machines is followed
from any of them: `batches/<id>.json` (what was submitted), and under `batch-results/<id>/` one object per file
done (written once: a chunk run again after a worker died records nothing twice), `started.json` and
`finished.json` (the totals, so a finished batch is read in one request).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.objects import ArchiveError, ObjectExists
from context.services import Services
from domain.actor import Actor
from pipeline.outcomes import ACCEPTED, QUARANTINED, STOPPED, DocumentResult
from service.errors import InvalidRequest, NotFound, Refused
from service.permissions import require

QUEUED, RUNNING, DONE, STOPPED_STATE, FAILED = "queued", "running", "done", "stopped", "failed"
INTERRUPTED = "interrupted"  # its process ended before it did (a restart, a crash): run the folder again
Runner = Callable[[list[Path], Callable[[DocumentResult], None]], list[DocumentResult]]
HEADERS, RESULTS = "batches/", "batch-results/"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_batch_id() -> str:
    """Sortable by submission time (the newest listed first without reading each), unique across machines."""
    return f"{datetime.now(UTC):%Y%m%d%H%M%S}{uuid.uuid4().hex[:6]}"


@dataclass
class Batch:
    id: str
    folder: str
    files: int
    submitted_by: str
    submitted_at: str
    state: str = QUEUED
    done: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    needs_review: int = 0
    needs_rescan: int = 0
    quarantined: list[dict[str, str]] = field(default_factory=list)  # file, reason (Vietnamese)
    stopped_because: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    pid: int = 0  # the process running it (0: chunks taken by workers)
    host: str = ""  # the machine of that process
    chunks: int = 0  # chunks sent to the workers' pool (0: run by one process)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def count(self, result: dict[str, Any]) -> None:
        """Add one file's result (as recorded) to the totals."""
        self.done += 1
        outcome = result["outcome"]
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        if outcome == ACCEPTED:
            self.pages += int(result.get("pages", 0))
            self.needs_review += bool(result.get("needs_review"))
            self.needs_rescan += bool(result.get("needs_rescan"))
        elif outcome == QUARANTINED:
            self.quarantined.append({"file": result["file"], "reason": result.get("reason") or ""})
        elif outcome == STOPPED and self.stopped_because is None:
            self.stopped_because = result.get("reason")


def _put_once(services: Services, key: str, body: dict[str, Any]) -> bool:
    """Write a batch object once; False when it was already written (by this run before, or another worker)."""
    try:
        services.archive.objects.put(key, json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     {"role": "batch"}, content_type="application/json")
    except ObjectExists:
        return False
    return True


def _get(services: Services, key: str) -> dict[str, Any] | None:
    try:
        value = json.loads(services.archive.objects.get(key))
    except KeyError:
        return None
    return value if isinstance(value, dict) else None


def read_header(services: Services, batch_id: str) -> Batch | None:
    """The batch as it was submitted (no progress), None for an unknown id."""
    header = _get(services, f"{HEADERS}{batch_id}.json")
    return Batch(**header) if header is not None else None


def result_body(index: int, result: DocumentResult) -> dict[str, Any]:
    return {"index": index, "file": Path(result.source).name, "outcome": result.outcome, "pages": result.pages,
            "needs_review": result.needs_review, "needs_rescan": result.needs_rescan, "reason": result.reason,
            "result_code": result.result_code,
            "seconds": round(result.seconds, 3)}


def record_result(services: Services, batch_id: str, index: int, result: DocumentResult) -> None:
    """One file of the batch is done. Recorded once: the first record of a file stands (a chunk run again after a
    worker died finds its file already archived, which is not news)."""
    _put_once(services, f"{RESULTS}{batch_id}/files/{index:07d}.json", result_body(index, result))


def mark_started(services: Services, batch_id: str) -> None:
    _put_once(services, f"{RESULTS}{batch_id}/started.json", {"at": _now(), "host": socket.gethostname(),
                                                             "pid": os.getpid()})


def recorded_results(services: Services, batch_id: str) -> list[dict[str, Any]]:
    """Every file's result recorded so far, in the batch's order."""
    found = []
    for key in services.archive.objects.keys(f"{RESULTS}{batch_id}/files/"):
        result = _get(services, key)
        if result is not None:
            found.append(result)
    return sorted(found, key=lambda r: int(r.get("index", 0)))


def results_count(services: Services, batch_id: str) -> int:
    """How many files of the batch are done (a listing, without reading them)."""
    return sum(1 for _ in services.archive.objects.keys(f"{RESULTS}{batch_id}/files/"))


def finish_batch(services: Services, batch: Batch, error: str | None = None) -> bool:
    """Write the batch's totals once; True for the caller that finished it (it also writes the audit event)."""
    fresh = Batch(**{**asdict(batch), "done": 0, "outcomes": {}, "pages": 0, "needs_review": 0, "needs_rescan": 0,
                     "quarantined": [], "stopped_because": None})
    for result in recorded_results(services, batch.id):
        fresh.count(result)
    fresh.state = FAILED if error else STOPPED_STATE if fresh.stopped_because else DONE
    fresh.started_at = fresh.started_at or (_get(services, f"{RESULTS}{batch.id}/started.json") or {}).get("at")
    fresh.finished_at, fresh.error = _now(), error
    if not _put_once(services, f"{RESULTS}{batch.id}/finished.json", fresh.as_json()):
        return False
    batch.__dict__.update(fresh.__dict__)
    services.log(Actor(batch.submitted_by, "operator"), "batch.finish", None, "Số hóa theo lô", batch=batch.id,
                 state=fresh.state, outcomes=fresh.outcomes, pages=fresh.pages)
    return True


class BatchProgress:
    """The running batch's state, kept up to date as its documents finish (called from the flow's threads)."""

    def __init__(self, services: Services, batch: Batch, scans: Iterable[Path] = ()) -> None:
        self.services, self.batch, self._lock = services, batch, threading.Lock()
        self._index = {str(path): i for i, path in enumerate(scans)}

    def started(self) -> None:
        with self._lock:
            self.batch.state, self.batch.started_at = RUNNING, _now()
            mark_started(self.services, self.batch.id)

    def advance(self, result: DocumentResult) -> None:
        with self._lock:
            index = self._index.get(result.source, len(self._index) + self.batch.done)
            self.batch.count(result_body(index, result))
            record_result(self.services, self.batch.id, index, result)

    def finished(self, error: str | None = None) -> None:
        with self._lock:
            finish_batch(self.services, self.batch, error)


def inbox_dir(services: Services) -> Path:
    """Where scans uploaded through the portal wait in a folder of their own, to be digitised as a batch."""
    return services.settings.data_dir / "inbox"


def open_batch(services: Services, actor: Actor, folder: Path, scans: Sequence[Path],
               chunks: int = 0) -> BatchProgress:
    """Record a new batch of these scans, submitted by this actor; `chunks`: how many pieces are sent to the
    workers' pool (0: this process runs it)."""
    require(actor, "submit_batch")
    batch = Batch(new_batch_id(), str(folder), len(scans), actor.identity, _now(), pid=os.getpid(),
                  host=socket.gethostname(), chunks=chunks)
    _put_once(services, f"{HEADERS}{batch.id}.json", batch.as_json())
    services.log(actor, "batch.submit", None, "Số hóa theo lô", batch=batch.id, folder=str(folder), files=len(scans),
                 chunks=chunks)
    return BatchProgress(services, batch, scans)


def run_batch(progress: BatchProgress, scans: list[Path], runner: Runner,
              on_result: Callable[[DocumentResult], None] | None = None) -> list[DocumentResult]:
    """Run the batch's scans through the runner, keeping its state up to date (and telling `on_result` too)."""
    def each(result: DocumentResult) -> None:
        progress.advance(result)
        if on_result is not None:
            on_result(result)

    progress.started()
    try:
        results = runner(scans, each)
    except Exception as e:
        progress.finished(error=f"{type(e).__name__}: {e}")
        raise
    progress.finished()
    return results


def submit_batch(services: Services, actor: Actor, folder: str, list_scans: Callable[[Path], Sequence[Path]],
                 runner: Runner) -> Batch:
    """Start digitising a folder on the server in the background; returns at once with the batch to follow."""
    require(actor, "submit_batch")  # before the folder is looked at: whether it exists is no one else's business
    path = Path(folder)
    if not path.is_absolute():
        raise InvalidRequest("no_folder", folder=folder)
    inbox = inbox_dir(services).resolve()
    where = path.resolve()  # links followed: a link inside a root to a folder outside is outside
    if not any(where == root or root in where.parents for root in (*services.settings.scan_roots, inbox)):
        roots = ", ".join(map(str, services.settings.scan_roots)) or "chưa cấu hình thư mục nào"
        raise Refused("outside_scan_roots", roots=roots)
    if not path.is_dir():
        raise InvalidRequest("no_folder", folder=folder)
    data_dir = services.settings.data_dir.resolve()
    if inbox not in where.parents and (where == data_dir or data_dir in where.parents or where in data_dir.parents):
        raise InvalidRequest("folder_holds_data", folder=folder)
    scans = list(list_scans(path))
    progress = open_batch(services, actor, path, scans)
    if not scans:  # nothing to run: the batch is done as soon as it is recorded
        progress.started()
        progress.finished()
        return progress.batch

    def work() -> None:
        try:
            run_batch(progress, scans, runner)
        except Exception:  # recorded in the batch's state by run_batch
            return

    threading.Thread(target=work, name=f"batch-{progress.batch.id}", daemon=True).start()
    return progress.batch


def process_alive(host: str, pid: int) -> bool:
    """Whether the process that runs a batch is alive: known only on its own machine (elsewhere: assumed so)."""
    if host and host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid > 0


def _load(services: Services, batch_id: str) -> Batch | None:
    """A batch as its objects say: its totals once finished, else counted from the files done so far; one whose
    process is gone is shown interrupted, not running (a batch of chunks runs while workers take them)."""
    header = _get(services, f"{HEADERS}{batch_id}.json")
    if header is None:
        return None
    finished = _get(services, f"{RESULTS}{batch_id}/finished.json")
    if finished is not None:
        return Batch(**finished)
    batch = Batch(**header)
    started = _get(services, f"{RESULTS}{batch_id}/started.json")
    for result in recorded_results(services, batch_id):
        batch.count(result)
    if started is not None or batch.done:
        batch.state, batch.started_at = RUNNING, (started or {}).get("at")
    if not batch.chunks and not process_alive(batch.host, batch.pid):
        batch.state = INTERRUPTED
    return batch


def batch_status(services: Services, actor: Actor, batch_id: str) -> Batch:
    require(actor, "batch_status")
    batch = _load(services, batch_id) if batch_id.isalnum() else None
    if batch is None:
        raise NotFound("no_batch", batch_id=batch_id)
    return batch


def _move_in_legacy(services: Services) -> None:
    """Batches an earlier version kept as files in `<data-dir>/batches/` go into the archive, once."""
    folder = services.settings.data_dir / "batches"
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json")):
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            batch = Batch(**{k: v for k, v in old.items() if k in Batch.__dataclass_fields__})
            _put_once(services, f"{HEADERS}{batch.id}.json", batch.as_json())
            if batch.state in (DONE, STOPPED_STATE, FAILED):
                _put_once(services, f"{RESULTS}{batch.id}/finished.json", batch.as_json())
            path.unlink()
        except (OSError, ValueError, TypeError, ArchiveError):
            continue  # left where it is; moved on a later listing


def list_batches(services: Services, actor: Actor, limit: int = 50) -> list[Batch]:
    """The newest batches first."""
    require(actor, "batch_status")
    _move_in_legacy(services)
    try:
        ids = [k[len(HEADERS):-len(".json")] for k in services.archive.objects.keys(HEADERS) if k.endswith(".json")]
    except ArchiveError:
        return []
    found = (_load(services, batch_id) for batch_id in sorted(ids, reverse=True)[:limit])
    return [b for b in found if b is not None]
