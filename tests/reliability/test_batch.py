"""Nothing stops the batch: unreadable files and folders, links out of the folder, an unusable index, a full disk.

Permission cases run `sohoa` as root without its file-permission override (CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH dropped from the bounding set), which is how any unprivileged operator account meets them.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import OPERATOR, REPO, SAMPLES, run_cli
from tests.reliability.conftest import CITIZEN, Archive

SOHOA = Path(sys.executable).parent / "sohoa"
WITHOUT_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def _can_drop_override() -> bool:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run([*WITHOUT_OVERRIDE, "true"], capture_output=True)
    return probe.returncode == 0


needs_unprivileged = pytest.mark.skipif(not _can_drop_override(), reason="needs root and setpriv to drop "
                                        "root's file-permission override")


def sohoa_without_override(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_") or k == "SOHOA_OCR_CACHE"}
    env["PREFECT_HOME"] = os.environ["PREFECT_HOME"]
    return subprocess.run([*WITHOUT_OVERRIDE, str(SOHOA), *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=300)


def leftovers(data: Path) -> list[Path]:
    """Half-written files a stopped run must not leave: temporaries and staged objects."""
    staged = list((data / "archive" / ".staging").iterdir()) if (data / "archive" / ".staging").is_dir() else []
    return [p for p in data.rglob("*") if ".tmp" in p.name] + staged


@needs_unprivileged
def test_unreadable_files_folders_links_and_index_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder, elsewhere, data = tmp_path / "in", tmp_path / "elsewhere", tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(SAMPLES / "khai_sinh_01.png", folder / "khai_sinh_01.png")
    shutil.copy(SAMPLES / "quyet_dinh_01.pdf", folder / "locked.pdf")
    shutil.copy(SAMPLES / "ho_kinh_doanh_02.pdf", folder / "sub" / "in_a_locked_folder.pdf")
    secret = elsewhere / "private.jpg"
    shutil.copy(SAMPLES / "khai_sinh_02.jpg", secret)
    secret.chmod(0o600)
    (folder / "link.jpg").symlink_to(secret)
    os.mkfifo(folder / "pipe.pdf")  # would block a reader for ever
    (folder / "locked.pdf").chmod(0)
    (folder / "sub").chmod(0)
    (data / "index").mkdir(parents=True)
    (data / "index").chmod(0)
    try:
        done = sohoa_without_override("ingest", folder, "--data-dir", data, "--json")
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)["summary"]
        assert (summary["accepted"], summary["quarantined"], summary["not_processed"]) == (1, 1, 0)
        assert summary["unreadable_folders"] == [str(folder / "sub")]
        assert summary["skipped_links"] == [str(folder / "link.jpg")]
        assert summary["waiting_for_index"] == 1  # archived; its index write waits in the outbox
        assert "Không đọc được thư mục" in done.stderr and "liên kết tượng trưng" in done.stderr
        reasons = list((data / "quarantine").glob("*.reason.txt"))
        assert len(reasons) == 1 and "không có quyền truy cập" in reasons[0].read_text("utf-8")
        assert sorted(p.name for p in (data / "quarantine").iterdir()) == [reasons[0].name]  # nothing copied
        assert leftovers(data) == []

        lookup = sohoa_without_override("lookup", "--citizen", CITIZEN, "--purpose", "Tiếp nhận hồ sơ",
                                        "--actor", "clerk-01", "--data-dir", data)
        assert lookup.returncode == 4 and "Chỉ mục tra cứu" in lookup.stdout and "Traceback" not in lookup.stderr
        pending = sohoa_without_override("reindex", "--pending", "--data-dir", data)
        assert pending.returncode == 4 and len(list((data / "archive" / "outbox").glob("*.json"))) == 1
    finally:
        for path in (folder / "locked.pdf", folder / "sub", data / "index"):
            path.chmod(0o750)
    assert sohoa_without_override("reindex", "--pending", "--data-dir", data).returncode == 0
    lookup = sohoa_without_override("lookup", "--citizen", CITIZEN, "--purpose", "Tiếp nhận hồ sơ", "--actor",
                                    "clerk-01", "--data-dir", data, "--json")
    assert lookup.returncode == 0 and json.loads(lookup.stdout)["documents"]
    archived = [p for p in (data / "archive").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert all(p.stat().st_mode & 0o007 == 0 for p in archived)  # nothing in the archive is world-readable
    assert not any(stat.S_IMODE(p.stat().st_mode) & 0o007 for p in (data / "quarantine").iterdir())


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB file system (tmpfs), room for about two records."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_batch_cleanly_and_the_rerun_finishes_it(small_disk: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["khai_sinh_01.png", "quyet_dinh_01.pdf", "ket_hon_01.jpg", "khai_tu_01.png", "quyet_dinh_02.jpg",
             "tinh_trang_hon_nhan_01.jpg"]
    for name in names:
        shutil.copy(SAMPLES / name, folder / name)
    data = small_disk / "data"
    status, out = run_cli("ingest", folder, "--data-dir", data, "--json", "--workers", "1")
    report = json.loads(out)
    summary = report["summary"]
    assert status == 3, summary
    assert "hết dung lượng đĩa" in summary["stopped_because"]
    assert summary["accepted"] >= 1 and summary["not_processed"] >= 1
    assert summary["accepted"] + summary["not_processed"] == len(names) and summary["quarantined"] == 0
    assert leftovers(data) == []

    subprocess.run(["mount", "-o", "remount,size=200m", str(small_disk)], check=True)
    status, out = run_cli("ingest", folder, "--data-dir", data, "--json")
    again = json.loads(out)["summary"]
    assert status == 0 and again["already_archived"] == summary["accepted"]
    assert again["accepted"] == len(names) - summary["accepted"]
    status, out = run_cli("audit", "retention", "--data-dir", data, "--json")
    numbers = json.loads(out)["dossier_numbers"]
    assert numbers == {"reserved": len(names), "unused": [], "unfinished": [], "double": []}
    assert run_cli("audit", "fixity", "--data-dir", data)[0] == 0


def test_a_corrupt_index_sends_writes_to_the_outbox_and_is_rebuilt_from_the_archive(archive: Archive) -> None:
    index = archive.data / "index"
    database = index / (index / "CURRENT").read_text().strip()
    database.write_bytes(b"this is not a database" * 100)
    for leftover in index.glob("*-wal"):
        leftover.unlink()
    status, out = archive.cli("lookup", "--citizen", CITIZEN, "--purpose", "Tiếp nhận hồ sơ")
    assert status == 4 and "bị hỏng" in out
    more = archive.data.parent / "more"
    more.mkdir()
    shutil.copy(SAMPLES / "ket_hon_01.jpg", more)
    status, out = run_cli("ingest", more, "--data-dir", archive.data, "--json")
    assert status == 0 and json.loads(out)["summary"]["waiting_for_index"] >= 1
    status, out = archive.cli("reindex", "--pending")
    assert status == 4 and list((archive.data / "archive" / "outbox").glob("*.json"))  # kept for later
    status, out = archive.cli("reindex")  # rebuilt from the archive, the source of truth
    assert status == 0, out
    status, out = archive.cli("lookup", "--citizen", CITIZEN, "--purpose", "Tiếp nhận hồ sơ", "--json")
    assert status == 0 and json.loads(out)["documents"]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_ingest_leaves_no_prefect_server_or_tesseract_behind(tmp_path: Path) -> None:
    import signal
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("khai_sinh_01.png", "quyet_dinh_01.pdf", "ket_hon_01.jpg", "khai_tu_01.png"):
        shutil.copy(SAMPLES / name, folder / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "PREFECT_"))}
    run = subprocess.Popen([str(SOHOA), "ingest", str(folder), "--data-dir", str(tmp_path / "data")], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[str, int] = {}
    deadline = time.monotonic() + 120
    while len(seen) < 2 and time.monotonic() < deadline and run.poll() is None:
        for child in _children(run.pid):
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            for kind in (b"uvicorn", b"tesseract"):
                if kind in command:
                    seen.setdefault(kind.decode(), child)
        time.sleep(0.05)
    assert set(seen) == {"uvicorn", "tesseract"}, f"children seen: {seen}"
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in seen.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        assert not [kind for kind, pid in seen.items() if _alive(pid)], "a child outlived the killed ingest"
    finally:
        for pid in seen.values():
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_file_that_vanished_or_runs_too_long_is_quarantined_and_the_batch_goes_on(tmp_path: Path) -> None:
    from context.services import open_services
    from context.settings import load_settings
    from pipeline.process import QUARANTINED, digitise

    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text("[limits]\nmax_seconds_per_file = 0\n", encoding="utf-8")
    services = open_services(load_settings(data))
    gone = digitise(tmp_path / "in" / "removed-after-listing.png", services, OPERATOR)
    assert gone.outcome == QUARANTINED and "không tồn tại" in (gone.reason or "")
    slow = digitise(SAMPLES / "khai_sinh_01.png", services, OPERATOR)
    assert slow.outcome == QUARANTINED and "vượt quá giới hạn 0 giây" in (slow.reason or "")
    reasons = sorted(p.name for p in (data / "quarantine").glob("*.reason.txt"))
    assert len(reasons) == 2 and list(services.archive.incomplete()) == []
