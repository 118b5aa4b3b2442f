"""The typed records that travel through the stages and the manifest that the archive keeps beside each record.

The manifest is the source of truth: the index is rebuilt from manifests alone, so everything a lookup shows must
be here. Field names are English; text read off the paper stays as printed (NFC).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.paper import PaperOrigin

MANIFEST_SCHEMA = "sohoa.record/1"
# Notes about the capture, not the fields: a page under 200 dpi (NĐ 30/2020), a fax, a page too poor to read. They ask
# the digitisation team to scan the paper again; they do not by themselves send the record to a reviewer.
CAPTURE_NOTES = frozenset({"low_resolution", "fax_capture", "low_ocr_confidence"})


class _Model(BaseModel):
    """Validation schemas are built when a model is first used, not when this module is imported: a lookup, which
    reads the index and never a manifest, does not pay for them (a fifth of a second at every command)."""

    model_config = ConfigDict(defer_build=True)


class Note(_Model):
    """A reason a person should look at the record: a stable code and the Vietnamese sentence shown to them."""

    code: str
    message: str


class Person(_Model):
    role: str
    name: str | None = None
    dob: date | None = None
    birth_year: int | None = None  # the year of birth, when the paper gives no day ("sinh năm 1985")
    sex: str | None = None
    personal_number: str | None = None
    old_id: str | None = None
    problems: list[str] = Field(default_factory=list)
    handwritten: list[str] = Field(default_factory=list)  # fields read off values filled in by hand (name, dob…)


class FieldReading(_Model):
    """One reading of a field's value: which reader gave it, where on the paper, how surely."""

    reader: str  # "tesseract", "ppocr-v4" (the second reader of figures), "text_layer"
    place: str  # Vietnamese: "đầu văn bản" (the header), "phụ lục trang 3", "số ký hiệu", "in ở chỗ khác"
    value: str | None  # what it reads as, in the field's form ("209", "18"); None: nothing legible
    part: str = ""  # of a date: "day", "month" or "year"; "" for the whole value
    raw: str = ""  # the characters as the reader gave them, before any figure was made of them
    confidence: float = 0.0  # 0..100
    by_hand: bool = False
    page: int | None = None  # 0-based, where the reading was made
    box: list[int] = Field(default_factory=list)  # left, top, right, bottom on that page's image


class FieldEvidence(_Model):
    """Why a value is believed or doubted: the readings of it, and whether two independent ones agree."""

    value: str | None
    confirmed: bool
    reason: str  # Vietnamese
    readings: list[FieldReading] = Field(default_factory=list)


class Classification(_Model):
    type_id: str | None
    type_name: str | None
    confidence: float
    needs_review: bool
    matched_text: str | None = None
    runner_up: str | None = None


class DocumentFields(_Model):
    number: str | None = None  # số và ký hiệu
    issue_date: date | None = None
    issuer: str | None = None
    valid_until: date | None = None  # None with a permanent rule: never expires
    validity_rule: str = "permanent"
    validity_note: str = ""


class FileEntry(_Model):
    name: str
    sha256: str
    size: int
    media_type: str


DpiSource = Literal["image", "estimated", "assumed"]  # the file's own figure, told by the text's size, or the default


class PageInfo(_Model):
    index: int
    width: int
    height: int
    dpi: int
    dpi_source: DpiSource = "image"
    source: Literal["ocr", "text_layer"]
    rotation: int = 0  # quarter turns applied (degrees clockwise) to stand the page upright
    osd_rotation: int | None = None  # Tesseract OSD's proposal, asked only when the first reading was in doubt
    readings: dict[int, float] = Field(default_factory=dict)  # rotation -> reading score, when several were compared
    ocr_upscale: int = 1  # read enlarged by this factor (a page under 200 dpi, when that read better)
    fax: bool = False  # a fax (CCITT-compressed, or at a fax's resolution): the paper must be scanned again
    skew_deg: float = 0.0
    ocr_confidence: float | None = None
    words: int = 0
    fingerprint: str = ""  # where the ink lies on the upright page (ocr.fingerprint): finds a second capture
    frame_fingerprint: str = ""  # the same over the page's whole frame: a stamp on one capture moves no other cell
    sheet: list[list[int]] = Field(default_factory=list)  # a photo: the sheet's corners found in it, then flattened


class SignatureInfo(_Model):
    """The agency's signature (signer, certificate, time) and what the e-copy's signatures reached together."""

    signer: str
    certificate_sha256: str
    issuer: str
    signed_at: datetime
    algorithm: str
    development_identity: bool
    level: str = "B-B"  # the PAdES level the signed PDF reaches (B-B, B-T, B-LT, B-LTA)
    target_level: str = "B-B"  # the level configured: above `level` while an upgrade is owed
    time_source: str = "signer"  # "tsa" when the signing time comes from a timestamp authority
    officer: str = ""  # the digitising officer's certificate holder (TT 01/2023 Điều 8)
    officer_certificate_sha256: str = ""
    problems: list[str] = Field(default_factory=list)  # why the target level was not reached (Vietnamese)


