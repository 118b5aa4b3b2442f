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

import json
import re
import time
from collections.abc import Callable, Iterator, Mapping, Set
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from archive.objects import (
    ArchiveError,
    Lock,
    ObjectExists,
    ObjectStore,
    RetentionViolation,
    refuse_weakening,
    sha256_hex,
)
from archive.retention import lock_of
from domain.codes import MAX_SEQUENCE
from domain.records import Manifest

# (content hash, version) -> SHA-256 of every manifest the audit log says was written for that version
Attestations = Mapping[tuple[str, int], Set[str]]

# Names of a record's files inside the archive, by role.
ORIGINAL = "original"
SIGNED_PDF = "signed_pdf"
OCR_TEXT = "ocr_text"
MANIFEST = "manifest.json"
WRITER_WAIT_S = 30.0  # how long a write that collides with a concurrent one waits for it to finish
CLAIMS = "dossiers/by-record/"  # dossiers/by-record/<content hash>: the one number that record holds

CAPTURES = "captures/"
BY_CAPTURE = CAPTURES + "by-capture/"
_VERSION_KEY = re.compile(r"^records/([0-9a-f]{64})/v(\d+)/(.+)$")

__all__ = ["OCR_TEXT", "ORIGINAL", "SIGNED_PDF", "AlreadyArchived", "ArchiveError", "Attestations", "CaptureLink",
           "DamagedManifest",
           "LockState", "PartialRecord", "RecordArchive", "RetentionViolation", "file_name"]


class AlreadyArchived(Exception):
    """A record with this content hash is already in the archive (another worker got there first)."""

    def __init__(self, content_hash: str) -> None:
        super().__init__(f"record {content_hash} is already archived")
        self.content_hash = content_hash


class DamagedManifest(ArchiveError):
    """A manifest that cannot be trusted: unreadable, or not the bytes that were written. Only its record is affected;
    everything else goes on. The message is Vietnamese, for the archivist."""

    def __init__(self, content_hash: str, version: int, key: str, reason: str) -> None:
        super().__init__(f"Manifest {key} {reason}")
        self.content_hash = content_hash
        self.version = version
        self.key = key
        self.reason = reason


@dataclass(frozen=True)
class CaptureLink:
    """A second capture of a paper already archived (a rescan, a photo, a render), kept as a link, not a record."""

    capture_hash: str  # SHA-256 of the capture's file
    record_hash: str  # the record it is a capture of
    result_code: str
    reason: str  # Vietnamese: why it was taken for the same paper
    linked_at: str  # ISO time
    source_name: str = ""


@dataclass(frozen=True)
class LockState:
    lock: Lock | None
    legal_hold: bool


@dataclass
class DossierNumbers:
    """What `RecordArchive.dossier_numbers` finds (dossier codes, Vietnamese-readable)."""
    reserved: int = 0
    unused: list[str] = field(default_factory=list)  # reserved, held by no record: a gap in the day's sequence
    unfinished: list[str] = field(default_factory=list)  # held by a record whose write is not complete yet
    double: list[str] = field(default_factory=list)  # one record (content hash) holding several numbers


@dataclass(frozen=True)
class PartialRecord:
    """What an interrupted write left behind: files of a version whose manifest was never written."""

    content_hash: str
    version: int
    result_code: str | None
    dossier_code: str | None
    files: dict[str, bytes] = field(default_factory=dict)  # by role


def file_name(role: str, media_type: str) -> str:
    """The archive's file name for a file of a role: original.jpg, signed.pdf, ocr.txt."""
    if role == SIGNED_PDF:
        return "signed.pdf"
    if role == OCR_TEXT:
        return "ocr.txt"
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif", "application/pdf": "pdf"}
    return f"original.{extension.get(media_type, 'bin')}"


def _role_of(name: str) -> str | None:
    """The role of a record file from its archive name (the inverse of `file_name`); None for the manifest."""
    if name == "signed.pdf":
        return SIGNED_PDF
    if name == "ocr.txt":
        return OCR_TEXT
    return ORIGINAL if name.startswith("original.") else None


