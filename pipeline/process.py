"""Digitise one file, start to finish. This is the whole pipeline for a document and it reads top to bottom:

intake -> (already archived? stop) -> per page: preprocess and OCR -> classify -> extract fields -> codes ->
searchable PDF/A (a born-digital PDF: its active content removed) -> PAdES signature (checked by validating it)
-> archive -> index.

It is a plain function over the `Services` of a data directory; the Prefect flow only calls it, once per file.
A failure of the file ends in quarantine with a reason, never in a half-stored record. A condition every later file
would meet too (a full disk, an archive that cannot be reached) is returned as STOPPED, for the flow to stop the
batch; a rerun finishes what was cut short.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np
from PIL import Image

from archive.base import OCR_TEXT, ORIGINAL, SIGNED_PDF, AlreadyArchived, CaptureLink, file_name
from archive.objects import ArchiveUnavailable, os_error_vi
from archive.retention import retention_of
from context.services import Services
from context.settings import Settings
from domain.actor import Actor
from domain.catalogue import Validity
from domain.codes import dossier_code_of, dossier_prefix, result_code
from domain.dates import vietnam_now
from domain.records import (
    DocumentFields,
    DpiSource,
    FileEntry,
    Manifest,
    Note,
    PageInfo,
    SignatureInfo,
)
from domain.validity import valid_until
from indexer.base import IndexUnavailable
from indexer.document import IndexedRecord
from indexer.rebuild import index_or_queue, index_record
from ocr.chosen_engine import current_engine
from ocr.engine import OcrTimeout
from ocr.fingerprint import WORKING_WIDTH, frame_fingerprint, page_fingerprint
from ocr.ink import coloured_ink, inked_words, on_blanks, slanted_words
from ocr.page import PageReading, read_page
from ocr.page_finder import even_light, find_page, flatten
from ocr.preprocess import rotate_quarter, straighten, to_grey
from ocr.resolution import estimate_dpi
from pdf.active_content import ActiveContentError, strip_active_content, web_links
from pdf.pdfa import PdfPage, build_pdfa, encode_image
from pipeline import __version__
from pipeline.classify import classify
from pipeline.duplicates import DuplicateCheckFailed, claim, fuller_capture
from pipeline.duplicates import Reading as CaptureReading
from pipeline.fields import extract
from pipeline.intake import RejectedInput, SourceDocument, file_sha256, open_document
from pipeline.learned_labels import learned_for

# Re-exported: what became of a file is named from here by the flows, the command line and the tests.
from pipeline.outcomes import ACCEPTED as ACCEPTED
from pipeline.outcomes import ALREADY_ARCHIVED as ALREADY_ARCHIVED
from pipeline.outcomes import DUPLICATE_CAPTURE as DUPLICATE_CAPTURE
from pipeline.outcomes import NOT_PROCESSED as NOT_PROCESSED
from pipeline.outcomes import QUARANTINED as QUARANTINED
from pipeline.outcomes import STOPPED as STOPPED
from pipeline.outcomes import DocumentResult as DocumentResult
from pipeline.qr_content import qr_facts
from pipeline.quarantine import quarantine
from pipeline.review import MIN_DPI, review_notes
from pipeline.second_reading import FigureReading, second_readings
from signing.arrived import OUR_FIELDS, arrived_signatures
from signing.identity import SigningKeyError, verification_roots
from signing.settings import LEVELS
from signing.sign import PYHANKO_PRODUCER, SignedPdf
from signing.verify import verify_pdf

log = logging.getLogger(__name__)

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


class DuplicateCapture(Exception):
    """The file is another capture of an archived record's paper; it was linked to that record, not stored."""

    def __init__(self, link: CaptureLink, pages: int) -> None:
        super().__init__(link.reason)
        self.link, self.pages = link, pages


class Stopwatch:
    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - started)


@dataclass
class Reading:
    lines: list[str]
    pages: list[PageInfo]
    pdf_pages: list[PdfPage]  # empty for a born-digital PDF, which is signed as it came (made inert first)
    confidences: list[list[float]] | None = None  # per OCR line, each word's confidence; None for a text layer
    inked: list[list[bool]] | None = None  # per OCR line, whether each word was filled in by hand (ink or blank)
    line_pages: list[int] = field(default_factory=list)  # per line, the page it stands on
    second: dict[int, list[FigureReading]] = field(default_factory=dict)  # per line, figures read a second time

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def tool_versions() -> dict[str, str]:
    """What made a record, kept in its manifest: sohoa, the page engine that read it, the libraries."""
    engine = current_engine()
    return {"sohoa": __version__, engine.name: engine.version(), **_library_versions()}


