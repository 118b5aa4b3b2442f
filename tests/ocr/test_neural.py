"""The second reader of figures: PP-OCR's recognizer on ONNX Runtime, its model loaded from the installed wheel, its
scores decoded again with only the characters a slot may hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from context.settings import load_settings
from domain.catalogue import ConfigError
from ocr.figures import read_slot
from ocr.neural import NeuralReader, RecognizerUnavailable, model_path, shared_reader
from ocr.recognizer import NoReader

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def line_image(text: str, size: int = 40, italic: bool = False) -> np.ndarray:
    font = ImageFont.truetype(FONT, size)
    width = int(font.getlength(text)) + 2 * size
    image = Image.new("RGB", (width, int(size * 1.8)), "white")
    ImageDraw.Draw(image).text((size, size // 3), text, font=font, fill=(20, 30, 140))  # blue ink
    if italic:
        image = image.transform(image.size, Image.Transform.AFFINE, (1, 0.25, -size * 0.3, 0, 1, 0),
                                fillcolor="white")
    return np.asarray(image)


def test_the_model_ships_in_the_installed_wheel() -> None:
    assert model_path().is_file() and model_path().stat().st_size > 5_000_000


def test_a_line_is_read_with_each_characters_place() -> None:
    line = shared_reader().read(line_image("Số: 440/QĐ-UBND"))
    assert "440/Q" in line.text
    starts = [c.start for c in line.chars]
    assert starts == sorted(starts) and 0 <= starts[0] < starts[-1] <= 1


def test_a_letter_in_a_slot_of_figures_is_decoded_as_the_likeliest_figure_and_said_unsure() -> None:
    line = shared_reader().read(line_image("4S6"))  # a letter S where a figure belongs
    assert line.text == "4S6"
    digits, confidence = line.constrained(0, len(line.chars) - 1)
    assert digits == "456" and 0 < confidence < 0.5  # the model put little of its weight on the 5
    printed, sure = shared_reader().read(line_image("456")).constrained(0, 2)
    assert printed == "456" and sure > 0.9


def test_a_slot_between_printed_words_is_read_several_ways_and_its_figures_kept() -> None:
    image = line_image("ngày 18 tháng")
    font = ImageFont.truetype(FONT, 40)
    left, right = 40 + int(font.getlength("ngày ")) - 6, 40 + int(font.getlength("ngày 18")) + 6
    found = read_slot(image, (left, 0, right, image.shape[0]), shared_reader(), line_height=40)
    assert found is not None and found.text == "18" and found.confidence > 50
    assert found.box[0] >= left and found.box[2] <= right  # cut to its ink, never past its neighbours


def test_a_blank_slot_reads_as_nothing() -> None:
    blank = np.full((70, 300, 3), 250, dtype=np.uint8)
    assert read_slot(blank, (0, 0, 300, 70), shared_reader(), line_height=40) is None


def test_no_reader_reads_nothing() -> None:
    assert NoReader().read(line_image("209")).text == ""


def test_a_missing_model_is_said_so_before_any_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_FIGURE_MODEL", str(tmp_path / "missing.onnx"))
    with pytest.raises(RecognizerUnavailable):
        NeuralReader()
    with pytest.raises(ConfigError, match="missing"):
        load_settings(tmp_path / "data")
    monkeypatch.setenv("SOHOA_SECOND_READER", "none")
    assert load_settings(tmp_path / "data").second_reader == "none"
