"""Scaling across workers: the same page set with 1 and then 2 `sohoa worker` processes taking chunks from a real
Prefect server (PostgreSQL when installed) into a real S3 server with Object Lock (SeaweedFS), with bare Tesseract
in 1 and 2 processes over the same pages as the anchor (what the machine itself gives from a second process).

    python bench/scale.py [folder ...] [--generated 2] [--chunk-files 2] [--threads 1]

The page set: the folders (default sample_scans/ and variety_scans/) and `--generated` more sets of the sample
generator with other seeds (other people, numbers and dates: other papers, not second captures).

Each run gets a bucket of its own (nothing already archived), its workers are started and registered with the
server before the batch is sent, and the clock runs from the end of `sohoa ingest --submit` (its chunks are in the
pool) to the batch's last result.
Figures: pages/min with 1 and 2 workers; efficiency = rate(2) / (2 × rate(1)); Prefect's overhead per chunk =
(time inside flow runs + taking them − the documents' own seconds) / chunks, from the workers' own statistics; the
peak RSS of each worker (and of its largest Tesseract child); the CPU seconds of the workers and of the servers
(S3, Prefect, PostgreSQL) during each run, and the efficiency per core the workers actually had (on a machine that
also runs the servers, they take part of the cores). Prints the figures, then one line of key=value.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.throughput import anchor_pages, run_anchor  # noqa: E402

SOHOA = Path(sys.executable).with_name("sohoa")


def settings_text(s3: Any, bucket: str, chunk_files: int) -> str:
    return f"""
