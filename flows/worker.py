"""A long-lived worker: takes flow runs of sohoa's deployments from the Prefect work pool and runs them in this
process, one at a time, with `threads` documents at once.

Why not a stock Prefect process worker: it starts a new Python for every flow run, and sohoa's imports and keys
take seconds to load, which a chunk of ten files would pay each time. Here they are loaded once.

A worker is known alive by its heartbeats to the Prefect server. A flow run taken by a worker that has been silent
for `lost_after_seconds` (its machine died, it was killed) is given back to the pool by any other worker that is
idle: marked Crashed with the reason, then Scheduled again, and taken like any other. Only one worker gives it back
(a write-once ticket in the archive), and a chunk done twice stores nothing twice.
"""

from __future__ import annotations

import contextvars
import inspect
import logging
import os
import resource
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import UUID

from prefect import Flow
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    WorkPoolFilter,
    WorkPoolFilterName,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.exceptions import Abort, ObjectNotFound
from prefect.states import Crashed, Pending, Scheduled
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.engine import propose_state_sync

from archive.objects import ArchiveError, ObjectExists
from context.services import services_for
from flows.pool import ensure_pool
from flows.settings import WorkerSettings

log = logging.getLogger("sohoa.worker")
OWNER_PREFIX = "sohoa-worker:"  # a flow run's infrastructure_pid: which worker took it
MAX_TRIES = 3  # a run that took its worker down three times (a file that exhausts memory…) is not given out again


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def _flows() -> dict[str, Flow[Any, Any]]:
    """The flow of each deployment, imported once."""
    from flows.chunks import ingest_chunk
    from flows.fixity import fixity_flow
    from flows.indexing import reindex_pending_flow
    from flows.signatures import signatures_flow

    return {f.name: cast("Flow[Any, Any]", f)
            for f in (ingest_chunk, fixity_flow, reindex_pending_flow, signatures_flow)}


@dataclass
class WorkerStats:
    runs: int = 0
    failed: int = 0
    given_back: int = 0  # runs of lost workers this one gave back to the pool
    run_seconds: float = 0.0  # inside flow runs
    claim_seconds: float = 0.0  # asking for work and taking it (what Prefect costs per run, idle time excluded)
    peak_rss_mb: float = 0.0  # this process at its largest
    children_peak_rss_mb: float = 0.0  # its largest child (a Tesseract)
    history: list[dict[str, Any]] = field(default_factory=list)


