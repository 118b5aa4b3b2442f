"""Where a stack of scanned pages splits into documents, decided page by page as the pages come (a 300-page stack
is never held whole): separator sheets split where they stand; without them, a page with a first page's signs
starts a document. Blank backs are dropped (they stay in the stack as it was archived).

Nothing is guessed in silence: a split made on weak signs, a first page met between two separators (a separator
forgotten?), and a stack that begins mid-document are each written on the parts they touch as a doubt, naming the
pages on either side, for a person to confirm or correct."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from domain.paper import ArchivalDescription
from pipeline.stack_signs import Separator, Strength

DoubtKind = Literal["weak_start", "first_page_inside", "starts_mid_document"]


@dataclass(frozen=True)
class PageLook:
    index: int  # 0-based, in the stack
    blank: bool = False
    separator: Separator | None = None
    first: Strength = "none"  # how much it looks like a document's first page


@dataclass(frozen=True)
class Doubt:
    kind: DoubtKind
    page: int  # 1-based, in the stack: the page the doubt is about
    before: int | None  # 1-based: the content page before it (None at the stack's start)


@dataclass
class Part:
    pages: list[int] = field(default_factory=list)  # 0-based stack indexes of its content pages, in order
    description: ArchivalDescription | None = None
    doubts: list[Doubt] = field(default_factory=list)

    @property
    def first_page(self) -> int:
        return self.pages[0] + 1

    @property
    def last_page(self) -> int:
        return self.pages[-1] + 1


@dataclass
class StackPlanner:
    """Feed it each page's look in order (`add`), then `finish`; each returns the parts that closed."""

    description: ArchivalDescription | None = None  # the batch's, from a file beside the scans
    blanks: list[int] = field(default_factory=list)  # 0-based: dropped
    separators: list[int] = field(default_factory=list)  # 0-based
    separated: bool = False  # a separator sheet has been met: from then on only separators split
    doubts: list[Doubt] = field(default_factory=list)  # every split point flagged, once
    unread: list[tuple[int, str]] = field(default_factory=list)  # 0-based separators whose description failed, why
    _current: Part | None = None
    _after_separator: bool = False
    _last_content: int | None = None

    def add(self, look: PageLook) -> list[Part]:
        if look.separator is not None:
            self.separators.append(look.index)
            self.separated, self._after_separator = True, True
            if look.separator.problem:  # it separates, but the box it names is not taken: a person is told
                self.unread.append((look.index, look.separator.problem))
            if look.separator.description is not None:
                base = self.description
                self.description = base.merged(look.separator.description) if base else look.separator.description
            return self._close()
        if look.blank:
            self.blanks.append(look.index)
            return []
        closed: list[Part] = []
        before = None if self._last_content is None else self._last_content + 1
        page = look.index + 1
        if self._current is None:
            self._current = Part(description=self.description)
            if not self._after_separator and look.first != "strong":
                self._doubt(self._current, Doubt("starts_mid_document" if look.first == "none" else "weak_start",
                                                 page, before))
        elif self.separated:
            if look.first == "strong":  # a first page with no separator before it: joined, and asked about
                self._doubt(self._current, Doubt("first_page_inside", page, before))
        elif look.first != "none":
            doubt = Doubt("weak_start", page, before) if look.first == "weak" else None
            if doubt is not None:
                self._doubt(self._current, doubt)  # its end is as doubtful as the next one's start
            closed = self._close()
            self._current = Part(description=self.description, doubts=[doubt] if doubt else [])
        self._after_separator = False
        self._current.pages.append(look.index)
        self._last_content = look.index
        return closed

    def finish(self) -> list[Part]:
        return self._close()

    def _doubt(self, part: Part, doubt: Doubt) -> None:
        part.doubts.append(doubt)
        self.doubts.append(doubt)

    def _close(self) -> list[Part]:
        part, self._current = self._current, None
        return [part] if part is not None and part.pages else []
