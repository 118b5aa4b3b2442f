"""The audit log's chain judged line by line: each way an event can be edited, removed, moved or cut is named with
the first event it breaks, the events before it still counted good, and the head hash to keep elsewhere. And the
manifests the log vouches for: only `record.write` events with a hash, a record and a version count."""

from __future__ import annotations

import json

from archive.audit_log import GENESIS, event_hash, manifest_attestations, verify_events


def chain(n: int) -> list[dict[str, object]]:
    events, prev = [], GENESIS
    for seq in range(1, n + 1):
        event: dict[str, object] = {"seq": seq, "prev": prev, "action": "record.read", "actor": "a",
                                    "record": f"R{seq}"}
        event["hash"] = prev = event_hash(event)
        events.append(event)
    return events


def lines(events: list[dict[str, object]]) -> list[str]:
    return [json.dumps(e, ensure_ascii=False) for e in events]


def test_an_intact_chain_is_good_and_its_head_is_the_last_hash() -> None:
    events = chain(3)
    got = verify_events([*lines(events), "", "  "])  # blank lines are no events
    assert (got.ok, got.events, got.head, got.position, got.reason) == (True, 3, events[-1]["hash"], None, "")
    empty = verify_events([])
    assert (empty.ok, empty.events, empty.head) == (True, 0, GENESIS)


def test_an_edited_event_is_named_with_the_events_before_it_still_good() -> None:
    events = chain(3)
    events[1]["record"] = "R-other"
    got = verify_events(lines(events))
    assert (got.ok, got.events, got.head, got.position) == (False, 1, events[0]["hash"], 2)
    assert got.reason == "nội dung sự kiện đã bị sửa (hash không khớp)"


def test_a_removed_event_breaks_the_numbering() -> None:
    events = chain(3)
    got = verify_events(lines([events[0], events[2]]))
    assert (got.ok, got.events, got.position) == (False, 1, 2)
    assert got.reason == "số thứ tự 3 thay vì 2: sự kiện bị xóa hoặc đảo thứ tự"


def test_an_event_that_links_to_no_event_before_it_breaks_the_chain() -> None:
    events = chain(2)
    events[1]["prev"] = "f" * 64
    events[1]["hash"] = event_hash(events[1])  # rehashed, but linked to nothing
    got = verify_events(lines(events))
    assert (got.ok, got.events, got.position, got.reason) == (False, 1, 2, "không nối với sự kiện trước (chuỗi bị cắt)")


def test_a_line_that_is_not_an_event_stops_the_check_there() -> None:
    events = chain(2)
    got = verify_events([lines(events)[0], "{not json"])
    assert (got.ok, got.events, got.position, got.reason) == (False, 1, 2, "dòng không phải JSON")
    got = verify_events([lines(events)[0], "[1, 2]"])
    assert (got.ok, got.position, got.reason) == (False, 2, "dòng không phải một sự kiện")


def test_the_hash_covers_every_field_but_itself_in_a_canonical_form() -> None:
    event = {"b": 1, "a": "Đặng", "hash": "x"}
    assert event_hash(event) == event_hash({"a": "Đặng", "b": 1})  # key order and its own hash do not count
    assert event_hash(event) != event_hash({"a": "Dang", "b": 1})
    assert len(event_hash(event)) == 64


def test_only_record_writes_with_a_hash_a_record_and_a_version_vouch_for_manifests() -> None:
    write = {"action": "record.write", "details": {"manifest_sha256": "m1", "content_hash": "c", "version": 1}}
    events = [
        write, {**write, "details": {**write["details"], "manifest_sha256": "m2"}},  # type: ignore[dict-item]
        {"action": "record.write", "details": {"manifest_sha256": "m3", "content_hash": "c", "version": 2}},
        {"action": "record.read", "details": {"manifest_sha256": "x", "content_hash": "c", "version": 3}},
        {"action": "record.write", "details": {"manifest_sha256": "y", "content_hash": "c", "version": "4"}},
        {"action": "record.write", "details": {"content_hash": "c", "version": 5}},
        {"action": "record.write", "details": "not a table"}, {"action": "record.write"},
    ]
    got = manifest_attestations([*lines(events), "{broken", "[]"])  # type: ignore[arg-type]
    assert got == {("c", 1): {"m1", "m2"}, ("c", 2): {"m3"}}
