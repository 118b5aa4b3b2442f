"""One document on its way through the stages (`Job`): what each stage found, for the next. Stages set their
fields in order (`pipeline.process.STAGES`); none reads a field a later one sets. `DuplicateCapture` is how a stage
says the file is another capture of a paper already archived."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from archive.base import CaptureLink, PartialRecord
from context.services import Services
from context.settings import Settings
from domain.actor import Actor
from domain.catalogue import DocumentType
from domain.dates import vietnam_now
from domain.records import ArrivedSignature, Classification, DocumentFields, Manifest, Note, SignatureInfo
from pipeline.duplicates import Twin
from pipeline.fields import Extracted
from pipeline.intake import SourceDocument
from pipeline.page_reading import Reading
from pipeline.stopwatch import Stopwatch
from signing.sign import SignedPdf


class DuplicateCapture(Exception):
    """The file is another capture of an archived record's paper; it was linked to that record, not stored."""

    def __init__(self, link: CaptureLink, pages: int) -> None:
        super().__init__(link.reason)
        self.link, self.pages = link, pages


@dataclass
class Job:
    source: SourceDocument
    services: Services
    by: Actor  # the digitising officer running the batch: signs the copy, named in the audit log
    watch: Stopwatch
    ingested_at: datetime = field(default_factory=vietnam_now)
    # read_pages
    reading: Reading = field(init=False)
    # classify_and_extract
    classification: Classification = field(init=False)
    doc_type: DocumentType | None = field(init=False)
    arrived: list[ArrivedSignature] = field(init=False)  # signatures the file came with
    extracted: Extracted = field(init=False)
    fields: DocumentFields = field(init=False)
    review: list[Note] = field(init=False)
    # find_twin
    twin: Twin | None = field(init=False)  # an archived record of the same paper
    fuller: str | None = field(init=False)  # why this capture is fuller than the twin's, when it replaces it
    # assign_codes
    partial: PartialRecord | None = field(init=False)  # what an interrupted write of this file left
    dossier: str = field(init=False)
    code: str = field(init=False)
    # build_pdf
    pdf: bytes = field(init=False)
    profile: str = field(init=False)
    removed: list[str] = field(init=False)  # active content removed from a born-digital PDF
    links: list[str] = field(init=False)  # web links it points to
    # sign
    signed: SignedPdf = field(init=False)
    signature: SignatureInfo = field(init=False)
    # archive
    manifest: Manifest = field(init=False)
    location: str = field(init=False)

    @cached_property
    def original(self) -> bytes:
        """The file as received: read once, for its arrived signatures, a born-digital PDF and the archive."""
        return self.source.path.read_bytes()

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def received(self) -> date:
        return self.ingested_at.date()

    @property
    def replaces(self) -> Manifest | None:
        """The record this capture becomes the next version of (it is fuller than the one archived)."""
        return self.twin.manifest if self.twin is not None and self.fuller else None
