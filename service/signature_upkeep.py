"""Long-term upkeep of the archive's signatures: upgrade records signed below their level, renew timestamps in time.

Each change is a new version of the record (v<n+1>): the same files, the signed PDF with incremental updates
appended (the signed bytes stay as they were), and the manifest's signature block brought up to date. The versions
before stay, the index follows the new version, and every change or failure is an audit-log event. A record that
cannot be done now (timestamp authority down, revocation service silent) stays as it is and is reported, never
half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from archive.base import SIGNED_PDF
from context.services import Services
from domain.actor import Actor
from domain.records import Manifest
from indexer.rebuild import index_record
from pipeline.manifest_parts import signature_info
from signing.ltv import NotConfigured, Upkeeper, UpkeepError, needs_renewal, proof_expiry
from signing.settings import LEVELS

UPGRADED = "upgraded"
RENEWED = "renewed"
FAILED = "failed"


@dataclass(frozen=True)
class Upkeep:
    result_code: str
    action: str  # upgraded, renewed, failed
    level_before: str
    level_after: str
    reason: str  # Vietnamese: what was done, or why it could not be
    version: int | None = None  # the new version written


@dataclass
class UpkeepReport:
    done: list[Upkeep] = field(default_factory=list)
    checked: int = 0

    @property
    def failed(self) -> list[Upkeep]:
        return [u for u in self.done if u.action == FAILED]


def pending_upgrade(manifest: Manifest) -> bool:
    sig = manifest.signature
    return LEVELS.index(sig.level) < LEVELS.index(sig.target_level)


def _records(services: Services) -> Iterator[Manifest]:
    yield from (m for m in services.archive.manifests() if SIGNED_PDF in m.files)


def upgrade_records(services: Services, by: Actor, *, limit: int | None = None) -> UpkeepReport:
    """Bring every record signed below its target level (the TSA was down) up to it."""
    report = UpkeepReport()
    upkeeper = Upkeeper(services.settings.signing)
    for manifest in _records(services):
        if not pending_upgrade(manifest):
            continue
        if limit is not None and report.checked >= limit:
            break
        report.checked += 1
        sig = manifest.signature
        report.done.append(_apply(services, by, manifest, UPGRADED, partial(upkeeper.upgrade, level=sig.level),
                                  f"Nâng cấp chữ ký từ {sig.level} lên {sig.target_level}"))
    return report


def renew_records(services: Services, by: Actor, *, horizon_days: int | None = None, now: datetime | None = None
                  ) -> UpkeepReport:
    """Add a document timestamp to every record whose proof expires within the horizon (B-LTA renewal)."""
    report = UpkeepReport()
    upkeeper = Upkeeper(services.settings.signing)
    horizon = services.settings.signing.renew_horizon_days if horizon_days is None else horizon_days
    moment = now or datetime.now(UTC)
    for manifest in _records(services):
        report.checked += 1
        data = services.archive.read(manifest, SIGNED_PDF)
        expiry = needs_renewal(data, moment, horizon)
        if expiry is None:
            continue
        assert expiry.at is not None
        reason = f"Gia hạn dấu thời gian lưu trữ: {expiry.what} hết hạn ngày {expiry.at:%d/%m/%Y}"
        report.done.append(_apply(services, by, manifest, RENEWED, upkeeper.renew, reason, data))
    return report


def expiring(services: Services, *, horizon_days: int, now: datetime | None = None) -> list[tuple[Manifest, str]]:
    """Records whose proof runs out within the horizon, with what runs out (for the archivist's status report)."""
    moment = now or datetime.now(UTC)
    out = []
    for manifest in _records(services):
        expiry = needs_renewal(services.archive.read(manifest, SIGNED_PDF), moment, horizon_days)
        if expiry is not None and expiry.at is not None:
            out.append((manifest, f"{expiry.what} hết hạn ngày {expiry.at:%d/%m/%Y}"))
    return out


def _apply(services: Services, by: Actor, manifest: Manifest, action: str, change: Callable[[bytes], bytes],
           reason: str, data: bytes | None = None) -> Upkeep:
    before = manifest.signature.level
    try:
        signed = data if data is not None else services.archive.read(manifest, SIGNED_PDF)
        updated = change(signed)
        if not updated.startswith(signed):
            # never expected: refuse to store it
            raise UpkeepError("the upgrade changed signed bytes", "upgrade_changed_bytes")
        signature = signature_info(updated, services, target_level=manifest.signature.target_level, problems=(),
                                   development=manifest.signature.development_identity)
        new = services.next_version(manifest, by, reason, files={SIGNED_PDF: updated}, signature=signature,
                                    audit={"change": action})
    except NotConfigured:
        raise
    except Exception as e:  # one record's failure (TSA down, revocation silent) must not stop the others
        why = e.vietnamese if isinstance(e, UpkeepError) else f"{type(e).__name__}: {e}"
        services.log(by, "record.signatures_failed", manifest.result_code, reason, error=why)
        return Upkeep(manifest.result_code, FAILED, before, before, f"{reason}: không thực hiện được ({why})")
    index_record(new, services)
    services.log(by, "record.signatures", manifest.result_code, reason, version=new.version, level_before=before,
                 level_after=signature.level, proof_expires=_expires(updated))
    return Upkeep(manifest.result_code, action, before, signature.level, reason, new.version)


def _expires(data: bytes) -> str | None:
    at = proof_expiry(data).at
    return at.isoformat() if at else None
