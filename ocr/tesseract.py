"""A thin wrapper around one Tesseract run: words with boxes and confidences, plus Tesseract's text-only PDF.

One process produces both outputs, so the invisible text layer in the PDF is exactly what was read. Each run is
given OMP_THREAD_LIMIT=1: with its default threading, Tesseract runs several times slower on a 2-core machine, and
parallelism comes from running one Tesseract per document instead.
"""

from __future__ import annotations

import csv
import heapq
import io
import itertools
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import fmean

import cv2
import numpy as np
import pytesseract

from domain.text import nfc
from ocr import tesseract_cache

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# Words further apart than this many line heights belong to different columns (the two header blocks, say).
COLUMN_GAP_LINE_HEIGHTS = 2.5


class OcrError(RuntimeError):
    """Tesseract failed on a page; the message carries its own words."""


class OcrTimeout(OcrError):
    """Tesseract was stopped at the page time limit."""


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class Line:
    """Words Tesseract put on one line, split where a wide gap shows two columns side by side."""

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


@cache
def tesseract_version() -> str:
    out = subprocess.run([pytesseract.pytesseract.tesseract_cmd, "--version"], capture_output=True, text=True,
                         check=False)
    first = (out.stdout or out.stderr).splitlines()
    return first[0].removeprefix("tesseract ").strip() if first else "unknown"


def _split_columns(words: list[Word]) -> list[Line]:
    if not words:
        return []
    height = float(np.median([w.height for w in words]))
    lines, current = [], [words[0]]
    for prev, word in itertools.pairwise(words):
        if word.left - (prev.left + prev.width) > COLUMN_GAP_LINE_HEIGHTS * height:
            lines.append(Line(tuple(current)))
            current = []
        current.append(word)
    lines.append(Line(tuple(current)))
    return lines


def parse_tsv(tsv: str) -> list[Line]:
    """Lines in Tesseract's reading order from its TSV output, keeping only real words."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row["level"] != "5" or not text:
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        grouped.setdefault(key, []).append(
            Word(nfc(text), float(row["conf"]), int(row["left"]), int(row["top"]), int(row["width"]),
                 int(row["height"]))
        )
    lines: list[Line] = []
    for key in sorted(grouped):
        lines.extend(_split_columns(sorted(grouped[key], key=lambda w: w.left)))
    return in_reading_order(lines)


# Lines overlapping by less than this share of a text height are one above the other, not on one row.
ROW_OVERLAP = 0.4


def in_reading_order(lines: Sequence[Line]) -> list[Line]:
    """Tesseract's order, except that of two lines in one column the upper is read first. Tesseract makes blocks
    of what it sees as paragraphs, and on a form with values indented under their labels it puts the labels in one
    block and the values in another, to be read after every label ("Sinh năm:", "CCCD số:", "1969", "0640…"). Lines
    side by side (the two header columns, a signature beside "Nơi nhận") keep Tesseract's order."""
    if len(lines) < 2:
        return list(lines)
    slack = ROW_OVERLAP * float(np.median([w.height for line in lines for w in line.words]))
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


@dataclass(frozen=True)
class Osd:
    """Tesseract's orientation and script detection: the clockwise turn that stands the page upright."""

    rotate: int  # 0, 90, 180, 270 degrees clockwise
    confidence: float  # Tesseract's orientation confidence; under about 2 it is a guess


def parse_osd(text: str) -> Osd | None:
    values = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    try:
        return Osd(int(values["Rotate"]) % 360, float(values["Orientation confidence"]))
    except (KeyError, ValueError):
        return None


def _run(grey: np.ndarray, *, extension: str, language: str, config: str, timeout_s: int,
         outputs: tuple[str, ...]) -> dict[str, bytes]:
    """Tesseract's output files for one grey image, by suffix; from the store of earlier outputs when one is set
    (`ocr.tesseract_cache`). Raises pytesseract's errors (RuntimeError at the timeout) as Tesseract gives them."""
    store = tesseract_cache.folder()
    name = tesseract_cache.key(grey, version=tesseract_version(), language=language,
                               config=f"{extension} {config}") if store else ""
    if store and (kept := tesseract_cache.recall(store, name, outputs)) is not None:
        return kept
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
        src = Path(tmp) / "page.pgm"  # uncompressed: writing it costs almost nothing
        cv2.imwrite(str(src), grey)
        base = Path(tmp) / "out"
        pytesseract.pytesseract.run_tesseract(str(src), str(base), extension, language, config, timeout=timeout_s)
        found = {suffix: base.with_suffix(suffix).read_bytes() for suffix in outputs
                 if base.with_suffix(suffix).exists()}
    if store and len(found) == len(outputs):
        tesseract_cache.keep(store, name, found)
    return found


def detect_orientation(grey: np.ndarray, *, dpi: int, timeout_s: int = 60) -> Osd | None:
    """Run Tesseract's OSD (`--psm 0`) on a grey page; None when it cannot judge (too little text, a failure)."""
    try:
        found = _run(grey, extension="osd", language="osd", config=f"--dpi {dpi} --psm 0", timeout_s=timeout_s,
                     outputs=(".osd",))
    except (RuntimeError, pytesseract.TesseractError):  # too few characters, or stopped at the limit
        return None
    return parse_osd(found[".osd"].decode("utf-8")) if ".osd" in found else None


def read_image(grey: np.ndarray, *, dpi: int, language: str = "vie", timeout_s: int = 300,
               psm: int | None = None) -> OcrPage:
    """OCR one grey page image; raises OcrError if Tesseract fails or runs past the timeout. `psm`: Tesseract's
    page segmentation mode when not its automatic one (7: the image is one line of text)."""
    config = f"--dpi {dpi} -c tessedit_create_tsv=1 -c textonly_pdf=1" + (f" --psm {psm}" if psm else "")
    try:
        found = _run(grey, extension="pdf", language=language, config=config, timeout_s=timeout_s,
                     outputs=(".tsv", ".pdf"))
    except RuntimeError as e:  # pytesseract's way of saying it killed Tesseract at the timeout
        if "timeout" in str(e).lower():
            raise OcrTimeout(f"Tesseract ran past {timeout_s} s") from e
        raise OcrError(f"Tesseract failed: {e}") from e
    except pytesseract.TesseractError as e:
        raise OcrError(f"Tesseract failed: {e}") from e
    if ".tsv" not in found or ".pdf" not in found:
        raise OcrError("Tesseract failed: it wrote no output")
    return OcrPage(tuple(parse_tsv(found[".tsv"].decode("utf-8"))), grey.shape[1], grey.shape[0], dpi,
                   found[".pdf"])
