"""The Prefect flow that digitises a folder: one task per file, `workers` files at a time. Orchestration only;
the work is `pipeline.process.digitise`.

Without PREFECT_API_URL, Prefect starts a temporary local server for the run (its database under
<data-dir>/prefect); with it, runs are recorded on that server and can be watched in its UI.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from prefect import flow, task
from prefect.futures import as_completed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from pipeline.process import DocumentResult, digitise
from pipeline.services import services_for

SCAN_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}


def list_scans(folder: Path) -> tuple[list[Path], list[Path]]:
    """(scans, others): files with a scan's extension, and everything else, which is left alone."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    scans = [p for p in files if p.suffix.lower() in SCAN_SUFFIXES]
    return scans, [p for p in files if p.suffix.lower() not in SCAN_SUFFIXES]


@task(name="digitise-document", task_run_name="digitise {path}")
def digitise_document(path: str, data_dir: str) -> DocumentResult:
    return digitise(Path(path), services_for(data_dir))


@flow(name="sohoa-ingest", validate_parameters=False)
def ingest_flow(paths: list[str], data_dir: str,
                on_result: Callable[[DocumentResult], None] | None = None) -> list[DocumentResult]:
    futures = [digitise_document.submit(path, data_dir) for path in paths]
    results = []
    for future in as_completed(futures):
        result = future.result()
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def run_ingest(paths: list[Path], data_dir: Path, workers: int,
               on_result: Callable[[DocumentResult], None] | None = None) -> list[DocumentResult]:
    pool = cast("TaskRunner[Any]", ThreadPoolTaskRunner(max_workers=workers))
    runner = ingest_flow.with_options(task_runner=pool)
    return runner([str(p) for p in paths], str(data_dir), on_result)
