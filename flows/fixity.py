"""The nightly fixity flow: re-read the archive (or a random sample of it) in chunks of records, one task per
chunk, and write the outcome to the audit log. Orchestration only; the work is `archive.fixity.check_fixity`.

    python -m flows.fixity --data-dir /srv/sohoa --sample 5000            one run now
    python -m flows.fixity --data-dir /srv/sohoa --serve --cron "0 2 * * *"  a served deployment, nightly at 02:00

A run that finds a problem ends in the Failed state, so Prefect's notifications reach the archivist.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

from prefect import flow, task
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from archive.fixity import FixityReport, check_fixity, record_hashes
from context.services import services_for
from domain.actor import Actor

CHUNK = 500


class FixityFailed(Exception):
    """The archive is not as its manifests say."""


@task(name="fixity-chunk")
def check_chunk(data_dir: str, hashes: list[str]) -> FixityReport:
    return check_fixity(services_for(data_dir).archive, hashes=hashes)


@flow(name="sohoa-fixity", validate_parameters=False)
def fixity_flow(data_dir: str, sample: int | None = None, seed: int | None = None) -> dict[str, Any]:
    services = services_for(data_dir)
    hashes = record_hashes(services.archive)
    if sample is not None and sample < len(hashes):
        hashes = random.Random(seed).sample(hashes, sample)
    chunks = [sorted(hashes)[i:i + CHUNK] for i in range(0, len(hashes), CHUNK)]
    reports = [f.result() for f in [check_chunk.submit(data_dir, chunk) for chunk in chunks]]
    findings = [asdict(f) for r in reports for f in r.findings]
    summary = {"records": sum(r.records for r in reports), "objects": sum(r.objects for r in reports),
               "bytes": sum(r.bytes for r in reports), "findings": findings}
    services.log(Actor.flow("sohoa-fixity"), "fixity.check", None, "Kiểm tra tính toàn vẹn định kỳ (Prefect)",
                 **summary)
    if findings:
        raise FixityFailed(f"{len(findings)} problems: {findings[:5]}")
    return summary


def main() -> None:  # pragma: no cover - a long-running deployment
    parser = argparse.ArgumentParser(description="sohoa fixity check, once or on a schedule")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--sample", type=int)
    parser.add_argument("--serve", action="store_true", help="serve a scheduled deployment")
    parser.add_argument("--cron", default="0 2 * * *")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    data_dir = str(Path(args.data_dir).resolve())
    runner = fixity_flow.with_options(task_runner=cast("TaskRunner[Any]", ThreadPoolTaskRunner(args.workers)))
    if args.serve:
        runner.serve(name="nightly-fixity", cron=args.cron, parameters={"data_dir": data_dir, "sample": args.sample})
    else:
        print(runner(data_dir, args.sample))


if __name__ == "__main__":
    main()
