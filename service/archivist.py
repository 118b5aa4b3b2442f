"""The archivist's use cases: legal holds and disposition (one archivist requests, another approves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from archive.disposition import DispositionRequest, approve_disposition, pending_requests, request_disposition
from archive.objects import Lock
from archive.retention import lock_of, retention_of
from domain.actor import Actor
from domain.records import Manifest
from indexer.rebuild import remove_or_queue
from pipeline.services import Services
from service.errors import InvalidRequest, NotFound


def record(services: Services, result_code: str) -> Manifest:
    manifest = services.archive.manifest(result_code)
    if manifest is None:
        raise NotFound("no_record", f"Không có hồ sơ với mã kết quả {result_code}")
    return manifest


def _reason(reason: str, what: str) -> str:
    if not (reason or "").strip():
        raise InvalidRequest("reason_required", f"Cần ghi rõ lý do {what}; lý do được ghi vào nhật ký kiểm toán.")
    return reason.strip()


def _audit_lock(services: Services) -> Lock:
    return lock_of(retention_of(services.settings.retention.audit_log, date.today()))


def set_legal_hold(services: Services, actor: Actor, result_code: str, on: bool, reason: str) -> Manifest:
    """Set or lift a legal hold: a held record cannot be disposed of, whatever its retention says."""
    why = _reason(reason, "phong tỏa" if on else "gỡ phong tỏa")
    manifest = record(services, result_code)
    services.archive.set_legal_hold(manifest, on)
    services.log(actor, "legal_hold.set" if on else "legal_hold.lift", manifest.result_code, why)
    return manifest


def request_disposal(services: Services, actor: Actor, result_code: str, reason: str) -> DispositionRequest:
    """Ask for a record past its retention to be destroyed; another archivist must approve."""
    why = _reason(reason, "đề nghị tiêu hủy")
    request = request_disposition(services.archive, result_code, actor.identity, why, _audit_lock(services))
    services.log(actor, "disposition.request", request.result_code, why, request=request.id)
    return request


def pending_disposals(services: Services, actor: Actor) -> list[DispositionRequest]:
    return pending_requests(services.archive)


@dataclass(frozen=True)
class Disposal:
    result_code: str
    objects_deleted: int
    requested_by: str


def approve_disposal(services: Services, actor: Actor, request_id: str, reason: str) -> Disposal:
    """Approve a request made by someone else: the record's objects are deleted and it leaves the index."""
    approval = approve_disposition(services.archive, request_id, actor.identity, _audit_lock(services))
    code = str(approval["result_code"])
    remove_or_queue(code, str(approval["content_hash"]), services)
    services.log(actor, "disposition.approve", code, reason, request=request_id,
                 objects_deleted=approval["objects_deleted"], requested_by=approval["requested_by"])
    return Disposal(code, cast(int, approval["objects_deleted"]), str(approval["requested_by"]))
