"""Archive speed on both object stores: records written and read per second, and fixity verification in MB/s.

    python bench/archive_speed.py [--records N] [--workers N]

Each record is sized like a real one (a 400 KB scan, a 250 KB signed PDF, 4 KB of text, the manifest) with random
bytes. The S3 path runs the archive's MinIO backend (the real `minio` SDK over HTTP) against SeaweedFS on 127.0.0.1,
a real S3 server with Object Lock (`weed mini`, one machine, its own volume and filer on the same two cores): its
figures measure our client path and that server, not a MinIO cluster. Prints the figures, then one line of key=value.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.base import ORIGINAL, RecordArchive  # noqa: E402
from archive.filesystem import FilesystemObjects  # noqa: E402
from archive.fixity import check_fixity  # noqa: E402
from archive.objects import ObjectStore  # noqa: E402
from tests.archive.records import manifest_for  # noqa: E402

SIZES = {"original": 400_000, "signed_pdf": 250_000, "ocr_text": 4_000}


def record_files(i: int) -> dict[str, bytes]:
    return {role: os.urandom(size) for role, size in SIZES.items()}


def timed(fn: Callable[[int], object], n: int, workers: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(fn, range(n)))
    return time.perf_counter() - started


def run(name: str, objects: ObjectStore, n: int, workers: int) -> dict[str, float]:
    archive = RecordArchive(objects)
    records = [record_files(i) for i in range(n)]
    manifests = [manifest_for(f, f"000.00.00.H49-261122-{i + 1:04d}-KQ1") for i, f in enumerate(records)]
    write_s = timed(lambda i: archive.store(manifests[i], records[i]), n, workers)
    read_s = timed(lambda i: archive.read(manifests[i], ORIGINAL), n, workers)
    report = check_fixity(archive)
    assert report.ok and report.records == n, report.findings[:3]
    mb = sum(sum(len(v) for v in f.values()) for f in records) / 1e6
    print(f"{name:<22} write {n / write_s:7.1f} records/s ({mb / write_s:6.1f} MB/s)   "
          f"read {n / read_s:7.1f} records/s   fixity {report.mb_per_s:6.1f} MB/s")
    return {"write_rps": n / write_s, "read_rps": n / read_s, "fixity_mbps": report.mb_per_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    from archive.minio_store import MinioObjects
    from tests.s3_server import running_seaweedfs

    with tempfile.TemporaryDirectory() as tmp:
        fs = run("filesystem", FilesystemObjects(Path(tmp) / "archive"), args.records, args.workers)
        with running_seaweedfs(Path(tmp) / "seaweedfs") as server:
            store = MinioObjects(server.endpoint, server.access_key, server.secret_key,
                                 f"bench-{uuid.uuid4().hex[:8]}", secure=False)
            store.ensure_bucket()
            s3 = run("minio SDK -> SeaweedFS", store, args.records, args.workers)
    figures = {"records": args.records, "workers": args.workers,
               **{f"fs_{k}": round(v, 1) for k, v in fs.items()},
               **{f"s3_{k}": round(v, 1) for k, v in s3.items()}}
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
