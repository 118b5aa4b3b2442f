"""Rebuild the index from the archive alone: the archive is the source of truth, the index a view of it."""

from __future__ import annotations

from archive.base import OCR_TEXT
from pipeline.services import Services


def rebuild(services: Services) -> int:
    """Empty the index and index every archived record again; returns how many records were indexed."""
    archive, index = services.archive, services.index
    index.clear()
    count = 0
    for manifest in archive.manifests():
        text = archive.read(manifest, OCR_TEXT).decode("utf-8")
        index.upsert(manifest, text, archive.location(manifest.content_hash))
        count += 1
    return count