class Worker:
    def __init__(self, client: SyncPrefectClient, settings: WorkerSettings, data_dir: str, threads: int,
                 name: str | None = None) -> None:
        self.client, self.settings, self.data_dir, self.threads = client, settings, data_dir, threads
        self.name = name or worker_name()
        self.stop = threading.Event()  # set: finish the run in hand, then leave
        self.stats = WorkerStats()
        self._flows = _flows()
        self._deployments: dict[UUID, str] = {}  # deployment id -> flow name
        self._warned_at = 0.0
        self._looked_at = 0.0  # when lost workers' runs were last looked for
        self._context = contextvars.copy_context()  # what each run's thread starts in (set up in start())

    def _warn(self, message: str, *args: Any) -> None:
        """A warning at most once a minute: a server away for an hour must not fill the log."""
        if time.monotonic() - self._warned_at > 60:
            self._warned_at = time.monotonic()
            log.warning(message, *args)

    # --- life ---------------------------------------------------------------------------------------------

    def start(self) -> None:
        ids = ensure_pool(self.client, self.settings)
        self._deployments = {dep_id: flow_name for flow_name, dep_id in ids.items()}
        services_for(self.data_dir)  # archive, index and audit log opened before the first run
        # Runs get no flow-run heartbeats: this worker's own heartbeats tell a lost run, and Prefect's heartbeat
        # thread sleeps in whole seconds, so waiting for it to end cost about a second per run (an empty flow:
        # 1.13 s -> 0.15 s). The settings are made once (0.12 s each time) and every run's thread starts in them.
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            self._context = contextvars.copy_context()
        self._beat(self.client)
        threading.Thread(target=self._heartbeats, name="heartbeats", daemon=True).start()

    def _beat(self, client: SyncPrefectClient) -> None:
        try:
            client.send_worker_heartbeat(self.settings.pool, self.name,
                                         heartbeat_interval_seconds=int(self.settings.heartbeat_seconds))
        except Exception as e:  # the server away for a moment: the next beat tries again
            self._warn("heartbeat failed: %r", e)

    def _heartbeats(self) -> None:
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:  # its own connection: the main one is busy during a run
            while not self.stop.wait(self.settings.heartbeat_seconds):
                self._beat(client)

    def serve(self, max_runs: int | None = None, idle_exit_s: float | None = None) -> WorkerStats:
        """Take and run work until stopped (SIGTERM/SIGINT: after the run in hand), `max_runs` runs are done, or
        nothing came for `idle_exit_s` seconds."""
        self.start()
        idle_since = time.monotonic()
        while not self.stop.is_set():
            began = time.perf_counter()
            run = self.take()
            if run is None:
                if time.monotonic() - self._looked_at >= self.settings.heartbeat_seconds:  # not at every poll
                    self._looked_at = time.monotonic()
                    self.give_back_lost()
                if idle_exit_s is not None and time.monotonic() - idle_since > idle_exit_s:
                    break
                self.stop.wait(self.settings.poll_seconds)
                continue
            self.stats.claim_seconds += time.perf_counter() - began
            self.execute(run)
            idle_since = time.monotonic()
            if max_runs is not None and self.stats.runs >= max_runs:
                break
        self.stats.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.stats.children_peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return self.stats

    # --- taking and running -------------------------------------------------------------------------------

    def take(self) -> FlowRun | None:
        """The oldest scheduled run of a known deployment, taken (Pending) by this worker; None when none is due or
        another worker took each first."""
        try:
            due = self.client.get_scheduled_flow_runs_for_work_pool(self.settings.pool,
                                                                    scheduled_before=datetime.now(UTC))
        except ObjectNotFound:
            return None
        except Exception as e:  # the server away: asked again at the next poll
            self._warn("could not ask the pool for work: %r", e)
            return None
        for response in sorted(due, key=lambda r: r.flow_run.next_scheduled_start_time or r.flow_run.created
                               or datetime.now(UTC)):
            run = response.flow_run
            if run.deployment_id not in self._deployments:
                continue  # a deployment of another installation in the same pool
            try:
                state = propose_state_sync(self.client, Pending(message=f"Nhận bởi máy xử lý {self.name}"),
                                           flow_run_id=run.id)
                if not state.is_pending():
                    continue
                self.client.update_flow_run(run.id, infrastructure_pid=OWNER_PREFIX + self.name)
                return self.client.read_flow_run(run.id)
            except Abort:  # another worker took it first
                continue
            except Exception as e:  # taken but not owned: given back once `lost_after_seconds` have passed
                self._warn("could not take %s: %r", run.id, e)
                return None
        return None

    def execute(self, run: FlowRun) -> None:
        from prefect.flow_engine import run_flow

        flow_name = self._deployments[run.deployment_id] if run.deployment_id else ""
        chosen = self._flows[flow_name]
        parameters = dict(run.parameters)
        accepted = inspect.signature(chosen.fn).parameters
        if "data_dir" in accepted:
            parameters["data_dir"] = self.data_dir  # this machine's own settings and keys
        if "threads" in accepted:
            parameters["threads"] = self.threads  # and its own cores
        pool = cast("TaskRunner[Any]", ThreadPoolTaskRunner(max_workers=self.threads))
        began = time.perf_counter()
        outcome: dict[str, Any] = {}

        def run_it() -> None:
            try:
                outcome["state"] = run_flow(chosen.with_options(task_runner=pool), flow_run=run,
                                            parameters=parameters, return_type="state")
            except Exception as e:  # the engine itself failed (the server away mid-run): the worker goes on
                log.error("%s %s could not run: %r", flow_name, run.name, e)

        # In a thread of its own, so that Prefect does not take over SIGTERM (it turns it into a crash of the run):
        # here the first SIGTERM lets the run finish, and the main thread stays free to receive it.
        runner = threading.Thread(target=self._context.copy().run, args=(run_it,), name=f"flow-run-{run.id}",
                                  daemon=True)
        runner.start()
        while runner.is_alive():
            runner.join(0.5)
        state = outcome.get("state")
        seconds = time.perf_counter() - began
        self.stats.runs += 1
        self.stats.run_seconds += seconds
        failed = not getattr(state, "is_completed", lambda: False)()
        self.stats.failed += failed
        self.stats.history.append({"run": str(run.id), "flow": flow_name, "seconds": round(seconds, 3),
                                   "failed": failed})
        log.info("%s %s in %.1f s: %s", flow_name, run.name, seconds, getattr(state, "type", state))

    # --- lost workers -------------------------------------------------------------------------------------

    def alive_workers(self) -> set[str]:
        now = datetime.now(UTC)
        limit = timedelta(seconds=self.settings.lost_after_seconds)
        return {w.name for w in self.client.read_workers_for_work_pool(self.settings.pool, offset=0, limit=200)
                if w.last_heartbeat_time is not None and now - w.last_heartbeat_time < limit}

    def give_back_lost(self) -> int:
        """Runs taken by workers silent for `lost_after_seconds`, and runs that crashed (their worker was stopped
        mid-run), given back to the pool, each at most MAX_TRIES times in all; how many."""
        try:
            taken = self.client.read_flow_runs(
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
                    any_=[StateType.PENDING, StateType.RUNNING, StateType.CRASHED]))),
                work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[self.settings.pool])),
                sort=FlowRunSort.ID_DESC, limit=200)
            alive = self.alive_workers()
        except Exception as e:  # the server away: asked again when idle next
            self._warn("could not look for lost workers' runs: %r", e)
            return 0
        now = datetime.now(UTC)
        given = 0
        for run in taken:
            if run.deployment_id not in self._deployments:
                continue
            if run.infrastructure_pid and not run.infrastructure_pid.startswith(OWNER_PREFIX):
                continue  # run by a stock Prefect worker, whose liveness Prefect judges
            owner = (run.infrastructure_pid or "").removeprefix(OWNER_PREFIX)
            since = run.state.timestamp if run.state is not None else now
            if run.run_count >= MAX_TRIES:
                continue  # crashed every time: left Crashed, for a person to look at in the UI
            if run.state_type != StateType.CRASHED and (owner in alive or owner == self.name):
                continue
            if not owner and now - since < timedelta(seconds=self.settings.lost_after_seconds):
                continue  # just taken: its owner is being written
            if self._give_back(run, owner):
                given += 1
        self.stats.given_back += given
        return given

    def _give_back(self, run: FlowRun, owner: str) -> bool:
        ticket = f"workers/given-back/{run.id}/{owner or 'unknown'}-{run.run_count}"
        try:
            services_for(self.data_dir).archive.objects.put(
                ticket, f"{self.name}\n".encode(), {"role": "worker-ticket"}, content_type="text/plain")
        except ObjectExists:
            return False  # another worker gave it back
        except ArchiveError as e:
            log.warning("could not give back %s: %r", run.id, e)
            return False
        reason = (f"Máy xử lý {owner or '(chưa rõ)'} mất liên lạc quá {self.settings.lost_after_seconds:g} giây; "
                  f"{self.name} trả phần việc về hàng đợi để máy khác làm tiếp.")
        self.client.set_flow_run_state(run.id, Crashed(message=reason), force=True)
        self.client.set_flow_run_state(run.id, Scheduled(message=reason), force=True)
        log.warning("gave back %s (%s): worker %s lost", run.name, run.id, owner)
        return True


def stop_on_signals(worker: Worker, signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT)) -> None:
    """The first signal lets the run in hand finish; a second one leaves at once."""
    def handler(signum: int, frame: Any) -> None:
        if worker.stop.is_set():
            raise SystemExit(128 + signum)
        log.warning("stopping after the current run (signal %d again to stop now)", signum)
        worker.stop.set()

    for sig in signals:
        signal.signal(sig, handler)


