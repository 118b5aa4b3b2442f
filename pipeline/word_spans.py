"""Per-word values (OCR confidence, hand-filled ink) looked up over a span of a line's characters: what the
field readers ask of a value they found in the text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from domain.text import nfc

T = TypeVar("T")


def _over_span(per_word: Sequence[Sequence[T]] | None, index: int, line: str, start: int, end: int) -> list[T]:
    """The per-word values (confidence, ink) of the words of line `index` over its characters [start, end)."""
    if per_word is None or index >= len(per_word):
        return []
    out, pos = [], 0
    for word, value in zip(line.split(" "), per_word[index], strict=False):
        if pos < end and pos + len(word) > start:
            out.append(value)
        pos += len(word) + 1
    return out


def _weakest(confidences: Sequence[Sequence[float]] | None, index: int, line: str, start: int, end: int) -> float:
    """The lowest word confidence over characters [start, end) of line `index`; 100 for trusted text."""
    return min(_over_span(confidences, index, line, start, end), default=100.0)


def _inked_span(inked: Sequence[Sequence[bool]] | None, index: int, line: str, start: int, end: int) -> bool:
    """Whether most words over characters [start, end) of line `index` were filled in by hand."""
    flags = _over_span(inked, index, line, start, end)
    return bool(flags) and sum(flags) * 2 >= len(flags)


def hand_map(lines: Sequence[str], inked: Sequence[Sequence[bool]] | None) -> list[bool]:
    """Per character of the lines joined by newlines, whether it belongs to a word filled in by hand."""
    out: list[bool] = []
    for index, line in enumerate(lines):
        flags = inked[index] if inked is not None and index < len(inked) else ()
        for n, word in enumerate(nfc(line).split(" ")):
            if n:
                out.append(False)
            out.extend([bool(flags[n]) if n < len(flags) else False] * len(word))
        out.append(False)
    return out