@cache
def _library_versions() -> dict[str, str]:
    versions = {}
    for dist in ("pytesseract", "opencv-python-headless", "pikepdf", "pyHanko", "pdfplumber", "Pillow"):
        try:
            versions[dist.lower()] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist.lower()] = "unknown"
    return versions


DPI_MISMATCH = 0.15  # a photo whose words show a density this far from the one assumed is read again at it


def read_document(source: SourceDocument, services: Services, watch: Stopwatch) -> Reading:
    """Text and page images of every page: read from the text layer of a born-digital PDF, else OCR'd."""
    if source.text_pages is not None:
        lines = [line for text in source.text_pages for line in text.splitlines()]
        with watch("duplicates"):  # drawn only for this: a render or photo of the page is then known
            prints = [(page_fingerprint(np.asarray(image)), frame_fingerprint(np.asarray(image)))
                      if image is not None else ("", "") for image in source.drawn(WORKING_WIDTH)]
        pages = [PageInfo(index=i, width=0, height=0, dpi=0, source="text_layer", words=len(t.split()),
                          fingerprint=prints[i][0] if i < len(prints) else "",
                          frame_fingerprint=prints[i][1] if i < len(prints) else "")
                 for i, t in enumerate(source.text_pages)]
        return Reading(lines, pages, [], line_pages=[i for i, t in enumerate(source.text_pages)
                                                     for _ in t.splitlines()])
    settings = services.settings
    confidences: list[list[float]] = []
    inked: list[list[bool]] = []
    reading = Reading([], [], [], confidences, inked)
    dpi_source: DpiSource
    for index, page in enumerate(source.pages()):
        source.check_time()
        image = page.image.convert("L") if page.image.mode == "1" else page.image
        pixels = np.asarray(image)
        with watch("preprocess"):
            sheet = find_page(to_grey(pixels))  # a photo of the page on a desk: the sheet, flattened
        if sheet is not None:
            pixels = even_light(flatten(pixels, sheet))  # a photo: the sheet, flat and evenly lit
        read_dpi = page.dpi  # the pixels' density as Tesseract is told it (a rendered page's, not its scan's)
        result = _read(pixels, read_dpi, index, settings)
        dpi, dpi_source = page.true_dpi, "image"
        if not page.dpi_stated:  # a photo's "72 dpi": the size of its words tells the density
            estimate = estimate_dpi(result.ocr.words)
            dpi, dpi_source = (estimate, "estimated") if estimate else (dpi, "assumed")
            if estimate and estimate < MIN_DPI:  # read again as what it is: enlarged, if that reads better
                read_dpi = estimate
                result = _read(pixels, read_dpi, index, settings)
            elif estimate and abs(estimate - read_dpi) > DPI_MISMATCH * read_dpi:  # told the wrong size of letters
                again = _read(pixels, estimate, index, settings)
                if again.quality is not None and result.quality is not None and \
                        again.quality.score > result.quality.score:
                    result, read_dpi = again, estimate
        source.check_time()
        watch.add("preprocess", result.preprocess_s)
        watch.add("ocr", result.ocr_s)
        with watch("pdf"):
            if sheet is None and result.rotation == 0 and result.prepared.skew_deg == 0.0:  # as scanned, JPEG and all
                shown = pixels
                encoded = encode_image(page.image, jpeg=page.jpeg, lossless=page.lossless)
            else:
                shown = straighten(rotate_quarter(pixels, result.rotation), result.prepared)
                encoded = encode_image(Image.fromarray(shown), lossless=page.lossless)
        with watch("duplicates"):
            fingerprint = page_fingerprint(shown)  # of the page as a person reads it, whatever way it was scanned
            frame = frame_fingerprint(shown)
        with watch("extract"):
            ink = coloured_ink(shown)  # `shown` is on the grid Tesseract read, at the scan's own size
            grey = to_grey(shown) if ink is None else None  # a fax or grey copy: only the slant shows a hand
            page_inked = []
            for line in result.ocr.lines:  # in coloured ink (or leaning, on grey), or on a dotted blank: by hand
                coloured = (inked_words(ink, line.words, 1 / result.upscale) if grey is None
                            else slanted_words(grey, line.words, 1 / result.upscale))
                blank = on_blanks(line.words, result.prepared.blanks, 1 / result.upscale)
                page_inked.append([a or b for a, b in zip(coloured, blank, strict=True)])
        with watch("second_reading"):  # figures Tesseract was unsure of, read again by the second reader
            read_again = second_readings(shown, result.ocr.lines, result.upscale, page_inked, services.figure_reader,
                                    index, header_done=index > 0)
        first_line = len(reading.lines)
        reading.second.update({first_line + i: found for i, found in read_again.items()})
        inked.extend(page_inked)
        reading.line_pages.extend([index] * len(result.ocr.lines))
        reading.pdf_pages.append(PdfPage(encoded, read_dpi, result.ocr.text_layer_pdf))  # the layer's own size
        reading.lines.extend(line.text for line in result.ocr.lines)
        confidences.extend([w.confidence for w in line.words] for line in result.ocr.lines)
        reading.pages.append(PageInfo(index=index, width=encoded.width, height=encoded.height, dpi=dpi,
                                      dpi_source=dpi_source,
                                      source="ocr", rotation=result.rotation, skew_deg=result.prepared.skew_deg,
                                      osd_rotation=result.osd.rotate if result.osd else None,
                                      readings=result.tried if len(result.tried) > 1 else {},
                                      ocr_upscale=result.upscale, fax=page.fax,
                                      ocr_confidence=round(result.ocr.mean_confidence, 1),
                                      words=len(result.ocr.words), fingerprint=fingerprint,
                                      frame_fingerprint=frame,
                                      sheet=[[round(float(x)), round(float(y))] for x, y in sheet]
                                      if sheet is not None else []))
    return reading


