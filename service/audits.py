"""The archivist's audit reports: fixity, retention, the audit log's own integrity, who read a person's data, and
how many papers citizens did not have to bring again. Each report is itself an audit event: the access report reads
personal data (whose records were read, by whom, why)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from archive.audit_log import Verification
from archive.fixity import Finding, FixityReport, check_fixity
from archive.retention_report import RetentionReport, retention_report
from context.services import Services
from domain.actor import Actor
from indexer.base import RecordQuery
from service.errors import InvalidRequest
from service.permissions import require

READS = ("lookup", "search", "record.read", "download", "download.link", "intake.check", "intake.reuse",
         "review.queue", "copy.verify")  # the events that read personal data


def fixity_audit(services: Services, actor: Actor, *, sample: int | None = None, seed: int | None = None,
                 purpose: str = "Kiểm tra tính toàn vẹn định kỳ") -> FixityReport:
    """Re-read the archive's objects against their manifests, and the audit log's chain."""
    require(actor, "audit")
    log_check = services.audit.verify()
    report = check_fixity(services.archive, sample=sample, rng=random.Random(seed),
                          attested=services.audit.attestations())
    if not log_check.ok:
        report.findings.append(Finding(None, "audit/", "changed", f"nhật ký kiểm toán bị sửa tại sự kiện thứ "
                                                                  f"{log_check.position}: {log_check.reason}"))
    services.log(actor, "fixity.check", None, purpose, records=report.records, objects=report.objects,
                 findings=[asdict(f) for f in report.findings])
    return report


def retention_audit(services: Services, actor: Actor, *, due_within_days: int = 90) -> RetentionReport:
    require(actor, "audit")
    report = retention_report(services.archive, due_within_days=due_within_days)
    services.log(actor, "audit.retention", None, "Báo cáo thời hạn lưu trữ", due_within_days=due_within_days)
    return report


@dataclass(frozen=True)
class FixityRun:
    at: datetime
    by: str
    records: int
    objects: int
    findings: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return not self.findings


def last_fixity_run(services: Services, actor: Actor) -> FixityRun | None:
    """The latest fixity check the audit log records (scheduled or asked for), with what it found."""
    require(actor, "audit")
    last = None
    for event in _events(services):
        if event.get("action") == "fixity.check":
            last = event
    if last is None:
        return None
    details = last.get("details") or {}
    return FixityRun(datetime.fromisoformat(last["time"]), last["actor"], int(details.get("records", 0)),
                     int(details.get("objects", 0)), list(details.get("findings") or []))


def log_check(services: Services, actor: Actor) -> Verification:
    """Whether the audit log's hash chain is unbroken, and its head."""
    require(actor, "audit")
    result = services.audit.verify()
    services.log(actor, "audit.verify_log", None, "Kiểm tra nhật ký kiểm toán", ok=result.ok, events=result.events)
    return result


def _events(services: Services) -> Iterator[dict[str, Any]]:
    for line in services.audit.lines():
        yield json.loads(line)


def _day(event: dict[str, Any]) -> date:
    return datetime.fromisoformat(event["time"]).date()


def access_alerts(services: Services, actor: Actor, *, within_days: int = 30, limit: int = 20
                  ) -> list[dict[str, Any]]:
    """The access alerts of the last `within_days` (someone asked for many result codes that are not there), newest
    first: the archivist's page shows them, so that walking the code space is seen by a person, not only refused."""
    require(actor, "audit")
    since = date.today() - timedelta(days=within_days)
    found = [e for e in _events(services) if e.get("action") == "access.alert" and _day(e) >= since]
    return found[::-1][:limit]


@dataclass(frozen=True)
class AccessReport:
    events: list[dict[str, Any]]  # as the audit log keeps them, oldest first


def access_report(services: Services, actor: Actor, *, personal_number: str | None = None,
                  record: str | None = None, by: str | None = None, since: date | None = None,
                  until: date | None = None, purpose: str) -> AccessReport:
    """Every read of personal data matching the filters: for a citizen's request to know who read their data (the
    lookups that named them, the reads of records naming them), a record's readers, or one account's reads."""
    require(actor, "audit")
    if not (purpose or "").strip():
        raise InvalidRequest("purpose_required", says="report_purpose_required")
    theirs: set[str] = set()
    if personal_number:
        theirs = {h.result_code for h in services.index.find(RecordQuery(personal_number=personal_number,
                                                                          limit=10_000))}
    found = []
    for event in _events(services):
        if event.get("action") not in READS:
            continue
        details = event.get("details") or {}
        touched = set(details.get("results") or ()) | ({event["record"]} if event.get("record") else set())
        if personal_number and not (touched & theirs or (details.get("query") or {}).get("personal_number")
                                    == personal_number):
            continue
        if record and record not in touched:
            continue
        if by and event.get("actor") != by:
            continue
        if (since and _day(event) < since) or (until and _day(event) > until):
            continue
        found.append(event)
    services.log(actor, "audit.access", None, purpose.strip(), personal_number=personal_number, of_record=record,
                 by=by, events=len(found))
    return AccessReport(found)


@dataclass(frozen=True)
class ReuseReport:
    dossiers: int  # intake checks recorded against a dossier
    required: int  # papers those procedures required
    reused: int  # of which the state already held a valid one: not brought again

    @property
    def rate(self) -> float:
        return self.reused / self.required if self.required else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"dossiers": self.dossiers, "required": self.required, "reused": self.reused,
                "rate": round(self.rate, 4)}


def reuse_counts(services: Services, *, since: date | None = None, until: date | None = None) -> ReuseReport:
    """The papers counted (no personal data: counts only); a dossier checked twice counts once, as its last check."""
    last: dict[str, dict[str, Any]] = {}
    for event in _events(services):
        if event.get("action") == "intake.reuse" and not ((since and _day(event) < since)
                                                          or (until and _day(event) > until)):
            last[event["details"]["dossier_code"]] = event["details"]
    return ReuseReport(len(last), sum(d["required"] for d in last.values()),
                       sum(len(d["reused"]) for d in last.values()))


def reuse_report(services: Services, actor: Actor, *, since: date | None = None,
                 until: date | None = None) -> ReuseReport:
    """Papers citizens did not have to bring again, against those required (QĐ 468/QĐ-TTg's 80% target)."""
    require(actor, "audit")
    report = reuse_counts(services, since=since, until=until)
    services.log(actor, "audit.reuse", None, "Báo cáo tái sử dụng giấy tờ", **report.as_json())
    return report
