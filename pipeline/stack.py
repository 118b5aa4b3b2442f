"""Digitise a stack: one scan file of many documents (a box through an automatic feeder, duplex), split into one
record per document, each pointing into the stack, which is archived once as it came.

Pages are looked at in order (`pipeline.stack_signs`): a separator sheet, a blank back, or a page read to see how
much it looks like a first page; the planner (`pipeline.stack_split`) closes a document when the next one starts,
and it is digitised then, from the pages already decoded and read (the reading is recalled, not made twice:
`ocr.page_memo`). The stack's report is written last: a stack cut short is split again, and the documents already
archived are found by their hashes, not stored twice."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from archive.objects import Lock, os_error_vi
from archive.retention import lock_of, retention_of
from archive.stacks import read_report, store_report, store_stack
from context.services import Services
from context.settings import Settings
from domain.actor import Actor
from domain.dates import vietnam_now
from domain.messages import say
from domain.paper import ArchivalDescription, PaperOrigin, StackPlace
from domain.records import Note
from ocr import page_memo
from pipeline.intake import RejectedInput, SourceDocument, SourcePage, file_sha256, open_document
from pipeline.outcomes import ACCEPTED, ALREADY_ARCHIVED, QUARANTINED, STOPPED, DocumentResult
from pipeline.page_reading import read_pixels
from pipeline.process import digitise, digitise_part, stop_reason
from pipeline.quarantine import quarantine
from pipeline.stack_signs import first_page_signs, is_blank, read_separator
from pipeline.stack_split import Doubt, PageLook, Part, StackPlanner

log = logging.getLogger(__name__)

SPLIT_DOUBT = "split_doubt"  # the review note of a document whose first or last page is in doubt
HOLD_PAGES = 8  # a document's pages kept decoded while it is gathered; a longer one is read again from the file


@dataclass
class StackResult:
    source: str
    sha256: str | None = None
    pages: int = 0
    documents: list[DocumentResult] = field(default_factory=list)
    blanks: list[int] = field(default_factory=list)  # 1-based pages dropped as blank
    separators: list[int] = field(default_factory=list)  # 1-based
    doubts: int = 0  # split points flagged for a person
    description: ArchivalDescription | None = None
    split: bool = True  # False: the file held one document (or was refused) and went through `digitise` whole
    seconds: float = 0.0
    expected_pages: int | None = None  # what the description says the paper holds (số lượng trang), when it says
    expected_sheets: int | None = None  # số lượng tờ (or the span of `sheets`), when it says
    unread_separators: list[tuple[int, str]] = field(default_factory=list)  # 1-based page, why its description failed

    @property
    def paper_pages(self) -> int:
        """Pages of paper scanned: the stack's, separator sheets and their blank backs left out."""
        backs = {s + 1 for s in self.separators} & set(self.blanks)
        return self.pages - len(self.separators) - len(backs)

    @property
    def gap(self) -> int | None:
        """Pages scanned minus pages the description expects (negative: pages missing); None when it says none."""
        return None if self.expected_pages is None else self.paper_pages - self.expected_pages

    @property
    def sheets_disagree(self) -> bool:
        """The sheets the description gives are not what was scanned, one side (a page a sheet) or both (two)."""
        sheets = self.expected_sheets
        return sheets is not None and self.paper_pages not in (sheets, 2 * sheets)

    @property
    def stopped(self) -> DocumentResult | None:
        return next((d for d in self.documents if d.outcome == STOPPED), None)


def look_at(page: SourcePage, index: int, settings: Settings) -> PageLook:
    """What a page says about where documents begin; a content page is read now (and recalled when its document is
    digitised)."""
    if is_blank(page.glance):  # first: the cheapest look, and the most pages of a duplex stack
        return PageLook(index, blank=True)
    separator = read_separator(page.glance)
    if separator is not None:
        return PageLook(index, separator=separator)
    pixels, _ = page.prepared
    reading = read_pixels(pixels, page.dpi, index, settings)
    return PageLook(index, first=first_page_signs(reading.ocr).strength)


def doubt_note(doubt: Doubt, stack: str) -> Note:
    """The review note of a doubtful split, naming the pages on either side."""
    if doubt.kind == "first_page_inside":
        message = say("stack.first_page_inside", stack=stack, page=doubt.page, before=doubt.before)
    elif doubt.kind == "starts_mid_document":
        message = say("stack.starts_mid_document", stack=stack, page=doubt.page)
    elif doubt.before is None:
        message = say("stack.weak_first", stack=stack, page=doubt.page)
    else:
        message = say("stack.weak_start", stack=stack, page=doubt.page, before=doubt.before)
    return Note(code=SPLIT_DOUBT, message=message)