def _read(pixels: np.ndarray, dpi: int, index: int, settings: Settings) -> PageReading:
    try:
        return read_page(pixels, dpi=dpi, language=settings.ocr_language, flip_below=settings.flip_retry_confidence,
                         timeout_s=settings.max_seconds_per_page)
    except OcrTimeout as e:
        limit = settings.max_seconds_per_page
        raise RejectedInput("too_slow", f"Nhận dạng chữ trang {index + 1} vượt quá giới hạn {limit} giây.",
                            f"page {index + 1}: {e}") from e


def digitise(path: Path, services: Services, by: Actor) -> DocumentResult:
    """Digitise one file into one archived, signed, indexed record; never raises for a bad file. `by`: the
    digitising officer running the batch, who signs the copy beside the agency and is named in the audit log."""
    started = time.perf_counter()
    watch = Stopwatch()
    content_hash = None
    try:
        with watch("intake"):
            content_hash = file_sha256(path)
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
            source = open_document(path, services.settings, content_hash)
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
            return str(seen)
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


def _read_and_archive(source: SourceDocument, services: Services, watch: Stopwatch, by: Actor) -> Manifest:
    settings = services.settings
    catalogue = settings.catalogue
    ingested_at = vietnam_now()
    received = ingested_at.date()

    reading = read_document(source, services, watch)

    with watch("classify"):
        classification, title_index = classify(reading.lines, catalogue, settings.review_threshold)
    with watch("extract"):
        doc_type = catalogue.get(classification.type_id) if classification.type_id else None
        arrived = arrived_signatures(source.path.read_bytes(), verification_roots(settings.signing)) \
            if source.media_type == "application/pdf" else []
        signed_times = [s.signed_at for s in arrived if s.signed_at is not None]
        extracted = extract(reading.lines, catalogue.labels_for(classification.type_id), title_index=title_index,
                            confidences=reading.confidences, inked=reading.inked,
                            learned=learned_for(settings, classification.type_id),
                            number_pattern=doc_type.number_pattern if doc_type else "",
                            line_pages=reading.line_pages, second=reading.second,
                            signed_on=min(signed_times).date() if signed_times else None, today=received)
        validity = doc_type.validity if doc_type else Validity(None)
        fields = DocumentFields(number=extracted.number, issue_date=extracted.issue_date, issuer=extracted.issuer,
                                valid_until=valid_until(extracted.issue_date, validity),
                                validity_rule=validity.rule, validity_note=validity.note)
        review = review_notes(classification, extracted, reading.pages, received, doc_type)
    with watch("duplicates"):
        try:
            twin = claim(CaptureReading(source.sha256, classification.type_id, extracted, reading.pages,
                                        reading.text), services)
        except DuplicateCheckFailed as e:  # archived all the same: a person compares it when the index is back
            twin = None
            review.append(Note(code="duplicate_unchecked", message=f"Chưa đối chiếu được với các hồ sơ đã lưu để "
                               f"phát hiện bản chụp trùng: {e}"))
    fuller = None
    if twin is not None:
        ours = any(s.field.startswith(OUR_FIELDS) for s in arrived)  # an e-copy this system issued: never an original
        fuller = fuller_capture(reading.pages, old=twin.manifest, original=not ours and bool(
            (source.text_layer is not None and source.text_layer.trusted) or any(s.intact for s in arrived)))
        if fuller is None:
            link = services.archive.link_capture(source.sha256, twin.manifest, twin.reason, ingested_at,
                                                 source.path.name)
            services.log(by, "record.capture_link", link.result_code, "Số hóa kết quả giải quyết TTHC",
                         capture_hash=source.sha256, source=source.path.name, reason=link.reason)
            raise DuplicateCapture(link, len(reading.pages))
    replaces = twin.manifest if twin is not None and fuller else None

    with watch("codes"):
        # A write interrupted before its manifest left files naming their codes: finish that record, not a new one.
        partial = services.archive.partial(source.sha256) if replaces is None else None
        if replaces is not None:  # the fuller capture becomes the next version of the record it captures again
            dossier, code = replaces.dossier_code, replaces.result_code
        elif partial is not None and partial.result_code and partial.dossier_code:
            dossier, code = partial.dossier_code, partial.result_code
            held_prefix, _, number = dossier.rpartition("-")  # its number taken again if the crash lost it
            services.archive.reserve_sequence(held_prefix, source.sha256, prefer=int(number))
        else:
            held_prefix, sequence = services.archive.reserve_sequence(
                dossier_prefix(settings.agency_code, received), source.sha256)  # an earlier try's number if any
            dossier = dossier_code_of(held_prefix, sequence)
            code = result_code(dossier, 1, settings.result_code_template)

    original = source.path.read_bytes()
    title = f"{classification.type_name or 'Giấy tờ'} — {code}"
    removed: list[str] = []
    links: list[str] = []
    with watch("pdf"):
        if reading.pdf_pages:
            # The signer sets the XMP producer to its own name and appends it to /Info's unless already there:
            # starting from its name keeps the two equal, as PDF/A requires.
            pdf = build_pdfa(reading.pdf_pages, title=title, created=ingested_at, creator=f"sohoa {__version__}",
                             producer=PYHANKO_PRODUCER)
            profile = "PDF/A-2b"
        else:  # born-digital: signed as it came, once anything that could run or carry a payload is removed
            start = original.find(b"%PDF-")  # readers tolerate bytes before the header; the signer does not
            body = original[start:] if start > 0 else original
            try:
                sanitised = strip_active_content(body)
            except ActiveContentError as e:
                raise RejectedInput("active_content", f"PDF chứa nội dung chủ động không gỡ bỏ được ({e}); không "
                                    "ký tệp này.", f"active content that could not be removed: {e}") from e
            pdf, profile, removed = sanitised.data, "source", list(sanitised.removed)
            links = web_links(body)
            if start > 0:
                removed.insert(0, f"{start} byte không thuộc tệp PDF đứng trước phần đầu %PDF")
    with watch("sign"):
        signer = services.signer_for(by)
        if partial is not None and SIGNED_PDF in partial.files:  # signed before the crash: keep that copy
            signed = SignedPdf(partial.files[SIGNED_PDF], (), "B-B", settings.signing.level)
        else:
            procedure = doc_type.procedure_code if doc_type else ""
            signed = signer.sign(pdf, result_code=code, procedure_code=procedure,
                                 reason=f"Số hóa kết quả giải quyết thủ tục hành chính — {code}",
                                 qr=qr_facts(code, dossier, procedure, classification, fields, extracted.persons,
                                             catalogue))
        signature = checked_signature(signed, services, development=signer.development)

    text = reading.text + "\n"
    files = {ORIGINAL: original, SIGNED_PDF: signed.data, OCR_TEXT: text.encode("utf-8")}
    media = {ORIGINAL: source.media_type, SIGNED_PDF: "application/pdf", OCR_TEXT: "text/plain; charset=utf-8"}
    manifest = Manifest(
        result_code=code,
        dossier_code=dossier,
        content_hash=source.sha256,
        source_name=source.path.name,
        classification=classification,
        procedure_code=doc_type.procedure_code if doc_type else "",
        fields=fields,
        persons=extracted.persons,
        review=review,
        evidence=extracted.evidence,
        retention=retention_of(settings.retention.for_type(classification.type_id), extracted.issue_date or received),
        files={role: file_entry(file_name(role, media[role]), data, media[role]) for role, data in files.items()},
        pages=reading.pages,
        text_layer=source.text_layer,
        pdf_profile=profile,
        removed_content=removed,
        arrived_signatures=arrived,
        links=links,
        signature=signature,
        tools=tool_versions(),
        ingested_at=ingested_at,
    )
    if replaces is not None and twin is not None and fuller is not None:
        manifest = _as_next_version(manifest, replaces, f"{twin.reason} Bản này đầy đủ hơn: {fuller}.", by)
    with watch("archive"):
        location = services.store_record(manifest, files, "Số hóa kết quả giải quyết TTHC", by,
                                         document_type=classification.type_id, source=source.path.name)
        if replaces is not None:  # this file, run again, is known as the capture the record now holds
            services.archive.link_capture(source.sha256, manifest, manifest.change_reason, ingested_at,
                                          source.path.name)
    with watch("index"):  # the record is safe in the archive: an index that is down gets it later, from the outbox
        index_or_queue(IndexedRecord.of(manifest, text, location), services)
    return manifest


