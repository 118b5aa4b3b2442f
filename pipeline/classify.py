"""Name the document type from its title, tolerating OCR noise.

The title is a line of its own near the top (GIẤY KHAI SINH, QUYẾT ĐỊNH...). Each of the first lines, and each pair
of neighbouring lines (titles wrap), is compared with every configured title after folding (diacritics and case
ignored) by edit-distance ratio. Whole-line comparison, not substring search, keeps "quyết định" in a sentence from
passing for the title QUYẾT ĐỊNH. The best ratio is the confidence; under the configured threshold the record is
kept but marked for review. Under FLOOR no type is given at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from domain.catalogue import Catalogue
from domain.records import Classification
from domain.text import fold, squash

HEAD_LINES = 25
FLOOR = 0.65  # unrelated lines score 0.5-0.6 against some title; real titles, even misread, 0.85 and up


@dataclass(frozen=True)
class TitleMatch:
    type_id: str
    score: float
    line_index: int  # index of the (first) matching line
    text: str


def _candidates(lines: Sequence[str]) -> list[tuple[int, str]]:
    head = [squash(line) for line in lines[:HEAD_LINES]]
    pairs = [(i, f"{a} {b}") for i, (a, b) in enumerate(itertools.pairwise(head))]
    return [*enumerate(head), *pairs]


def best_titles(lines: Sequence[str], catalogue: Catalogue) -> list[TitleMatch]:
    """The best-matching line for every type, best first."""
    candidates = [(i, text, fold(text)) for i, text in _candidates(lines) if text]
    matches = []
    for doc_type in catalogue.types:
        best = TitleMatch(doc_type.id, 0.0, -1, "")
        for title in doc_type.titles:
            target = fold(title)
            for i, text, folded in candidates:
                score = fuzz.ratio(target, folded) / 100
                if score > best.score:
                    best = TitleMatch(doc_type.id, score, i, text)
        matches.append(best)
    return sorted(matches, key=lambda m: -m.score)


def classify(lines: Sequence[str], catalogue: Catalogue, threshold: float) -> tuple[Classification, int | None]:
    """The classification, and the index of the title line (fields above it belong to the header)."""
    ranked = best_titles(lines, catalogue)
    if not ranked or ranked[0].score < FLOOR:
        score = ranked[0].score if ranked else 0.0
        return Classification(type_id=None, type_name=None, confidence=round(score, 3), needs_review=True), None
    top = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    doc_type = catalogue.get(top.type_id)
    return Classification(
        type_id=top.type_id,
        type_name=doc_type.name,
        confidence=round(top.score, 3),
        needs_review=top.score < threshold,
        matched_text=top.text,
        runner_up=f"{runner.type_id} ({runner.score:.2f})" if runner else None,
    ), top.line_index
