"""The signature upkeep flow: upgrade records signed below their level, then renew timestamps that expire within the
horizon, and write an archivist's report into the audit log. Orchestration only; the work is `service.signature_upkeep`.

    python -m flows.signatures --data-dir /srv/sohoa                               one run now
    python -m flows.signatures --data-dir /srv/sohoa --serve --cron "0 3 * * 0"   a served deployment, weekly

A run with a record that could not be done ends in the Failed state, so Prefect's notifications reach the archivist.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, task

from context.services import services_for
from domain.actor import Actor
from service.signature_upkeep import UpkeepReport, renew_records, upgrade_records

UPKEEP = Actor.flow("sohoa-signatures")  # the flow acts on its own schedule, under its own name


class UpkeepFailed(Exception):
    """Some records could not be upgraded or renewed (the reasons are in the report)."""


@task(name="signatures-upgrade")
def upgrade_task(data_dir: str) -> UpkeepReport:
    return upgrade_records(services_for(data_dir), UPKEEP)


@task(name="signatures-renew")
def renew_task(data_dir: str, horizon_days: int | None) -> UpkeepReport:
    return renew_records(services_for(data_dir), UPKEEP, horizon_days=horizon_days)


@flow(name="sohoa-signatures", validate_parameters=False)
def signatures_flow(data_dir: str, horizon_days: int | None = None) -> dict[str, Any]:
    upgraded = upgrade_task(data_dir)
    renewed = renew_task(data_dir, horizon_days)
    summary = {"records": renewed.checked, "upgraded": [asdict(u) for u in upgraded.done],
               "renewed": [asdict(u) for u in renewed.done]}
    services_for(data_dir).log(UPKEEP, "signatures.upkeep", None, "Bảo trì chữ ký số dài hạn (Prefect)", **summary)
    failed = upgraded.failed + renewed.failed
    if failed:
        raise UpkeepFailed(f"{len(failed)} records: {[asdict(u) for u in failed[:5]]}")
    return summary


def main() -> None:  # pragma: no cover - a long-running deployment
    parser = argparse.ArgumentParser(description="sohoa signature upkeep, once or on a schedule")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--horizon-days", type=int)
    parser.add_argument("--serve", action="store_true", help="serve a scheduled deployment")
    parser.add_argument("--cron", default="0 3 * * 0")
    args = parser.parse_args()
    data_dir = str(Path(args.data_dir).resolve())
    if args.serve:
        signatures_flow.serve(name="weekly-signatures", cron=args.cron,
                              parameters={"data_dir": data_dir, "horizon_days": args.horizon_days})
    else:
        print(signatures_flow(data_dir, args.horizon_days))


if __name__ == "__main__":
    main()