def _check_hash(content_hash: str) -> str:
    if len(content_hash) != 64 or not all(c in "0123456789abcdef" for c in content_hash):
        raise ValueError(f"not a SHA-256 hex digest: {content_hash!r}")
    return content_hash


class RecordArchive:
    def __init__(self, objects: ObjectStore, now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 attestations: Callable[[], Attestations] | None = None) -> None:
        self.objects = objects
        self._now = now
        self._attestations = attestations  # the audit log's word on manifests, asked when a stored hash was lost

    # --- keys ----------------------------------------------------------------------------------------------

    @staticmethod
    def version_prefix(content_hash: str, version: int) -> str:
        return f"records/{_check_hash(content_hash)}/v{version}/"

    def _version_keys(self, content_hash: str) -> dict[int, list[str]]:
        versions: dict[int, list[str]] = {}
        for key in self.objects.keys(f"records/{_check_hash(content_hash)}/"):
            m = _VERSION_KEY.match(key)
            if m:
                versions.setdefault(int(m.group(2)), []).append(key)
        return versions

    def record_keys(self, content_hash: str) -> list[str]:
        """Every object of a record, all versions (for legal holds, fixity and disposition)."""
        return list(self.objects.keys(f"records/{_check_hash(content_hash)}/"))

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
            raise DamagedManifest(content_hash, version, key, "không còn trong kho") from None
        digest = sha256_hex(data)
        info = self.objects.stat(key)
        lost = info is None or info.sha256 is None  # a crash between the object and its metadata (embedded store)
        if lost and self._attestations is not None and attested is None:
            attested = self._attestations()
        if lost and attested is not None and digest in attested.get((content_hash, version), ()):
            self._finish_manifest(key, data)  # the audit log vouches for these bytes: finish the interrupted write
        elif lost or info is None or info.sha256 != digest:
            raise DamagedManifest(content_hash, version, key, "không khớp mã băm lưu khi ghi (đã bị sửa)")
        if attested is not None and digest not in attested.get((content_hash, version), ()):
            why = "không khớp mã băm ghi trong nhật ký kiểm toán" if (content_hash, version) in attested else \
                "không có sự kiện ghi tương ứng trong nhật ký kiểm toán"
            raise DamagedManifest(content_hash, version, key, why)
        try:
            manifest = Manifest.model_validate_json(data)
        except ValueError:
            raise DamagedManifest(content_hash, version, key, "bị hỏng, không đọc được") from None
        if manifest.content_hash != content_hash or manifest.version != version:
            raise DamagedManifest(content_hash, version, key, "thuộc về hồ sơ hoặc phiên bản khác")
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
            m = _VERSION_KEY.match(key)
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
            m = _VERSION_KEY.match(key)
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
            raise ArchiveError(f"{entry.name} of {manifest.result_code} is missing from the archive") from None
        if sha256_hex(data) != entry.sha256:
            raise ArchiveError(f"{entry.name} of {manifest.result_code} does not match its manifest hash")
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
            role = _role_of(key.rsplit("/", 1)[1]) if info is not None else None
            if info is None or role is None:
                continue
            role = info.metadata.get("role", role)  # a file whose metadata was lost is known by its name
            code = code or info.metadata.get("result-code")
            dossier = dossier or info.metadata.get("dossier-code")
            files[role] = self.objects.get(key)
        return PartialRecord(content_hash, pending, code, dossier, files)

    # --- writing -------------------------------------------------------------------------------------------

    def reserve_sequence(self, prefix: str, content_hash: str, prefer: int | None = None) -> tuple[str, int]:
        """The dossier number of a record: (prefix, sequence). One number per record, reused by every later attempt
        (a rerun after a crash or a full disk, a concurrent worker on the same file), so no number is burnt.

        The record first claims a number (dossiers/by-record/<hash> names it), then takes it (the write-once key
        dossiers/<prefix>/<seq> holds the hash). Both writes are write-once, and writing the same bytes again is
        no conflict: whoever finds a claim takes its number with the same bytes, so two workers on one original
        end with one number, and a crash between the writes is finished by the next try. A claim whose number
        another record took in the meantime is withdrawn and made again. `prefer`: the number an interrupted write
        already used (its files name it), claimed again if its claim was lost."""
        if "/" in prefix:
            raise ValueError(f"not a dossier prefix: {prefix!r}")
        claim_key = f"{CLAIMS}{content_hash}"
        for _ in range(MAX_SEQUENCE):
            claim = self.dossier_claim(content_hash)
            if claim is None:
                free = prefer if prefer is not None else self._free_sequence(prefix)
                prefer = None  # tried once: if another record holds it, a free number is chosen next
                if free is None:
                    break
                claim = (prefix, free)
                try:
                    self.objects.put(claim_key, f"{prefix}/{free:04d}".encode("ascii"), {"record": content_hash})
                except ObjectExists:
                    continue  # a concurrent worker on the same original claimed first: take its number
            number_key = f"dossiers/{claim[0]}/{claim[1]:04d}"
            try:
                self.objects.put(number_key, content_hash.encode("ascii"), {"record": content_hash})
                return claim
            except ObjectExists:  # another record took that number first: withdraw this claim, choose again
                if self.dossier_claim(content_hash) == claim:
                    with suppress(ArchiveError, KeyError):
                        self.objects.delete(claim_key)
        raise ArchiveError(f"all {MAX_SEQUENCE} dossier numbers of {prefix} are taken")

    def _free_sequence(self, prefix: str) -> int | None:
        """The smallest number of the prefix no record has taken (one given back is taken again)."""
        taken = {int(k.rsplit("/", 1)[1]) for k in self.objects.keys(f"dossiers/{prefix}/")
                 if k.rsplit("/", 1)[1].isdigit()}
        return next((n for n in range(1, MAX_SEQUENCE + 1) if n not in taken), None)

    def dossier_claim(self, content_hash: str) -> tuple[str, int] | None:
        """The dossier number a record holds, if it reserved one."""
        try:
            raw = self.objects.get(f"{CLAIMS}{content_hash}").decode("ascii")
        except KeyError:
            return None
        prefix, _, number = raw.strip().rpartition("/")
        return (prefix, int(number)) if prefix and number.isdigit() else None

    def dossier_numbers(self, used: Mapping[str, str] | None = None) -> DossierNumbers:
        """Every reserved dossier number against the records using them: numbers no record uses (gaps in the
        sequence a citizen or an inspector would ask about), numbers of records still being written, and records
        holding more than one number. `used`: dossier code -> content hash of every current record, when the caller
        has already walked the manifests (else they are walked here)."""
        if used is None:
            used = {m.dossier_code: m.content_hash for m in self.manifests(on_damaged=lambda e: None)}
        report = DossierNumbers()
        holdings: dict[str, list[str]] = {}
        for key in self.objects.keys("dossiers/"):
            prefix, _, number = key[len("dossiers/"):].rpartition("/")
            if key.startswith(CLAIMS) or not number.isdigit():
                continue
            report.reserved += 1
            code = f"{prefix}-{number}"
            try:
                holder = self.objects.get(key).decode("ascii").strip()
            except (KeyError, UnicodeDecodeError):
                report.unused.append(code)
                continue
            holdings.setdefault(holder, []).append(code)
            if used.get(code) == holder:
                continue
            if self.dossier_claim(holder) == (prefix, int(number)) and not self._complete_versions(holder):
                report.unfinished.append(code)  # its record is still being written (or waits for a rerun)
            else:
                report.unused.append(code)
        report.double = [f"{holder[:12]}…: {', '.join(codes)}" for holder, codes in sorted(holdings.items())
                         if len(codes) > 1]
        return report

    def store(self, manifest: Manifest, files: Mapping[str, bytes], lock: Lock | None = None,
              attest: Callable[[str], None] | None = None) -> str:
        """Write a version of a record: its files, its result-code pointer, and its manifest last.

        `attest` is called with the manifest's SHA-256 just before the manifest is written (the audit event of the
        write), so a manifest exists only once the log vouches for it; a crash in between leaves an event for a
        version that a re-run completes, never a record without its event.
        Version 1 of an original already archived raises AlreadyArchived; a later version needs the one before it.
        Files an interrupted write already stored are kept as they are (the same bytes are not written twice).
        """
        content_hash, version = manifest.content_hash, manifest.version
        complete = self._complete_versions(content_hash)
        if version == 1 and complete:
            raise AlreadyArchived(content_hash)
        if version > 1 and (not complete or complete[-1] != version - 1):
            raise ArchiveError(f"version {version} of {manifest.result_code} must follow version {version - 1}")
        for role, entry in manifest.files.items():
            if sha256_hex(files[role]) != entry.sha256:
                raise ArchiveError(f"{role}: content does not match the hash in the manifest")
        lock = self._active_lock(lock or lock_of(manifest.retention))
        prefix = self.version_prefix(content_hash, version)
        common = self._common(manifest)
        try:
            for role, entry in manifest.files.items():
                self.objects.put(prefix + entry.name, files[role], {**common, "role": role}, lock,
                                 entry.media_type.split(";")[0])
            self.objects.put(f"results/{manifest.result_code}", content_hash.encode("ascii"), common, lock,
                             "text/plain")
        except ObjectExists:
            if self._written_meanwhile(content_hash, version):
                raise AlreadyArchived(content_hash) from None  # a concurrent worker on the same original won
            raise ArchiveError(f"Một tiến trình khác đang ghi hồ sơ {manifest.result_code} (phiên bản {version}) "
                               "hoặc đã để lại tệp khác khi bị ngắt; chạy lại lệnh sau khi tiến trình đó kết thúc."
                               ) from None
        body = manifest.to_json().encode("utf-8")
        if attest is not None:
            attest(sha256_hex(body))
        try:
            self.objects.put(prefix + MANIFEST, body, {**common, "role": "manifest"}, lock, "application/json")
        except ObjectExists:
            if version == 1:
                raise AlreadyArchived(content_hash) from None
            raise ArchiveError(f"version {version} of {manifest.result_code} was written by someone else") from None
        return self.location(manifest)

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

    # --- retention, legal hold, disposition, downloads ----------------------------------------------------

    def lock_state(self, manifest: Manifest) -> LockState:
        info = self.objects.stat(self.version_prefix(manifest.content_hash, manifest.version) + MANIFEST)
        if info is None:
            raise ArchiveError(f"the manifest of {manifest.result_code} is missing")
        return LockState(info.lock, info.legal_hold)

    def _all_keys(self, manifest: Manifest) -> list[str]:
        pointers = {f"results/{m.result_code}" for m in self.versions(manifest.content_hash)}
        links = list(self.objects.keys(f"{CAPTURES}{manifest.content_hash}/"))
        pointers |= {BY_CAPTURE + key.rsplit("/", 1)[1] for key in links}
        return [*self.record_keys(manifest.content_hash), *links, *sorted(pointers)]

    def link_capture(self, capture_hash: str, manifest: Manifest, reason: str, when: datetime,
                     source_name: str = "") -> CaptureLink:
        """Record that the file with `capture_hash` is another capture of `manifest`'s paper.

        The link is kept with the record's retention (held, extended and disposed of with it); linking a capture
        that is already linked returns the link made first."""
        _check_hash(capture_hash)
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
            record = self.objects.get(BY_CAPTURE + _check_hash(capture_hash)).decode("ascii").strip()
            data = self.objects.get(f"{CAPTURES}{record}/{capture_hash}")
        except KeyError:
            return None
        if not self._complete_versions(record):
            return None  # disposed of meanwhile
        return CaptureLink(**json.loads(data))

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
            raise RetentionViolation(f"Hồ sơ {manifest.result_code} đang bị phong tỏa: không thể tiêu hủy.")
        if state.lock is not None and state.lock.active(now or self._now()):
            until = "vĩnh viễn" if state.lock.permanent else f"đến hết ngày {state.lock.retain_until:%d/%m/%Y}"
            raise RetentionViolation(f"Hồ sơ {manifest.result_code} còn trong thời hạn lưu trữ ({until}): "
                                     "không thể tiêu hủy.")

    def download_url(self, manifest: Manifest, role: str, seconds: int) -> str:
        entry = manifest.files[role]
        return self.objects.presigned_url(self.version_prefix(manifest.content_hash, manifest.version) + entry.name,
                                          seconds)

    def __repr__(self) -> str:
        return f"RecordArchive({self.objects!r})"
