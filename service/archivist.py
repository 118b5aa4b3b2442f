"""The archivist's use cases: legal holds, longer retention, and disposition (one archivist requests, another
approves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from archive.disposition import (
    DispositionRequest,
    approve_disposition,
    load_request,
    pending_requests,
    refuse_disposition,
    request_disposition,
)
from archive.objects import Lock
from archive.retention import lock_of, retention_of
from context.services import Services
from domain.actor import Actor
from domain.records import Manifest
from indexer.rebuild import index_record, remove_or_queue
from service.errors import InvalidRequest
from service.permissions import require
from service.records import record


def _reason(reason: str, what: str) -> str:
    if not (reason or "").strip():
        raise InvalidRequest("reason_required", says="reason_required_for", what=what)
    return reason.strip()


def _audit_lock(services: Services) -> Lock:
    return lock_of(retention_of(services.settings.retention.audit_log, date.today()))


def set_legal_hold(services: Services, actor: Actor, result_code: str, on: bool, reason: str) -> Manifest:
    """Set or lift a legal hold: a held record cannot be disposed of, whatever its retention says."""
    require(actor, "legal_hold")
    why = _reason(reason, "phong tỏa" if on else "gỡ phong tỏa")
    manifest = record(services, result_code)
    services.archive.set_legal_hold(manifest, on)
    services.log(actor, "legal_hold.set" if on else "legal_hold.lift", manifest.result_code, why)
    return manifest


def request_disposal(services: Services, actor: Actor, result_code: str, reason: str) -> DispositionRequest:
    """Ask for a record past its retention to be destroyed; another archivist must approve."""
    require(actor, "disposition")
    why = _reason(reason, "đề nghị tiêu hủy")
    request = request_disposition(services.archive, result_code, actor.identity, why, _audit_lock(services))
    services.log(actor, "disposition.request", request.result_code, why, request=request.id)
    return request


def pending_disposals(services: Services, actor: Actor) -> list[DispositionRequest]:
    require(actor, "disposition")
    return pending_requests(services.archive)


@dataclass(frozen=True)
class Disposal:
    result_code: str
    objects_deleted: int
    requested_by: str


def approve_disposal(services: Services, actor: Actor, request_id: str, reason: str) -> Disposal:
    """Approve a request made by someone else: the record's objects are deleted and it leaves the index."""
    require(actor, "disposition")
    approval = approve_disposition(services.archive, request_id, actor.identity, _audit_lock(services))
    code = str(approval["result_code"])
    remove_or_queue(code, str(approval["content_hash"]), services)
    services.log(actor, "disposition.approve", code, reason, request=request_id,
                 objects_deleted=approval["objects_deleted"], requested_by=approval["requested_by"])
    return Disposal(code, cast(int, approval["objects_deleted"]), str(approval["requested_by"]))


def refuse_disposal(services: Services, actor: Actor, request_id: str, reason: str) -> DispositionRequest:
    """Refuse a request made by someone else: it is closed and kept, and the record stays as it is."""
    require(actor, "disposition")
    why = _reason(reason, "từ chối tiêu hủy")
    request = load_request(services.archive, request_id)
    refuse_disposition(services.archive, request_id, actor.identity, why, _audit_lock(services))
    services.log(actor, "disposition.refuse", request.result_code, why, request=request_id,
                 requested_by=request.requested_by)
    return request


def extend_retention(services: Services, actor: Actor, result_code: str, until: date | None, reason: str) -> Manifest:
    """Keep a record longer (`until` None: permanently). Stored as version n+1 whose manifest says the new date, so
    the retention report and disposition see it; every object of every version is locked to it. A retention is
    never shortened, nor COMPLIANCE weakened: the archive refuses that whatever the caller."""
    require(actor, "extend_retention")
    why = _reason(reason, "gia hạn lưu trữ")
    current = record(services, result_code)
    held = current.retention
    if held.retain_until is None:
        raise InvalidRequest("already_permanent", result_code=result_code)
    if until is not None and until <= held.retain_until:
        raise InvalidRequest("would_shorten", result_code=result_code, until=held.retain_until)
    longer = held.model_copy(update={"retain_until": until, "years": 0 if until is None else held.years})
    extended = services.next_version(current, actor, why, retention=longer, audit={
        "change": "retention", "retain_until": until.isoformat() if until else "permanent",
        "previous_until": held.retain_until.isoformat()})
    services.archive.extend_retention(extended, lock_of(longer))  # the earlier versions' objects too
    index_record(extended, services)
    return extended


def export_transfer(services: Services, actor: Actor, result_codes: list[str], out: Path, purpose: str) -> int:
    """Pack records (every version of each) as a validated BagIt bag at `out`, for transfer to the historical
    archive; each record packed is an audit event. Returns how many records were packed."""
    from archive.bagit_export import export_bag

    require(actor, "export")
    why = _reason(purpose, "chuyển giao")
    manifests = [record(services, code) for code in dict.fromkeys(c.strip() for c in result_codes if c.strip())]
    if not manifests:
        raise InvalidRequest("no_records")
    settings = services.settings
    export_bag(services.archive, manifests, out, settings.agency_name, settings.agency_code)
    for manifest in manifests:
        services.log(actor, "record.export", manifest.result_code, why, package=out.name, form="bagit")
    return len(manifests)


@dataclass(frozen=True)
class CatalogueLine:
    """One record as the archive's catalogue lists it: what identifies and keeps it, no personal data."""

    result_code: str
    dossier_code: str
    type_name: str
    number: str
    issue_date: str
    issuer: str
    retention_class: str
    retain_until: str  # ISO date, or "vĩnh viễn"
    legal_hold: bool
    needs_review: bool
    pages: int
    version: int
    # where the paper sits (TT 05/2025), when its batch said: phông, mục lục, hộp, hồ sơ số, tờ, mã hồ sơ gốc giấy
    fonds: str = ""
    inventory: str = ""
    box: str = ""
    file: str = ""
    sheets: str = ""
    paper_code: str = ""
    stack_pages: str = ""  # "hop-12.pdf: 3–5" when it was split out of a stack


def _paper_columns(manifest: Manifest) -> tuple[str, ...]:
    paper = manifest.paper
    d = paper.description if paper and paper.description else None
    stack = paper.stack if paper else None
    where = f"{stack.name}: {stack.first_page}–{stack.last_page}" if stack else ""
    if d is None:
        return ("",) * 6 + (where,)
    return d.fonds, d.inventory, d.box, d.file, d.sheets, d.paper_code, where


def catalogue_lines(services: Services, actor: Actor) -> list[CatalogueLine]:
    """The catalogue of holdings (danh mục hồ sơ), for an export the archivist opens in a spreadsheet."""
    require(actor, "export")
    lines = []
    for manifest in services.archive.manifests():
        held = services.archive.lock_state(manifest).legal_hold
        until = manifest.retention.retain_until
        lines.append(CatalogueLine(
            manifest.result_code, manifest.dossier_code, manifest.classification.type_name or "",
            manifest.fields.number or "", manifest.fields.issue_date.isoformat() if manifest.fields.issue_date else "",
            manifest.fields.issuer or "", manifest.retention.label, until.isoformat() if until else "vĩnh viễn",
            held, manifest.needs_review, len(manifest.pages), manifest.version, *_paper_columns(manifest)))
    services.log(actor, "catalogue.export", None, "Xuất danh mục hồ sơ", records=len(lines))
    return lines
