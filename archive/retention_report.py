"""The retention audit: what the archive holds by document type and retention class, what falls due for
disposition soon, what is under legal hold, which records lack a signature or a manifest, and whether every reserved
dossier number is used by exactly one record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from archive.base import SIGNED_PDF, DossierNumbers, RecordArchive


@dataclass(frozen=True)
class RecordLine:
    result_code: str
    type_id: str | None
    class_id: str
    retain_until: str  # ISO date, or "permanent"


@dataclass
class RetentionReport:
    as_of: str
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (type id, class id) -> records
    due: list[RecordLine] = field(default_factory=list)  # retention ends within the window
    expired: list[RecordLine] = field(default_factory=list)  # retention already over, not yet disposed of
    held: list[RecordLine] = field(default_factory=list)
    unsigned: list[str] = field(default_factory=list)  # result codes
    incomplete: list[str] = field(default_factory=list)  # content hashes without a manifest
    unlocked: list[str] = field(default_factory=list)  # records whose manifest carries no retention lock
    damaged: list[str] = field(default_factory=list)  # manifest keys that cannot be trusted, with why (Vietnamese)
    numbers: DossierNumbers = field(default_factory=DossierNumbers)  # reserved dossier numbers: gaps, doubles

    def as_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of,
            "counts": [{"type_id": t, "class_id": c, "records": n} for (t, c), n in sorted(self.counts.items())],
            "due": [vars(r) for r in self.due], "expired": [vars(r) for r in self.expired],
            "legal_hold": [vars(r) for r in self.held], "unsigned": self.unsigned,
            "incomplete": self.incomplete, "unlocked": self.unlocked, "damaged": self.damaged,
            "dossier_numbers": {"reserved": self.numbers.reserved, "unused": self.numbers.unused,
                                "unfinished": self.numbers.unfinished, "double": self.numbers.double},
        }


def retention_report(archive: RecordArchive, due_within_days: int = 90,
                     now: datetime | None = None) -> RetentionReport:
    now = now or datetime.now(UTC)
    horizon = now + timedelta(days=due_within_days)
    report = RetentionReport(as_of=now.date().isoformat())
    counts: Counter[tuple[str, str]] = Counter()
    used: dict[str, str] = {}  # dossier code -> content hash, for the dossier-number audit below
    for manifest in archive.manifests(on_damaged=lambda e: report.damaged.append(f"{e.key}: {e.reason}")):
        used[manifest.dossier_code] = manifest.content_hash
        type_id = manifest.classification.type_id or "unclassified"
        counts[(type_id, manifest.retention.class_id)] += 1
        state = archive.lock_state(manifest)
        lock = state.lock
        planned = manifest.retention.retain_until
        until = ("permanent" if lock.permanent else lock.retain_until.date().isoformat()) if lock else \
            (planned.isoformat() if planned else "permanent")
        line = RecordLine(manifest.result_code, manifest.classification.type_id, manifest.retention.class_id, until)
        if lock is None and planned is not None and planned < now.date():
            report.expired.append(line)  # its retention was over before it was archived
        elif lock is None:
            report.unlocked.append(manifest.result_code)
        elif not lock.permanent and lock.retain_until <= now:
            report.expired.append(line)
        elif not lock.permanent and lock.retain_until <= horizon:
            report.due.append(line)
        if state.legal_hold:
            report.held.append(line)
        signed = manifest.files.get(SIGNED_PDF)
        if signed is None or not manifest.signature.signer or archive.objects.stat(
                archive.version_prefix(manifest.content_hash, manifest.version) + signed.name) is None:
            report.unsigned.append(manifest.result_code)
    report.counts = dict(counts)
    report.incomplete = list(archive.incomplete())
    report.numbers = archive.dossier_numbers(used)
    return report
