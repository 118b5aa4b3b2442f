"""Figures about the holdings and the digitisation work, for the archivist's dashboard and the digitisation lead's
progress page: counts, pages and dates only, no personal data (so no purpose is asked and nothing is logged).

They are counted from the archive's manifests in one pass. That is exact and needs nothing beside the archive, but
reads every manifest: for millions of records an installation would keep these counters in the index instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from context.services import Services
from context.settings import read_raw_settings
from domain.actor import Actor
from domain.catalogue import ConfigError
from domain.dates import vietnam_now
from domain.issuers import issuer_level
from domain.records import CAPTURE_NOTES
from domain.setting_tables import Setting, read_table
from service.audits import reuse_counts
from service.permissions import require

LEVELS = ("province", "district", "commune", "other")
LEVEL_VI = {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã", "other": "Chưa rõ cấp"}


@dataclass(frozen=True)
class Rescan:
    """A record whose capture is not good enough (under 200 dpi, a fax, too poor to read): the paper is scanned again
    and the new capture becomes the record's next version (`pipeline.duplicates`)."""

    result_code: str
    source_name: str
    ingested_at: date
    reasons: tuple[str, ...]  # Vietnamese


@dataclass
class Holdings:
    as_of: date
    records: int = 0
    pages: int = 0
    needs_review: int = 0
    rescans: list[Rescan] = field(default_factory=list)  # records whose paper must be scanned again
    by_type: Counter[str] = field(default_factory=Counter)  # type name -> records
    pages_by_type: Counter[str] = field(default_factory=Counter)
    by_year: Counter[int] = field(default_factory=Counter)  # year of issue -> records
    by_class: Counter[str] = field(default_factory=Counter)  # retention class label -> records
    records_by_level: Counter[str] = field(default_factory=Counter)  # LEVELS -> records
    pages_by_level: Counter[str] = field(default_factory=Counter)
    pages_by_day: Counter[date] = field(default_factory=Counter)  # day digitised -> pages
    due_by_month: Counter[str] = field(default_factory=Counter)  # "YYYY-MM" retention ends (next 24 months) -> records


def holdings(services: Services, actor: Actor, *, today: date | None = None) -> Holdings:
    require(actor, "statistics")
    today = today or vietnam_now().date()  # the day as the records' own times count it
    horizon = today + timedelta(days=730)
    found = Holdings(today)
    for manifest in services.archive.manifests():
        pages = len(manifest.pages)
        type_name = manifest.classification.type_name or "Chưa rõ loại"
        level = issuer_level(manifest.fields.issuer)
        found.records += 1
        found.pages += pages
        found.needs_review += manifest.needs_review
        if manifest.needs_rescan:
            found.rescans.append(Rescan(manifest.result_code, manifest.source_name, manifest.ingested_at.date(),
                                        tuple(n.message for n in manifest.review if n.code in CAPTURE_NOTES)))
        found.by_type[type_name] += 1
        found.pages_by_type[type_name] += pages
        if manifest.fields.issue_date:
            found.by_year[manifest.fields.issue_date.year] += 1
        found.by_class[manifest.retention.label] += 1
        found.records_by_level[level] += 1
        found.pages_by_level[level] += pages
        found.pages_by_day[manifest.ingested_at.date()] += pages
        until = manifest.retention.retain_until
        if until is not None and today <= until <= horizon:
            found.due_by_month[f"{until:%Y-%m}"] += 1
    return found


@dataclass(frozen=True)
class Plan:
    """The digitisation plan this installation works to ([plan] in the settings)."""

    pages_by_level: dict[str, int]  # target pages per level (province, district, commune)
    records_by_type: dict[str, int]  # target records per document type id (optional)
    cost_per_page_vnd: float
    reuse_target: float


PLAN_SPEC = (  # the [plan] table; [plan.types] maps document type ids to target records
    *(Setting(f"pages_{level}", int, 0, doc=f"target pages at {level} level") for level in LEVELS[:3]),
    Setting("cost_per_page_vnd", float, 0.0),
    Setting("reuse_target", float, 0.8, doc="share of required papers citizens should no longer bring"),
)


def plan(services: Services) -> Plan:
    raw: dict[str, Any] = read_raw_settings(services.settings.data_dir).get("plan", {})
    values = read_table("plan", {k: v for k, v in raw.items() if k != "types"}, PLAN_SPEC, {})
    try:
        types = {str(k): int(v) for k, v in dict(raw.get("types", {})).items()}
    except (TypeError, ValueError) as e:
        raise ConfigError(f"[plan.types] targets must be whole numbers of records: {e}") from e
    return Plan({level: values[f"pages_{level}"] for level in LEVELS[:3]}, types, values["cost_per_page_vnd"],
                values["reuse_target"])


@dataclass(frozen=True)
class QuarantineReason:
    code: str
    reason: str  # in Vietnamese, as the first file quarantined for it says
    files: int


def quarantine_reasons(folder: Path) -> list[QuarantineReason]:
    """Why files were set aside, most frequent first (from the reason file beside each quarantined copy)."""
    counts: Counter[str] = Counter()
    said: dict[str, str] = {}
    for path in sorted(folder.glob("*.reason.txt")) if folder.is_dir() else ():
        fields = dict(line.split(": ", 1) for line in path.read_text(encoding="utf-8").splitlines() if ": " in line)
        code = fields.get("Code", "unknown")
        counts[code] += 1
        said.setdefault(code, fields.get("Lý do", code))
    return [QuarantineReason(code, said[code], n) for code, n in counts.most_common()]


@dataclass(frozen=True)
class Progress:
    holdings: Holdings
    plan: Plan
    backlog: int  # records waiting for a reviewer to check their fields
    quarantined: list[QuarantineReason]
    reuse_required: int  # papers the checked procedures required
    reuse_reused: int  # of which the applicant did not bring again

    @property
    def cost_vnd(self) -> float:
        return self.holdings.pages * self.plan.cost_per_page_vnd

    @property
    def reuse_rate(self) -> float:
        return self.reuse_reused / self.reuse_required if self.reuse_required else 0.0


def progress(services: Services, actor: Actor, *, today: date | None = None) -> Progress:
    """Where the digitisation stands against its plan: pages per level and type, per day, what waits for a person,
    what was set aside and why, the cost so far, and how often citizens no longer bring papers again."""
    found = holdings(services, actor, today=today)
    dossiers = reuse_counts(services)
    return Progress(found, plan(services), found.needs_review, quarantine_reasons(services.settings.quarantine_dir),
                    dossiers.required, dossiers.reused)
