"""The archive: records (scan, signed PDF, text and manifest) kept in a write-once object store, the system of record.

    records/<hash>/v<n>/original.jpg, signed.pdf, ocr.txt   a record's files, version n
    records/<hash>/v<n>/manifest.json                       written last: a version without it does not exist
    results/<result code>                                   the content hash of the record with that result code
    dossiers/<agency-day prefix>/<seq>                      a reserved dossier number (holds the content hash)
    dossiers/by-record/<hash>                               the one number that record holds (<prefix>/<seq>)
    captures/<hash>/<capture hash>                          another capture of that record's paper, and why
    captures/by-capture/<capture hash>                      the record that capture belongs to (its hash)

Records are addressed by the SHA-256 of the original scan, so the same file is stored once however many times and by
however many workers it is ingested. A corrected record is version n+1 beside the earlier versions, which stay.
Every object of a record carries the record's retention lock; objects are never overwritten. The same code runs on
the embedded filesystem store and on MinIO (`archive.objects.ObjectStore`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from archive.capture_links import CaptureLink, CaptureLinks
from archive.dossier_numbers import DossierNumbering, DossierNumbers
from archive.layout import (
    BY_CAPTURE,
    CAPTURES,
    CLAIMS,
    MANIFEST,
    OCR_TEXT,
    ORIGINAL,
    SIGNED_PDF,
    VERSION_KEY,
    WRITER_WAIT_S,
    check_hash,
    file_name,
    role_of,
    version_prefix,
)
from archive.objects import (
    ArchiveError,
    Lock,
    ObjectExists,
    ObjectStore,
    RetentionViolation,
    sha256_hex,
)
from archive.record_retention import LockState, RecordRetention
from archive.retention import lock_of
from domain.messages import say
from domain.records import FileEntry, Manifest

# (content hash, version) -> SHA-256 of every manifest the audit log says was written for that version
Attestations = Mapping[tuple[str, int], Set[str]]

__all__ = ["BY_CAPTURE", "CAPTURES", "CLAIMS", "MANIFEST", "OCR_TEXT", "ORIGINAL", "SIGNED_PDF", "AlreadyArchived",
           "ArchiveError", "Attestations", "CaptureLink", "DamagedManifest", "DossierNumbers", "LockState",
           "PartialRecord", "RecordArchive", "RetentionViolation", "file_name"]


class AlreadyArchived(Exception):
    """A record with this content hash is already in the archive (another worker got there first)."""

    def __init__(self, content_hash: str) -> None:
        super().__init__(f"record {content_hash} is already archived")
        self.content_hash = content_hash


class DamagedManifest(ArchiveError):
    """A manifest that cannot be trusted: unreadable, or not the bytes that were written. Only its record is affected;
    everything else goes on. `reason` is what the archivist reads."""

    def __init__(self, content_hash: str, version: int, key: str, why: str, english: str) -> None:
        self.reason = say(why)  # the catalogue's phrase for what is wrong with it, as fixity reports list it
        super().__init__(f"manifest {key} {english}", "archive.damaged_manifest", key=key, reason=self.reason)
        self.content_hash = content_hash
        self.version = version
        self.key = key


@dataclass(frozen=True)
class PartialRecord:
    """What an interrupted write left behind: files of a version whose manifest was never written."""

    content_hash: str
    version: int
    result_code: str | None
    dossier_code: str | None
    files: dict[str, bytes] = field(default_factory=dict)  # by role


class RecordArchive(DossierNumbering, CaptureLinks, RecordRetention):
    def __init__(self, objects: ObjectStore, now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 attestations: Callable[[], Attestations] | None = None) -> None:
        self.objects = objects
        self._now = now
        self._attestations = attestations  # the audit log's word on manifests, asked when a stored hash was lost

    # --- keys ----------------------------------------------------------------------------------------------

    version_prefix = staticmethod(version_prefix)

    def _version_keys(self, content_hash: str) -> dict[int, list[str]]:
        versions: dict[int, list[str]] = {}
        for key in self.objects.keys(f"records/{check_hash(content_hash)}/"):
            m = VERSION_KEY.match(key)
            if m:
                versions.setdefault(int(m.group(2)), []).append(key)
        return versions

    def record_keys(self, content_hash: str) -> list[str]:
        """Every object of a record, all versions (for legal holds, fixity and disposition)."""
        return list(self.objects.keys(f"records/{check_hash(content_hash)}/"))

    @staticmethod
    def _complete(versions: dict[int, list[str]]) -> list[int]:
        return sorted(v for v, keys in versions.items() if any(k.endswith("/" + MANIFEST) for k in keys))

    def _complete_versions(self, content_hash: str) -> list[int]:
        return self._complete(self._version_keys(content_hash))

    def _load(self, content_hash: str, version: int, attested: Attestations | None = None) -> Manifest:
        """A manifest, checked against the hash stored with it when it was written (and against the audit log's
        record of it, when `attested` is given): DamagedManifest if it was edited, cut short or moved."""
        key = self.version_prefix(content_hash, version) + MANIFEST
        try:
            data = self.objects.get(key)
        except KeyError:
            raise DamagedManifest(content_hash, version, key, "archive.manifest_gone", "is missing") from None
        digest = sha256_hex(data)
        info = self.objects.stat(key)
        lost = info is None or info.sha256 is None  # a crash between the object and its metadata (embedded store)
        if lost and self._attestations is not None and attested is None:
            attested = self._attestations()
        if lost and attested is not None and digest in attested.get((content_hash, version), ()):
            self._finish_manifest(key, data)  # the audit log vouches for these bytes: finish the interrupted write
        elif lost or info is None or info.sha256 != digest:
            raise DamagedManifest(content_hash, version, key, "archive.manifest_altered",
                                  "does not match the hash stored when it was written")
        if attested is not None and digest not in attested.get((content_hash, version), ()):
            if (content_hash, version) in attested:
                raise DamagedManifest(content_hash, version, key, "archive.manifest_unattested",
                                      "does not match the hash the audit log recorded")
            raise DamagedManifest(content_hash, version, key, "archive.manifest_not_logged",
                                  "has no write event in the audit log")
        try:
            manifest = Manifest.model_validate_json(data)
        except ValueError:
            raise DamagedManifest(content_hash, version, key, "archive.manifest_unreadable",
                                  "cannot be parsed") from None
        if manifest.content_hash != content_hash or manifest.version != version:
            raise DamagedManifest(content_hash, version, key, "archive.manifest_misplaced",
                                  "belongs to another record or version")
        return manifest

    # --- reading -------------------------------------------------------------------------------------------

    def _finish_manifest(self, key: str, data: bytes) -> None:
        manifest = Manifest.model_validate_json(data)
        self.objects.put(key, data, {**self._common(manifest), "role": "manifest"},
                         self._active_lock(lock_of(manifest.retention)), "application/json")

    def _active_lock(self, lock: Lock) -> Lock | None:
        """The lock to write with, or None when the retention is already over (an old record scanned late): S3
        refuses a lock in the past."""
        return lock if lock.active(self._now()) else None

    @staticmethod
    def _common(manifest: Manifest) -> dict[str, str]:
        """The metadata every object of a record version carries."""
        return {"record": manifest.content_hash, "result-code": manifest.result_code,
                "dossier-code": manifest.dossier_code, "version": str(manifest.version),
                "document-type": manifest.classification.type_id or "unclassified"}

    def find(self, content_hash: str) -> Manifest | None:
        """The current (latest complete) version of the record made from this original."""
        versions = self._complete_versions(content_hash)
        return self._load(content_hash, versions[-1]) if versions else None

    def versions(self, content_hash: str) -> list[Manifest]:
        """Every complete version, oldest first."""
        return [self._load(content_hash, v) for v in self._complete_versions(content_hash)]

    def manifest(self, result_code: str) -> Manifest | None:
        """The current version of the record with this result code; None for any code no record could have (asked
        by anyone: a '/', a leading '.', a control character or an endless string is no code, not an error)."""
        if (not result_code or len(result_code) > 200 or "/" in result_code or result_code.startswith(".")
                or not result_code.isprintable()):
            return None
        try:
            content_hash = self.objects.get(f"results/{result_code}").decode("ascii").strip()
        except (KeyError, ValueError):
            return None
        return self.find(content_hash)

    def current_versions(self) -> dict[str, int]:
        """Content hash -> current (latest complete) version of every record, from key names alone."""
        latest: dict[str, int] = {}
        for key in self.objects.keys("records/"):
            m = VERSION_KEY.match(key)
            if m and m.group(3) == MANIFEST:
                latest[m.group(1)] = max(latest.get(m.group(1), 0), int(m.group(2)))
        return latest

    def manifests(self, on_damaged: Callable[[DamagedManifest], None] | None = None,
                  attested: Attestations | None = None) -> Iterator[Manifest]:
        """The current version of every complete record, in content-hash order.

        A damaged manifest is passed to `on_damaged` (else raised) and the walk goes on with the next record."""
        latest = self.current_versions()
        for content_hash in sorted(latest):
            try:
                yield self._load(content_hash, latest[content_hash], attested)
            except DamagedManifest as e:
                if on_damaged is None:
                    raise
                on_damaged(e)

    def incomplete(self) -> Iterator[str]:
        """Content hashes with stored files but no manifest in any version: writes that were interrupted."""
        seen: dict[str, bool] = {}
        for key in self.objects.keys("records/"):
            m = VERSION_KEY.match(key)
            if m:
                seen[m.group(1)] = seen.get(m.group(1), False) or m.group(3) == MANIFEST
        yield from (h for h, complete in sorted(seen.items()) if not complete)

    def read(self, manifest: Manifest, role: str) -> bytes:
        """One of a record's files, checked against the hash its manifest gives."""
        entry = manifest.files[role]
        key = self.version_prefix(manifest.content_hash, manifest.version) + entry.name
        try:
            data = self.objects.get(key)
        except KeyError:
            raise ArchiveError(f"{entry.name} of {manifest.result_code} is missing from the archive",
                               "archive.file_missing", file=entry.name, record=manifest.result_code) from None
        if sha256_hex(data) != entry.sha256:
            raise ArchiveError(f"{entry.name} of {manifest.result_code} does not match its manifest hash",
                               "archive.file_altered", file=entry.name, record=manifest.result_code)
        return data

    def location(self, manifest: Manifest) -> str:
        """Where this version of the record is kept (a folder, or a bucket and prefix), for people to read."""
        return self.objects.describe(self.version_prefix(manifest.content_hash, manifest.version).rstrip("/"))

    def partial(self, content_hash: str) -> PartialRecord | None:
        """Files of the next version that were written before a crash, so a re-run can finish that write."""
        versions = self._version_keys(content_hash)
        complete = self._complete(versions)
        pending = (complete[-1] + 1) if complete else 1
        keys = versions.get(pending)
        if not keys:
            return None
        files: dict[str, bytes] = {}
        code = dossier = None
        for key in keys:
            info = self.objects.stat(key)
            role = role_of(key.rsplit("/", 1)[1]) if info is not None else None
            if info is None or role is None:
                continue
            role = info.metadata.get("role", role)  # a file whose metadata was lost is known by its name
            code = code or info.metadata.get("result-code")
            dossier = dossier or info.metadata.get("dossier-code")
            files[role] = self.objects.get(key)
        return PartialRecord(content_hash, pending, code, dossier, files)

    # --- writing -------------------------------------------------------------------------------------------

    def store(self, manifest: Manifest, files: Mapping[str, bytes], lock: Lock | None = None,
              attest: Callable[[str], None] | None = None) -> str:
        """Write a version of a record: its files, its result-code pointer, and its manifest last.

        `attest` is called with the manifest's SHA-256 just before the manifest is written (the audit event of the
        write), so a manifest exists only once the log vouches for it; a crash in between leaves an event for a
        version that a re-run completes, never a record without its event.
        Version 1 of an original already archived raises AlreadyArchived; a later version needs the one before it.
        A later version's `files` may leave out any file unchanged from the version before (the same SHA-256): it
        is copied inside the store (a server-side copy on S3), never read back through here.
        Files an interrupted write already stored are kept as they are (the same bytes are not written twice).
        """
        content_hash, version = manifest.content_hash, manifest.version
        complete = self._complete_versions(content_hash)
        if version == 1 and complete:
            raise AlreadyArchived(content_hash)
        if version > 1 and (not complete or complete[-1] != version - 1):
            raise ArchiveError(f"version {version} of {manifest.result_code} must follow version {version - 1}",
                               "archive.version_order", version=version, record=manifest.result_code,
                               previous=version - 1)
        carried = self._unchanged(manifest, files)
        for role, entry in manifest.files.items():
            if role not in carried and (role not in files or sha256_hex(files[role]) != entry.sha256):
                raise ArchiveError(f"{role}: content does not match the hash in the manifest",
                                   "archive.content_mismatch", file=role, record=manifest.result_code)
        lock = self._active_lock(lock or lock_of(manifest.retention))
        prefix = self.version_prefix(content_hash, version)
        common = self._common(manifest)
        try:
            for role, entry in manifest.files.items():
                media_type = entry.media_type.split(";")[0]
                if role in carried:
                    self.objects.copy(carried[role], prefix + entry.name, {**common, "role": role}, lock, media_type)
                else:
                    self.objects.put(prefix + entry.name, files[role], {**common, "role": role}, lock, media_type)
            self.objects.put(f"results/{manifest.result_code}", content_hash.encode("ascii"), common, lock,
                             "text/plain")
        except ObjectExists:
            if self._written_meanwhile(content_hash, version):
                raise AlreadyArchived(content_hash) from None  # a concurrent worker on the same original won
            raise ArchiveError(f"another writer holds version {version} of {manifest.result_code}",
                               "archive.writer_busy", record=manifest.result_code, version=version) from None
        body = manifest.to_json().encode("utf-8")
        if attest is not None:
            attest(sha256_hex(body))
        try:
            self.objects.put(prefix + MANIFEST, body, {**common, "role": "manifest"}, lock, "application/json")
        except ObjectExists:
            if version == 1:
                raise AlreadyArchived(content_hash) from None
            raise ArchiveError(f"version {version} of {manifest.result_code} was written by someone else",
                               "archive.version_taken", version=version, record=manifest.result_code) from None
        return self.location(manifest)

    def _unchanged(self, manifest: Manifest, files: Mapping[str, bytes]) -> dict[str, str]:
        """The files of a later version left out of `files` because the version before holds them as they are:
        role -> the key they are copied from."""
        missing = [role for role in manifest.files if role not in files]
        if not missing or manifest.version == 1:
            return {}
        before = self._load(manifest.content_hash, manifest.version - 1)
        prefix = self.version_prefix(manifest.content_hash, before.version)
        return {role: prefix + before.files[role].name for role in missing
                if role in before.files and before.files[role].sha256 == manifest.files[role].sha256}

    def next_version(self, current: Manifest, *, by: str, reason: str, files: Mapping[str, bytes] | None = None,
                     attest: Callable[[str], None] | None = None, lock: Lock | None = None,
                     **changes: Any) -> Manifest:
        """Write the record's next version and return it: the one way a record changes (a correction, signature
        upkeep, longer retention). It says who changed it and why; `files` holds only the files that change (same
        roles, names and media types), the others are copied inside the store."""
        entries = dict(current.files)
        for role, data in (files or {}).items():
            old = current.files[role]
            entries[role] = FileEntry(name=old.name, sha256=sha256_hex(data), size=len(data),
                                      media_type=old.media_type)
        new = current.next_version(by=by, reason=reason, files=entries, **changes)
        self.store(new, files or {}, lock=lock, attest=attest)
        return new

    def _written_meanwhile(self, content_hash: str, version: int, wait_s: float = WRITER_WAIT_S) -> bool:
        """Whether another writer, whose files we just collided with, completes this version within `wait_s`:
        its remaining files and manifest follow its first file within a second or so."""
        deadline = time.monotonic() + wait_s
        while True:
            if version in self._complete_versions(content_hash):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)

    def download_url(self, manifest: Manifest, role: str, seconds: int) -> str:
        entry = manifest.files[role]
        return self.objects.presigned_url(self.version_prefix(manifest.content_hash, manifest.version) + entry.name,
                                          seconds)

    def __repr__(self) -> str:
        return f"RecordArchive({self.objects!r})"
