"""Digitise one file, start to finish. This is the whole pipeline for a document and it reads top to bottom:

intake -> (already archived? stop) -> per page: preprocess and OCR -> classify -> extract fields -> codes ->
searchable PDF/A (a born-digital PDF: its active content removed) -> PAdES signature (checked by validating it)
-> archive -> index.

It is a plain function over the `Services` of a data directory; the Prefect flow only calls it, once per file.
The stages are functions of one `Job` (`pipeline.job`), run in the order `STAGES` gives: `pipeline.page_reading`
reads the pages, `pipeline.stages` holds the rest.
A failure of the file ends in quarantine with a reason, never in a half-stored record. A condition every later file
would meet too (a full disk, an archive that cannot be reached) is returned as STOPPED, for the flow to stop the
batch; a rerun finishes what was cut short.
"""

from __future__ import annotations

import errno
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from archive.base import AlreadyArchived
from archive.objects import ArchiveUnavailable, os_error_vi
from context.services import Services
from domain.actor import Actor
from domain.dates import vietnam_now
from domain.messages import vietnamese
from domain.paper import PaperOrigin
from domain.records import Manifest
from indexer.base import IndexUnavailable
from indexer.rebuild import index_record
from pipeline.intake import RejectedInput, SourceDocument, file_sha256, open_document
from pipeline.job import DuplicateCapture, Job

# Re-exported: what became of a file is named from here by the flows, the command line and the tests.
from pipeline.outcomes import ACCEPTED as ACCEPTED
from pipeline.outcomes import ALREADY_ARCHIVED as ALREADY_ARCHIVED
from pipeline.outcomes import DUPLICATE_CAPTURE as DUPLICATE_CAPTURE
from pipeline.outcomes import NOT_PROCESSED as NOT_PROCESSED
from pipeline.outcomes import QUARANTINED as QUARANTINED
from pipeline.outcomes import STOPPED as STOPPED
from pipeline.outcomes import DocumentResult as DocumentResult
from pipeline.quarantine import quarantine
from pipeline.stages import archive, assign_codes, build_pdf, classify_and_extract, find_twin, index, read_pages, sign
from pipeline.stopwatch import Stopwatch
from signing.identity import SigningKeyError

log = logging.getLogger(__name__)

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def digitise(path: Path, services: Services, by: Actor, paper: PaperOrigin | None = None) -> DocumentResult:
    """Digitise one file into one archived, signed, indexed record; never raises for a bad file. `by`: the
    digitising officer running the batch, who signs the copy beside the agency and is named in the audit log.
    `paper`: where its paper original sits, when the batch said (the station's box description)."""
    return _digitise(path, services, by, lambda content_hash: replace(
        open_document(path, services.settings, content_hash), paper=paper))


def digitise_part(part: SourceDocument, services: Services, by: Actor) -> DocumentResult:
    """Digitise one document of a stack (`pipeline.stack`): its pages are held already, its hash is its own (the
    stack's and its pages'), and a failure quarantines a copy of the stack under that hash with its reason."""
    return _digitise(part.path, services, by, lambda _: part, part.sha256)


