"""Which words were written in coloured ink: values filled in by hand on a printed form.

Forms are printed in black; the values an official wrote in afterwards are, on most papers, in blue or violet
ballpoint. On the colour page (on the grid Tesseract read, `ocr.preprocess.straighten`), a pixel is such ink when it
is dark in the red channel (the channel OCR reads) and clearly bluer than red once the paper is made neutral; a word
is written in it when enough of its dark pixels are (a value on a dotted blank shares its box with grey dots). Red
seals are redder than blue, so they never count; black print has blue ≈ red. A grey or 1-bit page (a fax, a
photocopy) carries no colour: nothing on it can be told apart this way (`on_blanks` still tells a filled-in blank).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr.preprocess import Box
from ocr.tesseract import Word

BLUER_BY = 35  # blue minus red, in 0-255 levels, for a pixel to be coloured ink rather than black print
DARK_BELOW = 150  # red-channel level under which a pixel is ink at all
INKED_SHARE = 0.3  # share of a word's dark pixels in coloured ink for the word to be written in it
_MIN_DARK = 12  # pixels: fewer, and a box holds a speck, not a word


@dataclass(frozen=True)
class InkPage:
    """A colour page and the gains that make its paper neutral; pixels are judged only inside word boxes."""

    red: np.ndarray  # uint8, the red channel
    blue: np.ndarray  # uint8, the blue channel
    red_gain: float
    blue_gain: float


def coloured_ink(image: np.ndarray) -> InkPage | None:
    """The page ready to judge its words' ink; None for a page without colour."""
    if image.ndim != 3 or image.shape[2] < 3:
        return None
    # Balanced on the paper first: under a lamp or a phone's white balance the page is yellowish, and blue ink
    # looks less blue by as much.
    sample = image[::8, ::8, :3].reshape(-1, 3)
    if sample.size == 0:
        return None
    paper = np.percentile(sample, 90, axis=0)
    return InkPage(image[:, :, 0], image[:, :, 2], 240.0 / max(float(paper[0]), 1.0),
                   240.0 / max(float(paper[2]), 1.0))


def inked_words(page: InkPage | None, words: Sequence[Word], scale: float = 1.0) -> list[bool]:
    """For each word, whether it is written in coloured ink. `scale` maps the words' boxes onto the page (a page
    read enlarged has boxes `upscale` times larger)."""
    if page is None:
        return [False] * len(words)
    h, w = page.red.shape
    out = []
    for word in words:
        x0, y0 = max(0, int(word.left * scale)), max(0, int(word.top * scale))
        x1, y1 = min(w, int((word.left + word.width) * scale) + 1), min(h, int((word.top + word.height) * scale) + 1)
        if x1 <= x0 or y1 <= y0:
            out.append(False)
            continue
        red = page.red[y0:y1, x0:x1].astype(np.float32) * page.red_gain
        blue = page.blue[y0:y1, x0:x1].astype(np.float32) * page.blue_gain
        dark = red < DARK_BELOW
        dark_count = int(dark.sum())
        blue_count = int((dark & (blue - red > BLUER_BY)).sum())
        out.append(dark_count >= _MIN_DARK and blue_count >= INKED_SHARE * dark_count)
    return out


def on_blanks(words: Sequence[Word], blanks: Sequence[Box], scale: float = 1.0) -> list[bool]:
    """For each word, whether it stands on a dotted blank (`ocr.preprocess.find_leaders`): a value filled in after
    the form was printed. What a grey page (a fax, a photocopy) still tells of handwriting."""
    out = []
    for word in words:
        x0, x1 = word.left * scale, (word.left + word.width) * scale
        top, bottom = word.top * scale, (word.top + word.height) * scale
        out.append(any(min(x1, bx1) - max(x0, bx0) >= 0.5 * (x1 - x0) and top < by0 < bottom + 0.6 * (bottom - top)
                       for bx0, by0, bx1, _ in blanks))
    return out