[archive]
backend = "minio"
[archive.minio]
endpoint = "{s3.endpoint}"
access_key = "{s3.access_key}"
secret_key = "{s3.secret_key}"
bucket = "{bucket}"
secure = false
[workers]
pool = "{bucket}"
chunk_files = {chunk_files}
poll_seconds = 0.2
heartbeat_seconds = 5
lost_after_seconds = 60
"""


SERVERS = ("s3", "prefect", "postgres")
CLOCK = os.sysconf("SC_CLK_TCK")


def _kind(argv: list[str]) -> str | None:
    line = " ".join(argv)
    if argv and Path(argv[0]).name == "weed":
        return "s3"
    if "prefect server start" in line or "prefect.server.api.server" in line:
        return "prefect"
    if argv and (Path(argv[0]).name == "postgres" or argv[0].startswith("postgres:")):
        return "postgres"
    if len(argv) > 2 and Path(argv[1]).name == "sohoa" and argv[2] == "worker":
        return "workers"
    return None


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by the servers (by kind), the workers (with their Tesseract children, once reaped)
    and the whole machine, from /proc."""
    used = {kind: 0.0 for kind in (*SERVERS, "workers")}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
            argv = (stat.parent / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        kind = _kind([a for a in argv if a])
        if kind is None:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        own, children = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        used[kind] += (own + (children if kind == "workers" else 0)) / CLOCK
    busy = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    used["machine"] = (sum(int(x) for x in busy) - int(busy[3]) - int(busy[4])) / CLOCK  # all but idle, iowait
    return used


def wait_registered(api: str, pool: str, names: list[str], deadline_s: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            found = httpx.post(f"{api}/work_pools/{pool}/workers/filter", json={"limit": 200, "offset": 0},
                               timeout=5).json()
            if isinstance(found, list) and {w["name"] for w in found} >= set(names):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"workers {names} did not register with {api}")


def one_run(workers: int, scans: Path, work: Path, s3: Any, server: Any, chunk_files: int,
            threads: int) -> dict[str, Any]:
    """A fresh archive, `workers` workers, one batch: the rate, and what the workers say about themselves."""
    from context.services import open_services
    from context.settings import load_settings
    from domain.actor import Actor
    from service.batches import recorded_results, results_count

    bucket = f"scale-{workers}-{uuid.uuid4().hex[:6]}"
    datas = []
    for n in range(workers):
        data = work / f"run{workers}" / f"data{n}"
        data.mkdir(parents=True)
        (data / "settings.toml").write_text(settings_text(s3, bucket, chunk_files), encoding="utf-8")
        datas.append(data)
    first = open_services(load_settings(datas[0]))
    first.signer_for(Actor("bench", "operator"))  # the development identity, deployed to every worker
    for data in datas[1:]:
        shutil.copytree(datas[0] / "keys", data / "keys")
    env = {**os.environ, **server.env(), "SOHOA_INDEX_DIR": str(work / f"run{workers}" / "index"),
           "OMP_THREAD_LIMIT": "1"}
    names = [f"w{n}" for n in range(workers)]
    procs = [subprocess.Popen([str(SOHOA), "worker", "--data-dir", str(d), "--threads", str(threads), "--name", nm,
                               "--stats", str(d / "stats.json")], env=env,
                              stdout=(d / "worker.log").open("w"), stderr=subprocess.STDOUT)
             for d, nm in zip(datas, names, strict=True)]
    try:
        wait_registered(server.api_url, bucket, names)
        sent = subprocess.run([str(SOHOA), "ingest", str(scans), "--submit", "--json", "--data-dir", str(datas[0]),
                               "--actor", "bench"], env=env, capture_output=True, text=True, check=True)
        started = time.perf_counter()  # the chunks are in the pool: from here on it is the workers' time
        cpu_before = cpu_seconds()
        summary = json.loads(sent.stdout)["summary"]
        progress_at, done = time.monotonic(), 0
        while True:  # a listing, not a read of every result: the bench must not load the S3 server it measures
            count = results_count(first, summary["batch"])
            if count >= summary["files"]:
                break
            if count > done:
                progress_at, done = time.monotonic(), count
            if any(p.poll() is not None for p in procs) or time.monotonic() - progress_at > 300:
                logs = "\n".join((d / "worker.log").read_text()[-3000:] for d in datas)
                raise RuntimeError(f"no progress ({done}/{summary['files']} files):\n{logs}")
            time.sleep(0.25)
        wall = time.perf_counter() - started
        cpu_after = cpu_seconds()
        results = recorded_results(first, summary["batch"])
        for p in procs:
            p.send_signal(signal.SIGTERM)  # stop when idle: each writes its statistics
        for p in procs:
            p.wait(120)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    stats = [json.loads((d / "stats.json").read_text()) for d in datas]
    pages = sum(r["pages"] for r in results if r["outcome"] == "accepted")
    doc_seconds = sum(r["seconds"] for r in results)
    runs = sum(s["runs"] for s in stats)
    overhead = (sum(s["run_seconds"] + s["claim_seconds"] for s in stats) - doc_seconds / threads) / max(runs, 1)
    # A process that ended meanwhile (a PostgreSQL backend) takes its seconds with it: never below zero.
    cpu = {k: max(0.0, cpu_after[k] - cpu_before[k]) for k in cpu_after}
    return {"cpu_s": cpu, "workers": workers, "files": summary["files"], "chunks": summary["chunks"], "pages": pages,
            "outcomes": {o: sum(r["outcome"] == o for r in results) for o in {r["outcome"] for r in results}},
            "wall_s": wall, "pages_per_min": pages / wall * 60, "overhead_s_per_chunk": overhead,
            "runs_per_worker": [s["runs"] for s in stats], "peak_rss_mb": [round(s["peak_rss_mb"]) for s in stats],
            "children_peak_rss_mb": [round(s["children_peak_rss_mb"]) for s in stats]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=[REPO / "sample_scans", REPO / "variety_scans"])
    parser.add_argument("--generated", type=int, default=2, help="sample sets generated with other seeds")
    parser.add_argument("--chunk-files", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="documents at once in each worker")
    args = parser.parse_args()

    from flows import QUIET_PREFECT

    for key in ("PREFECT_API_URL", "PREFECT_HOME", *QUIET_PREFECT):
        os.environ.pop(key, None)
    from flows.ingest import list_scans
    from tests.prefect_server import running_prefect
    from tests.s3_server import running_seaweedfs

    with tempfile.TemporaryDirectory(prefix="sohoa-scale-") as tmp:
        work = Path(tmp)
        scans = work / "scans"
        scans.mkdir()
        folders = list(args.folders)
        for seed in range(1, args.generated + 1):
            folders.append(work / f"generated-{seed}")
            subprocess.run([sys.executable, str(REPO / "sample_scans" / "generate.py"), "--seed", str(seed),
                            "--out", str(folders[-1])], check=True, capture_output=True)
        for folder in folders:
            for path in list_scans(folder).scans:
                shutil.copy(path, scans / f"{folder.name}-{path.name}")
        with running_seaweedfs(work / "s3") as s3, running_prefect(work / "prefect") as server:
            print(f"Prefect server on {server.database}; S3: SeaweedFS; cpus: {os.cpu_count()}")
            runs = [one_run(n, scans, work, s3, server, args.chunk_files, args.threads) for n in (1, 2)]
        anchor_dir = work / "anchor"
        anchor_dir.mkdir()
        pages = anchor_pages(sorted(scans.iterdir()), anchor_dir)
        anchor = {n: len(pages) / run_anchor(pages, n) * 60 for n in (1, 2)}

    one, two = runs
    efficiency = two["pages_per_min"] / (2 * one["pages_per_min"])
    # Per core the workers actually had (their CPU seconds over the wall): on a machine whose servers take part of
    # the cores, this separates what scaling loses to coordination from what it loses to the servers.
    cores = [run["cpu_s"]["workers"] / run["wall_s"] for run in runs]
    core_efficiency = (two["pages_per_min"] / cores[1]) / (one["pages_per_min"] / cores[0])
    anchor_efficiency = anchor[2] / (2 * anchor[1])
    for run in runs:
        print(f"{run['workers']} worker(s): {run['files']} files, {run['pages']} pages in {run['chunks']} chunks, "
              f"{run['wall_s']:.1f} s = {run['pages_per_min']:.1f} pages/min; runs per worker "
              f"{run['runs_per_worker']}; outcomes {run['outcomes']}; Prefect overhead "
              f"{run['overhead_s_per_chunk']:.3f} s/chunk; peak RSS {run['peak_rss_mb']} MB "
              f"(largest child {run['children_peak_rss_mb']} MB)")
    for run in runs:
        cpu = run["cpu_s"]
        servers = sum(cpu[k] for k in SERVERS)
        print(f"  CPU during the {run['workers']}-worker run ({run['wall_s']:.1f} s, {os.cpu_count()} cores): workers "
              f"{cpu['workers']:.1f} s ({cpu['workers'] / run['pages']:.2f} s/page), servers {servers:.1f} s "
              f"(" + ", ".join(f"{k} {cpu[k]:.1f}" for k in SERVERS) + f"), machine {cpu['machine']:.1f} s")
    print(f"efficiency 1 -> 2 workers: {efficiency:.2f}; per core the workers had ({cores[0]:.2f} and "
          f"{cores[1]:.2f}): {core_efficiency:.2f}")
    print(f"anchor, bare tesseract on the same {len(pages)} pages: {anchor[1]:.1f} pages/min in 1 process, "
          f"{anchor[2]:.1f} in 2: efficiency {anchor_efficiency:.2f}")
    per_worker = one["pages_per_min"]
    figures = {
        "pages": one["pages"], "chunk_files": args.chunk_files, "threads": args.threads,
        "pages_per_min_1": f"{one['pages_per_min']:.1f}", "pages_per_min_2": f"{two['pages_per_min']:.1f}",
        "efficiency": f"{efficiency:.2f}", "worker_core_efficiency": f"{core_efficiency:.2f}",
        "overhead_s_per_chunk": f"{max(one['overhead_s_per_chunk'], two['overhead_s_per_chunk']):.3f}",
        "peak_rss_mb": max(one["peak_rss_mb"] + two["peak_rss_mb"]),
        "child_peak_rss_mb": max(one["children_peak_rss_mb"] + two["children_peak_rss_mb"]),
        "anchor_pages_per_min_1": f"{anchor[1]:.1f}", "anchor_pages_per_min_2": f"{anchor[2]:.1f}",
        "anchor_efficiency": f"{anchor_efficiency:.2f}", "pages_per_min_per_worker": f"{per_worker:.1f}",
        "worker_cpu_s_per_page_1": f"{one['cpu_s']['workers'] / one['pages']:.2f}",
        "worker_cpu_s_per_page_2": f"{two['cpu_s']['workers'] / two['pages']:.2f}",
        "server_cpu_share_2": f"{sum(two['cpu_s'][k] for k in SERVERS) / (two['wall_s'] * (os.cpu_count() or 1)):.2f}",
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
