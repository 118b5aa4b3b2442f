from pathlib import Path

import numpy as np
import pytesseract
import pytest
from PIL import Image

from ocr import tesseract
from tests.conftest import SAMPLES


def _page() -> np.ndarray:
    with Image.open(SAMPLES / "khai_sinh_01.png") as im:
        grey = np.asarray(im.convert("L"))
    return grey[: grey.shape[0] // 3].copy()  # the header: enough words, a quick read


def test_a_page_read_once_is_answered_from_the_store_with_what_tesseract_gave(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page()
    fresh = tesseract.read_image(page, dpi=300)
    monkeypatch.setenv("SOHOA_OCR_CACHE", str(tmp_path / "store"))
    first = tesseract.read_image(page, dpi=300)
    assert first.lines == fresh.lines and first.text_layer_pdf[:5] == b"%PDF-"
    calls: list[str] = []
    real = pytesseract.pytesseract.run_tesseract

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(str(args[2]))
        return real(*args, **kwargs)

    monkeypatch.setattr(pytesseract.pytesseract, "run_tesseract", counted)
    again = tesseract.read_image(page, dpi=300)
    assert calls == [] and again == first
    tesseract.read_image(page, dpi=200)  # other options: Tesseract reads it
    page[0, 0] ^= 0xFF  # one pixel changed: Tesseract reads it
    tesseract.read_image(page, dpi=300)
    assert calls == ["pdf", "pdf"]


def test_a_failed_read_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_OCR_CACHE", str(tmp_path / "store"))
    with pytest.raises(tesseract.OcrError):
        tesseract.read_image(_page(), dpi=300, language="no_such_language")
    assert not [p for p in (tmp_path / "store").rglob("*") if p.is_file()]
