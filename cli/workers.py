"""`sohoa worker` and `sohoa ingest --submit`: work shared by machines through a Prefect server.

    sohoa worker [--threads 2] [--name may-01]      take chunks and upkeep runs from the pool until stopped
    sohoa ingest <folder> --submit                  split a folder into chunks for the pool, and return
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from cli.common import CommandError

if TYPE_CHECKING:  # annotations only: a command's modules load when it runs, not for the parser
    from context.settings import Settings
    from domain.actor import Actor


def _client(settings: Settings) -> Any:
    from flows import configure_prefect
    configure_prefect(settings.prefect_home)  # before Prefect reads its settings
    from flows.pool import NoPrefectServer, prefect_client

    try:
        return prefect_client()
    except NoPrefectServer as e:
        raise CommandError("refused", reason=str(e)) from None


def submit_folder(settings: Settings, console: Console, folder: Path, scans: list[Path], operator: Actor,
                  chunk_files: int | None, as_json: bool) -> int:
    """Record the batch in the archive, send its chunks to the pool, print how to follow it."""
    from context.services import services_for
    client = _client(settings)
    from flows.pool import CHUNKS, ensure_pool, largest_first, split, submit_chunks
    from flows.settings import worker_settings
    from service.batches import open_batch

    workers = worker_settings(settings.data_dir)
    scans = largest_first([p.resolve() for p in scans])
    chunks = split(scans, chunk_files or workers.chunk_files)
    services = services_for(str(settings.data_dir))
    with client:
        try:
            deployment = ensure_pool(client, workers)[CHUNKS.flow_name]
        except Exception as e:  # an unreachable server: a sentence, before anything is recorded
            raise CommandError("prefect_unreachable", server=os.environ.get("PREFECT_API_URL"), reason=e) from None
        progress = open_batch(services, operator, folder.resolve(), scans, chunks=len(chunks))
        runs = submit_chunks(client, deployment, progress.batch.id, chunks, operator.identity)
    if not scans:
        progress.started()
        progress.finished()
    summary = {"batch": progress.batch.id, "files": len(scans), "chunks": len(chunks), "pool": workers.pool,
               "flow_runs": [str(r) for r in runs], "prefect_api": os.environ.get("PREFECT_API_URL")}
    if as_json:
        print(json.dumps({"summary": summary}, ensure_ascii=False, indent=2))
        return 0
    console.print(f"Đã gửi lô {progress.batch.id}: {len(scans)} tệp, {len(chunks)} phần, vào hàng đợi "
                  f"'{workers.pool}'. Các máy xử lý (sohoa worker) sẽ nhận từng phần.", highlight=False)
    console.print(f"Theo dõi: sohoa batches {progress.batch.id}  (hoặc giao diện Prefect, nhãn batch:"
                  f"{progress.batch.id})", highlight=False)
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    client = _client(settings)
    from flows.settings import worker_settings
    from flows.worker import Worker, stop_on_signals

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    workers = worker_settings(settings.data_dir)
    threads = args.threads or settings.workers
    with client:
        worker = Worker(client, workers, str(settings.data_dir), threads, name=args.name)
        stop_on_signals(worker)
        console.print(f"Máy xử lý {worker.name} nhận việc từ hàng đợi '{workers.pool}' tại "
                      f"{os.environ.get('PREFECT_API_URL')} ({threads} luồng); dữ liệu tại {settings.data_dir}",
                      highlight=False)
        stats = worker.serve(max_runs=args.max_runs, idle_exit_s=args.exit_when_idle)
    console.print(f"Máy xử lý {worker.name} dừng: {stats.runs} lượt chạy ({stats.failed} lỗi), trả lại "
                  f"{stats.given_back} phần việc của máy mất liên lạc.", highlight=False)
    if args.stats:
        Path(args.stats).write_text(json.dumps({"name": worker.name, **stats.__dict__}, indent=1), encoding="utf-8")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("worker", parents=[common], help="take ingest chunks and upkeep runs from a Prefect server "
                                                        "(PREFECT_API_URL) until stopped")
    p.add_argument("--threads", type=int, help="documents processed at once (default: settings, SOHOA_WORKERS)")
    p.add_argument("--name", help="this worker's name in the pool (default: <host>-<pid>)")
    p.add_argument("--max-runs", type=int, help="stop after this many runs")
    p.add_argument("--exit-when-idle", type=float, metavar="SECONDS", help="stop when no work came for this long")
    p.add_argument("--stats", help="write the worker's run statistics (JSON) to this file when it stops")
    p.set_defaults(run=cmd_worker)
