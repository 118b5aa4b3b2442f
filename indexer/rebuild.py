"""Keep the index in step with the archive: the archive is the source of truth, the index a view of it.

A write the index refuses after the archive accepted the record goes to the outbox instead of failing the record;
`drain` replays the outbox and `rebuild` makes a whole new index from the archive and swaps it in at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from archive.audit_log import AuditLog
from archive.base import OCR_TEXT, DamagedManifest, RecordArchive
from archive.objects import ArchiveError, ArchiveUnavailable
from domain.messages import vietnamese
from domain.records import Manifest
from indexer.base import Index, IndexUnavailable
from indexer.document import IndexedRecord
from indexer.outbox import Action, Outbox

log = logging.getLogger(__name__)


class Services(Protocol):
    """What keeping the index in step needs of a data directory's backends (`context.services.Services` has it)."""

    @property
    def archive(self) -> RecordArchive: ...
    @property
    def index(self) -> Index: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def audit(self) -> AuditLog: ...


def record_of(manifest: Manifest, services: Services) -> IndexedRecord:
    """The index document of one archived record, from what the archive holds: its manifest and its OCR text."""
    text = services.archive.read(manifest, OCR_TEXT).decode("utf-8")
    return IndexedRecord.of(manifest, text, services.archive.location(manifest))


def _or_queue(write: Callable[[], None], result_code: str, content_hash: str, action: Action,
              services: Services) -> bool:
    """Run one index write; if it fails, queue it in the outbox. True when it was done now.

    Any failure, not only an unreachable index: the record is already safe in the archive, and a fault of the index
    must not turn an archived record into a failed one."""
    try:
        write()
        return True
    except Exception as e:
        services.outbox.add(result_code, content_hash, action, vietnamese(e) or repr(e))
        log.warning("index %s of %s failed, queued in the outbox: %s", action, result_code, e,
                    exc_info=not isinstance(e, IndexUnavailable))
        return False


def index_or_queue(record: IndexedRecord, services: Services) -> bool:
    """Index the record, or queue it in the outbox."""
    return _or_queue(lambda: services.index.upsert(record), record.result_code, record.content_hash, "upsert",
                     services)


def index_record(manifest: Manifest, services: Services) -> bool:
    return index_or_queue(record_of(manifest, services), services)


def remove_or_queue(result_code: str, content_hash: str, services: Services) -> bool:
    """Forget a disposed record, or queue the removal in the outbox."""
    return _or_queue(lambda: services.index.remove(result_code), result_code, content_hash, "remove", services)


@dataclass(frozen=True)
class DrainReport:
    done: int
    left: int
    error: str = ""


def drain(services: Services) -> DrainReport:
    """Replay the outbox, oldest first; stop at the first failure (the index is still down) and keep the rest."""
    pending = services.outbox.pending()
    done = 0
    for entry in pending:
        try:
            manifest = services.archive.find(entry.content_hash) if entry.action == "upsert" else None
            if manifest is None:  # queued for removal, or disposed of since it was queued
                services.index.remove(entry.result_code)
            else:
                services.index.upsert(record_of(manifest, services))
        except IndexUnavailable as e:
            return DrainReport(done, len(pending) - done, e.vietnamese)
        services.outbox.done(entry)
        done += 1
    return DrainReport(done, 0)


@dataclass(frozen=True)
class RebuildReport:
    indexed: int
    caught_up: int  # records written or disposed of while the new index was being built
    drained: DrainReport
    damaged: list[str]  # indexed without their OCR text, which failed its fixity check: run `sohoa audit fixity`
    refused: list[str] = field(default_factory=list)  # manifests that failed their hash: not indexed (key: why)


def rebuild(services: Services) -> RebuildReport:
    """Build a new index from every archived record, swap it in, then catch up with what changed meanwhile."""
    archive = services.archive
    seen: dict[str, tuple[int, str]] = {}  # content hash -> (version, result code) put in the new index

    damaged: list[str] = []
    refused: dict[str, str] = {}  # content hash -> "key: why"
    attested = services.audit.attestations()

    def refuse(e: DamagedManifest) -> None:
        log.error("not indexing %s: %s", e.key, e.reason)
        refused[e.content_hash] = f"{e.key}: {e.reason}"

    def records() -> Iterator[IndexedRecord]:
        for manifest in archive.manifests(on_damaged=refuse, attested=attested):
            seen[manifest.content_hash] = (manifest.version, manifest.result_code)
            try:
                yield record_of(manifest, services)
            except ArchiveUnavailable:
                raise
            except ArchiveError as e:  # its OCR text fails fixity: still findable by its manifest's fields
                log.error("indexing %s without its text: %s", manifest.result_code, e)
                damaged.append(manifest.result_code)
                yield IndexedRecord.of(manifest, "", archive.location(manifest))

    build = services.index.start_build()
    try:
        count = build.add(records())
        build.publish()
    except BaseException:
        build.abandon()
        raise
    caught_up = 0
    now = archive.current_versions()
    for content_hash, version in now.items():
        if content_hash in refused or seen.get(content_hash, (0, ""))[0] == version:
            continue
        try:
            manifest = archive.find(content_hash)
        except DamagedManifest as e:
            refuse(e)
            continue
        if manifest is not None:
            index_record(manifest, services)
            caught_up += 1
    for content_hash in seen.keys() - now.keys():
        remove_or_queue(seen[content_hash][1], content_hash, services)
        caught_up += 1
    return RebuildReport(count, caught_up, drain(services), damaged, sorted(refused.values()))
