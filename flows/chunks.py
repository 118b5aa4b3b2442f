"""One chunk of a submitted batch, as a worker runs it: a few files of the batch's folder, digitised `threads` at a
time, each file's result recorded in the batch's state in the object store and logged to the flow run. Orchestration
only; the work is `pipeline.process.digitise`, the bookkeeping `service.batches`.

The chunk is Prefect's unit, not the file: a task run per file cost about 0.2 s of the server's time each, on the
machines that do the OCR (the batch's files and their outcomes are in `sohoa batches`, and in the run's log).

A chunk may run twice (its worker died and another took it over): files already archived are then found by their
hash and not read again, the dossier number a file reserved is reused, and a file's result is recorded once.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from context.services import services_for
from domain.messages import say
from flows.ingest import BATCH_STOPS, digitise_one
from flows.settings import data_dir_here
from pipeline.process import NOT_PROCESSED, STOPPED
from service.batches import finish_batch, mark_started, read_header, record_result, results_count

CHUNK_FLOW = "sohoa-ingest-chunk"


class ChunkStopped(Exception):
    """The chunk met a condition every file would meet (full disk, archive unreachable): it ends Failed, and its
    files not done are done when it is run again."""


class FolderUnreachable(Exception):
    """This machine cannot read the batch's folder: it is not mounted here at the path it was submitted from."""


class UnknownBatch(Exception):
    """The batch is not in this machine's archive: the worker is configured with another archive than the sender."""


@flow(name=CHUNK_FLOW, validate_parameters=False)  # its runs are named when submitted
def ingest_chunk(batch_id: str, chunk: int, paths: list[str], first_index: int, operator: str,
                 data_dir: str = "", threads: int = 1) -> dict[str, Any]:
    """Digitise `paths` (the files of the batch from `first_index` on) into the archive of `data_dir`, `threads`
    at a time (the worker fills both in: its own data directory and its own cores)."""
    logger = get_run_logger()
    data_dir = data_dir or data_dir_here()
    services = services_for(data_dir)
    folders = {str(Path(p).parent) for p in paths}
    missing = [f for f in folders if not os.access(f, os.R_OK | os.X_OK)]
    if missing:  # quarantining every file for a mount missing on this machine would hide the real problem
        raise FolderUnreachable(say("flows.folder_unreachable", folders=", ".join(sorted(missing)), batch=batch_id))
    header = read_header(services, batch_id)
    if header is None:
        raise UnknownBatch(say("flows.unknown_batch", batch=batch_id))
    mark_started(services, batch_id)
    stop_key = f"{batch_id}/{chunk}"  # a full disk met by one file leaves the chunk's other files alone
    BATCH_STOPS[stop_key] = threading.Event()
    outcomes: dict[str, int] = {}
    stopped: list[str] = []
    try:
        with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="document") as pool:
            futures = {pool.submit(digitise_one, path, data_dir, operator, stop_key): first_index + i
                       for i, path in enumerate(paths)}
            for future in as_completed(futures):  # each file recorded as it is done: progress, and what a
                result = future.result()          # worker that dies later leaves behind
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
                logger.info("%s: %s%s (%.1f s)", Path(result.source).name, result.outcome,
                            f" {result.result_code}" if result.result_code else
                            f" — {result.reason}" if result.reason else "", result.seconds)
                if result.outcome in (STOPPED, NOT_PROCESSED):  # not done: recorded when the chunk runs again
                    stopped.extend([result.reason] if result.reason else [])
                    continue
                record_result(services, batch_id, futures[future], result)
    finally:
        del BATCH_STOPS[stop_key]
    if results_count(services, batch_id) >= header.files:  # this chunk was the batch's last
        finish_batch(services, header)
    if stopped or outcomes.get(STOPPED) or outcomes.get(NOT_PROCESSED):
        raise ChunkStopped(stopped[0] if stopped else "the batch stopped before these files")
    return {"batch": batch_id, "chunk": chunk, "files": len(paths), "outcomes": outcomes}
