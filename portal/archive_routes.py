"""The archivist's calls (legal holds, retention, disposition, audit reports) and ingest batches."""

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from flows.batch_runner import ingest_runner, scans_in
from portal.callers import Caller, ServicesDep
from service.archivist import (
    approve_disposal,
    extend_retention,
    pending_disposals,
    refuse_disposal,
    request_disposal,
    set_legal_hold,
)
from service.audits import access_report, fixity_audit, log_check, retention_audit, reuse_report
from service.batches import batch_status, list_batches, submit_batch

router = APIRouter(prefix="/v1", tags=["archive"])


class HoldRequest(BaseModel):
    on: bool
    reason: str


class RetentionRequest(BaseModel):
    until: date | None = Field(None, description="keep until this day (default: the type's class, counted again)")
    reason: str


class DisposalRequest(BaseModel):
    result_code: str
    reason: str


class Approval(BaseModel):
    reason: str = ""


class FixityRequest(BaseModel):
    sample: int | None = Field(None, ge=1, description="check this many records chosen at random (default: all)")


class BatchRequest(BaseModel):
    folder: str = Field(..., description="an absolute path on the server holding the scans")


@router.put("/records/{result_code}/legal-hold", summary="set or lift a legal hold")
def hold_endpoint(result_code: str, body: HoldRequest, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    manifest = set_legal_hold(services, actor, result_code, body.on, body.reason)
    return {"result_code": manifest.result_code, "legal_hold": body.on}


@router.post("/records/{result_code}/retention", summary="keep a record longer")
def retention_endpoint(result_code: str, body: RetentionRequest, actor: Caller,
                       services: ServicesDep) -> dict[str, Any]:
    manifest = extend_retention(services, actor, result_code, body.until, body.reason)
    return {"result_code": manifest.result_code, "version": manifest.version,
            "retain_until": manifest.retention.retain_until.isoformat() if manifest.retention.retain_until else None}


@router.get("/disposals", summary="disposition requests waiting for a second archivist")
def disposals_endpoint(actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return {"requests": [vars(r) for r in pending_disposals(services, actor)]}


@router.post("/disposals", summary="request the disposition of a record past its retention")
def dispose_request_endpoint(body: DisposalRequest, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return vars(request_disposal(services, actor, body.result_code, body.reason))


@router.post("/disposals/{request_id}/approve", summary="approve (by another archivist) and carry out a disposition")
def approve_endpoint(request_id: str, body: Approval, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return vars(approve_disposal(services, actor, request_id, body.reason))


@router.post("/disposals/{request_id}/refuse", summary="refuse (by another archivist) a disposition: the record stays")
def refuse_endpoint(request_id: str, body: Approval, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return vars(refuse_disposal(services, actor, request_id, body.reason))


@router.post("/audit/fixity", summary="re-read objects against their manifests, and the audit log's chain")
def fixity_endpoint(body: FixityRequest, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    report = fixity_audit(services, actor, sample=body.sample)
    return {"ok": report.ok, "records": report.records, "objects": report.objects, "bytes": report.bytes,
            "findings": [vars(f) for f in report.findings]}


@router.get("/audit/retention", summary="holdings by type and class, due dates, holds, gaps")
def retention_report_endpoint(actor: Caller, services: ServicesDep, days: int = 90) -> dict[str, Any]:
    return retention_audit(services, actor, due_within_days=days).as_json()


@router.get("/audit/log", summary="whether the audit log's hash chain is unbroken, and its head")
def log_endpoint(actor: Caller, services: ServicesDep) -> dict[str, Any]:
    result = log_check(services, actor)
    return {"ok": result.ok, "events": result.events, "head": result.head, "position": result.position,
            "reason": result.reason}


@router.get("/audit/access", summary="reads of personal data: of one citizen, of one record, or by one account")
def access_endpoint(actor: Caller, services: ServicesDep, purpose: str = "", personal_number: str | None = None,
                    record: str | None = None, by: str | None = None, since: date | None = None,
                    until: date | None = None) -> dict[str, Any]:
    report = access_report(services, actor, personal_number=personal_number, record=record, by=by, since=since,
                           until=until, purpose=purpose)
    return {"events": report.events}


@router.get("/audit/reuse", summary="papers citizens did not have to bring again, against those required")
def reuse_endpoint(actor: Caller, services: ServicesDep, since: date | None = None,
                   until: date | None = None) -> dict[str, Any]:
    return reuse_report(services, actor, since=since, until=until).as_json()


@router.post("/batches", status_code=202, summary="digitise a folder on the server, in the background")
def submit_endpoint(body: BatchRequest, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    settings = services.settings
    return submit_batch(services, actor, body.folder, scans_in,
                        ingest_runner(settings.data_dir, settings.workers, actor)).as_json()


@router.get("/batches", summary="the newest ingest batches and their progress")
def batches_endpoint(actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return {"batches": [b.as_json() for b in list_batches(services, actor)]}


@router.get("/batches/{batch_id}", summary="one batch's progress")
def batch_endpoint(batch_id: str, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return batch_status(services, actor, batch_id).as_json()
