"""Ingest batches sent over the API: the digitising officer sends a folder on the server, the call returns at once,
and the batch's progress (files done, outcomes, what went to quarantine and why) can be followed until it is done;
`sohoa ingest` records its batches the same way, so `sohoa batches` shows both."""

import dataclasses
import json
import shutil
import time
from pathlib import Path

from fastapi.testclient import TestClient

from context.services import open_services
from context.settings import load_settings
from portal.api import create_app
from service.auth_settings import auth_settings
from service.sessions import open_session
from tests.conftest import OPERATOR, SAMPLES, run_cli


def _with_scan_roots(data: Path, *roots: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    (data / "settings.toml").write_text(f"[flow]\nscan_roots = {[str(r) for r in roots]!r}\n".replace("'", '"'),
                                        encoding="utf-8")


def test_a_batch_sent_over_the_api_runs_in_the_background_and_reports_its_progress(tmp_path: Path) -> None:
    _with_scan_roots(tmp_path / "data", tmp_path / "share")
    services = open_services(load_settings(tmp_path / "data"))
    scans = tmp_path / "share" / "scans"
    scans.mkdir(parents=True)
    shutil.copy(SAMPLES / "khai_sinh_01.png", scans)
    (scans / "hong.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)  # a truncated image
    api = TestClient(create_app(services))
    token = open_session(services, auth_settings(services), OPERATOR, "local")[0]
    headers = {"Authorization": f"Bearer {token}"}
    sent = api.post("/v1/batches", json={"folder": str(scans)}, headers=headers)
    assert sent.status_code == 202, sent.text
    batch = sent.json()
    assert batch["files"] == 2 and batch["state"] in ("queued", "running")
    deadline = time.monotonic() + 180
    while batch["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, batch
        time.sleep(0.5)
        batch = api.get(f"/v1/batches/{batch['id']}", headers=headers).json()
    assert batch["state"] == "done" and batch["done"] == 2, batch
    assert batch["outcomes"] == {"accepted": 1, "quarantined": 1}
    assert batch["quarantined"][0]["file"] == "hong.png" and batch["quarantined"][0]["reason"]
    assert batch["pages"] == 1 and batch["submitted_by"] == OPERATOR.identity
    listed = api.get("/v1/batches", headers=headers).json()["batches"]
    assert [b["id"] for b in listed] == [batch["id"]]
    status, out = run_cli("batches", batch["id"], "--data-dir", services.settings.data_dir, "--actor", "lead.01")
    assert status == 0 and "cách ly hong.png" in out
    events = [json.loads(line)["action"] for line in services.audit.lines()]
    assert events.count("batch.submit") == 1 and events.count("batch.finish") == 1
    relative = api.post("/v1/batches", json={"folder": "scans"}, headers=headers)
    assert (relative.status_code, relative.json()["error"]) == (400, "no_folder")


def test_a_batch_whose_process_died_shows_as_interrupted_not_running(tmp_path: Path) -> None:
    from service.batches import HEADERS, batch_status, open_batch

    svc = open_services(load_settings(tmp_path / "data"))
    progress = open_batch(svc, OPERATOR, tmp_path, [tmp_path / "a.png"])
    progress.started()
    assert batch_status(svc, OPERATOR, progress.batch.id).state == "running"
    path = svc.settings.archive_dir / HEADERS / f"{progress.batch.id}.json"  # the embedded store's file
    stale = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**stale, "pid": 2**22 + 1}), encoding="utf-8")  # above Linux's pid_max default
    assert batch_status(svc, OPERATOR, progress.batch.id).state == "interrupted"


def test_a_batch_is_followed_from_another_machine_on_the_same_archive(tmp_path: Path) -> None:
    """Its state is in the object store: a second data directory on the same archive sees it, with the files done;
    a file recorded twice (a chunk run again after its worker died) counts once."""
    from pipeline.process import ACCEPTED, DocumentResult
    from service.batches import batch_status, list_batches, open_batch

    here = open_services(load_settings(tmp_path / "here"))
    there = dataclasses.replace(open_services(load_settings(tmp_path / "there")), objects=here.objects)  # one archive
    scans = [tmp_path / "a.png", tmp_path / "b.png"]
    progress = open_batch(here, OPERATOR, tmp_path, scans, chunks=1)
    progress.started()
    progress.advance(DocumentResult(str(scans[0]), ACCEPTED, pages=2, result_code="X-KQ1"))
    progress.advance(DocumentResult(str(scans[0]), "already_archived", result_code="X-KQ1"))  # the rerun's
    seen = batch_status(there, OPERATOR, progress.batch.id)
    assert (seen.state, seen.done, seen.files, seen.pages, seen.host) == ("running", 1, 2, 2, progress.batch.host)
    progress.advance(DocumentResult(str(scans[1]), ACCEPTED, pages=1, result_code="X-KQ2"))
    progress.finished()
    [done] = list_batches(there, OPERATOR)
    assert (done.state, done.done, done.outcomes, done.pages) == ("done", 2, {"accepted": 2}, 3)


