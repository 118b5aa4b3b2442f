"""Rebuild the index from the archive alone: the archive is the source of truth, the index a view of it."""

from __future__ import annotations

from archive.base import OCR_TEXT
from pipeline.records import Manifest
from pipeline.services import Services


def index_record(manifest: Manifest, services: Services) -> None:
    """Index one archived record from what the archive holds: its manifest and its OCR text."""
    text = services.archive.read(manifest, OCR_TEXT).decode("utf-8")
    services.index.upsert(manifest, text, services.archive.location(manifest.content_hash))


def rebuild(services: Services) -> int:
    """Empty the index and index every archived record again; returns how many records were indexed."""
    services.index.clear()
    count = 0
    for manifest in services.archive.manifests():
        index_record(manifest, services)
        count += 1
    return count
