"""What every index backend offers. The index is a derived, rebuildable view of the archive for fast lookups.

One query model (`RecordQuery`) is defined here and answered by both backends with the same results: the shared
contract suite in tests/indexer runs every lookup on SQLite and on Elasticsearch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from domain.messages import CodedError
from indexer.document import IndexedRecord

LOOKUP_LIMIT = 500  # more documents than any one person holds; a full-text search is cut much earlier
LIKE_TERMS = 30  # the rarest words of a reading asked for by a `like` lookup
LIKE_SHARE = 0.3  # of those, how many a record must have; at least LIKE_AT_LEAST (all of them when fewer)
LIKE_AT_LEAST = 3


def like_needed(known: int) -> int:
    """How many of the `known` words asked a record must hold; Elasticsearch's minimum_should_match "3<3 10<30%"."""
    return min(known, max(LIKE_AT_LEAST, int(known * LIKE_SHARE)))


class IndexUnavailable(CodedError):
    """The index cannot be reached or refused the request; its sentence (`index.<code>`) is for the person at the
    desk, the message for the logs."""

    area = "index"


# A lookup returns the stored documents themselves, read back with `IndexedRecord.from_source` (without the OCR text,
# which neither backend keeps for showing).
Hit = IndexedRecord


@dataclass(frozen=True)
class Filters:
    """Narrow any lookup. `valid_on` keeps only records usable that day (permanent, or valid until then or later)."""

    type_ids: tuple[str, ...] = ()
    issuer: str | None = None  # the issuing body as printed; compared without case or diacritics
    issued_from: date | None = None
    issued_to: date | None = None
    valid_on: date | None = None
    paper: tuple[str, ...] = ()  # `indexer.document.place_keys`: only records whose paper sits there (all of them)


Kind = Literal["personal_number", "old_id", "name_dob", "code", "number", "text", "like", "paper"]


@dataclass(frozen=True)
class RecordQuery:
    """One lookup: exactly one way of finding records, and filters.

    personal_number and old_id match exactly; name + dob matches the same person's date of birth exactly and the
    name without case or diacritics, allowing one OCR error (one letter wrong, missing, extra, or two swapped);
    code is a result code or a dossier code; number is the số/ký hiệu, compared without case, diacritics or spaces;
    text needs every word in the names or the document text, diacritics ignored, exact spellings ranked first;
    like is a whole reading: the records whose text shares the most of its rarest words come first (a second capture
    of a paper whose number could not be read), the rest of its words not needed.
    paper (no other way given, and `filters.paper`): the records whose paper sits in that place (an archivist's
    "hộp 12 of mục lục 3"), newest issue first.
    Only complete, signed records that have not been disposed of are found.
    """

    personal_number: str | None = None
    old_id: str | None = None
    name: str | None = None
    dob: date | None = None
    code: str | None = None
    number: str | None = None
    text: str | None = None
    like: str | None = None
    filters: Filters = Filters()
    limit: int = LOOKUP_LIMIT

    def __post_init__(self) -> None:
        given = [k for k in ("personal_number", "old_id", "code", "number", "text", "like") if getattr(self, k)]
        if self.name or self.dob:
            if not (self.name and self.dob):
                raise ValueError("a name lookup needs the date of birth too, and a date of birth needs the name")
            given.append("name_dob")
        if not given and self.filters.paper:
            given.append("paper")
        if len(given) != 1:
            raise ValueError("a lookup needs exactly one of: personal number, old ID number, name with date of "
                             "birth, result or dossier code, document number, text, a reading to match, a paper's "
                             f"place (got {given or 'none'})")

    @property
    def kind(self) -> Kind:
        if self.name:
            return "name_dob"
        for k in ("personal_number", "old_id", "code", "number", "like"):
            if getattr(self, k):
                return k
        return "text" if self.text else "paper"


class IndexBuild(Protocol):
    """A new index being filled beside the one lookups use; `publish` swaps it in at once."""

    def add(self, records: Iterable[IndexedRecord]) -> int:
        """Index these records into the new index; returns how many were added."""

    def publish(self) -> None:
        """Make the new index the one lookups use, in one atomic step, and drop the old one."""

    def abandon(self) -> None:
        """Drop the new index; lookups never saw it."""


class Index(Protocol):
    def upsert(self, record: IndexedRecord) -> None:
        """Add or replace one record."""

    def upsert_many(self, records: Iterable[IndexedRecord]) -> list[tuple[str, str]]:
        """Add or replace many records in bulk; returns (result code, reason) for each one that was refused."""

    def find(self, query: RecordQuery) -> list[Hit]:
        """Records matching the query. Lookups: exact spellings first, then newest issue first; text: best first."""

    def get(self, result_code: str) -> Hit | None: ...

    def review_queue(self, limit: int = 100) -> list[Hit]:
        """Records a person should check (low classification confidence, failed ID checks, missing fields)."""

    def count(self) -> int: ...

    def count_by_type(self) -> dict[str, int]:
        """How many records of each document type ("" for unclassified)."""

    def remove(self, result_code: str) -> None:
        """Forget a record (it was disposed of)."""

    def refresh(self) -> None:
        """Make every write so far visible to lookups (Elasticsearch does this by itself within a second)."""

    def start_build(self) -> IndexBuild:
        """Begin a new, empty index beside the current one (for `sohoa reindex`)."""
