"""The scanning station as a scheduled flow: one look into the scanners' shared folder, taking what has stopped
growing (`service.station`, as `sohoa watch` does on one machine). Workers run it on schedule; two taking the same
file is ruled out by the claim's rename. Orchestration only.

    python -m flows.station --data-dir /srv/sohoa --folder /mnt/may-quet/hop --operator nguyenvana   one look now
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from context.services import services_for
from domain.actor import Actor
from flows.settings import data_dir_here
from service.station import Station


class StationStopped(Exception):
    """A file met a condition that stops all work (a full disk, the archive gone): it was put back."""


@flow(name="sohoa-station", validate_parameters=False)
def station_flow(folder: str, operator: str, data_dir: str = "", settle_s: float = 30.0) -> dict[str, Any]:
    """Take back this machine's abandoned claims, then take and digitise every file ready in `folder`."""
    logger = get_run_logger()
    station = Station(Path(folder), services_for(data_dir or data_dir_here()), Actor(operator, "operator"),
                      settle_s=settle_s)
    for path in station.take_back_abandoned():
        logger.info("took back %s, left by a process that is gone", path.name)
    results = station.poll_settled()
    for result in results:
        logger.info("%s: %d documents, %d blanks, %d doubtful splits", result.source, len(result.documents),
                    len(result.blanks), result.doubts)
        if result.stopped is not None:
            raise StationStopped(result.stopped.reason or "stopped")
    return {"files": [r.source for r in results], "documents": sum(len(r.documents) for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--folder", required=True)
    parser.add_argument("--operator", required=True)
    args = parser.parse_args()
    print(station_flow(args.folder, args.operator, args.data_dir))


if __name__ == "__main__":
    main()