def part_hash(stack_sha256: str, pages: list[int]) -> str:
    """A document of a stack is known by the stack and its pages: the same stack split again finds it."""
    return hashlib.sha256(f"{stack_sha256}:{','.join(str(p) for p in pages)}".encode()).hexdigest()


def digitise_stack(path: Path, services: Services, by: Actor,
                   description: ArchivalDescription | None = None) -> StackResult:
    """Split `path` into documents and digitise each; never raises for a bad file (it goes to quarantine whole, as
    `digitise` sends it). A file that turns out to hold one document with no blank or separator page is digitised
    as any file is: its record keeps its own original, and no stack is stored."""
    started = time.perf_counter()
    result = StackResult(str(path), description=description)
    if description is not None:  # what the file beside the scans says this scan holds (a separator's: one file)
        result.expected_pages, result.expected_sheets = description.page_count, description.expected_sheets()
    source: SourceDocument | None
    done: dict[str, object] | None
    try:
        sha256 = file_sha256(path)
        source = open_document(path, services.settings, sha256)
        done = read_report(services.archive.objects, sha256) if not source.born_digital else None
    except RejectedInput:
        source = done = None
    except Exception as e:  # the archive cannot be read: every file would meet it
        return _stopped_or_refused(result, path, None, e, 0, services, started)
    if source is None or source.born_digital or source.page_count < 2:
        return _whole(result, path, services, by, started)
    result.sha256, result.pages = sha256, source.page_count
    if done is not None:
        return _already_split(result, done, started)
    split = _Split(source, services, by, result, StackPlanner(description))
    with page_memo.remembering():
        try:
            # each page has its limit; a page's JPEG decoded only if it is not a blank back or a separator
            for index, page in enumerate(replace(source, deadline=float("inf"), lazy=True).pages()):
                look = look_at(page, index, services.settings)
                if any(split.digitise(part) for part in split.planner.add(look)):  # the documents it closes
                    return _finish(result, split.planner, started)
                if not (look.blank or look.separator):
                    split.hold(index, page)  # after: a page starting a document is never let go with the last
            closing = split.planner.finish()
            if not result.documents and len(closing) == 1 and len(closing[0].pages) == source.page_count \
                    and not closing[0].doubts:  # one document and nothing else: a file like any other
                return _whole(result, path, services, by, started)
            if any(split.digitise(part) for part in closing):
                return _finish(result, split.planner, started)
        except Exception as e:  # a page that cannot be read: the documents before it stay archived
            return _stopped_or_refused(_finish(result, split.planner, started), path, sha256, e, len(split.held),
                                       services, started)
    _finish(result, split.planner, started)
    try:
        store_report(services.archive.objects, sha256, _report(result, path), split.lock)
    except Exception as e:  # its documents are archived; without the report the stack is split again next time
        log.error("the report of stack %s was not written: %r", path, e)
        stop = stop_reason(e)
        if stop is not None:
            result.documents.append(DocumentResult(str(path), STOPPED, reason=stop))
    return result


def _whole(result: StackResult, path: Path, services: Services, by: Actor, started: float) -> StackResult:
    result.split = False  # one document, a born-digital file, or refused: what `digitise` does with any file
    paper = PaperOrigin(description=result.description) if result.description is not None else None
    result.documents.append(digitise(path, services, by, paper))
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class _Split:
    """A stack being split: its pages held until their document closes, and the stack stored when the first
    document of it is about to be archived."""

    stack: SourceDocument
    services: Services
    by: Actor
    result: StackResult
    planner: StackPlanner
    held: dict[int, SourcePage | None] = field(default_factory=dict)  # None: let go, to be read again
    stored: bool = False

    def hold(self, index: int, page: SourcePage) -> None:
        """Keep a page of the document being gathered; past HOLD_PAGES, let them all go (memory stays bounded
        whatever the document's length: its pages are read again from the file, their readings recalled)."""
        self.held[index] = page
        if len(self.held) > HOLD_PAGES:
            self.held = dict.fromkeys(self.held)

    @property
    def lock(self) -> Lock:
        return lock_of(retention_of(self.services.settings.retention.audit_log, date.today()))

    def digitise(self, part: Part) -> bool:
        """Digitise one document of the stack; True when the batch must stop (a full disk, an archive gone)."""
        stack, result = self.stack, self.result
        if not self.stored:
            store_stack(self.services.archive.objects, stack.sha256, stack.path.read_bytes(), stack.media_type,
                        stack.path.name, self.lock)
            self.stored = True
        kept = [self.held.pop(i) for i in part.pages]
        pages = tuple(p for p in kept if p is not None) if all(p is not None for p in kept) else None
        place = StackPlace(sha256=stack.sha256, name=stack.path.name, first_page=part.first_page,
                           last_page=part.last_page, pages=[i + 1 for i in part.pages])
        notes = tuple(doubt_note(d, stack.path.name) for d in part.doubts)
        deadline = time.monotonic() + stack.settings.max_seconds_per_file  # each document its own time, as a file
        document = SourceDocument(stack.path, part_hash(stack.sha256, part.pages), stack.size, stack.media_type,
                                  len(part.pages), None, stack.settings, deadline, held=pages,
                                  paper=PaperOrigin(description=part.description, stack=place), doubts=notes,
                                  only=frozenset(part.pages) if pages is None else None)
        outcome = digitise_part(document, self.services, self.by)
        outcome.source = document.name
        result.documents.append(outcome)
        return outcome.outcome == STOPPED


