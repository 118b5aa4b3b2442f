"""The embedded object store: objects as read-only files on a local disk, with the rules of S3 Object Lock.

    <root>/records/<hash[:2]>/<hash>/v1/signed.pdf          an object (key records/<hash>/v1/signed.pdf)
    <root>/records/<hash[:2]>/<hash>/v1/.signed.pdf.meta    its metadata, lock and legal hold (JSON)
    <root>/.staging/                                        objects being written; never read

An object is written under .staging, flushed, and hard-linked into place: the link either creates the key with the
whole content or fails because the key exists, so two writers never both win and nobody sees half a file. The
sidecar is written after the object; an object whose sidecar was lost in a crash is completed by the next write of
the same bytes. Locks are enforced by this code: anyone with root on the machine can still remove files, which
is what MinIO's Object Lock protects against in production.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from archive.objects import (
    COMPLIANCE,
    GOVERNANCE,
    ArchiveUnavailable,
    Lock,
    ObjectExists,
    ObjectInfo,
    os_error_vi,
    refuse_deletion,
    refuse_weakening,
    sha256_hex,
)

META_SUFFIX = ".meta"
STAGING = ".staging"
OBJECT_MODE = 0o440  # write-once and private: the archive holds personal data
STALE_STAGING_S = 3600  # a staging file this old belongs to a writer that died: removed when a store is opened


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock_json(lock: Lock | None) -> dict[str, str] | None:
    return None if lock is None else {"mode": lock.mode, "retain_until": lock.retain_until.isoformat()}


def _lock_from(raw: dict[str, str] | None) -> Lock | None:
    if not raw:
        return None
    return Lock(COMPLIANCE if raw["mode"] == COMPLIANCE else GOVERNANCE, datetime.fromisoformat(raw["retain_until"]))


def link_signature(secret: bytes, key: str, expires: int) -> str:
    return hmac.new(secret, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


class FilesystemObjects:
    def __init__(self, root: Path, link_base_url: str = "http://127.0.0.1:8470", link_secret: bytes = b"",
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.root = root
        self.link_base_url = link_base_url.rstrip("/")
        self.link_secret = link_secret
        self._now = now
        self._meta_lock = threading.Lock()
        (root / STAGING).mkdir(parents=True, exist_ok=True)
        self._clear_stale_staging()

    def _clear_stale_staging(self) -> None:
        """Half-written objects of a process killed mid-write: never visible as objects, but they fill the disk."""
        cutoff = time.time() - STALE_STAGING_S
        for leftover in (self.root / STAGING).iterdir():
            try:
                if leftover.lstat().st_mtime < cutoff:
                    leftover.unlink()
            except OSError:
                pass

    # --- paths ---------------------------------------------------------------------------------------------

    def path(self, key: str) -> Path:
        """records/<hash>/... is fanned out by the hash's first two letters, like the object stores do."""
        parts = key.split("/")
        if not key or not key.isprintable() or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            raise ValueError(f"not an object key: {key!r}")
        if parts[0] == "records" and len(parts) > 1:
            parts.insert(1, parts[1][:2])
        return self.root.joinpath(*parts)

    def _key(self, path: Path) -> str:
        parts = list(path.relative_to(self.root).parts)
        if parts[0] == "records" and len(parts) > 2:
            del parts[1]
        return "/".join(parts)

    @staticmethod
    def _meta_path(path: Path) -> Path:
        return path.with_name(f".{path.name}{META_SUFFIX}")

    def _read_meta(self, path: Path) -> dict[str, object] | None:
        try:
            return json.loads(self._meta_path(path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
        except FileNotFoundError:
            return None

    def _write_meta(self, path: Path, meta: dict[str, object]) -> None:
        tmp = self.root / STAGING / f"meta-{uuid.uuid4().hex}"
        try:
            tmp.write_text(json.dumps(meta, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self._meta_path(path))
        finally:
            tmp.unlink(missing_ok=True)

    # --- the ObjectStore interface ------------------------------------------------------------------------

    def put(self, key: str, data: bytes, metadata: Mapping[str, str], lock: Lock | None = None,
            content_type: str = "application/octet-stream") -> None:
        path = self.path(key)
        digest = sha256_hex(data)
        meta: dict[str, object] = {"metadata": {**{k.lower(): v for k, v in metadata.items()}, "sha256": digest},
                                   "content_type": content_type, "size": len(data), "lock": _lock_json(lock),
                                   "legal_hold": False}
        try:
            self._put(path, key, lambda f: f.write(data), digest, meta)
        except OSError as e:  # a full or read-only disk: the batch must stop, with words, and nothing half-written
            raise ArchiveUnavailable(f"cannot write to the archive at {self.root}: {e}", "archive.cannot_write",
                                     place=self.root, reason=os_error_vi(e)) from e

    def copy(self, source: str, key: str, metadata: Mapping[str, str], lock: Lock | None = None,
             content_type: str = "application/octet-stream") -> None:
        """The file is copied by the kernel from the source's file (no bytes through Python); its digest is the
        source's, as its sidecar records it."""
        origin = self.path(source)
        info = self.stat(source)
        if info is None or info.sha256 is None:
            raise KeyError(source)
        meta: dict[str, object] = {"metadata": {**{k.lower(): v for k, v in metadata.items()}, "sha256": info.sha256},
                                   "content_type": content_type, "size": info.size, "lock": _lock_json(lock),
                                   "legal_hold": False}

        def fill(f: BinaryIO) -> None:
            with origin.open("rb") as src:
                shutil.copyfileobj(src, f)

        try:
            self._put(self.path(key), key, fill, info.sha256, meta)
        except OSError as e:
            raise ArchiveUnavailable(f"cannot write to the archive at {self.root}: {e}", "archive.cannot_write",
                                     place=self.root, reason=os_error_vi(e)) from e

    def _put(self, path: Path, key: str, fill: Callable[[BinaryIO], object], digest: str,
             meta: dict[str, object]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.root / STAGING / uuid.uuid4().hex
        try:
            with tmp.open("xb") as f:
                fill(f)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, OBJECT_MODE)
            try:
                os.link(tmp, path)
            except FileExistsError:
                if sha256_hex(path.read_bytes()) != digest:
                    raise ObjectExists(f"{key} already holds other content", "archive.object_exists", key=key) from None
                if self._read_meta(path) is not None:
                    return  # the same bytes again: nothing to do
            with self._meta_lock:
                self._write_meta(path, meta)
            _fsync_dir(path.parent)
        finally:
            tmp.unlink(missing_ok=True)

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise KeyError(key) from None

    def stat(self, key: str) -> ObjectInfo | None:
        path = self.path(key)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return None
        meta = self._read_meta(path) or {}
        return ObjectInfo(key=key, size=size, metadata=dict(meta.get("metadata") or {}),  # type: ignore[call-overload]
                          lock=_lock_from(meta.get("lock")),  # type: ignore[arg-type]
                          legal_hold=bool(meta.get("legal_hold")))

    def keys(self, prefix: str, start_after: str = "") -> Iterator[str]:
        found: list[str] = []
        folder = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        top = self.path(folder) if folder else self.root  # walk only the folder the prefix names
        if not top.is_dir():
            return iter(())
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                key = self._key(Path(dirpath) / name)
                if key.startswith(prefix) and key > start_after:
                    found.append(key)
        return iter(sorted(found))

    def strays(self) -> Iterator[str]:
        """Files under the store that are no object and no object's sidecar: hidden files, sidecars of nothing,
        files in the wrong fan-out folder, links, half-written leftovers. Paths relative to the root."""
        for dirpath, dirnames, filenames in os.walk(self.root):
            here = Path(dirpath)
            if here == self.root:
                dirnames[:] = [d for d in dirnames if d != STAGING]
            for name in sorted(dirnames):
                if (here / name).is_symlink():
                    yield str((here / name).relative_to(self.root))
            for name in sorted(filenames):
                path = here / name
                if not self._accounted_for(path):
                    yield str(path.relative_to(self.root))

    def _accounted_for(self, path: Path) -> bool:
        if path.is_symlink() or not path.is_file():
            return False
        name = path.name
        if name.startswith(".") and name.endswith(META_SUFFIX):
            target = path.with_name(name[1:-len(META_SUFFIX)])
            return not target.name.startswith(".") and self._accounted_for(target)
        if name.startswith("."):
            return False
        try:
            return self.path(self._key(path)) == path
        except ValueError:
            return False

    def delete(self, key: str) -> None:
        info = self.stat(key)
        if info is None:
            return
        refuse_deletion(info, self._now())
        path = self.path(key)
        path.unlink()
        self._meta_path(path).unlink(missing_ok=True)

    def _update_meta(self, key: str, change: Callable[[dict[str, object]], dict[str, object]]) -> None:
        """Read, change and replace an object's sidecar under the store's lock; KeyError for no such object."""
        path = self.path(key)
        with self._meta_lock:
            meta = self._read_meta(path)
            if meta is None:
                raise KeyError(key)
            self._write_meta(path, change(meta))

    def set_legal_hold(self, key: str, on: bool) -> None:
        self._update_meta(key, lambda meta: {**meta, "legal_hold": on})

    def extend_lock(self, key: str, lock: Lock) -> None:
        def extended(meta: dict[str, object]) -> dict[str, object]:
            refuse_weakening(_lock_from(meta.get("lock")), lock, self._now(), key)  # type: ignore[arg-type]
            return {**meta, "lock": _lock_json(lock)}

        self._update_meta(key, extended)

    def presigned_url(self, key: str, seconds: int) -> str:
        """A link for the embedded download server (archive.link_server), signed with the data directory's key."""
        if not self.link_secret:
            raise RuntimeError("this archive was opened without a link secret")
        expires = int(time.time()) + seconds
        return (f"{self.link_base_url}/o/{quote(key)}?expires={expires}"
                f"&signature={link_signature(self.link_secret, key, expires)}")

    def describe(self, key: str) -> str:
        return str(self.path(key))

    def __repr__(self) -> str:
        return f"FilesystemObjects({str(self.root)!r})"
