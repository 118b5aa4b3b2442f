"""The embedded archive: records as directories on a local filesystem, no server needed.

    <root>/records/<hash[:2]>/<hash>/   original.<ext>, signed.pdf, ocr.txt, manifest.json
    <root>/dossiers/<prefix>/<seq>      reservation of a dossier sequence number (holds the content hash)
    <root>/results/<result code>        the content hash of the record with that result code
    <root>/.staging/                    records being written; never read

A record is written in full under .staging, flushed to disk, and renamed into place in one step: readers see all of
it or none of it, and a second writer of the same content loses the rename and is told AlreadyArchived. Stored files
are made read-only; nothing here deletes or overwrites a record.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

from archive.base import AlreadyArchived, ArchiveError
from pipeline.codes import MAX_SEQUENCE
from pipeline.records import Manifest

MANIFEST = "manifest.json"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durable(path: Path, data: bytes) -> None:
    with path.open("xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o444)


class FilesystemArchive:
    def __init__(self, root: Path) -> None:
        self.root = root
        for sub in ("records", "dossiers", "results", ".staging"):
            (root / sub).mkdir(parents=True, exist_ok=True)

    def _record_dir(self, content_hash: str) -> Path:
        if len(content_hash) != 64 or not all(c in "0123456789abcdef" for c in content_hash):
            raise ValueError(f"not a SHA-256 hex digest: {content_hash!r}")
        return self.root / "records" / content_hash[:2] / content_hash

    def find(self, content_hash: str) -> Manifest | None:
        path = self._record_dir(content_hash) / MANIFEST
        if not path.is_file():
            return None
        return Manifest.model_validate_json(path.read_bytes())

    def reserve_sequence(self, prefix: str, content_hash: str) -> int:
        folder = self.root / "dossiers" / prefix
        folder.mkdir(parents=True, exist_ok=True)
        taken = [int(p.name) for p in folder.iterdir() if p.name.isdigit()]
        sequence = max(taken, default=0) + 1
        while sequence <= MAX_SEQUENCE:
            try:
                fd = os.open(folder / f"{sequence:04d}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
            except FileExistsError:  # another worker took it a moment ago
                sequence += 1
                continue
            with os.fdopen(fd, "w") as f:
                f.write(content_hash)
            return sequence
        raise ArchiveError(f"all {MAX_SEQUENCE} dossier numbers of {prefix} are taken")

    def store(self, manifest: Manifest, files: Mapping[str, bytes]) -> str:
        final = self._record_dir(manifest.content_hash)
        if final.exists():
            raise AlreadyArchived(manifest.content_hash)
        for role, entry in manifest.files.items():
            data = files[role]
            if hashlib.sha256(data).hexdigest() != entry.sha256:
                raise ArchiveError(f"{role}: content does not match the hash in the manifest")
        staging = self.root / ".staging" / uuid.uuid4().hex
        staging.mkdir()
        try:
            for role, entry in manifest.files.items():
                _write_durable(staging / entry.name, files[role])
            _write_durable(staging / MANIFEST, manifest.to_json().encode("utf-8"))
            _fsync_dir(staging)
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(staging, final)
            except OSError as e:  # the target appeared: another worker stored the same original
                raise AlreadyArchived(manifest.content_hash) from e
            _fsync_dir(final.parent)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        pointer = self.root / "results" / manifest.result_code
        tmp = pointer.with_name(f".{pointer.name}.{uuid.uuid4().hex}")
        tmp.write_text(manifest.content_hash)
        os.replace(tmp, pointer)
        return self.location(manifest.content_hash)

    def manifest(self, result_code: str) -> Manifest | None:
        pointer = self.root / "results" / result_code
        if "/" in result_code or not pointer.is_file():
            return None
        return self.find(pointer.read_text().strip())

    def manifests(self) -> Iterator[Manifest]:
        for path in sorted((self.root / "records").glob(f"*/*/{MANIFEST}")):
            yield Manifest.model_validate_json(path.read_bytes())

    def read(self, manifest: Manifest, role: str) -> bytes:
        entry = manifest.files[role]
        data = (self._record_dir(manifest.content_hash) / entry.name).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise ArchiveError(f"{entry.name} of {manifest.result_code} does not match its manifest hash")
        return data

    def location(self, content_hash: str) -> str:
        return str(self._record_dir(content_hash))

    def __repr__(self) -> str:
        return f"FilesystemArchive({str(self.root)!r})"
