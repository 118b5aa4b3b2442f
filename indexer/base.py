"""What every index backend offers. The index is a derived, rebuildable view of the archive for fast lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from pipeline.records import Manifest


@dataclass(frozen=True)
class IndexedPerson:
    role: str
    name: str | None
    dob: date | None
    personal_number: str | None
    old_id: str | None


@dataclass(frozen=True)
class Hit:
    """One indexed record, with what a reuse lookup shows."""

    result_code: str
    content_hash: str
    type_id: str | None
    type_name: str | None
    number: str | None
    issue_date: date | None
    issuer: str | None
    valid_until: date | None
    validity_rule: str
    validity_note: str
    location: str
    needs_review: bool
    persons: tuple[IndexedPerson, ...] = field(default=())


@dataclass(frozen=True)
class CitizenQuery:
    """Who to look for: a personal number, an old ID number, or a name with a date of birth."""

    personal_number: str | None = None
    old_id: str | None = None
    name: str | None = None
    dob: date | None = None

    def __post_init__(self) -> None:
        if not (self.personal_number or self.old_id or (self.name and self.dob)):
            raise ValueError("a lookup needs a personal number, an old ID number, or a name with a date of birth")


class Index(Protocol):
    def upsert(self, manifest: Manifest, text: str, location: str) -> None:
        """Add or replace the record; `text` is its OCR text, `location` where the archive keeps it."""

    def lookup(self, query: CitizenQuery) -> list[Hit]:
        """Records naming this person, newest issue first."""

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """Full-text search over names and document text, diacritics ignored."""

    def get(self, result_code: str) -> Hit | None: ...

    def review_queue(self, limit: int = 100) -> list[Hit]:
        """Records a person should check (low classification confidence, failed ID checks, missing fields)."""

    def count(self) -> int: ...

    def remove(self, result_code: str) -> None:
        """Forget a record (it was disposed of)."""

    def clear(self) -> None:
        """Remove everything (before a rebuild from the archive)."""