def _digitise(path: Path, services: Services, by: Actor, opened: Callable[[str], SourceDocument],
              known_hash: str | None = None) -> DocumentResult:
    started = time.perf_counter()
    watch = Stopwatch()
    content_hash = known_hash
    try:
        with watch("intake"):
            content_hash = content_hash or file_sha256(path)
            existing = services.archive.find(content_hash)
            link = services.archive.capture_link(content_hash) if existing is None else None
        if existing is not None:
            _ensure_indexed(existing, services)
            return DocumentResult(str(path), ALREADY_ARCHIVED, len(existing.pages), existing.result_code,
                                  existing.classification.type_name, existing.needs_review, existing.needs_rescan,
                                  seconds=time.perf_counter() - started, stages=watch.stages)
        if link is not None:  # linked on an earlier run: not read again
            return DocumentResult(str(path), DUPLICATE_CAPTURE, result_code=link.result_code, reason=link.reason,
                                  seconds=time.perf_counter() - started, stages=watch.stages)
        with watch("intake"):
            source = opened(content_hash)
        manifest = _digitise_new(source, services, watch, by)
        return DocumentResult(str(path), ACCEPTED, len(manifest.pages), manifest.result_code,
                              manifest.classification.type_name, manifest.needs_review, manifest.needs_rescan,
                              reason=manifest.change_reason or None,
                              seconds=time.perf_counter() - started, stages=watch.stages)
    except DuplicateCapture as e:
        return DocumentResult(str(path), DUPLICATE_CAPTURE, e.pages, e.link.result_code, reason=e.link.reason,
                              seconds=time.perf_counter() - started, stages=watch.stages)
    except AlreadyArchived as e:  # a concurrent worker stored the same original first
        existing = services.archive.find(e.content_hash)
        return DocumentResult(str(path), ALREADY_ARCHIVED, result_code=existing.result_code if existing else None,
                              seconds=time.perf_counter() - started, stages=watch.stages)
    except RejectedInput as e:
        code, vietnamese, english = e.code, e.vietnamese, e.english
    except SigningKeyError as e:  # a key that became unusable mid-batch (expired, revoked, token pulled out)
        code, vietnamese, english = e.code, f"Không ký được: {e.vietnamese}", str(e)
    except Exception as e:  # a failure of ours or of a tool must not stop the batch: the file waits in quarantine
        stop = stop_reason(e)
        if stop is not None:
            log.error("processing %s hit a batch-stopping condition: %r", path, e)
            return DocumentResult(str(path), STOPPED, reason=stop, seconds=time.perf_counter() - started,
                                  stages=watch.stages)
        log.error("processing %s failed:\n%s", path, traceback.format_exc())
        code, vietnamese, english = "processing_error", f"Lỗi khi xử lý tệp: {e}", f"processing error: {e!r}"
    try:
        quarantine(path, services.settings.quarantine_dir, code=code, vietnamese=vietnamese, english=english,
                   content_hash=content_hash, when=vietnam_now())
    except OSError as e:  # the quarantine folder itself cannot be written: nothing more can be done safely
        log.error("quarantining %s failed: %r", path, e)
        return DocumentResult(str(path), STOPPED, reason=f"Không ghi được vào khu cách ly "
                              f"{services.settings.quarantine_dir}: {os_error_vi(e)}.",
                              seconds=time.perf_counter() - started, stages=watch.stages)
    return DocumentResult(str(path), QUARANTINED, reason=vietnamese, seconds=time.perf_counter() - started,
                          stages=watch.stages)


def stop_reason(error: BaseException) -> str | None:
    """Why a failure must stop the whole batch (every later file would fail the same way), in Vietnamese; None
    when it concerns this file only. A full or read-only disk, or an archive that cannot be reached, stop it."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ArchiveUnavailable):
            return vietnamese(seen)
        if isinstance(seen, OSError) and seen.errno in _DISK_FULL:
            where = f" tại {seen.filename}" if seen.filename else ""
            return f"Không ghi được dữ liệu{where}: {os_error_vi(seen)}."
        seen = seen.__cause__ or seen.__context__
    return None


def _ensure_indexed(manifest: Manifest, services: Services) -> None:
    """An archived record missing from the index (a crash between the two steps) is indexed now."""
    try:
        missing = services.index.get(manifest.result_code) is None
    except IndexUnavailable:
        missing = True  # queued by index_record if the index is still down
    if missing:
        index_record(manifest, services)


def _digitise_new(source: SourceDocument, services: Services, watch: Stopwatch, by: Actor) -> Manifest:
    try:
        return _read_and_archive(source, services, watch, by)
    finally:  # archived and indexed, linked, or failed: a capture of the same paper waiting on this one may go on
        services.captures.land(source.sha256)


STAGES: tuple[Callable[[Job], None], ...] = (read_pages, classify_and_extract, find_twin, assign_codes, build_pdf, sign,
                                             archive, index)


def _read_and_archive(source: SourceDocument, services: Services, watch: Stopwatch, by: Actor) -> Manifest:
    job = Job(source, services, by, watch)
    for stage in STAGES:
        stage(job)
    return job.manifest
