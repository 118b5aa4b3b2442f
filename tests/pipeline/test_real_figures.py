"""Handwritten numbers and days on real published decisions are read by the second reader where Tesseract gives soup:
the value kept is the paper's, and it is flagged with each reader's reading unless two readings agree."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from context.settings import load_settings
from ocr.ink import coloured_ink, inked_words
from ocr.neural import shared_reader
from ocr.page import read_page
from ocr.preprocess import rotate_quarter, straighten
from pipeline.fields import extract
from pipeline.intake import open_document
from pipeline.second_reading import second_readings
from tests.conftest import REPO

REAL_SCANS = REPO.parent / "shared" / "real-scans"
pytestmark = pytest.mark.skipif(not REAL_SCANS.is_dir(), reason=f"the real-scans set is not at {REAL_SCANS}")


@pytest.mark.parametrize(("name", "number", "issued"), [
    ("209-QDCT.signed.pdf", "209/QĐ-UBND", date(2025, 2, 18)),  # Tesseract: "Só:0/ /QĐ-UBND", "ngày f$ tháng 09"
    ("275-STTTT-CNTT_PhuTho.pdf", "275/STTTT-CNTT", date(2011, 12, 16)),  # "Số: JT§", "ngày | tháng 12"
    ("308qd2025.signed.pdf", "308/QĐ-UBND", date(2025, 2, 18)),  # "Số; 2Œ", "ngày ÍR tháng 02"
])
def test_the_handwritten_number_and_day_of_a_real_decision_are_read(name: str, number: str, issued: date,
                                                                    tmp_path: Path) -> None:
    document = open_document(REAL_SCANS / name, load_settings(tmp_path / "data"))
    page = next(iter(document.pages()))
    pixels = np.asarray(page.image.convert("RGB"))
    reading = read_page(pixels, dpi=page.dpi)
    shown = straighten(rotate_quarter(pixels, reading.rotation), reading.prepared)
    lines = reading.ocr.lines
    ink = coloured_ink(shown)
    inked = [inked_words(ink, line.words, 1 / reading.upscale) if ink is not None else [False] * len(line.words)
             for line in lines]
    again = second_readings(shown, lines, reading.upscale, inked, shared_reader(), 0, header_done=False)
    got = extract([line.text for line in lines], load_settings(tmp_path / "data").catalogue.labels_for("quyet_dinh"),
                  title_index=None, confidences=[[w.confidence for w in line.words] for line in lines],
                  inked=inked, line_pages=[0] * len(lines), second=again)
    assert (got.number, got.issue_date) == (number, issued)
    for field in ("number", "issue_date"):
        evidence = got.evidence[field]
        assert any(r.reader == "ppocr-v4" and r.value for r in evidence.readings)
        assert evidence.confirmed or field in got.doubts  # never believed on one reading
