"""Replay the index outbox on a schedule: index writes refused while the index was down, queued by whichever
machine met the refusal, done by whichever worker runs this. Orchestration only; the work is `indexer.rebuild.drain`.

A run that leaves writes waiting (the index is still down) ends Failed, so Prefect's notifications say so.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow

from context.services import services_for
from flows.settings import data_dir_here


class IndexStillDown(Exception):
    """Writes are still waiting: the index refused them again."""


@flow(name="sohoa-reindex-pending", validate_parameters=False)
def reindex_pending_flow(data_dir: str = "") -> dict[str, Any]:
    from indexer.rebuild import drain

    report = drain(services_for(data_dir or data_dir_here()))
    if report.left:
        raise IndexStillDown(f"{report.left} index writes still waiting: {report.error}")
    return asdict(report)
