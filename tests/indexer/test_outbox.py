"""Nothing is lost when the index is down: writes it refuses wait in the outbox until `sohoa reindex --pending`, and
`sohoa reindex` swaps in a new index without losing what was written meanwhile."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from context.services import Services, open_services
from context.settings import load_settings
from indexer.base import Index, RecordQuery
from indexer.elastic import ElasticIndex
from indexer.outbox import Outbox
from indexer.rebuild import drain, index_record, rebuild, remove_or_queue
from indexer.sqlite import SqliteIndex
from pipeline.process import ACCEPTED, digitise
from tests.archive.records import files, manifest_for
from tests.conftest import CLERK, OPERATOR, SAMPLES, free_port, run_cli
from tests.indexer.conftest import es_settings
from tests.indexer.es_double import EsDouble

CODE = "000.00.00.H49-261122-0001-KQ1"


def dead_index() -> ElasticIndex:
    return ElasticIndex(es_settings(f"http://127.0.0.1:{free_port()}", "sohoa", max_retries=0))


@pytest.fixture
def services(tmp_path: Path) -> Services:
    return open_services(load_settings(tmp_path / "data"))


def with_index(services: Services, index: Index) -> Services:
    return replace(services, index=index)


def stored(services: Services, seed: bytes = b"a", code: str = CODE) -> None:
    data = files(seed)
    manifest = manifest_for(data, code)
    services.store_record(manifest, data, "test", OPERATOR)


def test_a_record_the_index_refuses_waits_in_the_outbox_until_drained(services: Services,
                                                                      es_double: EsDouble) -> None:
    es_double.reset()
    stored(services)
    manifest = services.archive.manifest(CODE)
    assert manifest is not None
    down = with_index(services, dead_index())
    assert index_record(manifest, down) is False
    [entry] = down.outbox.pending()
    assert (entry.result_code, entry.action) == (CODE, "upsert") and "Không kết nối được" in entry.reason
    assert drain(down).left == 1 and len(down.outbox) == 1  # still down: kept
    up = with_index(services, ElasticIndex(es_settings(es_double.url, "sohoa")))  # type: ignore[attr-defined]
    report = drain(up)
    assert (report.done, report.left) == (1, 0) and len(up.outbox) == 0
    up.index.refresh()
    assert [h.result_code for h in up.index.find(RecordQuery(personal_number="064217000001"))] == [CODE]


def test_a_removal_queued_while_down_is_replayed_and_the_newest_entry_wins(services: Services) -> None:
    stored(services)
    manifest = services.archive.manifest(CODE)
    assert manifest is not None
    index_record(manifest, services)
    down = with_index(services, dead_index())
    assert index_record(manifest, down) is False
    assert remove_or_queue(CODE, manifest.content_hash, down) is False
    [entry] = down.outbox.pending()
    assert entry.action == "remove"  # the later removal replaces the earlier upsert
    assert drain(services).done == 1 and len(services.outbox) == 0
    assert services.index.get(CODE) is None


def test_an_entry_queued_while_draining_is_kept(services: Services) -> None:
    outbox = services.outbox
    first = outbox.add(CODE, "a" * 64, "upsert", "down")
    outbox.add(CODE, "a" * 64, "remove", "down again")
    outbox.done(first)
    [left] = outbox.pending()
    assert left.action == "remove"
    with pytest.raises(ValueError):
        outbox.add("../../etc/passwd", "a" * 64, "upsert", "x")


def test_the_outbox_is_in_the_archive_so_another_machine_replays_it(tmp_path: Path) -> None:
    """A machine that queued writes and died: a second one on the same archive sees and replays them."""
    one = open_services(load_settings(tmp_path / "one"))
    queued = one.outbox.add(CODE, "a" * 64, "remove", "down")
    other = Outbox(one.archive.objects)  # another process's view of the same object store
    assert other.pending() == [queued] and len(other) == 1
    other.done(queued)
    assert one.outbox.pending() == [] and not (tmp_path / "one" / "outbox").exists()


def test_entries_left_in_the_old_outbox_folder_move_into_the_archive(tmp_path: Path) -> None:
    old = tmp_path / "data" / "outbox"
    old.mkdir(parents=True)
    entry = {"result_code": CODE, "content_hash": "a" * 64, "action": "upsert", "reason": "down",
             "queued_at": "2026-11-22T00:00:00+00:00", "sequence": 7}
    (old / f"{CODE}~7.json").write_text(json.dumps(entry))
    services = open_services(load_settings(tmp_path / "data"))
    [moved] = services.outbox.pending()
    assert (moved.result_code, moved.sequence) == (CODE, 7) and not list(old.iterdir())


def test_rebuild_swaps_in_a_new_index_and_catches_up_with_writes_made_meanwhile(services: Services,
                                                                                 monkeypatch: pytest.MonkeyPatch
                                                                                 ) -> None:
    assert isinstance(services.index, SqliteIndex)
    stored(services, b"a", CODE)
    stored(services, b"b", "000.00.00.H49-261122-0002-KQ1")
    reading = services.archive.manifests

    def slow_reading(**kw: object) -> Iterator[object]:
        for i, manifest in enumerate(reading(**kw)):  # type: ignore[arg-type]
            if i == 0:  # a worker archives a record while the new index is being built
                stored(services, b"c", "000.00.00.H49-261122-0003-KQ1")
            yield manifest

    monkeypatch.setattr(services.archive, "manifests", slow_reading)
    before = (services.index.folder / "CURRENT").read_text()
    report = rebuild(services)
    assert (report.indexed, report.caught_up, report.damaged) == (2, 1, [])
    assert services.index.count() == 3
    assert (services.index.folder / "CURRENT").read_text() != before
    assert [p.name for p in services.index.folder.glob("sohoa*.sqlite")] == \
        [(services.index.folder / "CURRENT").read_text().strip()]  # the old database is gone


def test_ingest_with_the_index_down_archives_the_record_and_reindex_pending_catches_up(
        tmp_path: Path, es_double: EsDouble, monkeypatch: pytest.MonkeyPatch) -> None:
    es_double.reset()
    data = tmp_path / "data"
    services = with_index(open_services(load_settings(data)), dead_index())
    result = digitise(SAMPLES / "khai_sinh_01.png", services, OPERATOR)
    assert result.outcome == ACCEPTED  # the archive is the source of truth: the record is kept
    assert [e.result_code for e in services.outbox.pending()] == [result.result_code]
    monkeypatch.setenv("SOHOA_INDEX_BACKEND", "elasticsearch")
    monkeypatch.setenv("SOHOA_ES_URL", es_double.url)  # type: ignore[attr-defined]
    number = json.loads((SAMPLES / "khai_sinh_01.json").read_text())["persons"][0]["personal_number"]
    status, out = run_cli("lookup", *CLERK, "--citizen", number, "--data-dir", data)
    assert status == 0 and "1 hồ sơ đã lưu trữ nhưng chưa vào chỉ mục" in " ".join(out.split())
    status, out = run_cli("reindex", "--pending", "--data-dir", data)
    assert status == 0 and "Đã đưa 1 hồ sơ chờ vào chỉ mục" in out
    run_cli("reindex", "--data-dir", data)  # and a full rebuild into a new Elasticsearch index
    events = [json.loads(line) for line in run_cli("audit", "export-log", "--data-dir", data)[1].splitlines()]
    assert [e["action"] for e in events if e["action"].startswith("index.")] == ["index.pending", "index.rebuild"]
    status, out = run_cli("lookup", *CLERK, "--citizen", number, "--json", "--data-dir", data)
    assert [d["result_code"] for d in json.loads(out)["documents"]] == [result.result_code]


def test_the_cli_says_when_the_cluster_cannot_be_reached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_INDEX_BACKEND", "elasticsearch")
    monkeypatch.setenv("SOHOA_ES_URL", f"http://127.0.0.1:{free_port()}")
    status, out = run_cli("lookup", *CLERK, "--citizen", "064217000001", "--data-dir", tmp_path / "data")
    assert status == 4 and "Không kết nối được máy chủ tìm kiếm Elasticsearch" in " ".join(out.split())


def test_an_index_from_an_older_version_is_refused_until_reindexed(tmp_path: Path) -> None:
    import sqlite3

    data = tmp_path / "data"
    services = open_services(load_settings(data))
    stored(services)
    (data / "index" / "CURRENT").unlink()
    for path in (data / "index").glob("sohoa*"):
        path.unlink()
    old = sqlite3.connect(data / "index" / "sohoa.sqlite")  # the layout before CURRENT and schema versions
    old.execute("CREATE TABLE records (result_code TEXT PRIMARY KEY, content_hash TEXT)")
    old.close()
    status, out = run_cli("lookup", *CLERK, "--citizen", "064217000001", "--data-dir", data)
    assert status == 4 and "sohoa reindex" in " ".join(out.split())
    assert run_cli("reindex", "--data-dir", data)[0] == 0
    status, out = run_cli("lookup", *CLERK, "--citizen", "064217000001", "--json", "--data-dir", data)
    assert status == 0 and [d["result_code"] for d in json.loads(out)["documents"]] == [CODE]
    assert not (data / "index" / "sohoa.sqlite").exists()


def test_any_index_fault_after_the_archive_write_queues_the_record_instead_of_failing_it(services: Services) -> None:
    class Broken(SqliteIndex):
        def upsert(self, record: object) -> None:  # type: ignore[override]
            raise RuntimeError("disk I/O error")

    stored(services)
    manifest = services.archive.manifest(CODE)
    assert manifest is not None
    broken = with_index(services, Broken(services.settings.index_dir))
    assert index_record(manifest, broken) is False
    [entry] = broken.outbox.pending()
    assert "disk I/O error" in entry.reason
    assert drain(services).done == 1 and services.index.get(CODE) is not None
