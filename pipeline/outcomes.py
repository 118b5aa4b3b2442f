"""What became of one file of a batch: the outcomes and the result the pipeline reports for it. Kept apart from
`pipeline.process` (which loads OpenCV, Tesseract's wrapper and pyHanko) so that following a batch does not load
the whole pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

ACCEPTED = "accepted"
ALREADY_ARCHIVED = "already_archived"
DUPLICATE_CAPTURE = "duplicate_capture"  # another capture of a paper already archived: linked to that record
QUARANTINED = "quarantined"
STOPPED = "stopped"  # hit a condition that stops the whole batch (full disk, archive unreachable): not processed
NOT_PROCESSED = "not_processed"  # left alone because the batch stopped before its turn


@dataclass
class DocumentResult:
    source: str
    outcome: str
    pages: int = 0
    result_code: str | None = None
    type_name: str | None = None
    needs_review: bool = False  # a reviewer must check its fields
    needs_rescan: bool = False  # the digitisation team must scan the paper again
    reason: str | None = None  # Vietnamese: why quarantined, linked, or made a record's next version
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