def _as_next_version(new: Manifest, old: Manifest, reason: str, by: Actor) -> Manifest:
    """The new capture's record as the next version of the record it captures again: same codes, the earlier
    version (and its original) kept. What a person corrected on the earlier version stands; a retention already
    longer than the new reading's stays."""
    keep: dict[str, object] = {}
    if old.fields_corrected:  # a reviewer's word outweighs a new reading
        keep = {"classification": old.classification, "procedure_code": old.procedure_code, "fields": old.fields,
                "persons": old.persons, "review": [], "evidence": {},
                "corrected_by": old.corrected_by or old.changed_by}  # the latter: written before the field
    longer = old.retention.retain_until is None or (new.retention.retain_until is not None
                                                    and old.retention.retain_until > new.retention.retain_until)
    return new.model_copy(update={"version": old.version}).next_version(
        by=by.identity, reason=reason, content_hash=old.content_hash,
        retention=old.retention if longer else new.retention, **keep)


def file_entry(name: str, data: bytes, media_type: str) -> FileEntry:
    return FileEntry(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), media_type=media_type)


def checked_signature(signed: SignedPdf, services: Services, *, development: bool) -> SignatureInfo:
    """Validate the signatures just made: a record is archived only with signatures pyHanko accepts whole."""
    return signature_info(signed.data, services, target_level=signed.target_level, problems=signed.problems,
                          fields=signed.fields, development=development)


