"""Nothing leaks: private file modes, no secret in a message or the outbox, bounded download links, and reads of
personal data that say who reads and why."""

from __future__ import annotations

import json
import shutil

import pytest

from context.settings import load_settings
from tests.conftest import SAMPLES, free_port, run_cli
from tests.reliability.conftest import CITIZEN, Archive

SECRET = "s3cr3t-Passw0rd"


def test_the_data_directory_is_private(small_archive: Archive) -> None:
    loose = [p for p in small_archive.data.rglob("*") if p.stat().st_mode & 0o007]
    assert loose == []  # nothing world-readable, -writable or -searchable
    keys = [p for p in (small_archive.data / "keys").rglob("*") if p.is_file() and p.suffix in (".p12", ".key")]
    assert keys and all(p.stat().st_mode & 0o077 == 0 for p in keys)  # keys: the owner only


def test_credentials_in_the_index_url_never_reach_messages_or_the_outbox(archive: Archive,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_INDEX_BACKEND", "elasticsearch")
    monkeypatch.setenv("SOHOA_ES_URL", f"http://elastic:{SECRET}@127.0.0.1:{free_port()}")  # nobody listens
    settings = load_settings(archive.data)
    assert settings.index_options is not None
    assert settings.index_options.username == "elastic" and settings.index_options.password == SECRET
    assert all(SECRET not in u and "elastic@" not in u for u in settings.index_options.urls)
    status, out = archive.cli("lookup", "--citizen", CITIZEN, "--purpose", "Tiếp nhận hồ sơ")
    assert status == 4 and "127.0.0.1" in out and SECRET not in out
    more = archive.data.parent / "more"
    more.mkdir()
    shutil.copy(SAMPLES / "ket_hon_01.jpg", more)
    status, out = run_cli("ingest", more, "--data-dir", archive.data, "--json")
    assert status == 0 and json.loads(out)["summary"]["waiting_for_index"] == 1
    queued = list((archive.data / "archive" / "outbox").glob("*.json"))
    assert queued and all(SECRET not in p.read_text("utf-8") for p in queued)
    assert SECRET not in out


@pytest.mark.parametrize(("minutes", "status"), [("-5", 2), ("0", 2), ("52560000", 2), ("1441", 2), ("30", 0)])
def test_download_links_have_a_bounded_positive_lifetime(small_archive: Archive, minutes: str, status: int) -> None:
    code = small_archive.codes["khai_sinh_01.png"]
    got, out = small_archive.cli("link", code, "--minutes", minutes, "--purpose", "Cấp bản sao cho công dân")
    assert got == status, out
    if status:
        assert "không quá 1440 phút" in " ".join(out.split())


@pytest.mark.parametrize("args", [
    ("lookup", "--citizen", CITIZEN, "--purpose", "Tiếp nhận hồ sơ"),  # no --actor
    ("lookup", "--citizen", CITIZEN, "--actor", "clerk-01"),  # no purpose
    ("lookup", "--citizen", CITIZEN, "--actor", "clerk-01", "--purpose", "  "),
    ("search", "Nguyen", "--actor", "clerk-01", "--purpose", ""),
    ("show", "000.00.00.H49-261202-0001-KQ1"),
], ids=["no-actor", "no-purpose", "blank-purpose", "search-blank-purpose", "show-no-actor"])
def test_reads_of_personal_data_name_the_reader_and_the_purpose(small_archive: Archive, args: tuple[str, ...]) -> None:
    before = len(small_archive.cli("audit", "export-log")[1].splitlines())
    status, out = run_cli(*args, "--data-dir", small_archive.data)
    assert status == 2 and ("--actor" in out or "--purpose" in out)
    after = len(small_archive.cli("audit", "export-log")[1].splitlines())
    assert after == before  # the refused read left no trace because it read nothing
