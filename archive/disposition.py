"""Disposition (tiêu hủy): a record past its retention is deleted only on a request by one person approved by
another. Requests and approvals are kept in the archive for good, written once: they are the proof that a record
was destroyed lawfully, and they hold what identifies the record but none of its personal data."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from archive.base import RecordArchive
from archive.objects import ArchiveError, Lock

REQUESTS = "dispositions/requests/"
APPROVALS = "dispositions/approvals/"
REFUSALS = "dispositions/refusals/"  # a second archivist said no: the request is closed, the record stays


class DispositionRefused(ArchiveError):
    """The request or approval is not allowed; its sentence says why."""


@dataclass(frozen=True)
class DispositionRequest:
    id: str
    result_code: str
    content_hash: str
    document_type: str | None
    number: str | None
    issue_date: str | None
    retention_class: str
    requested_by: str
    requested_at: str
    reason: str


def request_disposition(archive: RecordArchive, result_code: str, actor: str, reason: str, lock: Lock,
                        now: datetime | None = None) -> DispositionRequest:
    manifest = archive.manifest(result_code)
    if manifest is None:
        raise DispositionRefused(f"no record {result_code}", "archive.no_record", record=result_code)
    archive.refuse_disposal(manifest, now)
    when = (now or datetime.now(UTC)).astimezone()
    request = DispositionRequest(
        id=f"{when:%Y%m%d}-{secrets.token_hex(4)}", result_code=result_code, content_hash=manifest.content_hash,
        document_type=manifest.classification.type_id, number=manifest.fields.number,
        issue_date=manifest.fields.issue_date.isoformat() if manifest.fields.issue_date else None,
        retention_class=manifest.retention.class_id, requested_by=actor,
        requested_at=when.isoformat(timespec="seconds"), reason=reason)
    archive.objects.put(f"{REQUESTS}{request.id}.json", _json(asdict(request)), {"role": "disposition-request"},
                        lock, "application/json")
    return request


def load_request(archive: RecordArchive, request_id: str) -> DispositionRequest:
    if "/" in request_id:
        raise DispositionRefused(f"no disposition request {request_id!r}", "archive.no_disposition_request",
                                 request=request_id)
    try:
        raw = json.loads(archive.objects.get(f"{REQUESTS}{request_id}.json"))
    except KeyError:
        raise DispositionRefused(f"no disposition request {request_id!r}", "archive.no_disposition_request",
                                 request=request_id) from None
    return DispositionRequest(**raw)


def pending_requests(archive: RecordArchive) -> list[DispositionRequest]:
    closed = {k.rsplit("/", 1)[1] for prefix in (APPROVALS, REFUSALS) for k in archive.objects.keys(prefix)}
    return [load_request(archive, k.rsplit("/", 1)[1].removesuffix(".json"))
            for k in archive.objects.keys(REQUESTS) if k.rsplit("/", 1)[1] not in closed]


def refuse_disposition(archive: RecordArchive, request_id: str, actor: str, reason: str, lock: Lock,
                       now: datetime | None = None) -> dict[str, object]:
    """Close a request without destroying anything: the refusal is written once and kept, like an approval."""
    request = load_request(archive, request_id)
    if actor == request.requested_by:
        raise DispositionRefused(f"{actor} cannot refuse their own request", "archive.self_refusal",
                                 requester=request.requested_by)
    if archive.objects.stat(f"{APPROVALS}{request_id}.json") is not None:
        raise DispositionRefused(f"request {request_id} was approved", "archive.request_approved", request=request_id)
    if archive.objects.stat(f"{REFUSALS}{request_id}.json") is not None:
        raise DispositionRefused(f"request {request_id} was refused", "archive.request_refused", request=request_id)
    when = (now or datetime.now(UTC)).astimezone()
    refusal: dict[str, object] = {**asdict(request), "refused_by": actor,
                                  "refused_at": when.isoformat(timespec="seconds"), "refusal_reason": reason}
    archive.objects.put(f"{REFUSALS}{request_id}.json", _json(refusal), {"role": "disposition-refusal"}, lock,
                        "application/json")
    return refusal


def approve_disposition(archive: RecordArchive, request_id: str, actor: str, lock: Lock,
                        now: datetime | None = None) -> dict[str, object]:
    """Check again, write the approval, then delete the record. Re-running after a crash finishes the deletion."""
    request = load_request(archive, request_id)
    if actor == request.requested_by:
        raise DispositionRefused(f"{actor} cannot approve their own request", "archive.self_approval",
                                 requester=request.requested_by)
    if archive.objects.stat(f"{REFUSALS}{request_id}.json") is not None:
        raise DispositionRefused(f"request {request_id} was refused", "archive.refused_request", request=request_id)
    manifest = archive.find(request.content_hash)
    approval_key = f"{APPROVALS}{request_id}.json"
    existing = archive.objects.stat(approval_key)
    if manifest is None:
        if existing is not None:
            raise DispositionRefused(f"request {request_id} was approved and carried out", "archive.already_destroyed",
                                     request=request_id)
        raise DispositionRefused(f"record {request.result_code} is gone", "archive.record_gone",
                                 record=request.result_code)
    archive.refuse_disposal(manifest, now)
    when = (now or datetime.now(UTC)).astimezone()
    approval: dict[str, object] = {**asdict(request), "approved_by": actor,
                                   "approved_at": when.isoformat(timespec="seconds"),
                                   "versions": len(archive.versions(manifest.content_hash))}
    if existing is None:
        archive.objects.put(approval_key, _json(approval), {"role": "disposition-approval"}, lock,
                            "application/json")
    else:
        approval = json.loads(archive.objects.get(approval_key))
    approval["objects_deleted"] = archive.dispose(manifest)
    return approval


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
