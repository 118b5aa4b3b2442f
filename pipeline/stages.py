"""The stages of one document after its pages are read, each a function of the `Job` (`pipeline.job`) that sets
what it found: classify and extract the fields, find an archived capture of the same paper, assign the codes, build
the PDF/A (or make a born-digital PDF inert), sign, archive, index. `pipeline.process` runs them in order."""

from __future__ import annotations

from archive.base import OCR_TEXT, ORIGINAL, SIGNED_PDF, file_name
from archive.retention import retention_of
from domain.actor import Actor
from domain.catalogue import Validity
from domain.codes import dossier_code_of, dossier_prefix, result_code
from domain.records import DocumentFields, Manifest, Note
from domain.validity import valid_until
from indexer.document import IndexedRecord
from indexer.rebuild import index_or_queue
from pdf.active_content import ActiveContentError, strip_active_content, web_links
from pdf.pdfa import build_pdfa
from pipeline import __version__
from pipeline.classify import classify
from pipeline.duplicates import DuplicateCheckFailed, claim, fuller_capture
from pipeline.duplicates import Reading as CaptureReading
from pipeline.fields import extract
from pipeline.intake import RejectedInput
from pipeline.job import DuplicateCapture, Job
from pipeline.learned_labels import learned_for
from pipeline.manifest_parts import checked_signature, file_entry, tool_versions
from pipeline.page_reading import read_document
from pipeline.qr_content import qr_facts
from pipeline.review import review_notes
from signing.arrived import OUR_FIELDS, arrived_signatures
from signing.identity import verification_roots
from signing.sign import PYHANKO_PRODUCER, SignedPdf


def read_pages(job: Job) -> None:
    job.reading = read_document(job.source, job.services, job.watch)


def classify_and_extract(job: Job) -> None:
    settings, catalogue, reading, source = job.settings, job.settings.catalogue, job.reading, job.source
    with job.watch("classify"):
        job.classification, title_index = classify(reading.lines, catalogue, settings.review_threshold)
    with job.watch("extract"):
        type_id = job.classification.type_id
        job.doc_type = doc_type = catalogue.get(type_id) if type_id else None
        job.arrived = arrived_signatures(job.original, verification_roots(settings.signing)) \
            if source.media_type == "application/pdf" and not source.is_part else []
        signed_times = [s.signed_at for s in job.arrived if s.signed_at is not None]
        job.extracted = extracted = extract(
            reading.lines, catalogue.labels_for(type_id), title_index=title_index, confidences=reading.confidences,
            inked=reading.inked, learned=learned_for(settings, type_id),
            number_pattern=doc_type.number_pattern if doc_type else "", line_pages=reading.line_pages,
            second=reading.second, signed_on=min(signed_times).date() if signed_times else None, today=job.received)
        validity = doc_type.validity if doc_type else Validity(None)
        job.fields = DocumentFields(number=extracted.number, issue_date=extracted.issue_date,
                                    issuer=extracted.issuer, valid_until=valid_until(extracted.issue_date, validity),
                                    validity_rule=validity.rule, validity_note=validity.note)
        job.review = [*source.doubts, *review_notes(job.classification, extracted, reading.pages, job.received,
                                                    doc_type)]


def find_twin(job: Job) -> None:
    """An archived record of the same paper: this capture is linked to it (DuplicateCapture), or, when it is
    fuller, becomes that record's next version."""
    source, services = job.source, job.services
    with job.watch("duplicates"):
        try:
            job.twin = claim(CaptureReading(source.sha256, job.classification.type_id, job.extracted,
                                            job.reading.pages, job.reading.text), services)
        except DuplicateCheckFailed as e:  # archived all the same: a person compares it when the index is back
            job.twin = None
            job.review.append(Note(code="duplicate_unchecked", message=f"Chưa đối chiếu được với các hồ sơ đã lưu "
                                   f"để phát hiện bản chụp trùng: {e}"))
    job.fuller = None
    twin = job.twin
    if twin is None:
        return
    ours = any(s.field.startswith(OUR_FIELDS) for s in job.arrived)  # an e-copy this system issued: no original
    job.fuller = fuller_capture(job.reading.pages, old=twin.manifest, original=not ours and bool(
        (source.text_layer is not None and source.text_layer.trusted) or any(s.intact for s in job.arrived)))
    if job.fuller is None:
        link = services.archive.link_capture(source.sha256, twin.manifest, twin.reason, job.ingested_at,
                                             source.name)
        services.log(job.by, "record.capture_link", link.result_code, "Số hóa kết quả giải quyết TTHC",
                     capture_hash=source.sha256, source=source.name, reason=link.reason)
        raise DuplicateCapture(link, len(job.reading.pages))


