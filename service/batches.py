"""Ingest batches: submitted by a digitising officer (from the command line or the API), run by a runner the face
supplies (the Prefect flow), and followed while they run: files done of files listed, outcomes, the reasons of what
went to quarantine. A batch's state is a small JSON file per batch in `<data-dir>/batches/`, rewritten as each
document finishes, so any process on the machine can show it.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.actor import Actor
from pipeline.process import ACCEPTED, QUARANTINED, STOPPED, DocumentResult
from pipeline.services import Services
from service.errors import InvalidRequest, NotFound
from service.permissions import require

QUEUED, RUNNING, DONE, STOPPED_STATE, FAILED = "queued", "running", "done", "stopped", "failed"
INTERRUPTED = "interrupted"  # its process ended before it did (a restart, a crash): run the folder again
Runner = Callable[[list[Path], Callable[[DocumentResult], None]], list[DocumentResult]]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
    quarantined: list[dict[str, str]] = field(default_factory=list)  # file, reason (Vietnamese)
    stopped_because: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    pid: int = 0  # the process running it, on this machine

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def inbox_dir(services: Services) -> Path:
    """Where scans uploaded through the portal wait in a folder of their own, to be digitised as a batch."""
    return services.settings.data_dir / "inbox"


def _folder(services: Services) -> Path:
    return services.settings.data_dir / "batches"


def _save(services: Services, batch: Batch) -> None:
    folder = _folder(services)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{batch.id}.tmp"
    tmp.write_text(json.dumps(batch.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / f"{batch.id}.json")


class BatchProgress:
    """The running batch's state, kept up to date as its documents finish (called from the flow's threads)."""

    def __init__(self, services: Services, batch: Batch) -> None:
        self.services, self.batch, self._lock = services, batch, threading.Lock()

    def started(self) -> None:
        with self._lock:
            self.batch.state, self.batch.started_at = RUNNING, _now()
            _save(self.services, self.batch)

    def advance(self, result: DocumentResult) -> None:
        with self._lock:
            b = self.batch
            b.done += 1
            b.outcomes[result.outcome] = b.outcomes.get(result.outcome, 0) + 1
            if result.outcome == ACCEPTED:
                b.pages += result.pages
                b.needs_review += result.needs_review
            elif result.outcome == QUARANTINED:
                b.quarantined.append({"file": Path(result.source).name, "reason": result.reason or ""})
            elif result.outcome == STOPPED and b.stopped_because is None:
                b.stopped_because = result.reason
            _save(self.services, b)

    def finished(self, error: str | None = None) -> None:
        with self._lock:
            b = self.batch
            b.state = FAILED if error else STOPPED_STATE if b.stopped_because else DONE
            b.finished_at, b.error = _now(), error
            _save(self.services, b)
        self.services.log(Actor(b.submitted_by, "operator"), "batch.finish", None, "Số hóa theo lô", batch=b.id,
                          state=b.state, outcomes=b.outcomes, pages=b.pages)


def open_batch(services: Services, actor: Actor, folder: Path, scans: Sequence[Path]) -> BatchProgress:
    """Record a new batch of these scans, submitted by this actor."""
    require(actor, "submit_batch")
    batch = Batch(uuid.uuid4().hex[:12], str(folder), len(scans), actor.identity, _now(), pid=os.getpid())
    _save(services, batch)
    services.log(actor, "batch.submit", None, "Số hóa theo lô", batch=batch.id, folder=str(folder), files=len(scans))
    return BatchProgress(services, batch)


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
    path = Path(folder)
    if not path.is_absolute() or not path.is_dir():
        raise InvalidRequest("no_folder", f"Không có thư mục {folder} trên máy chủ (cần đường dẫn tuyệt đối)")
    data_dir = services.settings.data_dir.resolve()
    inbox = inbox_dir(services).resolve()
    if inbox not in path.resolve().parents and (
            path.resolve() == data_dir or data_dir in path.resolve().parents or path.resolve() in data_dir.parents):
        raise InvalidRequest("folder_holds_data", f"Thư mục {folder} chứa hoặc nằm trong thư mục dữ liệu của sohoa "
                             "(kho lưu trữ, khóa): không số hóa lại chính kho lưu trữ.")
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid > 0


def _read(path: Path) -> Batch:
    """A batch as its file says, except that one whose process is gone is shown interrupted, not running."""
    batch = Batch(**json.loads(path.read_text(encoding="utf-8")))
    if batch.state in (QUEUED, RUNNING) and not _alive(batch.pid):
        batch.state = INTERRUPTED
    return batch


def batch_status(services: Services, actor: Actor, batch_id: str) -> Batch:
    require(actor, "batch_status")
    path = _folder(services) / f"{batch_id}.json"
    if not (batch_id.isalnum() and path.is_file()):
        raise NotFound("no_batch", f"Không có lô số hóa {batch_id}")
    return _read(path)


def list_batches(services: Services, actor: Actor, limit: int = 50) -> list[Batch]:
    """The newest batches first."""
    require(actor, "batch_status")
    folder = _folder(services)
    paths = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[:limit] \
        if folder.is_dir() else []
    return [_read(p) for p in paths]
