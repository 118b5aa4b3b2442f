"""The OCR engine seam (as OCRmyPDF's `OcrEngine`): what every page engine gives, in types no engine owns.

An engine reads one grey page image into words with boxes and confidences, in reading order, plus a one-page PDF of
invisible text in the image's coordinates (the text layer of the archived PDF/A), and may judge a page's orientation.
Everything above this module (page reading, tables, the pipeline) speaks these types only, so an engine is added by
registering it in `ocr.chosen_engine.ENGINES`, where `[ocr] engine` (or SOHOA_OCR_ENGINE) chooses one per process.
Engines: `ocr.tesseract` (the one in use) and the replay engine of tests (`ocr.replay`).

The second reader of figures (`ocr.recognizer.LineRecognizer`, chosen by `[ocr] second_reader`) is the other half of
the seam: it reads single lines where the page engine was unsure.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, median
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # only annotations: the settings and the command line do not load numpy through here
    import numpy as np

class OcrError(RuntimeError):
    """The engine failed on a page; the message carries its own words."""


class OcrTimeout(OcrError):
    """The engine was stopped at the page time limit."""


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..100
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class Line:
    """Words on one line, split where a wide gap shows two columns side by side."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return self.words[-1].left + self.words[-1].width

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.top + w.height for w in self.words)


@dataclass(frozen=True)
class OcrPage:
    lines: tuple[Line, ...]
    width: int
    height: int
    dpi: int
    text_layer_pdf: bytes  # one page, invisible text only, in the coordinates of the image that was read

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    @property
    def mean_confidence(self) -> float:
        words = self.words
        return fmean(w.confidence for w in words) if words else 0.0


@dataclass(frozen=True)
class Osd:
    """An engine's orientation verdict: the clockwise turn that stands the page upright."""

    rotate: int  # 0, 90, 180, 270 degrees clockwise
    confidence: float  # Tesseract's scale: under about 2 it is a guess


class OcrEngine(Protocol):
    """A page engine. `read` raises OcrError (OcrTimeout past `timeout_s`); `orientation` returns None when it
    cannot judge."""

    name: str  # stored with every record it read

    def version(self) -> str:
        """The engine's own version, kept in each manifest and in the replay engine's keys."""
        ...

    def read(self, grey: np.ndarray, *, dpi: int, language: str = "vie", timeout_s: int = 300,
             psm: int | None = None) -> OcrPage:
        """One grey page image. `psm`: a page segmentation mode when not the engine's automatic one (7: the image
        is one line of text); an engine without such modes reads the image whole."""
        ...

    def orientation(self, grey: np.ndarray, *, dpi: int, timeout_s: int = 60) -> Osd | None:
        """None when the page gives the engine nothing to judge by (too little text); OcrError when it failed."""
        ...


# Lines overlapping by less than this share of a text height are one above the other, not on one row.
ROW_OVERLAP = 0.4


def in_reading_order(lines: Sequence[Line]) -> list[Line]:
    """The engine's order, except that of two lines in one column the upper is read first. Tesseract makes blocks
    of what it sees as paragraphs, and on a form with values indented under their labels it puts the labels in one
    block and the values in another, to be read after every label ("Sinh năm:", "CCCD số:", "1969", "0640…"). Lines
    side by side (the two header columns, a signature beside "Nơi nhận") keep the engine's order."""
    if len(lines) < 2:
        return list(lines)
    slack = ROW_OVERLAP * float(median([w.height for line in lines for w in line.words]))
    after: list[list[int]] = [[] for _ in lines]
    waiting = [0] * len(lines)
    for i, a in enumerate(lines):
        for j, b in enumerate(lines):
            if i != j and a.bottom - slack <= b.top and a.left < b.right and b.left < a.right:
                after[i].append(j)  # a stands above b in one column: a is read first
                waiting[j] += 1
    ready = [i for i, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in after[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, j)
    return [lines[i] for i in order]
