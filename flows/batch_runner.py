"""How the faces run a batch here and now: its scans listed as `ingest` lists them, and run through the Prefect
flow in this process. One place for the command line, the API and the lead's page (each built the same two
closures). Prefect is imported only when a batch is listed or run, after `configure_prefect`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from domain.actor import Actor
from pipeline.outcomes import DocumentResult
from service.batches import Runner


def scans_in(folder: Path) -> Sequence[Path]:
    """The scans of a folder, as `sohoa ingest` takes them."""
    from flows.ingest import list_scans

    return list_scans(folder).scans


def ingest_runner(data_dir: Path, workers: int, operator: Actor) -> Runner:
    """Run a batch's scans through the flow, `workers` at once, signed for `operator`."""
    def run(scans: list[Path], on_result: Callable[[DocumentResult], None]) -> list[DocumentResult]:
        from flows.ingest import run_ingest

        return run_ingest(list(scans), data_dir, workers, operator.identity, on_result)

    return run
