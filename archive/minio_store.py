"""The production object store: a MinIO bucket with Object Lock, through the `minio` SDK.

One client per process (it pools its connections and is thread-safe). Transient network errors and 5xx answers are
retried with backoff by the HTTP pool; what still fails becomes an ArchiveUnavailable with a sentence an operator
can act on, never a stack trace. Writes are conditional (If-None-Match: *), so a key is written once however many
workers race for it, and carry a SHA-256 checksum, which S3 demands of a write with a retention lock.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import certifi
import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE as MINIO_COMPLIANCE
from minio.commonconfig import GOVERNANCE as MINIO_GOVERNANCE
from minio.commonconfig import REPLACE, CopySource
from minio.error import InvalidResponseError, S3Error
from minio.helpers import md5sum_hash
from minio.retention import Retention
from minio.xml import marshal
from urllib3.exceptions import HTTPError as Urllib3Error

from archive.objects import (
    COMPLIANCE,
    GOVERNANCE,
    ArchiveError,
    ArchiveUnavailable,
    Lock,
    ObjectExists,
    ObjectInfo,
    RetentionViolation,
    refuse_deletion,
    refuse_weakening,
)

T = TypeVar("T")
CREDENTIAL_ERRORS = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"}
MISSING = {"NoSuchKey", "NoSuchVersion", "NoSuchObject", "ResourceNotFound"}


def _s3_date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _lock_from_headers(headers: Mapping[str, str]) -> Lock | None:
    mode = headers.get("x-amz-object-lock-mode")
    until = headers.get("x-amz-object-lock-retain-until-date")
    if not mode or not until:
        return None
    return Lock(COMPLIANCE if mode.upper() == COMPLIANCE else GOVERNANCE,
                datetime.fromisoformat(until.replace("Z", "+00:00")))


class MinioObjects:
    def __init__(self, endpoint: str, access_key: str, secret_key: str, bucket: str, *, secure: bool = True,
                 region: str | None = None, ca_file: str | None = None, retries: int = 4,
                 backoff: float = 0.3, timeout: float = 30.0,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.endpoint = endpoint
        self.bucket = bucket
        self._now = now
        retry = urllib3.Retry(total=retries, backoff_factor=backoff, status_forcelist=[500, 502, 503, 504],
                              allowed_methods=None, raise_on_status=False)
        http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=min(timeout, 10.0), read=timeout),
                                   maxsize=16, retries=retry, cert_reqs="CERT_REQUIRED",
                                   ca_certs=ca_file or certifi.where())
        self.client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region,
                            http_client=http)

    # --- errors --------------------------------------------------------------------------------------------

    @contextmanager
    def _calls(self, what: str) -> Iterator[None]:
        try:
            yield
        except S3Error as e:
            if e.code in CREDENTIAL_ERRORS:
                raise ArchiveUnavailable(f"MinIO at {self.endpoint} refused the credentials ({e.code})",
                                         "archive.credentials_refused", endpoint=self.endpoint,
                                         reason=e.code) from None
            if e.code == "NoSuchBucket":
                raise ArchiveUnavailable(f"MinIO at {self.endpoint} has no bucket {self.bucket}", "archive.no_bucket",
                                         endpoint=self.endpoint, bucket=self.bucket) from None
            raise ArchiveError(f"MinIO: {what} failed ({e.code}: {e.message})", "archive.server_error",
                               operation=what, reason=f"{e.code}: {e.message}") from e
        except (Urllib3Error, OSError, InvalidResponseError) as e:
            reason = getattr(e, "reason", None) or e
            raise ArchiveUnavailable(f"cannot reach MinIO at {self.endpoint}: {reason}", "archive.unreachable",
                                     endpoint=self.endpoint, reason=reason) from None

    # --- bucket ----------------------------------------------------------------------------------------------

    def ensure_bucket(self) -> None:
        """Create the bucket with Object Lock (and so versioning) if it is missing; refuse one without Object Lock."""
        with self._calls("tạo bucket"):
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket, object_lock=True)
                return
            try:
                self.client.get_object_lock_config(self.bucket)
            except S3Error as e:
                if e.code == "ObjectLockConfigurationNotFoundError":
                    raise ArchiveError(f"bucket {self.bucket} has no Object Lock", "archive.no_object_lock",
                                       bucket=self.bucket) from None
                raise

    # --- the ObjectStore interface ------------------------------------------------------------------------

    def put(self, key: str, data: bytes, metadata: Mapping[str, str], lock: Lock | None = None,
            content_type: str = "application/octet-stream") -> None:
        digest = hashlib.sha256(data)
        headers: dict[str, Any] = {f"x-amz-meta-{k.lower()}": v for k, v in metadata.items()}
        headers.update({
            "x-amz-meta-sha256": digest.hexdigest(),
            "Content-Type": content_type,
            "x-amz-sdk-checksum-algorithm": "SHA256",
            "x-amz-checksum-sha256": base64.b64encode(digest.digest()).decode("ascii"),
            "If-None-Match": "*",  # write once: a second writer of the key is refused by the server
        })
        if lock is not None:
            headers["x-amz-object-lock-mode"] = lock.mode
            headers["x-amz-object-lock-retain-until-date"] = _s3_date(lock.retain_until)
        try:
            with self._calls(f"ghi {key}"):
                try:
                    # The SDK's put_object cannot send If-None-Match; _put_object is its single-request PUT.
                    self.client._put_object(self.bucket, key, data, headers=headers)
                except S3Error as e:
                    if e.code not in ("PreconditionFailed", "ConditionalRequestConflict"):
                        raise
                    raise ObjectExists(key, "archive.object_exists", key=key) from None
        except ObjectExists:
            existing = self.stat(key)
            if existing is None or existing.sha256 != digest.hexdigest():
                raise ObjectExists(f"{key} already holds other content", "archive.object_exists", key=key) from None

    def copy(self, source: str, key: str, metadata: Mapping[str, str], lock: Lock | None = None,
             content_type: str = "application/octet-stream") -> None:
        """A server-side CopyObject: the bytes never leave the server. CopyObject takes no If-None-Match, so the
        key is looked at first; a writer racing for the same new version copies the same bytes, and the version's
        manifest, written last with If-None-Match, still lets only one of them finish it."""
        origin = self.stat(source)
        if origin is None or origin.sha256 is None:
            raise KeyError(source)
        existing = self.stat(key)
        if existing is not None:
            if existing.sha256 != origin.sha256:
                raise ObjectExists(f"{key} already holds other content", "archive.object_exists", key=key)
            return
        headers: dict[str, Any] = {f"x-amz-meta-{k.lower()}": v for k, v in metadata.items()}
        headers.update({"x-amz-meta-sha256": origin.sha256, "Content-Type": content_type})
        if lock is not None:
            headers["x-amz-object-lock-mode"] = lock.mode
            headers["x-amz-object-lock-retain-until-date"] = _s3_date(lock.retain_until)
        with self._calls(f"sao chép {source} sang {key}"):
            self.client.copy_object(self.bucket, key, CopySource(self.bucket, source), metadata=headers,
                                    metadata_directive=REPLACE)
        if lock is not None:
            copied = self.stat(key)
            if copied is None or copied.lock != lock:  # not every S3 server applies the lock headers of a copy
                self.extend_lock(key, lock)

    def get(self, key: str) -> bytes:
        with self._calls(f"đọc {key}"):
            try:
                response = self.client.get_object(self.bucket, key)
            except S3Error as e:
                if e.code in MISSING:
                    raise KeyError(key) from None
                raise
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

    def stat(self, key: str) -> ObjectInfo | None:
        with self._calls(f"đọc thông tin {key}"):
            try:
                st = self.client.stat_object(self.bucket, key)
            except S3Error as e:
                if e.code in MISSING or e.code == "MethodNotAllowed":  # MethodNotAllowed: latest is a delete marker
                    return None
                raise
        headers = {k.lower(): v for k, v in (st.metadata or {}).items()}
        user = {k.removeprefix("x-amz-meta-"): v for k, v in headers.items() if k.startswith("x-amz-meta-")}
        return ObjectInfo(key=key, size=st.size or 0, metadata=user, lock=_lock_from_headers(headers),
                          legal_hold=headers.get("x-amz-object-lock-legal-hold", "").upper() == "ON",
                          version_id=st.version_id)

    def keys(self, prefix: str, start_after: str = "") -> Iterator[str]:
        with self._calls(f"liệt kê {prefix}"):
            for obj in self.client.list_objects(self.bucket, prefix=prefix, recursive=True,
                                                start_after=start_after or None):
                if obj.object_name is not None:
                    yield obj.object_name

    def delete(self, key: str) -> None:
        info = self.stat(key)
        if info is not None:
            refuse_deletion(info, self._now())
        with self._calls(f"xóa {key}"):
            versions = [o for o in self.client.list_objects(self.bucket, prefix=key, include_version=True)
                        if o.object_name == key]
            for version in versions:
                try:
                    self.client.remove_object(self.bucket, key, version_id=version.version_id)
                except S3Error as e:
                    if e.code == "AccessDenied":  # the server's own Object Lock said no
                        raise RetentionViolation(f"{key}: MinIO refused the deletion ({e.message})",
                                                 "archive.server_refused_deletion", key=key,
                                                 reason=e.message) from None
                    raise

    def set_legal_hold(self, key: str, on: bool) -> None:
        with self._calls(f"đặt phong tỏa {key}"):
            if on:
                self.client.enable_object_legal_hold(self.bucket, key)
            else:
                self.client.disable_object_legal_hold(self.bucket, key)

    def extend_lock(self, key: str, lock: Lock) -> None:
        info = self.stat(key)
        if info is None:
            raise KeyError(key)
        refuse_weakening(info.lock, lock, self._now(), key)  # refused here too: not every S3 server checks
        mode = MINIO_COMPLIANCE if lock.mode == COMPLIANCE else MINIO_GOVERNANCE
        body = marshal(Retention(mode, lock.retain_until.astimezone(UTC)))
        headers: dict[str, str | list[str] | tuple[str]] = {"Content-MD5": md5sum_hash(body) or ""}
        if info.lock is not None and info.lock.mode != COMPLIANCE:
            # Any change to a GOVERNANCE lock, even to COMPLIANCE, needs the bypass right on S3 servers; it is used
            # only after refuse_weakening above, so it never shortens or weakens anything.
            headers["x-amz-bypass-governance-retention"] = "true"
        query: dict[str, str | list[str] | tuple[str]] = {"retention": ""}
        if info.version_id:
            query["versionId"] = info.version_id
        with self._calls(f"gia hạn lưu trữ {key}"):  # the version read is named
            self.client._execute("PUT", self.bucket, object_name=key, body=body, headers=headers,
                                 query_params=query)

    def presigned_url(self, key: str, seconds: int) -> str:
        with self._calls(f"tạo liên kết tải {key}"):
            return str(self.client.presigned_get_object(self.bucket, key, expires=timedelta(seconds=seconds)))

    def describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def __repr__(self) -> str:
        return f"MinioObjects({self.endpoint!r}, bucket={self.bucket!r})"

