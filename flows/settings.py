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


@dataclass(frozen=True)
class WorkerSettings:
    pool: str = "sohoa"
    chunk_files: int = 10
    poll_seconds: float = 1.0
    heartbeat_seconds: float = 10.0
    lost_after_seconds: float = 60.0
    fixity_cron: str = ""
    reindex_pending_cron: str = ""
    signatures_cron: str = ""


def worker_settings(data_dir: str | os.PathLike[str] | None = None,
                    env: Mapping[str, str] | None = None) -> WorkerSettings:
    raw: dict[str, Any] = read_raw_settings(resolve_data_dir(data_dir)).get("workers", {})
    env = os.environ if env is None else env
    try:
        found = WorkerSettings(
            pool=env.get("SOHOA_WORK_POOL") or str(raw.get("pool", "sohoa")),
            chunk_files=int(env.get("SOHOA_CHUNK_FILES") or raw.get("chunk_files", 10)),
            poll_seconds=float(raw.get("poll_seconds", 1.0)),
            heartbeat_seconds=float(raw.get("heartbeat_seconds", 10)),
            lost_after_seconds=float(env.get("SOHOA_WORKER_LOST_AFTER") or raw.get("lost_after_seconds", 60)),
            fixity_cron=str(raw.get("fixity_cron", "")),
            reindex_pending_cron=str(raw.get("reindex_pending_cron", "")),
            signatures_cron=str(raw.get("signatures_cron", "")),
        )
    except (TypeError, ValueError) as e:
        raise ConfigError(f"[workers]: {e}") from e
    if found.chunk_files < 1 or found.poll_seconds <= 0 or found.heartbeat_seconds <= 0:
        raise ConfigError("[workers]: chunk_files, poll_seconds and heartbeat_seconds must be positive")
    if found.lost_after_seconds < 2 * found.heartbeat_seconds:
        raise ConfigError("[workers] lost_after_seconds must be at least two heartbeats: a worker that is only "
                          "slow to answer must not lose its chunk")
    return found


def data_dir_here(path: Path | None = None) -> str:
    """The data directory of this worker (its own settings, keys and quarantine), as a flow parameter."""
    return str(resolve_data_dir(path))
