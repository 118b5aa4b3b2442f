"""A real Prefect server for the tests and benchmarks that run workers: `prefect server start` on 127.0.0.1 with a
port and a home of its own, its database PostgreSQL (Debian's, a cluster made in a folder of its own) when it can
be started here, else SQLite; stopped by PID."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from flows import QUIET_PREFECT
from tests.s3_server import free_ports
from tests.waiting import stop, wait_until

POSTGRES_BIN = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class PrefectServer:
    api_url: str
    database: str  # "postgresql" or "sqlite"

    def env(self) -> dict[str, str]:
        """What a client or worker process needs to use this server."""
        return {"PREFECT_API_URL": self.api_url, **QUIET_PREFECT}


def _postgres_bin() -> Path | None:
    versions = sorted(POSTGRES_BIN.glob("*/bin/initdb")) if POSTGRES_BIN.is_dir() else []
    return versions[-1].parent if versions else None


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user Debian's package made."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def running_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free port, in a folder of its own under the system's temporary folder
    (as root, the `postgres` user must reach it: pytest's folders are private to root); yields its asyncpg URL."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="sohoa-postgres-"))
    try:
        with _cluster(bin_dir, folder) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _cluster(bin_dir: Path, folder: Path) -> Iterator[str]:
    data, sockets = folder / "pg", folder / "sockets"
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (folder, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "prefect", "--auth=trust",
                                 "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
    [port] = free_ports(1)
    log = folder / "postgres.log"
    process = subprocess.Popen(_as_postgres([str(bin_dir / "postgres"), "-D", str(data), "-p", str(port),
                                             "-h", "127.0.0.1", "-k", str(sockets), "-F"]),
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        ready = bin_dir / "pg_isready"
        wait_until(lambda: subprocess.run([str(ready), "-h", "127.0.0.1", "-p", str(port)],
                                          capture_output=True).returncode == 0, process, log)
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "prefect", "prefect"],
                       check=True, capture_output=True)
        yield f"postgresql+asyncpg://prefect@127.0.0.1:{port}/prefect"
    finally:
        stop(process, 20)


@contextmanager
def running_prefect(folder: Path, database: str = "postgresql") -> Iterator[PrefectServer]:
    """`prefect server start` with its database: "postgresql" (falls back to SQLite, said in the result, when
    PostgreSQL is not installed) or "sqlite"."""
    folder.mkdir(parents=True, exist_ok=True)
    program = Path(sys.executable).with_name("prefect")
    with _database(folder, database) as (url, kind):
        [port] = free_ports(1)
        env = {**os.environ, **QUIET_PREFECT, "PREFECT_HOME": str(folder / "home"),
               "PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(port),
               "PREFECT_UI_ENABLED": "false"}
        env.pop("PREFECT_API_URL", None)
        if url:
            env["PREFECT_API_DATABASE_CONNECTION_URL"] = url
        log = folder / "prefect.log"
        process = subprocess.Popen([str(program if program.exists() else shutil.which("prefect")), "server", "start",
                                    "--host", "127.0.0.1", "--port", str(port)],
                                   env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        try:
            api = f"http://127.0.0.1:{port}/api"
            wait_until(lambda: httpx.get(f"{api}/health", timeout=2).status_code == 200, process, log, seconds=120)
            yield PrefectServer(api, kind)
        finally:
            stop(process, 20)


@contextmanager
def _database(folder: Path, database: str) -> Iterator[tuple[str, str]]:
    if database == "postgresql" and _postgres_bin() is not None:
        with running_postgres() as url:
            yield url, "postgresql"
    else:
        yield "", "sqlite"
