"""The small interface a second text reader offers beside Tesseract: read one line image, say where each character
lies along it, and decode any part of it again with only the characters that part may hold.

Tesseract reads whole pages (`ocr.tesseract`); a line recognizer reads the few places where figures matter and
Tesseract was unsure (`ocr.figures`). `ocr.neural` is the one in use (PP-OCR on ONNX Runtime); `NoReader` stands in
where none is wanted (configuration `second_reader = "none"`, quick tests): every slot then reads as nothing, and
values rest on Tesseract and the paper's own repetitions alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # only annotations: commands that never read a page do not load numpy
    import numpy as np

FIGURES = "0123456789"


@dataclass(frozen=True)
class Char:
    text: str
    start: float  # where the character begins along the line, as a share of the image's width
    end: float
    probability: float  # 0..1


class RecognizedLine(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def chars(self) -> tuple[Char, ...]: ...

    def constrained(self, first: int, last: int, allowed: str = FIGURES, skip: str = " ") -> tuple[str, float]:
        """Characters `first`..`last` decoded again with only `allowed` (those read as one of `skip` left out), and
        the lowest probability (0..1) among them of the class chosen."""
        ...


class LineRecognizer(Protocol):
    name: str  # stored with every value it gave

    def read(self, image: np.ndarray) -> RecognizedLine:
        """One line image (grey or RGB), the text's height filling most of it."""
        ...


@dataclass(frozen=True)
class EmptyLine:
    text: str = ""
    chars: tuple[Char, ...] = ()

    def constrained(self, first: int, last: int, allowed: str = FIGURES, skip: str = " ") -> tuple[str, float]:
        return "", 0.0


class NoReader:
    """No second reader: nothing is read again, nothing is confirmed by a second reading."""

    name = "none"

    def read(self, image: np.ndarray) -> RecognizedLine:
        return EmptyLine()
