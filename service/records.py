"""One record: show it, list those waiting for a reviewer, verify an e-copy someone hands in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.actor import Actor
from domain.records import Manifest
from indexer.base import Hit
from pipeline.services import Services
from pipeline.verification import verify_copy
from service.errors import NotFound
from signing.verify import VerificationReport


def show(services: Services, actor: Actor, result_code: str, purpose: str) -> Manifest:
    """A record's manifest (its people included): a read of personal data, logged with its purpose."""
    manifest = services.archive.manifest(result_code)
    if manifest is None:
        raise NotFound("no_record", f"Không có hồ sơ với mã kết quả {result_code}")
    services.log(actor, "record.read", manifest.result_code, purpose or "Xem hồ sơ", part="manifest")
    return manifest


@dataclass(frozen=True)
class ReviewItem:
    hit: Hit
    reasons: list[str]  # why a person must check it, in Vietnamese, from the record's review notes


def review_queue(services: Services, actor: Actor, *, limit: int = 100) -> list[ReviewItem]:
    """Records waiting for a person to check them, oldest first, each with its reasons."""
    items = []
    for hit in services.index.review_queue(limit=limit):
        manifest = services.archive.find(hit.content_hash)
        items.append(ReviewItem(hit, [n.message for n in manifest.review] if manifest else []))
    services.log(actor, "review.queue", None, "Rà soát hồ sơ số hóa", results=[i.hit.result_code for i in items])
    return items


def verify_upload(services: Services, actor: Actor, data: bytes, file_name: str, *, at: datetime | None = None,
                  fetch: bool | None = None) -> tuple[VerificationReport, str | None]:
    """The verdict on a copy someone hands in, and the record its QR code names (None: not a sohoa copy).
    Raises `signing.verify.NotVerifiable` for a file that is no PDF at all."""
    report, code = verify_copy(data, services.settings, services.archive, at=at, fetch=fetch)
    services.log(actor, "copy.verify", code, "Xác minh bản sao điện tử", file=file_name, ok=report.ok)
    return report, code