def test_batches_an_earlier_version_kept_on_disk_are_moved_into_the_archive(tmp_path: Path) -> None:
    from service.batches import list_batches

    svc = open_services(load_settings(tmp_path / "data"))
    old = svc.settings.data_dir / "batches"
    old.mkdir()
    (old / "0123456789ab.json").write_text(json.dumps({
        "id": "0123456789ab", "folder": "/srv/scans", "files": 3, "submitted_by": "tests",
        "submitted_at": "2026-11-30T01:00:00+00:00", "state": "done", "done": 3, "outcomes": {"accepted": 3},
        "pages": 4, "pid": 1}), encoding="utf-8")
    [moved] = list_batches(svc, OPERATOR)
    assert (moved.id, moved.state, moved.pages) == ("0123456789ab", "done", 4) and not list(old.iterdir())


def test_a_caller_who_may_not_send_batches_learns_nothing_of_the_servers_folders(tmp_path: Path) -> None:
    """Refused before the folder is looked at: an existing and a missing folder get the same answer, and Prefect
    (which reconfigures logging when imported) is not loaded for them."""
    import subprocess
    import sys

    script = f"""
import sys
from fastapi.testclient import TestClient
from domain.actor import Actor
from context.settings import load_settings
from context.services import open_services
from portal.api import create_app
from service.auth_settings import auth_settings
from service.sessions import open_session
services = open_services(load_settings({str(tmp_path / "data")!r}))
api = TestClient(create_app(services))
token = open_session(services, auth_settings(services), Actor("tiep.nhan", "clerk", "Tiếp Nhận"), "local")[0]
headers = {{"Authorization": f"Bearer {{token}}"}}
answers = [api.post("/v1/batches", json={{"folder": f}}, headers=headers) for f in ("/usr/share", "/khong/co")]
print([a.status_code for a in answers], [a.json()["error"] for a in answers], "prefect" in sys.modules)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                         cwd=Path(__file__).resolve().parents[2])
    assert run.stdout.strip().splitlines()[-1] == "[403, 403] ['role_not_allowed', 'role_not_allowed'] False", \
        run.stdout + run.stderr


def test_only_folders_under_the_scanning_roots_are_digitised_over_the_api(tmp_path: Path) -> None:
    """An operator's account cannot turn any folder the service can read into records clerks can read."""
    share, elsewhere = tmp_path / "share", tmp_path / "elsewhere"
    (share / "box-12").mkdir(parents=True)
    elsewhere.mkdir()
    (share / "out").symlink_to(elsewhere)
    data = tmp_path / "data"
    services = open_services(load_settings(data))
    api = TestClient(create_app(services))
    headers = {"Authorization": f"Bearer {open_session(services, auth_settings(services), OPERATOR, 'local')[0]}"}

    def send(folder: Path | str) -> tuple[int, str]:
        got = api.post("/v1/batches", json={"folder": str(folder)}, headers=headers)
        body = got.json()
        return got.status_code, body.get("state") if got.status_code == 202 else body["error"]

    assert send(share / "box-12") == (403, "outside_scan_roots")  # none configured: none open
    _with_scan_roots(data, share)
    services = open_services(load_settings(data))
    api = TestClient(create_app(services))
    assert send(share / "box-12") == (202, "done")  # an empty folder: done as soon as recorded
    for outside in ("/usr/share", "/khong/co", elsewhere, share / "out", share / ".." / "elsewhere", data):
        assert send(outside) == (403, "outside_scan_roots"), outside  # whether it exists or not: the same answer
    assert send(share / "khong-co") == (400, "no_folder")
    assert send("share/box-12") == (400, "no_folder")
    _with_scan_roots(data, tmp_path)  # a root that holds the data directory: the archive is still refused
    services = open_services(load_settings(data))
    api = TestClient(create_app(services))
    assert send(data) == (400, "folder_holds_data")