def assign_codes(job: Job) -> None:
    """The dossier and result codes: the replaced record's, those an interrupted write of this file already used,
    or the next free number of the day."""
    archive, settings, sha256 = job.services.archive, job.settings, job.source.sha256
    with job.watch("codes"):
        # A write interrupted before its manifest left files naming their codes: finish that record, not a new one.
        job.partial = partial = archive.partial(sha256) if job.replaces is None else None
        if job.replaces is not None:  # the fuller capture becomes the next version of the record it captures again
            job.dossier, job.code = job.replaces.dossier_code, job.replaces.result_code
        elif partial is not None and partial.result_code and partial.dossier_code:
            job.dossier, job.code = partial.dossier_code, partial.result_code
            held_prefix, _, number = job.dossier.rpartition("-")  # its number taken again if the crash lost it
            archive.reserve_sequence(held_prefix, sha256, prefer=int(number))
        else:
            held_prefix, sequence = archive.reserve_sequence(dossier_prefix(settings.agency_code, job.received),
                                                             sha256)  # an earlier try's number if any
            job.dossier = dossier_code_of(held_prefix, sequence)
            job.code = result_code(job.dossier, 1, settings.result_code_template)


def build_pdf(job: Job) -> None:
    """The PDF/A of the pages read; a born-digital PDF as it came, once anything that could run or carry a payload
    is removed."""
    job.removed, job.links = [], []
    with job.watch("pdf"):
        if job.reading.pdf_pages:
            # The signer sets the XMP producer to its own name and appends it to /Info's unless already there:
            # starting from its name keeps the two equal, as PDF/A requires.
            title = f"{job.classification.type_name or 'Giấy tờ'} — {job.code}"
            job.pdf = build_pdfa(job.reading.pdf_pages, title=title, created=job.ingested_at,
                                 creator=f"sohoa {__version__}", producer=PYHANKO_PRODUCER)
            job.profile = "PDF/A-2b"
            return
        original = job.original
        start = original.find(b"%PDF-")  # readers tolerate bytes before the header; the signer does not
        body = original[start:] if start > 0 else original
        try:
            sanitised = strip_active_content(body)
        except ActiveContentError as e:
            raise RejectedInput("active_content", f"active content that could not be removed: {e}",
                                what=e) from e
        job.pdf, job.profile, job.removed = sanitised.data, "source", list(sanitised.removed)
        job.links = web_links(body)
        if start > 0:
            job.removed.insert(0, f"{start} byte không thuộc tệp PDF đứng trước phần đầu %PDF")


def sign(job: Job) -> None:
    """The officer's and the agency's PAdES signatures, with the QR code; checked by validating them."""
    with job.watch("sign"):
        signer = job.services.signer_for(job.by)
        if job.partial is not None and SIGNED_PDF in job.partial.files:  # signed before the crash: keep that copy
            job.signed = SignedPdf(job.partial.files[SIGNED_PDF], (), "B-B", job.settings.signing.level)
        else:
            procedure = job.doc_type.procedure_code if job.doc_type else ""
            job.signed = signer.sign(job.pdf, result_code=job.code, procedure_code=procedure,
                                     reason=f"Số hóa kết quả giải quyết thủ tục hành chính — {job.code}",
                                     qr=qr_facts(job.code, job.dossier, procedure, job.classification, job.fields,
                                                 job.extracted.persons, job.settings.catalogue))
        job.signature = checked_signature(job.signed, job.services, development=signer.development)


def archive(job: Job) -> None:
    """The record written to the archive (its files, then its manifest, with the audit event between)."""
    source, settings, services = job.source, job.settings, job.services
    # a document of a stack: its original is the stack, archived once as it came (`pipeline.stack`), not copied here
    files = {} if source.is_part else {ORIGINAL: job.original}
    files |= {SIGNED_PDF: job.signed.data, OCR_TEXT: (job.reading.text + "\n").encode("utf-8")}
    media = {ORIGINAL: source.media_type, SIGNED_PDF: "application/pdf", OCR_TEXT: "text/plain; charset=utf-8"}
    extracted = job.extracted
    manifest = Manifest(
        result_code=job.code,
        dossier_code=job.dossier,
        content_hash=source.sha256,
        source_name=source.name,
        classification=job.classification,
        procedure_code=job.doc_type.procedure_code if job.doc_type else "",
        fields=job.fields,
        persons=extracted.persons,
        review=job.review,
        evidence=extracted.evidence,
        retention=retention_of(settings.retention.for_type(job.classification.type_id),
                               extracted.issue_date or job.received),
        files={role: file_entry(file_name(role, media[role]), data, media[role]) for role, data in files.items()},
        pages=job.reading.pages,
        text_layer=source.text_layer,
        pdf_profile=job.profile,
        removed_content=job.removed,
        arrived_signatures=job.arrived,
        links=job.links,
        signature=job.signature,
        tools=tool_versions(),
        ingested_at=job.ingested_at,
        paper=source.paper,
    )
    replaces = job.replaces
    if replaces is not None and job.twin is not None:
        manifest = _as_next_version(manifest, replaces, f"{job.twin.reason} Bản này đầy đủ hơn: {job.fuller}.",
                                    job.by)
    with job.watch("archive"):
        job.location = services.store_record(manifest, files, "Số hóa kết quả giải quyết TTHC", job.by,
                                             document_type=job.classification.type_id, source=source.name)
        if replaces is not None:  # this file, run again, is known as the capture the record now holds
            services.archive.link_capture(source.sha256, manifest, manifest.change_reason, job.ingested_at,
                                          source.name)
    job.manifest = manifest


def index(job: Job) -> None:
    """The record in the index; the record is safe in the archive, so an index that is down gets it later (the
    outbox)."""
    with job.watch("index"):
        index_or_queue(IndexedRecord.of(job.manifest, job.reading.text + "\n", job.location), job.services)


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


