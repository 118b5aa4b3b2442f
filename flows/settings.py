"""The workers' settings: `[workers]` in settings.toml, overridden by SOHOA_WORK_POOL, SOHOA_CHUNK_FILES and
SOHOA_WORKER_LOST_AFTER. Read beside the flows that use them; nothing else reads this table."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from context.settings import read_raw_settings, resolve_data_dir
from domain.catalogue import ConfigError
from domain.setting_tables import Setting, read_table


@dataclass(frozen=True)
class WorkerSettings:  # read from SPEC, whose defaults are the only ones
    pool: str
    chunk_files: int
    poll_seconds: float
    heartbeat_seconds: float
    lost_after_seconds: float
    fixity_cron: str
    reindex_pending_cron: str
    signatures_cron: str
    station_folder: str
    station_operator: str
    station_cron: str


SPEC = (  # the [workers] table
    Setting("pool", str, "sohoa", "SOHOA_WORK_POOL", "the Prefect work pool"),
    Setting("chunk_files", int, 10, "SOHOA_CHUNK_FILES", "files per chunk: what one worker takes at a time"),
    Setting("poll_seconds", float, 1.0, doc="how often an idle worker asks for work"),
    Setting("heartbeat_seconds", float, 10.0, doc="how often a worker tells the server it is alive"),
    Setting("lost_after_seconds", float, 60.0, "SOHOA_WORKER_LOST_AFTER",
            "a worker silent this long is taken for lost: its chunk goes to another"),
    Setting("fixity_cron", str, "", doc="when the fixity audit runs (cron, Asia/Ho_Chi_Minh; empty: never)"),
    Setting("reindex_pending_cron", str, "", doc="when waiting index writes are replayed"),
    Setting("signatures_cron", str, "", doc="when signatures are brought up to their level and renewed"),
    Setting("station_folder", str, "", "SOHOA_STATION_FOLDER",
            "the scanners' shared folder the workers watch (mounted at the same path on every worker)"),
    Setting("station_operator", str, "", "SOHOA_STATION_OPERATOR", "the digitising officer who signs what it takes"),
    Setting("station_cron", str, "", doc="how often the workers look into the station folder (cron; empty: never)"),
)


def worker_settings(data_dir: str | os.PathLike[str] | None = None,
                    env: Mapping[str, str] | None = None) -> WorkerSettings:
    raw: dict[str, Any] = read_raw_settings(resolve_data_dir(data_dir)).get("workers", {})
    found = WorkerSettings(**read_table("workers", raw, SPEC, os.environ if env is None else env))
    if found.chunk_files < 1 or found.poll_seconds <= 0 or found.heartbeat_seconds <= 0:
        raise ConfigError("[workers]: chunk_files, poll_seconds and heartbeat_seconds must be positive")
    if found.lost_after_seconds < 2 * found.heartbeat_seconds:
        raise ConfigError("[workers] lost_after_seconds must be at least two heartbeats: a worker that is only "
                          "slow to answer must not lose its chunk")
    return found


def data_dir_here(path: Path | None = None) -> str:
    """The data directory of this worker (its own settings, keys and quarantine), as a flow parameter."""
    return str(resolve_data_dir(path))
