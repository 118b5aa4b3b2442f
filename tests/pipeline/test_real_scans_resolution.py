"""True resolution on real scans: the pixel density is read from the page image, whatever its filter's spelling,
so the 200 dpi minimum is judged on the scan, not on the 300 dpi sohoa renders at."""

from __future__ import annotations

from pathlib import Path

import pytest

from context.settings import load_settings
from pipeline.intake import open_document
from tests.conftest import REPO

REAL_SCANS = REPO.parent / "shared" / "real-scans"
pytestmark = pytest.mark.skipif(not REAL_SCANS.is_dir(), reason=f"the real-scans set is not at {REAL_SCANS}")


@pytest.mark.parametrize(("name", "dpi"), [
    ("QD383STP18-02-2025.pdf", 150),  # its JPEG filter written as an array, [/DCTDecode]
    ("241_qd.pdf", 240),  # JPEG 2000, rendered to be read
    ("209-QDCT.signed.pdf", 200),
])
def test_the_first_page_reports_the_scans_own_resolution(name: str, dpi: int, tmp_path: Path) -> None:
    document = open_document(REAL_SCANS / name, load_settings(tmp_path / "data"))
    first = next(iter(document.pages()))
    assert abs(first.true_dpi - dpi) <= 2
