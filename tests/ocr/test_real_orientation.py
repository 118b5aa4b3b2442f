"""Orientation on real scans: upright pages that a projection profile took for pages on their side (dense text
at 150-240 dpi, tables) stay upright, and a real page turned any way is stood back up."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pikepdf
import pytest

from context.settings import load_settings
from domain.text import nfc
from ocr.page import read_page
from ocr.preprocess import rotate_quarter
from pipeline.intake import open_document
from tests.conftest import REPO

REAL_SCANS = REPO.parent / "shared" / "real-scans"
pytestmark = pytest.mark.skipif(not REAL_SCANS.is_dir(), reason=f"the real-scans set is not at {REAL_SCANS}")


def real_page(name: str, index: int, tmp_path: Path) -> tuple[np.ndarray, int]:
    document = open_document(REAL_SCANS / name, load_settings(tmp_path / "data"))
    for i, page in enumerate(document.pages()):
        if i == index:
            image = page.image.convert("L") if page.image.mode == "1" else page.image
            return np.asarray(image), page.dpi
    raise IndexError(index)


@pytest.mark.parametrize(("name", "index"), [
    ("241_qd.pdf", 0),  # dense portrait text at 240 dpi
    ("QD383STP18-02-2025.pdf", 2),  # 150 dpi, a table
])
def test_an_upright_page_the_profile_took_for_sideways_is_not_turned(name: str, index: int, tmp_path: Path) -> None:
    pixels, dpi = real_page(name, index, tmp_path)
    reading = read_page(pixels, dpi=dpi)
    assert reading.rotation == 0 and list(reading.tried) == [0]  # read once, as it came
    assert reading.quality is not None and reading.quality.horizontal > 0.9


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_real_page_turned_any_way_is_stood_back_up(turn: int, tmp_path: Path) -> None:
    pixels, dpi = real_page("209-QDCT.signed.pdf", 0, tmp_path)
    reading = read_page(rotate_quarter(pixels, turn), dpi=dpi)
    assert (reading.rotation + turn) % 360 == 0
    assert reading.osd is None and len(reading.tried) == 2  # one more reading, the way the first one pointed
    lines = reading.ocr.text.splitlines()  # read in layout order: the header reads as printed
    assert any(nfc("ỦY BAN NHÂN DÂN") in line for line in lines)
    assert any(nfc("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") in line for line in lines)


def test_a_150_dpi_scan_is_read_enlarged_when_that_reads_better(tmp_path: Path) -> None:
    pixels, dpi = real_page("QD383STP18-02-2025.pdf", 3, tmp_path)
    assert dpi == 150
    reading = read_page(pixels, dpi=dpi)
    assert reading.upscale == 2
    assert reading.prepared.image.shape[1] < 1.1 * pixels.shape[1]  # the page shown keeps the scan's own pixels
    with pikepdf.open(io.BytesIO(reading.ocr.text_layer_pdf)) as layer:  # and the text layer its size in points
        width_pt = float(layer.pages[0].mediabox[2])
    assert abs(width_pt - reading.prepared.image.shape[1] * 72 / dpi) < 1
