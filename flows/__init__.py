"""Prefect orchestration only: flows that call the pipeline stages.

This module imports nothing from Prefect, so `configure_prefect` can run before Prefect reads its settings.
"""

from __future__ import annotations

import os
from pathlib import Path

# Quiet local runs: warnings only, no telemetry, no recorder services that trace back at shutdown.
QUIET_PREFECT = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    # The temporary server takes 13-18 s to start on a busy 2-core machine; Prefect's default wait is 20 s.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def configure_prefect(home: Path) -> None:
    """Prefect's home (its run database) in `home`, and quiet logs; what the caller's environment sets wins."""
    home.mkdir(parents=True, exist_ok=True)  # Prefect does not create it for its database
    os.environ.setdefault("PREFECT_HOME", str(home))
    for key, value in QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
