"""What every archive backend offers. The archive is the source of truth: a record's files and its manifest live
together, a record is visible only once complete, and nothing stored is ever overwritten.

Records are addressed by the SHA-256 of the original scan, so the same file can be stored once only, however many
times and by however many workers it is ingested. Dossier sequence numbers are reserved in the archive too, so two
workers never give out the same code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

from pipeline.records import Manifest

# Names of a record's files inside the archive, by role.
ORIGINAL = "original"
SIGNED_PDF = "signed_pdf"
OCR_TEXT = "ocr_text"


class AlreadyArchived(Exception):
    """A record with this content hash is already in the archive (another worker got there first)."""

    def __init__(self, content_hash: str) -> None:
        super().__init__(f"record {content_hash} is already archived")
        self.content_hash = content_hash


class ArchiveError(RuntimeError):
    """The archive could not complete an operation; nothing partial is visible."""


class Archive(Protocol):
    def find(self, content_hash: str) -> Manifest | None:
        """The manifest of the record made from this original, if archived."""

    def reserve_sequence(self, prefix: str, content_hash: str) -> int:
        """The next free sequence number under a dossier-code prefix (agency code and day), reserved for good."""

    def store(self, manifest: Manifest, files: Mapping[str, bytes]) -> str:
        """Write a record's files and manifest atomically; returns its location. Raises AlreadyArchived."""

    def manifest(self, result_code: str) -> Manifest | None:
        """The manifest of the record with this result code."""

    def manifests(self) -> Iterator[Manifest]:
        """Every complete record's manifest (used to rebuild the index)."""

    def read(self, manifest: Manifest, role: str) -> bytes:
        """One of a record's files by role (ORIGINAL, SIGNED_PDF, OCR_TEXT), checked against its manifest hash."""

    def location(self, content_hash: str) -> str:
        """Where the record lives, as an operator would type it (a path, or an s3:// URL)."""


def file_name(role: str, media_type: str) -> str:
    """The archive's file name for a file of a role: original.jpg, signed.pdf, ocr.txt."""
    if role == SIGNED_PDF:
        return "signed.pdf"
    if role == OCR_TEXT:
        return "ocr.txt"
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif", "application/pdf": "pdf"}
    return f"original.{extension.get(media_type, 'bin')}"

