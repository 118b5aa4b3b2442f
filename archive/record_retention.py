"""A record's retention as the archivist handles it: its lock state, legal holds, longer retention and disposition,
applied to every object of every version and to the record's pointers and capture links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from archive.layout import BY_CAPTURE, CAPTURES, MANIFEST, version_prefix
from archive.objects import ArchiveError, Lock, ObjectStore, RetentionViolation, refuse_weakening
from domain.records import Manifest


@dataclass(frozen=True)
class LockState:
    lock: Lock | None
    legal_hold: bool


class RecordRetention:
    """The retention part of `archive.base.RecordArchive`."""

    objects: ObjectStore
    _now: Callable[[], datetime]

    def versions(self, content_hash: str) -> list[Manifest]:
        raise NotImplementedError

    def record_keys(self, content_hash: str) -> list[str]:
        raise NotImplementedError

    def lock_state(self, manifest: Manifest) -> LockState:
        info = self.objects.stat(version_prefix(manifest.content_hash, manifest.version) + MANIFEST)
        if info is None:
            raise ArchiveError(f"the manifest of {manifest.result_code} is missing", "archive.manifest_missing",
                               record=manifest.result_code)
        return LockState(info.lock, info.legal_hold)

    def _all_keys(self, manifest: Manifest) -> list[str]:
        pointers = {f"results/{m.result_code}" for m in self.versions(manifest.content_hash)}
        links = list(self.objects.keys(f"{CAPTURES}{manifest.content_hash}/"))
        pointers |= {BY_CAPTURE + key.rsplit("/", 1)[1] for key in links}
        return [*self.record_keys(manifest.content_hash), *links, *sorted(pointers)]

    def set_legal_hold(self, manifest: Manifest, on: bool) -> None:
        """A legal hold (phong tỏa) on every object of the record, all versions: nothing can be deleted under it."""
        for key in self._all_keys(manifest):
            self.objects.set_legal_hold(key, on)

    def extend_retention(self, manifest: Manifest, lock: Lock) -> None:
        """Lengthen the retention of every object of the record; shortening or lifting COMPLIANCE is refused."""
        refuse_weakening(self.lock_state(manifest).lock, lock, self._now(), manifest.result_code)
        for key in self._all_keys(manifest):
            self.objects.extend_lock(key, lock)

    def dispose(self, manifest: Manifest) -> int:
        """Delete every object of the record (the manifest first, so it stops existing at once); returns how many.

        Refused (RetentionViolation) while the record is retained or held, before anything is deleted.
        """
        self.refuse_disposal(manifest)
        keys = self._all_keys(manifest)
        keys.sort(key=lambda k: (not k.endswith("/" + MANIFEST), k))
        for key in keys:
            self.objects.delete(key)
        return len(keys)

    def refuse_disposal(self, manifest: Manifest, now: datetime | None = None) -> None:
        """RetentionViolation, in Vietnamese for the archivist, while the record is held or still retained."""
        state = self.lock_state(manifest)
        if state.legal_hold:
            raise RetentionViolation(f"{manifest.result_code} is under legal hold", "archive.held",
                                     record=manifest.result_code)
        if state.lock is not None and state.lock.active(now or self._now()):
            until = "vĩnh viễn" if state.lock.permanent else f"đến hết ngày {state.lock.retain_until:%d/%m/%Y}"
            raise RetentionViolation(f"{manifest.result_code} is retained until {state.lock.retain_until:%Y-%m-%d}",
                                     "archive.retained", record=manifest.result_code, until=until)