def signature_info(data: bytes, services: Services, *, target_level: str, problems: Sequence[str],
                   development: bool, fields: Sequence[str] = ()) -> SignatureInfo:
    """The manifest's signature block for a signed PDF whose own signatures (the `fields` given, else sohoa's
    officer and agency fields) pyHanko accepts whole; RuntimeError otherwise.

    Signatures the file arrived with are not ours to vouch for (their roots may not be configured here)."""
    report = verify_pdf(data, verification_roots(services.settings.signing))
    mine = [r for r in report.regular if (r.field in fields if fields else r.role in ("agency", "officer"))]
    agency = [r for r in mine if r.role == "agency"]
    officer = [r for r in mine if r.role == "officer"]
    if not all(r.ok for r in mine) or not agency or not officer or agency[-1].signed_at is None:
        found = [p for r in mine for p in r.problems]
        raise RuntimeError(f"the signatures do not validate: {found or report}")
    a, o = agency[-1], officer[-1]
    assert a.signed_at is not None
    level = min((r.level for r in (a, o)), key=LEVELS.index)
    return SignatureInfo(signer=a.signer, certificate_sha256=a.certificate_sha256, issuer=a.issuer,
                         signed_at=a.signed_at, algorithm=a.algorithm, development_identity=development, level=level,
                         target_level=target_level, time_source=a.time_source, officer=o.signer,
                         officer_certificate_sha256=o.certificate_sha256, problems=list(problems))
