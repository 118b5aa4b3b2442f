"""The audit log: one hash chain across writers, stored in the archive; any edit, removal or swap is found."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.audit_log import AuditLog, verify_events
from archive.objects import COMPLIANCE, Lock, ObjectStore, RetentionViolation

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
