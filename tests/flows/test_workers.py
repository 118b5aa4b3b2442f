"""Workers can die. A real Prefect server (PostgreSQL when installed), a real S3 server with Object Lock (SeaweedFS),
two `sohoa worker` processes with data directories of their own (two machines sharing one archive and one index),
a batch sent with `sohoa ingest --submit`, and one worker killed with SIGKILL while it holds a chunk: the other
gives that chunk back to the pool and finishes the batch, and nothing is stored twice or lost. The survivor then
runs the fixity check and the outbox replay asked of the pool, as an archivist would from the Prefect UI."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from archive.fixity import check_fixity
from context.services import open_services
from context.settings import load_settings
from flows.pool import largest_first, split
from flows.settings import worker_settings
from tests.conftest import OPERATOR, REPO, SAMPLES, run_cli

FILES = ["khai_sinh_01.png", "ket_hon_01.jpg", "khai_sinh_02.jpg", "khai_tu_01.png", "quyet_dinh_01.pdf",
         "tinh_trang_hon_nhan_01.jpg", "ho_kinh_doanh_02.pdf", "tinh_trang_hon_nhan_02_cmnd.png"]
SOHOA = Path(sys.executable).with_name("sohoa")


def test_chunks_cover_the_batch_once_in_order() -> None:
    paths = [Path(f"/scans/{i}.png") for i in range(7)]
    chunks = split(paths, 3)
    assert [(c.index, c.first, len(c.paths)) for c in chunks] == [(1, 0, 3), (2, 3, 3), (3, 6, 1)]
    assert [p for c in chunks for p in c.paths] == [str(p) for p in paths]


def test_the_largest_files_are_sent_first_so_that_workers_finish_together(tmp_path: Path) -> None:
    for name, size in (("a.png", 10), ("b.png", 300), ("c.png", 20)):
        (tmp_path / name).write_bytes(b"x" * size)
    assert [p.name for p in largest_first(sorted(tmp_path.iterdir()))] == ["b.png", "c.png", "a.png"]


def test_a_worker_is_not_taken_for_lost_within_two_heartbeats(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("[workers]\nheartbeat_seconds = 10\nlost_after_seconds = 15\n")
    with pytest.raises(Exception, match="two heartbeats"):
        worker_settings(tmp_path, env={})
    assert worker_settings(tmp_path, env={"SOHOA_WORKER_LOST_AFTER": "30"}).lost_after_seconds == 30


def test_submitting_without_a_prefect_server_says_what_to_set(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    shutil.copy(SAMPLES / FILES[0], scans)
    status, _ = run_cli("ingest", scans, "--submit", "--data-dir", tmp_path / "data")
    assert status == 2  # the message (PREFECT_API_URL) is printed on the console


@pytest.fixture
def machines(tmp_path: Path, s3_server: Any, prefect_server: Any) -> Iterator[dict[str, Any]]:
    """Two data directories on one archive (a bucket of their own on SeaweedFS) and one index, with the same
    settings and signing keys, as two machines of a province would have."""
    bucket = f"workers-{uuid.uuid4().hex[:8]}"
    settings = f"""
[archive]
backend = "minio"
[archive.minio]
endpoint = "{s3_server.endpoint}"
access_key = "{s3_server.access_key}"
secret_key = "{s3_server.secret_key}"
bucket = "{bucket}"
secure = false
[workers]
pool = "pool-{bucket}"
chunk_files = 2
poll_seconds = 0.3
heartbeat_seconds = 1
lost_after_seconds = 5
"""
    one, two = tmp_path / "one", tmp_path / "two"
    for data in (one, two):
        data.mkdir()
        (data / "settings.toml").write_text(settings, encoding="utf-8")
    open_services(load_settings(one)).signer_for(OPERATOR)  # the development identity, made once
    shutil.copytree(one / "keys", two / "keys")  # and deployed to the second machine
    env = {**os.environ, **prefect_server.env(), "SOHOA_INDEX_DIR": str(tmp_path / "shared-index"),
           "PYTHONPATH": str(REPO)}
    yield {"one": one, "two": two, "env": env, "pool": f"pool-{bucket}"}


def _worker(data: Path, name: str, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(SOHOA), "worker", "--data-dir", str(data), "--threads", "1", "--name", name,
                             *extra], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def _held_by(name: str, env: dict[str, str]) -> bool:
    """Whether the worker `name` holds a running chunk now (asked of the server's REST API: this process's Prefect
    settings were read before the server existed)."""
    body = {"flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}}, "sort": "ID_DESC", "limit": 50, "offset": 0}
    runs = httpx.post(f"{env['PREFECT_API_URL']}/flow_runs/filter", json=body, timeout=10).json()
    return any((r.get("infrastructure_pid") or "").endswith(f":{name}") for r in runs)


def _run_deployment(env: dict[str, str], name: str) -> str:
    """A flow run of a deployment, as the Prefect UI's "Run" button makes it; its id."""
    api = env["PREFECT_API_URL"]
    deployment = httpx.get(f"{api}/deployments/name/{name}", timeout=10).json()
    return str(httpx.post(f"{api}/deployments/{deployment['id']}/create_flow_run", json={}, timeout=10).json()["id"])


