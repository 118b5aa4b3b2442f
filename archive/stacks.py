"""Stacks: a scanner's one file of many documents, archived once as it came, beside the report of how it was split
(which pages became which record, which were blank backs or separator sheets, where a person must look). Each
record split out of it points to its pages (`domain.paper.StackPlace`); the stack is found by its hash.

Both objects are written once and locked; the report is written last, so a stack without one was cut short and is
split again, finding the records it already made by their hashes."""

from __future__ import annotations

import json
from typing import Any

from archive.layout import file_name
from archive.objects import Lock, ObjectStore

STACKS = "stacks/"
REPORT = "stack.json"


def stack_prefix(sha256: str) -> str:
    return f"{STACKS}{sha256}/"


def original_key(sha256: str, media_type: str) -> str:
    return stack_prefix(sha256) + file_name("original", media_type)


def store_stack(objects: ObjectStore, sha256: str, data: bytes, media_type: str, name: str, lock: Lock) -> str:
    """The stack as it came; storing it again (a rerun) is a no-op. Its key."""
    key = original_key(sha256, media_type)
    if objects.stat(key) is None:
        objects.put(key, data, {"role": "stack-original", "media-type": media_type,
                                "source": name.encode("ascii", "replace").decode()}, lock, media_type)
    return key


def read_stack(objects: ObjectStore, sha256: str) -> tuple[bytes, str] | None:
    """The archived stack and its media type, or None."""
    for key in objects.keys(stack_prefix(sha256)):
        if key.rsplit("/", 1)[1].startswith("original."):
            info = objects.stat(key)
            media_type = info.metadata.get("media-type") if info else None
            return objects.get(key), media_type or "application/octet-stream"
    return None


def store_report(objects: ObjectStore, sha256: str, report: dict[str, Any], lock: Lock) -> None:
    key = stack_prefix(sha256) + REPORT
    if objects.stat(key) is None:
        data = (json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
        objects.put(key, data, {"role": "stack-report"}, lock, "application/json")


def read_report(objects: ObjectStore, sha256: str) -> dict[str, Any] | None:
    try:
        data = objects.get(stack_prefix(sha256) + REPORT)
    except KeyError:
        return None
    report = json.loads(data)
    return report if isinstance(report, dict) else None
