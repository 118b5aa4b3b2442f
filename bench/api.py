"""The HTTP API under load: lookups and intake checks from concurrent clients against 100,000 records.

    python bench/api.py [--records N] [--seconds S] [--clients C] [--workers W]

Builds a data directory whose index holds N synthetic records (default 100,000; bench/lookup.py's generator: one to
three persons each, Vietnamese names, personal numbers, seven document types), makes an API client key for a
one-stop-shop system, starts `sohoa serve` (W uvicorn workers, default 1) on 127.0.0.1, and for S seconds each
(default 20) drives, with C concurrent keep-alive connections (default 8):
  - the anchor: GET /health over the same server and connections (what the HTTP stack alone costs here);
  - POST /v1/lookup by the personal number of a random existing citizen (each call authenticated, rate-counted,
    audit-logged with its purpose and results, its copies granted);
  - POST /v1/intake-check for the marriage procedure (1.000894) of a random existing citizen.
Prints requests/s, p50/p95/p99 and errors (any status but 200) for each, then one line of key=value whose `rps`,
`p95_ms` and `errors` are the lookup's. Goal on a 2-core machine: >= 200 requests/s at p95 < 50 ms, 0 errors.

The records exist in the index only (the archive holds none of them): a lookup and an intake check read the index,
write the audit event and the clerk's copy grants; neither reads the archive unless a paper is held and its link is
made, which here finds no archived record and gives no link. The lookup limit per client is raised for the run
(settings.toml in the bench's data directory), since one client here stands for a whole province's desks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.lookup import percentile, records  # noqa: E402
from context.services import open_services  # noqa: E402
from context.settings import load_settings  # noqa: E402
from domain.actor import Actor  # noqa: E402
from indexer.sqlite import SqliteIndex  # noqa: E402
from service.clients import add_client  # noqa: E402

PURPOSE = "Tiếp nhận hồ sơ (đo tải)"


def build(data_dir: Path, n: int, seed: int) -> list[str]:
    """The data directory with n records in its index; returns personal numbers that exist in it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.toml").write_text("[auth]\nclient_lookups_per_minute = 100000000\n", encoding="utf-8")
    settings = load_settings(data_dir)
    numbers: list[str] = []

    def generated():  # type: ignore[no-untyped-def]
        for i, r in enumerate(records(n, seed)):
            if i % 7 == 0:
                numbers.extend(p.personal_number for p in r.persons if p.personal_number)
            yield r

    started = time.perf_counter()
    index = SqliteIndex(settings.index_dir)
    b = index.start_build()
    indexed = b.add(generated())
    b.publish()
    print(f"Indexed {indexed:,} records in {time.perf_counter() - started:.1f} s ({data_dir})", flush=True)
    return numbers


class Connection:
    """One keep-alive HTTP/1.1 connection, as lean as a client can be: the load generator shares the machine's two
    cores with the server, and a full client library would take more of them than the server does."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
                 headers: dict[str, str]) -> None:
        self.reader, self.writer = reader, writer
        self.head = f"Host: {host}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())

    async def request(self, method: str, path: str, body: dict[str, Any] | None) -> int:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        extra = f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n" if body is not None else ""
        self.writer.write(f"{method} {path} HTTP/1.1\r\n{self.head}{extra}\r\n".encode() + data)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])


async def drive(host: str, port: int, make: Callable[[], tuple[str, str, dict[str, Any] | None]],
                headers: dict[str, str], seconds: float, clients: int) -> tuple[list[float], int, float]:
    """(latencies in ms, errors, elapsed s) of `clients` connections calling for `seconds`."""
    times: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def one() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        conn = Connection(reader, writer, f"{host}:{port}", headers)
        try:
            while time.perf_counter() < stop:
                method, path, body = make()
                t = time.perf_counter()
                try:
                    ok = await conn.request(method, path, body) == 200
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    ok = False
                    reader, writer = await asyncio.open_connection(host, port)
                    conn = Connection(reader, writer, f"{host}:{port}", headers)
                times.append((time.perf_counter() - t) * 1000)
                errors += not ok
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    return times, errors, time.perf_counter() - started


def report(name: str, times: list[float], errors: int, elapsed: float) -> dict[str, float]:
    times.sort()
    figures = {"rps": len(times) / elapsed, "p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
               "p99": percentile(times, 0.99), "errors": float(errors), "n": float(len(times))}
    print(f"  {name:<14} {figures['n']:>7.0f} requests  {figures['rps']:7.1f}/s  p50 {figures['p50']:6.1f} ms  "
          f"p95 {figures['p95']:6.1f} ms  p99 {figures['p99']:6.1f} ms  errors {errors}", flush=True)
    return figures


@contextmanager
def serving(data_dir: Path, port: int, workers: int = 1) -> Iterator[str]:
    """`sohoa serve` on the data directory, answering on 127.0.0.1:port; stopped on leaving."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_THREAD_LIMIT": "1"}
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--data-dir",
                               str(data_dir), "--workers", str(workers), "--log-level", "warning"],
                              cwd=REPO, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("sohoa serve did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="sohoa-bench-api-")) / "data"
    numbers = build(data_dir, args.records, args.seed)
    services = open_services(load_settings(data_dir))
    _, key = add_client(services, Actor("bench", "console"), "Một cửa điện tử (đo tải)", "clerk")
    port = 18470 + os.getpid() % 1000
    with serving(data_dir, port, args.workers):
        rng = random.Random(args.seed)
        headers = {"Authorization": f"Bearer {key}"}
        kinds: dict[str, Callable[[], tuple[str, str, dict[str, Any] | None]]] = {
            "health (anchor)": lambda: ("GET", "/health", None),
            "lookup": lambda: ("POST", "/v1/lookup", {"citizen": rng.choice(numbers), "purpose": PURPOSE}),
            "intake-check": lambda: ("POST", "/v1/intake-check", {"citizen": rng.choice(numbers), "purpose": PURPOSE,
                                                                  "procedure_code": "1.000894"}),
        }
        print(f"{args.clients} concurrent clients, {args.seconds:g} s each, {args.workers} server worker(s), "
              f"{len(numbers):,} citizens to ask for:")
        asyncio.run(drive("127.0.0.1", port, kinds["lookup"], headers, 2, args.clients))  # warm up
        figures = {name: report(name, *asyncio.run(drive("127.0.0.1", port, make, headers, args.seconds,
                                                         args.clients)))
                   for name, make in kinds.items()}
    look, intake, anchor = figures["lookup"], figures["intake-check"], figures["health (anchor)"]
    ok = look["rps"] >= 200 and look["p95"] < 50 and look["errors"] == 0
    print(f"Goal: lookups >= 200/s at p95 < 50 ms with 0 errors: {'met' if ok else 'NOT met'}")
    print(f"records={args.records} clients={args.clients} workers={args.workers} rps={look['rps']:.1f} "
          f"p50_ms={look['p50']:.1f} p95_ms={look['p95']:.1f} p99_ms={look['p99']:.1f} errors={look['errors']:.0f} "
          f"intake_rps={intake['rps']:.1f} intake_p95_ms={intake['p95']:.1f} intake_errors={intake['errors']:.0f} "
          f"anchor_health_rps={anchor['rps']:.1f} anchor_health_p95_ms={anchor['p95']:.1f}")


if __name__ == "__main__":
    main()
