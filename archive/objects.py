"""The object store under the archive: write-once objects with S3 Object Lock semantics, on MinIO or on a local disk.

Both implementations keep the same rules, so the record logic above them (`archive.store`) is written once:

- an object is written once and never overwritten (`put` of an existing key with other content is refused);
- an object may carry a retention lock (GOVERNANCE or COMPLIANCE until a date) and a legal hold;
- a locked or held object cannot be deleted; a lock can be extended, never shortened, and COMPLIANCE never lifted.

The rules are checked here before the server is asked, because not every S3 server enforces all of them; MinIO and
SeaweedFS (which the tests run against) enforce them again on their side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Final, Literal, Protocol

from domain.messages import CodedError
from domain.messages import os_error_vi as os_error_vi  # named from here by callers

COMPLIANCE: Final = "COMPLIANCE"
GOVERNANCE: Final = "GOVERNANCE"
LockMode = Literal["COMPLIANCE", "GOVERNANCE"]

# "Permanent" (vĩnh viễn) as an Object Lock date: S3 has no open-ended retention, so a date no record outlives.
PERMANENT_UNTIL = datetime(2999, 12, 31, tzinfo=UTC)


class ArchiveError(CodedError, RuntimeError):
    """The archive could not complete an operation; nothing partial is visible. The message is English detail for
    the logs; `code` names the sentence people read (`domain.messages`, rendered with `values` by the faces)."""


class ArchiveUnavailable(ArchiveError):
    """The storage cannot be reached, refuses our credentials, or cannot take a write (full disk, read-only)."""


class RetentionViolation(ArchiveError):
    """Refused: the object is under retention or legal hold, or the change would weaken its lock."""


class ObjectExists(ArchiveError):
    """A write-once key already holds other content."""


@dataclass(frozen=True)
class Lock:
    mode: LockMode
    retain_until: datetime  # timezone-aware

    @classmethod
    def until_end_of(cls, day: date | None, mode: LockMode) -> Lock:
        """A lock to the end of a day (UTC); None is permanent."""
        if day is None:
            return cls(mode, PERMANENT_UNTIL)
        return cls(mode, datetime.combine(day, time(23, 59, 59), tzinfo=UTC))

    @property
    def permanent(self) -> bool:
        return self.retain_until >= PERMANENT_UNTIL

    def active(self, now: datetime) -> bool:
        return self.retain_until > now

    def weakened_by(self, new: Lock) -> str | None:
        """Why replacing this lock with `new` is refused (in English, for the log), or None if it only strengthens."""
        if new.retain_until < self.retain_until:
            return f"retention cannot be shortened ({self.retain_until:%Y-%m-%d} -> {new.retain_until:%Y-%m-%d})"
        if self.mode == COMPLIANCE and new.mode != COMPLIANCE:
            return "COMPLIANCE retention cannot be downgraded to GOVERNANCE"
        return None


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    metadata: Mapping[str, str] = field(default_factory=dict)  # user metadata, lower-case keys
    lock: Lock | None = None
    legal_hold: bool = False
    version_id: str | None = None  # the store's own version of the object, where it keeps versions (S3)

    @property
    def sha256(self) -> str | None:
        return self.metadata.get("sha256")


def refuse_deletion(info: ObjectInfo, now: datetime) -> None:
    """RetentionViolation if the object is held or still retained: the one deletion rule of both stores."""
    if info.legal_hold:
        raise RetentionViolation(f"{info.key} is under legal hold", "archive.object_held", key=info.key)
    if info.lock is not None and info.lock.active(now):
        raise RetentionViolation(f"{info.key} is retained ({info.lock.mode}) until {info.lock.retain_until:%Y-%m-%d}",
                                 "archive.object_retained", key=info.key, until=f"{info.lock.retain_until:%d/%m/%Y}")


def refuse_weakening(current: Lock | None, new: Lock, now: datetime, what: str) -> None:
    """RetentionViolation if replacing an active lock by `new` would shorten it or downgrade COMPLIANCE."""
    if current is not None and current.active(now) and (why := current.weakened_by(new)):
        shorter = new.retain_until < current.retain_until
        raise RetentionViolation(f"{what}: {why}", "archive.shortened" if shorter else "archive.downgraded",
                                 what=what, until=f"{current.retain_until:%d/%m/%Y}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ObjectStore(Protocol):
    """Write-once objects by key ("records/<hash>/v1/signed.pdf"), with retention locks and legal holds."""

    def put(self, key: str, data: bytes, metadata: Mapping[str, str], lock: Lock | None = None,
            content_type: str = "application/octet-stream") -> None:
        """Store `data` under a new key. Storing the same bytes again is a no-op (a re-run after a crash);
        other bytes under an existing key raise ObjectExists."""

    def copy(self, source: str, key: str, metadata: Mapping[str, str], lock: Lock | None = None,
             content_type: str = "application/octet-stream") -> None:
        """Store under a new key the bytes of the object at `source`, inside the store (a server-side copy on S3):
        a new version of a record carries its unchanged files this way. The write-once rule of `put` holds: the
        same bytes again are a no-op, other bytes raise ObjectExists; KeyError if `source` does not exist."""

    def get(self, key: str) -> bytes:
        """The object's bytes; KeyError if there is none."""

    def stat(self, key: str) -> ObjectInfo | None: ...

    def keys(self, prefix: str, start_after: str = "") -> Iterator[str]:
        """Keys under a prefix, in order."""

    def delete(self, key: str) -> None:
        """Remove the object for good (every stored version). RetentionViolation while locked or held."""

    def set_legal_hold(self, key: str, on: bool) -> None: ...

    def extend_lock(self, key: str, lock: Lock) -> None:
        """Replace the object's lock by a stronger one; RetentionViolation if it would weaken it."""

    def presigned_url(self, key: str, seconds: int) -> str:
        """A URL anyone holding it can GET the object with, for `seconds`."""

    def describe(self, key: str) -> str:
        """Where the object is, as an operator would type it (a path or an s3:// URL)."""
