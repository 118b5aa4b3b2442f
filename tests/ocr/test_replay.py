"""The replay engine answers a page read before with what the engine gave then, and reads anything else afresh."""

from pathlib import Path

import numpy as np
import pytesseract
import pytest
from PIL import Image

from ocr import chosen_engine, engine
from ocr.chosen_engine import read_image
from ocr.engine import OcrError
from ocr.replay import ReplayEngine
from ocr.tesseract import TesseractEngine
from tests.conftest import SAMPLES


def _page() -> np.ndarray:
    with Image.open(SAMPLES / "khai_sinh_01.png") as im:
        grey = np.asarray(im.convert("L"))
    return grey[: grey.shape[0] // 3].copy()  # the header: enough words, a quick read


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = pytesseract.pytesseract.run_tesseract

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(str(args[2]))
        return real(*args, **kwargs)

    monkeypatch.setattr(pytesseract.pytesseract, "run_tesseract", counted)
    return calls


def test_a_page_read_once_is_answered_from_the_store_with_what_the_engine_gave(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page()
    fresh = TesseractEngine().read(page, dpi=300)
    replay = ReplayEngine(TesseractEngine(), tmp_path / "store")
    first = replay.read(page, dpi=300)
    assert first.lines == fresh.lines and first.text_layer_pdf[:5] == b"%PDF-"  # (PDFs carry their own time)
    calls = _counting(monkeypatch)
    again = ReplayEngine(TesseractEngine(), tmp_path / "store").read(page, dpi=300)
    assert calls == [] and again == first
    replay.read(page, dpi=200)  # other options: the engine reads it
    page[0, 0] ^= 0xFF  # one pixel changed: the engine reads it
    replay.read(page, dpi=300)
    assert calls == ["pdf", "pdf"]
    verdict = replay.orientation(_page(), dpi=300)
    assert replay.orientation(_page(), dpi=300) == verdict and calls == ["pdf", "pdf", "osd"]


def test_a_failed_read_is_not_kept(tmp_path: Path) -> None:
    with pytest.raises(OcrError):
        ReplayEngine(TesseractEngine(), tmp_path / "store").read(_page(), dpi=300, language="no_such_language")
    assert not [p for p in (tmp_path / "store").rglob("*") if p.is_file()]


def test_the_store_named_in_the_environment_wraps_whichever_engine_is_chosen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(chosen_engine.current_engine(), TesseractEngine)  # no store: pages are read, never replayed
    monkeypatch.setenv("SOHOA_OCR_CACHE", str(tmp_path / "store"))
    chosen = chosen_engine.current_engine()
    assert isinstance(chosen, ReplayEngine) and isinstance(chosen.inner, TesseractEngine)
    assert chosen.name == "tesseract"  # a replayed record says which engine read it, as a fresh one does
    read_image(_page(), dpi=300)
    assert [p.suffix for p in (tmp_path / "store").rglob("*") if p.is_file()].count(".json") == 1


def test_an_engine_is_chosen_by_name_and_an_unknown_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class Upright:
        """A second engine registered beside Tesseract: what the seam asks of one, nothing more."""
        name = "upright"

        def version(self) -> str:
            return "1"

        def read(self, grey: np.ndarray, *, dpi: int, language: str = "vie", timeout_s: int = 300,
                 psm: int | None = None) -> engine.OcrPage:
            return engine.OcrPage((), grey.shape[1], grey.shape[0], dpi, b"%PDF-")

        def orientation(self, grey: np.ndarray, *, dpi: int, timeout_s: int = 60) -> engine.Osd | None:
            return engine.Osd(0, 99.0)

    monkeypatch.setitem(chosen_engine.ENGINES, "upright", Upright)
    monkeypatch.setenv("SOHOA_OCR_ENGINE", "upright")
    page = read_image(_page(), dpi=300)
    assert (page.lines, page.dpi) == ((), 300)
    assert chosen_engine.detect_orientation(_page(), dpi=300) == engine.Osd(0, 99.0)
    with pytest.raises(KeyError):
        chosen_engine.use_engine("no-such-engine")
