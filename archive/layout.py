"""Where a record's objects sit in the store and what they are called: the key layout every part of the archive
shares (records, dossier numbers, capture links)."""

from __future__ import annotations

import re

# Names of a record's files inside the archive, by role.
ORIGINAL = "original"
SIGNED_PDF = "signed_pdf"
OCR_TEXT = "ocr_text"
MANIFEST = "manifest.json"
WRITER_WAIT_S = 30.0  # how long a write that collides with a concurrent one waits for it to finish
CLAIMS = "dossiers/by-record/"  # dossiers/by-record/<content hash>: the one number that record holds

CAPTURES = "captures/"
BY_CAPTURE = CAPTURES + "by-capture/"
VERSION_KEY = re.compile(r"^records/([0-9a-f]{64})/v(\d+)/(.+)$")


def file_name(role: str, media_type: str) -> str:
    """The archive's file name for a file of a role: original.jpg, signed.pdf, ocr.txt."""
    if role == SIGNED_PDF:
        return "signed.pdf"
    if role == OCR_TEXT:
        return "ocr.txt"
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif", "application/pdf": "pdf"}
    return f"original.{extension.get(media_type, 'bin')}"


def role_of(name: str) -> str | None:
    """The role of a record file from its archive name (the inverse of `file_name`); None for the manifest."""
    if name == "signed.pdf":
        return SIGNED_PDF
    if name == "ocr.txt":
        return OCR_TEXT
    return ORIGINAL if name.startswith("original.") else None


def check_hash(content_hash: str) -> str:
    if len(content_hash) != 64 or not all(c in "0123456789abcdef" for c in content_hash):
        raise ValueError(f"not a SHA-256 hex digest: {content_hash!r}")
    return content_hash


def version_prefix(content_hash: str, version: int) -> str:
    """records/<hash>/v<n>/: where a version's files and manifest are kept."""
    return f"records/{check_hash(content_hash)}/v{version}/"
