"""The audit log: one hash chain across writers, stored in the archive; any edit, removal or swap is found."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.audit_log import AuditLog, segment_key, verify_events
from archive.objects import COMPLIANCE, Lock, ObjectExists, ObjectStore, RetentionViolation

LOCK = Lock(COMPLIANCE, datetime(2999, 12, 31, tzinfo=UTC))


def log_on(objects: ObjectStore) -> AuditLog:
    return AuditLog(objects, lambda: LOCK)


def test_events_chain_across_segments_and_writers(objects: ObjectStore) -> None:
    first, second = log_on(objects), log_on(objects)  # two processes, one log

    def write(log: AuditLog, who: str) -> None:
        for i in range(5):
            log.record(who, "lookup", None, "Tra cứu", query={"personal_number": f"0640860000{i:02d}"})

    threads = [threading.Thread(target=write, args=(log, who)) for log, who in ((first, "a"), (second, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = first.verify()
    assert result.ok and result.events == 10
    events = [json.loads(line) for line in first.lines()]
    assert [e["seq"] for e in events] == list(range(1, 11))
    assert sorted(e["actor"] for e in events) == ["a"] * 5 + ["b"] * 5


def test_segments_are_written_once_under_retention(objects: ObjectStore) -> None:
    log = log_on(objects)
    log.record("clerk", "record.read", "KQ1", "Xem")
    key = next(iter(objects.keys("audit/")))
    info = objects.stat(key)
    assert info is not None and info.lock == LOCK
    with pytest.raises(RetentionViolation):
        objects.delete(key)


@pytest.mark.parametrize("tampering", ["edit", "delete", "swap"])
def test_a_tampered_copy_fails_and_names_the_first_broken_event(objects: ObjectStore, tmp_path: Path,
                                                                tampering: str) -> None:
    log = log_on(objects)
    for i in range(6):
        log.record("clerk", "lookup", None, "Tra cứu", n=i)
    lines = list(log.lines())
    assert verify_events(lines).ok
    if tampering == "edit":
        event = json.loads(lines[3])
        event["actor"] = "someone-else"
        lines[3] = json.dumps(event, ensure_ascii=False)
    elif tampering == "delete":
        del lines[3]
    else:
        lines[3], lines[4] = lines[4], lines[3]
    copy = tmp_path / "audit.jsonl"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with copy.open(encoding="utf-8") as f:
        result = verify_events(f)
    assert not result.ok and result.position == 4 and result.events == 3


def test_an_event_deleted_and_the_rest_renumbered_and_rehashed_is_found(objects: ObjectStore) -> None:
    """A careful forger removes event 3 and rewrites every later event with its new number and a fresh hash: each
    event then checks on its own, and only the link to the event before gives the removal away."""
    from archive.audit_log import event_hash

    log = log_on(objects)
    for i in range(6):
        log.record("clerk", "lookup", None, "Tra cứu", n=i)
    events = [json.loads(line) for line in log.lines()]
    del events[2]
    for seq, event in enumerate(events, 1):
        event["seq"] = seq
        event["hash"] = event_hash(event)
    forged = [json.dumps(e, ensure_ascii=False) for e in events]
    result = verify_events(forged)
    assert not result.ok and result.position == 3 and "không nối" in result.reason


def test_an_event_reads_back_with_who_what_when_and_why_in_readable_utf8(objects: ObjectStore) -> None:
    """An auditor opens a segment as it is stored: one JSON object per line, keys in order, Vietnamese as written."""
    moment = datetime(2026, 12, 8, 3, 4, 5, 678000, tzinfo=UTC)
    log = AuditLog(objects, lambda: LOCK, now=lambda: moment)
    full = log.record("can.bo", "lookup", "000.00.00.H49-261208-0001-KQ1", "Tiếp nhận hồ sơ",
                      query={"name": "Nguyễn Văn Ánh"})
    bare = log.append([{"actor": "he-thong", "action": "fixity.check"}])[0]
    assert {k: full[k] for k in ("seq", "actor", "action", "record", "purpose", "details")} == {
        "seq": 1, "actor": "can.bo", "action": "lookup", "record": "000.00.00.H49-261208-0001-KQ1",
        "purpose": "Tiếp nhận hồ sơ", "details": {"query": {"name": "Nguyễn Văn Ánh"}}}
    assert datetime.fromisoformat(full["time"]) == moment.replace(microsecond=0)  # whole seconds, with an offset
    assert (bare["record"], bare["purpose"], bare["details"], bare["prev"]) == (None, "", {}, full["hash"])
    key = segment_key(1)
    raw = objects.get(key).decode("utf-8")
    assert raw.endswith("\n") and "Nguyễn Văn Ánh" in raw and "\\u" not in raw
    first = raw.splitlines()[0]
    assert first.startswith('{"action": "lookup", "actor": "can.bo", "details": ')  # sorted keys
    assert json.loads(first) == full
    info = objects.stat(key)
    assert info is not None and info.metadata.get("role") == "audit-segment"
    assert [json.loads(line) for line in log.lines()] == [full, bare]


class _CountingStore:
    """A real store that counts the listings asked of it."""

    def __init__(self, objects: ObjectStore) -> None:
        self.objects, self.listings = objects, 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.objects, name)

    def keys(self, prefix: str, start_after: str = "") -> Iterator[str]:
        self.listings += 1
        return self.objects.keys(prefix, start_after)


def test_a_writer_appends_after_its_own_head_without_listing_the_log(objects: ObjectStore) -> None:
    """A lookup service appends an event per call: listing a log of millions of segments each time would not do."""
    counting = _CountingStore(objects)
    log = AuditLog(counting, lambda: LOCK)  # type: ignore[arg-type]
    log.record("a", "lookup")
    listed = counting.listings
    for _ in range(5):
        log.record("a", "lookup")
    assert counting.listings == listed  # the head it wrote last is where it goes on
    other = log_on(objects)
    other.record("b", "lookup")  # another process writes: the first catches up by reading forward
    assert log.record("a", "lookup")["seq"] == 8 and counting.listings == listed
    assert log.verify().ok


def test_writers_that_never_win_the_next_segment_give_up_with_an_error(objects: ObjectStore,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from archive import audit_log

    log = log_on(objects)
    log.record("a", "lookup")
    monkeypatch.setattr(audit_log, "MAX_ATTEMPTS", 3)

    def always_taken(*args: object, **kwargs: object) -> None:
        raise ObjectExists("taken", "archive.object_exists", key="audit/x")

    monkeypatch.setattr(objects, "put", always_taken)
    with pytest.raises(RuntimeError, match="could not append to the audit log: too many concurrent writers"):
        log.record("a", "lookup")


def test_an_events_hash_is_the_sha256_of_its_compact_sorted_utf8_json_so_anyone_can_recompute_it() -> None:
    import hashlib

    from archive.audit_log import event_hash

    event = {"seq": 1, "actor": "cán bộ", "prev": "0" * 64, "details": {"b": 1, "a": [1, 2]}, "hash": "ignored"}
    canonical = '{"actor":"cán bộ","details":{"a":[1,2],"b":1},"prev":"' + "0" * 64 + '","seq":1}'
    assert event_hash(event) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_broken_line_is_named_with_the_last_good_events_hash(objects: ObjectStore) -> None:
    from archive.audit_log import GENESIS

    log = log_on(objects)
    log.record("a", "lookup")
    second = log.record("a", "lookup", purpose="Tra cứu", n=1)
    good = list(log.lines())
    assert verify_events(["{not json", *good]) == verify_events(["{not json"])
    assert (verify_events(["{not json"]).head, verify_events(["{not json"]).reason) == (GENESIS, "dòng không phải JSON")
    for bad, reason in (("[1, 2]", "dòng không phải một sự kiện"), (good[0], "số thứ tự 1 thay vì 3: sự kiện bị xóa "
                                                                          "hoặc đảo thứ tự")):
        result = verify_events([*good, bad])
        assert (result.ok, result.events, result.head, result.position, result.reason) == (
            False, 2, second["hash"], 3, reason)
    assert verify_events([*good, "", "  "]).ok  # blank lines are no events


def test_a_segment_filed_under_another_number_is_found(tmp_path: Path) -> None:
    """The chain holds, but a segment stands under a key its first event does not bear: moved, or forged."""
    from archive.audit_log import event_hash
    from archive.filesystem import FilesystemObjects

    objects = FilesystemObjects(tmp_path / "archive")
    log = AuditLog(objects, lambda: None)  # type: ignore[arg-type,return-value]
    first = log.record("a", "lookup")
    event = {"seq": 2, "time": first["time"], "actor": "a", "action": "lookup", "record": None, "purpose": "",
             "details": {}, "prev": first["hash"]}
    event["hash"] = event_hash(event)
    objects.put(segment_key(9), (json.dumps(event, ensure_ascii=False) + "\n").encode(), {"role": "audit-segment"})
    assert verify_events(log.lines()).ok
    result = log.verify()
    assert (result.ok, result.events, result.position, result.reason) == (
        False, 2, 2, f"đoạn nhật ký {segment_key(9)} không khớp số thứ tự sự kiện đầu")
