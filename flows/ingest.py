"""The Prefect flow that digitises a folder: one task per file, `workers` files at a time. Orchestration only;
the work is `pipeline.process.digitise`.

Without PREFECT_API_URL, Prefect starts a temporary local server for the run (its database under
<data-dir>/prefect); with it, runs are recorded on that server and can be watched in its UI.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from prefect import flow, task
from prefect.futures import as_completed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from archive.objects import os_error_vi
from context.services import services_for
from domain.actor import Actor
from flows.tied_server import tie_child_processes
from pipeline.process import NOT_PROCESSED, STOPPED, DocumentResult, digitise

tie_child_processes()  # a killed `sohoa ingest` leaves no Prefect server or Tesseract behind
SCAN_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}
BATCH_STOPS: dict[str, threading.Event] = {}  # batch id -> set once a file hits a condition that stops the batch


@dataclass
class ScanList:
    """What a folder holds: scans to digitise, and what is left alone and why (reported, never silently)."""
    scans: list[Path] = field(default_factory=list)
    others: list[Path] = field(default_factory=list)  # not a scan's extension
    links: list[Path] = field(default_factory=list)  # symbolic links: never followed out of the folder
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # subfolders that cannot be listed, why


def list_scans(folder: Path) -> ScanList:
    """Walk the folder without following links; hidden files are a system's, not the operator's."""
    found = ScanList()

    def unreadable(e: OSError) -> None:
        found.unreadable.append((Path(e.filename or folder), os_error_vi(e)))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        here = Path(dirpath)
        for name in list(dirnames):
            if (here / name).is_symlink():
                found.links.append(here / name)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                found.links.append(path)
            elif path.suffix.lower() in SCAN_SUFFIXES and path.is_file():  # not a FIFO that would block a worker
                found.scans.append(path)
            else:
                found.others.append(path)
    found.scans.sort()
    found.unreadable.sort()
    return found


def digitise_one(path: str, data_dir: str, operator: str, batch: str = "") -> DocumentResult:
    """One file, unless its batch has already met a condition that stops it."""
    stop = BATCH_STOPS.get(batch)
    if stop is not None and stop.is_set():  # an earlier file found the disk full or the archive gone
        return DocumentResult(path, NOT_PROCESSED)
    result = digitise(Path(path), services_for(data_dir), Actor(operator, "operator"))
    if result.outcome == STOPPED and stop is not None:
        stop.set()
    return result


@task(name="digitise-document", task_run_name="digitise {path}")
def digitise_document(path: str, data_dir: str, operator: str, batch: str = "") -> DocumentResult:
    return digitise_one(path, data_dir, operator, batch)


@flow(name="sohoa-ingest", validate_parameters=False)
def ingest_flow(paths: list[str], data_dir: str, operator: str,
                on_result: Callable[[DocumentResult], None] | None = None) -> list[DocumentResult]:
    batch = uuid.uuid4().hex
    BATCH_STOPS[batch] = threading.Event()
    try:
        futures = [digitise_document.submit(path, data_dir, operator, batch) for path in paths]
        results = []
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            if on_result is not None:
                on_result(result)
        return results
    finally:
        del BATCH_STOPS[batch]


def run_ingest(paths: list[Path], data_dir: Path, workers: int, operator: str,
               on_result: Callable[[DocumentResult], None] | None = None) -> list[DocumentResult]:
    pool = cast("TaskRunner[Any]", ThreadPoolTaskRunner(max_workers=workers))
    runner = ingest_flow.with_options(task_runner=pool)
    return runner([str(p) for p in paths], str(data_dir), operator, on_result)
