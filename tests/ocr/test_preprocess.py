import numpy as np
import pytest
from PIL import Image

from ocr.preprocess import deskew, estimate_skew, rotate_quarter, straighten, to_grey
from tests.conftest import SAMPLES, truths

IMAGE_SAMPLES = [t for t in truths() if not t["file"].endswith(".pdf")]


@pytest.mark.parametrize("truth", IMAGE_SAMPLES, ids=lambda t: t["file"])
def test_skew_is_measured_along_the_lines_of_text(truth: dict) -> None:
    with Image.open(SAMPLES / truth["file"]) as im:
        pixels = np.asarray(im.convert("RGB"))
    skew = estimate_skew(to_grey(pixels), lines_vertical=truth["rotation"] in (90, 270))
    # The generator turned the page by skew_deg; straightening turns it back.
    assert skew == pytest.approx(-truth["skew_deg"], abs=0.3)


def test_red_seal_fades_in_the_grey_image() -> None:
    seal_red = np.zeros((10, 10, 3), np.uint8)
    seal_red[...] = (205, 32, 42)
    assert to_grey(seal_red).min() > 200  # seal ink reads almost as white paper
    black = np.zeros((10, 10, 3), np.uint8)
    assert to_grey(black).max() == 0


def test_straightening_keeps_every_corner_and_maps_points() -> None:
    grey = np.full((300, 200), 255, np.uint8)
    prepared = deskew(grey, 5.0)
    assert prepared.image.shape[0] > 300 and prepared.image.shape[1] > 200
    colour = straighten(np.dstack([grey] * 3), prepared)
    assert colour.shape[:2] == prepared.image.shape
    assert colour.min() == 255  # uncovered corners take the paper colour, not black


def test_quarter_turns_are_lossless() -> None:
    grey = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert (rotate_quarter(rotate_quarter(grey, 90), 270) == grey).all()
    assert rotate_quarter(grey, 90).shape == (4, 3)
