"""A PDF's own text layer is read as it is only when it is the page's Vietnamese text; otherwise the page is OCR'd
and the manifest says why."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from context.settings import Settings
from ocr.chosen_engine import read_image
from ocr.engine import OcrError, Word
from pdf.pdfa import PdfPage, build_pdfa, encode_image
from pipeline.intake import open_document
from pipeline.text_layer import LayerWord, agreement, check_text
from tests.conftest import SAMPLES

OURS = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc " * 5


def test_a_layer_is_judged_by_its_marks_its_glyphs_and_its_spellings() -> None:
    foreign = "UY BAN MAN DAN CONG Hem. XA HQI CHU NGHIA VII ,T NAM TiNH TAY 1'4/NH DOc lap - Ter do " * 5
    unmapped = "(cid:9)(cid:12) " * 20 + OURS[:150]
    broken = "Ủỵ bằnn nhẫân đâưn cộnng hòaa xãạ hộii chủủ nghĩã việtt nậmm đôộc lậpp tự dọo hạnhh phúcc " * 5

    assert check_text([OURS]).reason == "trusted"
    assert check_text([foreign]).reason == "no_vietnamese_marks"
    assert check_text([unmapped]).reason == "unmapped_glyphs"
    verdict = check_text([broken])
    assert verdict.reason == "not_vietnamese_words" and verdict.syllable_share is not None
    assert verdict.marked_share is not None and verdict.marked_share > 0.2  # marked, yet not Vietnamese words
    assert check_text(["Số: 12/QĐ"]).reason == "too_short_to_judge"  # left to the length rule
    assert not check_text([foreign]).trusted and check_text(["Số: 12/QĐ"]).trusted


def test_agreement_asks_for_the_same_word_at_the_same_place() -> None:
    text = "quyết định về việc công bố danh mục thủ tục hành chính"
    words = [Word(w, 90.0, 100 + 60 * i, 200, 50, 20) for i, w in enumerate(text.split())]
    here = [LayerWord(w.text, w.left * 0.36, w.top * 0.36, (w.left + w.width) * 0.36, (w.top + w.height) * 0.36)
            for w in words]  # 200 dpi pixels to points
    elsewhere = [LayerWord(lw.text, lw.x0, lw.top + 100, lw.x1, lw.bottom + 100) for lw in here]
    shuffled = [LayerWord(here[-1 - i].text, lw.x0, lw.top, lw.x1, lw.bottom) for i, lw in enumerate(here)]
    assert agreement(words, here, dpi=200) == 1.0
    assert agreement(words, elsewhere, dpi=200) == 0.0  # the same words, not where the page shows them
    assert agreement(words, shuffled, dpi=200) == 0.0  # the same words, in another order
    assert agreement(words[:3], here, dpi=200) is None  # too few to judge


def pdf_of(image_name: str, layer_of: str, tmp_path: Path) -> Path:
    """A scan of `image_name` whose invisible text layer is Tesseract's reading of `layer_of`."""
    image = Image.open(SAMPLES / image_name).convert("L")
    layer = read_image(np.asarray(Image.open(SAMPLES / layer_of).convert("L")), dpi=300).text_layer_pdf
    data = build_pdfa([PdfPage(encode_image(image), 300, layer)], title="t", created=datetime(2026, 1, 1),
                      creator="test", producer="test")
    path = tmp_path / f"{Path(image_name).stem}-layer-of-{Path(layer_of).stem}.pdf"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("layer_of", "trusted"), [("khai_sinh_01.png", True), ("ket_hon_01.jpg", False)])
def test_a_layer_is_compared_with_a_quick_reading_of_the_page(layer_of: str, trusted: bool, tmp_path: Path,
                                                               settings: Settings) -> None:
    document = open_document(pdf_of("khai_sinh_01.png", layer_of, tmp_path), settings)

    verdict = document.text_layer
    assert verdict is not None and verdict.sample_page == 1 and verdict.ocr_agreement is not None
    assert document.born_digital is trusted
    if trusted:
        assert verdict.reason == "trusted" and verdict.ocr_agreement >= 0.9
    else:  # Vietnamese, well spelt, and another paper's text: the page is OCR'd
        assert verdict.reason == "disagrees_with_page" and verdict.ocr_agreement < 0.3
        assert verdict.syllable_share is not None and verdict.syllable_share >= 0.8


def test_a_layer_whose_page_cannot_be_read_for_comparison_is_not_trusted(tmp_path: Path, settings: Settings,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.text_layer

    def fails(*_: object) -> None:
        raise OcrError("Tesseract failed: out of memory")

    path = pdf_of("khai_sinh_01.png", "khai_sinh_01.png", tmp_path)
    monkeypatch.setattr(pipeline.text_layer, "_quick_ocr", fails)
    document = open_document(path, settings)
    assert not document.born_digital  # OCR'd, since nothing showed the layer is the page's
    assert document.text_layer is not None and document.text_layer.reason == "sample_failed"
    assert "out of memory" in document.text_layer.note
