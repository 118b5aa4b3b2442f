"""The Tesseract engine (`ocr.engine.OcrEngine`): one Tesseract run gives words with boxes and confidences and
Tesseract's text-only PDF, so the invisible text layer in the archived PDF/A is exactly what was read.

Each run is given OMP_THREAD_LIMIT=1: with its default threading, Tesseract runs several times slower on a 2-core
machine, and parallelism comes from running one Tesseract per document instead.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from domain.text import nfc
from ocr.engine import Line, OcrError, OcrPage, OcrTimeout, Osd, Word, in_reading_order

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# Words further apart than this many line heights belong to different columns (the two header blocks, say).
COLUMN_GAP_LINE_HEIGHTS = 2.5


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


def parse_osd(text: str) -> Osd | None:
    values = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    try:
        return Osd(int(values["Rotate"]) % 360, float(values["Orientation confidence"]))
    except (KeyError, ValueError):
        return None


def _run(grey: np.ndarray, *, extension: str, language: str, config: str, timeout_s: int,
         outputs: tuple[str, ...]) -> dict[str, bytes]:
    """Tesseract's output files for one grey image, by suffix. Raises pytesseract's errors (RuntimeError at the
    timeout) as Tesseract gives them."""
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
        src = Path(tmp) / "page.pgm"  # uncompressed: writing it costs almost nothing
        cv2.imwrite(str(src), grey)
        base = Path(tmp) / "out"
        pytesseract.pytesseract.run_tesseract(str(src), str(base), extension, language, config, timeout=timeout_s)
        return {suffix: base.with_suffix(suffix).read_bytes() for suffix in outputs
                if base.with_suffix(suffix).exists()}


class TesseractEngine:
    """Tesseract 5 through pytesseract: `vie` for pages, `osd` for orientation."""

    name = "tesseract"

    def version(self) -> str:
        return tesseract_version()

    def read(self, grey: np.ndarray, *, dpi: int, language: str = "vie", timeout_s: int = 300,
             psm: int | None = None) -> OcrPage:
        if grey.size == 0:
            raise OcrError(f"nothing to read: an image of {grey.shape}")
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

    def orientation(self, grey: np.ndarray, *, dpi: int, timeout_s: int = 60) -> Osd | None:
        """Tesseract's OSD (`--psm 0`); None when it finds too few characters to judge."""
        try:
            found = _run(grey, extension="osd", language="osd", config=f"--dpi {dpi} --psm 0", timeout_s=timeout_s,
                         outputs=(".osd",))
        except RuntimeError as e:
            raise OcrTimeout(f"Tesseract OSD ran past {timeout_s} s") from e
        except pytesseract.TesseractError:  # too few characters to judge by
            return None
        return parse_osd(found[".osd"].decode("utf-8")) if ".osd" in found else None