class ArrivedSignature(_Model):
    """A signature the file came with (an e-signed decision): whose, when, where its chain ends, and whether that end
    is among the roots this system trusts. The original keeps it; the agency does not vouch for it."""

    field: str
    signer: str
    issuer: str = ""
    signed_at: datetime | None = None
    chain_top: str = ""
    trusted: bool = False
    intact: bool = False  # the signed bytes are unchanged and the signature fits its certificate
    ok: bool = False
    problems: list[str] = Field(default_factory=list)  # Vietnamese


class TextLayerCheck(_Model):
    """Why a PDF's own text layer was read as it is, or put aside and the pages OCR'd (`pipeline.text_layer`)."""

    trusted: bool
    reason: str  # trusted, too_short_to_judge, unmapped_glyphs, no_vietnamese_marks, not_vietnamese_words,
    #              disagrees_with_page, sample_failed
    marked_share: float | None = None  # letters carrying a Vietnamese mark
    syllable_share: float | None = None  # letter words that are Vietnamese syllables
    ocr_agreement: float | None = None  # words a quick OCR of the sample page read, found in the layer at their place
    sample_page: int | None = None  # 1-based
    note: str = ""


class Retention(_Model):
    class_id: str
    label: str
    years: int  # 0 = permanent
    retain_until: date | None  # None = permanent
    mode: Literal["COMPLIANCE", "GOVERNANCE"] = "COMPLIANCE"  # the Object Lock mode its files are stored with


class Manifest(_Model):
    schema_id: str = Field(default=MANIFEST_SCHEMA, alias="schema")
    version: int = 1  # a corrected record is stored as a new version beside the old ones, never over them
    change_reason: str = ""  # why this version replaced the one before
    changed_by: str = ""  # who made this version (the reviewer of a correction); "" for the first
    corrected_by: str = ""  # the person whose correction the fields stand on, carried into later versions
    result_code: str
    dossier_code: str
    content_hash: str
    source_name: str
    classification: Classification
    procedure_code: str = ""
    fields: DocumentFields
    persons: list[Person]
    review: list[Note] = Field(default_factory=list)
    evidence: dict[str, FieldEvidence] = Field(default_factory=dict)  # field -> its readings, for those read twice
    retention: Retention
    files: dict[str, FileEntry]
    pages: list[PageInfo]
    text_layer: TextLayerCheck | None = None  # a PDF that came with a text layer: trusted or not, and why
    pdf_profile: str  # "PDF/A-2b" when sohoa built the PDF; "source" when a born-digital PDF was signed as it came
    removed_content: list[str] = Field(default_factory=list)  # active content taken out before signing (Vietnamese)
    arrived_signatures: list[ArrivedSignature] = Field(default_factory=list)  # signatures the file came with
    links: list[str] = Field(default_factory=list)  # web addresses a born-digital file links to (kept: run nothing)
    signature: SignatureInfo
    tools: dict[str, str]
    ingested_at: datetime
    paper: PaperOrigin | None = None  # where the paper original sits, and the stack it was split out of

    model_config = ConfigDict(defer_build=True, populate_by_name=True)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2) + "\n"

    def next_version(self, *, by: str, reason: str, **changes: Any) -> Manifest:
        """The record's next version: one more, saying who made it and why, whatever it changes. The one way every
        new version is made (correction, signature upkeep, longer retention, a fuller capture), so none of them
        carries the previous version's author forward as its own."""
        carried = {} if "corrected_by" in self.model_fields_set else {  # written before the field: say it now
            "corrected_by": self.changed_by if self.fields_corrected else ""}
        return self.model_copy(update={**carried, **changes, "version": self.version + 1, "change_reason": reason,
                                       "changed_by": by})

    @property
    def fields_corrected(self) -> bool:
        """Whether a person's correction stands in the fields. A manifest written before `corrected_by` existed
        says so only by being a later version a person made (then it was a correction or a retention change)."""
        if "corrected_by" in self.model_fields_set:
            return bool(self.corrected_by)
        return bool(self.changed_by and self.change_reason and self.version > 1)

    @property
    def needs_review(self) -> bool:
        """A reviewer must check the record's fields (capture notes alone do not ask that)."""
        return any(n.code not in CAPTURE_NOTES for n in self.review)

    @property
    def needs_rescan(self) -> bool:
        """The digitisation team must scan the paper again (under 200 dpi, a fax, too poor to read)."""
        return any(n.code in CAPTURE_NOTES for n in self.review)
