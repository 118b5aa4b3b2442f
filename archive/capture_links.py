"""Capture links: another capture of a paper already archived (a rescan, a photo) is kept as a link to its record,
with the record's retention, not as a second record."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from archive.layout import BY_CAPTURE, CAPTURES, check_hash
from archive.objects import Lock, ObjectExists, ObjectStore
from archive.retention import lock_of
from domain.records import Manifest


@dataclass(frozen=True)
class CaptureLink:
    """A second capture of a paper already archived (a rescan, a photo, a render), kept as a link, not a record."""

    capture_hash: str  # SHA-256 of the capture's file
    record_hash: str  # the record it is a capture of
    result_code: str
    reason: str  # Vietnamese: why it was taken for the same paper
    linked_at: str  # ISO time
    source_name: str = ""


class CaptureLinks:
    """The capture-link part of `archive.base.RecordArchive`."""

    objects: ObjectStore

    def _complete_versions(self, content_hash: str) -> list[int]:
        raise NotImplementedError

    def _active_lock(self, lock: Lock) -> Lock | None:
        raise NotImplementedError

    @staticmethod
    def _common(manifest: Manifest) -> dict[str, str]:
        raise NotImplementedError

    def link_capture(self, capture_hash: str, manifest: Manifest, reason: str, when: datetime,
                     source_name: str = "") -> CaptureLink:
        """Record that the file with `capture_hash` is another capture of `manifest`'s paper.

        The link is kept with the record's retention (held, extended and disposed of with it); linking a capture
        that is already linked returns the link made first."""
        check_hash(capture_hash)
        existing = self.capture_link(capture_hash)
        if existing is not None:
            return existing
        link = CaptureLink(capture_hash, manifest.content_hash, manifest.result_code, reason, when.isoformat(),
                           source_name)
        lock = self._active_lock(lock_of(manifest.retention))
        common = {**self._common(manifest), "role": "capture-link"}
        body = json.dumps(asdict(link), ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            self.objects.put(f"{CAPTURES}{manifest.content_hash}/{capture_hash}", body, common, lock,
                             "application/json")
            self.objects.put(BY_CAPTURE + capture_hash, manifest.content_hash.encode("ascii"), common, lock,
                             "text/plain")
        except ObjectExists:  # a concurrent worker linked the same capture first (perhaps to another record)
            found = self.capture_link(capture_hash)
            if found is None:
                raise
            return found
        return link

    def capture_link(self, capture_hash: str) -> CaptureLink | None:
        """The link of a file already taken for another capture of an archived record, if its record still exists."""
        try:
            record = self.objects.get(BY_CAPTURE + check_hash(capture_hash)).decode("ascii").strip()
            data = self.objects.get(f"{CAPTURES}{record}/{capture_hash}")
        except KeyError:
            return None
        if not self._complete_versions(record):
            return None  # disposed of meanwhile
        return CaptureLink(**json.loads(data))