def _state(env: dict[str, str], run: str) -> str:
    return str(httpx.get(f"{env['PREFECT_API_URL']}/flow_runs/{run}", timeout=10).json()["state_type"])


def test_a_worker_killed_mid_batch_loses_nothing_and_stores_nothing_twice(machines: dict[str, Any],
                                                                         tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    env, one, two = machines["env"], machines["one"], machines["two"]
    scans = tmp_path / "scans"
    scans.mkdir()
    for name in FILES:
        shutil.copy(SAMPLES / name, scans)
    sent = subprocess.run([str(SOHOA), "ingest", str(scans), "--submit", "--json", "--data-dir", str(one),
                           "--actor", OPERATOR.identity], env=env, capture_output=True, text=True, timeout=120)
    assert sent.returncode == 0, sent.stderr
    summary = json.loads(sent.stdout)["summary"]
    assert (summary["files"], summary["chunks"]) == (8, 4)
    batch_id = summary["batch"]

    victim = _worker(one, "victim", env, tmp_path / "victim.log")
    survivor = _worker(two, "survivor", env, tmp_path / "survivor.log", "--stats", str(tmp_path / "survivor.json"))
    try:
        monkeypatch.setenv("SOHOA_INDEX_DIR", env["SOHOA_INDEX_DIR"])
        services = open_services(load_settings(two))
        done = f"batch-results/{batch_id}/files/"
        deadline = time.monotonic() + 180
        while not (_held_by("victim", env) and len(list(services.archive.objects.keys(done))) >= 1):
            assert time.monotonic() < deadline and victim.poll() is None, (tmp_path / "victim.log").read_text()
            time.sleep(0.2)
        victim.send_signal(signal.SIGKILL)  # mid-chunk: no chance to say goodbye
        victim.wait(10)
        while services.archive.objects.stat(f"batch-results/{batch_id}/finished.json") is None:
            assert time.monotonic() < deadline and survivor.poll() is None, (tmp_path / "survivor.log").read_text()
            time.sleep(0.5)
        upkeep = [_run_deployment(env, f"{flow}/{machines['pool']}") for flow in ("sohoa-fixity",
                                                                                 "sohoa-reindex-pending")]
        while not all(_state(env, run) == "COMPLETED" for run in upkeep):  # the archivist's runs, from the UI
            assert time.monotonic() < deadline and not {"FAILED", "CRASHED"} & {_state(env, r) for r in upkeep}, \
                (tmp_path / "survivor.log").read_text()[-3000:]
            time.sleep(0.5)
        survivor.send_signal(signal.SIGTERM)  # stops between runs, and says what it did
        survivor.wait(60)
        assert survivor.returncode == 0, (tmp_path / "survivor.log").read_text()[-3000:]
    finally:
        for process in (victim, survivor):
            if process.poll() is None:
                process.kill()
    stats = json.loads((tmp_path / "survivor.json").read_text())
    assert stats["given_back"] >= 1  # the victim's chunk went back to the pool

    status, out = run_cli("batches", batch_id, "--json", "--data-dir", two)
    [batch] = json.loads(out)
    assert (batch["state"], batch["done"], batch["files"]) == ("done", 8, 8), batch

    services = open_services(load_settings(two))
    manifests = list(services.archive.manifests())
    hashes = {hashlib.sha256((scans / name).read_bytes()).hexdigest() for name in FILES}
    assert sorted(m.content_hash for m in manifests) == sorted(hashes)  # every file, each once
    assert all(m.version == 1 for m in manifests)
    numbers = services.archive.dossier_numbers()
    assert numbers.double == [] and numbers.unused == [] and numbers.unfinished == []
    assert len({m.dossier_code for m in manifests}) == 8 and len({m.result_code for m in manifests}) == 8
    assert check_fixity(services.archive).findings == []
    assert services.audit.verify().ok
    written = {json.loads(line)["record"] for line in services.audit.lines() if '"record.write"' in line}
    assert written == {m.result_code for m in manifests}  # each record's write in the log, and no other

    status, out = run_cli("reindex", "--pending", "--data-dir", two)  # whatever the victim left for the index
    assert status == 0, out
    assert len(services.outbox) == 0
    assert all(services.index.get(m.result_code) is not None for m in manifests)
