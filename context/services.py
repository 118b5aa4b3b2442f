"""The backends one data directory uses, built once per process and shared by its worker threads.

Callers get the archive (over the object store the settings choose: the embedded filesystem store, or MinIO), the
`Index` interface (SQLite or Elasticsearch), its outbox and the audit log, never a concrete store: this is the one
place that chooses implementations.
The signer is made on first use, since loading the key and the stamp font costs most of a second that `lookup` or
`show` need not pay.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.audit_log import WRITE, AuditLog
from archive.backends import STORES, StoreSite
from archive.objects import ObjectStore
from archive.retention import class_lock
from context import PRIVATE_UMASK
from context.in_flight import InFlight
from context.settings import Settings, load_settings
from domain.actor import Actor
from indexer.backends import INDEXES
from indexer.base import Index
from indexer.outbox import Outbox
from ocr.chosen_engine import use_engine
from ocr.recognizer import LineRecognizer, NoReader

if TYPE_CHECKING:
    from archive.base import RecordArchive  # the manifest models (pydantic): loaded when the archive is first used
    from domain.records import Manifest
    from signing.sign import DocumentSigner  # pyHanko: 1.5 s to import, loaded when a document is signed



@dataclass
class Services:
    settings: Settings
    objects: ObjectStore  # the store under the archive, the audit log and the outbox
    index: Index
    audit: AuditLog
    outbox: Outbox
    captures: InFlight[Any] = field(default_factory=InFlight, repr=False)  # readings being archived now
    _signers: dict[str, DocumentSigner] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _figure_reader: LineRecognizer | None = field(default=None, repr=False)
    _archive: RecordArchive | None = field(default=None, repr=False)

    @property
    def archive(self) -> RecordArchive:
        """The records over the object store, made on first use: a lookup, answered by the index alone, does not
        load the manifest models."""
        if self._archive is None:
            from archive.base import RecordArchive

            with self._lock:
                if self._archive is None:
                    self._archive = RecordArchive(self.objects, attestations=self.audit.attestations)
        return self._archive

    @archive.setter
    def archive(self, archive: RecordArchive) -> None:  # tests put an archive over a failing store in its place
        self._archive = archive

    @property
    def figure_reader(self) -> LineRecognizer:
        """The second reader of figures the settings name, its model loaded on first use (about 0.3 s; OpenCV and
        ONNX Runtime imported then, not by commands that never read a page)."""
        with self._lock:
            if self._figure_reader is None:
                if self.settings.second_reader == "ppocr-v4":
                    from ocr.neural import shared_reader

                    self._figure_reader = shared_reader()
                else:
                    self._figure_reader = NoReader()
            return self._figure_reader

    def signer_for(self, operator: Actor) -> DocumentSigner:
        """The agency's key and this digitising officer's, loaded once per officer (a PKCS#11 session stays open
        while they sign)."""
        with self._lock:
            signer = self._signers.get(operator.identity)
            if signer is None:
                from signing.sign import DocumentSigner

                signing = self.settings.signing
                signer = self._signers[operator.identity] = DocumentSigner(signing, signing.officer(operator.identity,
                                                                                                 operator.name))
            return signer

    def log(self, actor: Actor, action: str, record: str | None = None, purpose: str = "", **details: Any) -> None:
        """One audit event by this actor (the audit log keeps the identity; a role other than the console's with it)."""
        if actor.role not in ("console", "operator"):
            details = {"role": actor.role, **details}
        self.audit.record(actor.identity, action, record, purpose, **details)

    def store_record(self, manifest: Manifest, files: Mapping[str, bytes], purpose: str, by: Actor,
                     **details: Any) -> str:
        """Archive a record version with its `record.write` event, logged (with the manifest's hash) before the
        manifest is written: no record exists without its event, and fixity can tell an edited manifest."""
        def attest(manifest_sha256: str) -> None:
            self.log(by, WRITE, manifest.result_code, purpose, content_hash=manifest.content_hash,
                     version=manifest.version, manifest_sha256=manifest_sha256, **details)

        return self.archive.store(manifest, files, attest=attest)

    def next_version(self, current: Manifest, by: Actor, reason: str, *, files: Mapping[str, bytes] | None = None,
                     audit: Mapping[str, Any] | None = None, **changes: Any) -> Manifest:
        """Write the record's next version (`RecordArchive.next_version`: who and why always set, unchanged files
        copied inside the store) with its `record.write` event, as `store_record` does; `audit` adds details to
        the event. The one way a use case changes a record."""
        def attest(manifest_sha256: str) -> None:
            self.log(by, WRITE, current.result_code, reason, content_hash=current.content_hash,
                     version=current.version + 1, manifest_sha256=manifest_sha256, **(audit or {}))

        return self.archive.next_version(current, by=by.identity, reason=reason, files=files, attest=attest,
                                         **changes)


def link_secret(settings: Settings) -> bytes:
    """The key that signs the embedded archive's download links, made on first use, readable by its owner only."""
    path = settings.keys_dir / "download-links.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return path.read_text().strip().encode("ascii")


def object_store(settings: Settings) -> ObjectStore:
    site = StoreSite(settings.archive_dir, settings.download_base_url, lambda: link_secret(settings))
    return STORES[settings.archive_backend].open(settings.archive_options, site)


def record_index(settings: Settings) -> Index:
    return INDEXES[settings.index_backend].open(settings.index_options, settings.index_dir)


def open_services(settings: Settings) -> Services:
    """The backends of one data directory. Files made from now on by this process are private to its owner and
    group (the umask is the process's: a records system never leaves personal data world-readable)."""
    os.umask(PRIVATE_UMASK)
    use_engine(settings.ocr_engine)  # the page engine this process reads with
    settings.data_dir.mkdir(mode=0o750, parents=True, exist_ok=True)
    objects = object_store(settings)
    audit_class = settings.retention.audit_log
    audit = AuditLog(objects, lambda: class_lock(audit_class, date.today()))
    outbox = Outbox(objects, legacy_folder=settings.data_dir / "outbox")  # shared by every machine on the archive
    return Services(settings, objects, record_index(settings), audit, outbox)


@cache
def services_for(data_dir: str) -> Services:
    """One Services per data directory per process (Prefect tasks in threads share it)."""
    return open_services(load_settings(Path(data_dir)))
