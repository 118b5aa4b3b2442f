"""sohoa's work on a Prefect server: one work pool, a deployment per kind of work, and the flow runs a batch is
split into.

    sohoa-ingest-chunk/<pool>                 a chunk of a batch sent by `sohoa ingest --submit`
    sohoa-fixity/<pool>                       the fixity check           ([workers] fixity_cron)
    sohoa-reindex-pending/<pool>              replay the index outbox    ([workers] reindex_pending_cron)
    sohoa-signatures/<pool>                   signature upgrades/renewal ([workers] signatures_cron)
    sohoa-station/<pool>                      the scanners' shared folder ([workers] station_folder, station_cron)

Deployments are named after their pool (`[workers] pool`, default "sohoa"): installations that share a Prefect server
each have a pool of their own, and their work never reaches the other's workers.

Any of them can be started from the Prefect UI or `prefect deployment run`. Each deployment names its flow's entry
point in this installation, so a stock `prefect worker start --pool sohoa` could run it too; `sohoa worker` runs them
in its own process (no new interpreter per chunk) and gives a lost worker's chunks to another.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import DeploymentScheduleCreate, WorkPoolCreate
from prefect.client.schemas.schedules import CronSchedule
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from domain.messages import say
from flows.settings import WorkerSettings

ROOT = Path(__file__).resolve().parent.parent  # where the flows' entry points are found
TIMEZONE = "Asia/Ho_Chi_Minh"


class NoPrefectServer(Exception):
    """Work for the pool needs a Prefect server (PREFECT_API_URL): a temporary one would die with the command."""


@dataclass(frozen=True)
class Deployment:
    flow_name: str
    entrypoint: str  # path:function, relative to ROOT
    cron: Callable[[WorkerSettings], str] = lambda s: ""
    description: str = ""
    parameters: Callable[[WorkerSettings], dict[str, Any]] = lambda s: {}

    def full_name(self, pool: str) -> str:
        return f"{self.flow_name}/{pool}"


CHUNKS = Deployment("sohoa-ingest-chunk", "flows/chunks.py:ingest_chunk",
                    description="Một phần của lô số hóa gửi bằng `sohoa ingest --submit`")
DEPLOYMENTS = (
    CHUNKS,
    Deployment("sohoa-fixity", "flows/fixity.py:fixity_flow", lambda s: s.fixity_cron,
               "Kiểm tra tính toàn vẹn của kho lưu trữ"),
    Deployment("sohoa-reindex-pending", "flows/indexing.py:reindex_pending_flow",
               lambda s: s.reindex_pending_cron, "Ghi vào chỉ mục các hồ sơ còn chờ (hàng đợi chỉ mục)"),
    Deployment("sohoa-signatures", "flows/signatures.py:signatures_flow", lambda s: s.signatures_cron,
               "Nâng cấp và gia hạn chữ ký số"),
    Deployment("sohoa-station", "flows/station.py:station_flow", lambda s: s.station_cron if s.station_folder else "",
               "Trạm quét: nhận tệp từ thư mục chung của máy quét, tách văn bản",
               lambda s: {"folder": s.station_folder, "operator": s.station_operator}),
)


def prefect_client() -> SyncPrefectClient:
    """A client of the configured Prefect server; NoPrefectServer without one."""
    if not os.environ.get("PREFECT_API_URL"):
        raise NoPrefectServer(say("flows.no_prefect_server"))
    from prefect.client.orchestration import get_client

    return get_client(sync_client=True)


def ensure_pool(client: SyncPrefectClient, settings: WorkerSettings) -> dict[str, UUID]:
    """The work pool and the deployments, created when missing (a schedule is set only when its deployment is
    made: one changed later in the UI stays as changed); returns flow name -> deployment id."""
    from prefect.workers.process import ProcessWorker

    try:
        client.read_work_pool(settings.pool)
    except ObjectNotFound:
        with suppress(ObjectAlreadyExists):  # another worker made it meanwhile
            client.create_work_pool(WorkPoolCreate(
                name=settings.pool, type="process", description="sohoa: số hóa theo lô và bảo trì kho lưu trữ",
                base_job_template=ProcessWorker.get_default_base_job_template()))
    ids = {}
    for deployment in DEPLOYMENTS:
        try:
            ids[deployment.flow_name] = client.read_deployment_by_name(deployment.full_name(settings.pool)).id
            continue
        except ObjectNotFound:
            pass
        cron = deployment.cron(settings)
        schedules = [DeploymentScheduleCreate(schedule=CronSchedule(cron=cron, timezone=TIMEZONE), active=True)] \
            if cron else None
        flow_id = client.create_flow_from_name(deployment.flow_name)
        ids[deployment.flow_name] = client.create_deployment(
            flow_id, settings.pool, work_pool_name=settings.pool, entrypoint=deployment.entrypoint,
            path=str(ROOT), description=deployment.description, schedules=schedules,
            parameters=deployment.parameters(settings), enforce_parameter_schema=False)
    return ids


@dataclass(frozen=True)
class Chunk:
    index: int
    first: int  # position in the batch of its first file
    paths: list[str]


def largest_first(paths: Sequence[Path]) -> list[Path]:
    """The batch's files, largest first (a file's size is a fair guess at its pages): the long chunks are taken
    first and the last ones are short, so the workers finish together instead of one waiting on a slow tail."""
    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0
    return sorted(paths, key=lambda p: (-size(p), str(p)))


def split(paths: Sequence[Path], chunk_files: int) -> list[Chunk]:
    return [Chunk(n, start, [str(p) for p in paths[start:start + chunk_files]])
            for n, start in enumerate(range(0, len(paths), chunk_files), start=1)]


def submit_chunks(client: SyncPrefectClient, deployment_id: UUID, batch_id: str, chunks: Sequence[Chunk],
                  operator: str) -> list[UUID]:
    """A flow run per chunk, tagged with the batch; sent again, a chunk is not doubled (its idempotency key)."""
    runs = []
    for chunk in chunks:
        parameters: dict[str, Any] = {"batch_id": batch_id, "chunk": chunk.index, "paths": chunk.paths,
                                      "first_index": chunk.first, "operator": operator}
        run = client.create_flow_run_from_deployment(
            deployment_id, parameters=parameters, name=f"lô {batch_id} phần {chunk.index}/{len(chunks)}",
            tags=[f"batch:{batch_id}"], idempotency_key=f"{batch_id}/{chunk.index}")
        runs.append(run.id)
    return runs