def _stopped_or_refused(result: StackResult, path: Path, sha256: str | None, e: Exception, pages: int,
                        services: Services, started: float) -> StackResult:
    """A failure met while splitting: a condition every file would meet stops the batch; anything else sends the
    stack, from that page on, to quarantine (a copy of it, and the reason)."""
    stop = stop_reason(e)
    if stop is not None:
        result.documents.append(DocumentResult(str(path), STOPPED, reason=stop))
    else:
        if isinstance(e, RejectedInput):
            code, reason, english = e.code, e.vietnamese, e.english
        else:
            log.error("splitting %s failed: %r", path, e, exc_info=e)
            code, reason, english = "processing_error", say("stack.processing_error", reason=e), repr(e)
        why = say("stack.unreadable_rest", reason=reason)
        try:
            quarantine(path, services.settings.quarantine_dir, code=code, vietnamese=why, english=english,
                       content_hash=sha256, when=vietnam_now())
            result.documents.append(DocumentResult(str(path), QUARANTINED, pages, reason=why))
        except OSError as failed:
            result.documents.append(DocumentResult(str(path), STOPPED, reason=say(
                "stack.quarantine_failed", reason=os_error_vi(failed))))
    result.seconds = time.perf_counter() - started
    return result


def _finish(result: StackResult, planner: StackPlanner, started: float) -> StackResult:
    result.doubts = len(planner.doubts)
    result.blanks = [i + 1 for i in planner.blanks]
    result.separators = [i + 1 for i in planner.separators]
    result.unread_separators = [(i + 1, why) for i, why in planner.unread]
    result.description = planner.description
    result.seconds = time.perf_counter() - started
    return result


def _report(result: StackResult, path: Path) -> dict[str, object]:
    return {
        "schema": "sohoa.stack/1", "name": path.name, "sha256": result.sha256, "pages": result.pages,
        "blanks": result.blanks, "separators": result.separators, "doubts": result.doubts,
        "expected_pages": result.expected_pages, "gap": result.gap or (1 if result.sheets_disagree else 0),
        "expected_sheets": result.expected_sheets, "sheets_disagree": result.sheets_disagree,
        "unread_separators": [{"page": page, "reason": why} for page, why in result.unread_separators],
        "description": result.description.model_dump(exclude_defaults=True) if result.description else None,
        "documents": [{"name": d.source, "outcome": d.outcome, "result_code": d.result_code, "pages": d.pages,
                       "needs_review": d.needs_review, "reason": d.reason} for d in result.documents],
    }


def _already_split(result: StackResult, report: dict[str, object], started: float) -> StackResult:
    documents = report.get("documents")
    for d in documents if isinstance(documents, list) else []:
        if isinstance(d, dict):
            outcome = ALREADY_ARCHIVED if d.get("outcome") == ACCEPTED else str(d.get("outcome"))
            result.documents.append(DocumentResult(str(d.get("name")), outcome, int(d.get("pages") or 0),
                                                   d.get("result_code"), needs_review=bool(d.get("needs_review")),
                                                   reason=d.get("reason")))
    blanks, separators, doubts = report.get("blanks"), report.get("separators"), report.get("doubts")
    result.blanks = list(blanks) if isinstance(blanks, list) else []
    result.separators = list(separators) if isinstance(separators, list) else []
    result.doubts = doubts if isinstance(doubts, int) else 0
    result.seconds = time.perf_counter() - started
    return result
