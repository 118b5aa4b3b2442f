"""Which words were written in coloured ink: values filled in by hand on a printed form.

Forms are printed in black; the values an official wrote in afterwards are, on most papers, in blue or violet
ballpoint. On the colour page (on the grid Tesseract read, `ocr.preprocess.straighten`), a pixel is such ink when it
is dark in the red channel (the channel OCR reads) and clearly bluer than red once the paper is made neutral; a word
is written in it when enough of its dark pixels are (a value on a dotted blank shares its box with grey dots). Red
seals are redder than blue, so they never count; black print has blue ≈ red.

A grey or 1-bit page (a fax, a photocopy) carries no colour. What it still shows of a hand is its slant: print
stands upright (or, in an italic line, leans as the whole line does), while a value written in by hand leans to the
right of the printed label beside it (`slanted_words`). A filled-in dotted blank tells too (`on_blanks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr.engine import Word
from ocr.preprocess import Box

BLUER_BY = 35  # blue minus red, in 0-255 levels, for a pixel to be coloured ink rather than black print
DARK_BELOW = 150  # red-channel level under which a pixel is ink at all
INKED_SHARE = 0.3  # share of a word's dark pixels in coloured ink for the word to be written in it
_MIN_DARK = 12  # pixels: fewer, and a box holds a speck, not a word
_SLANTS = np.arange(-20, 36)  # degrees from upright tried for a word; positive leans right, as italics and most hands
_TANS = np.tan(np.radians(_SLANTS))
HAND_SLANT = 7  # degrees: a word leaning less is print (measured: upright print -5..5, written values 7..33)
HAND_LEAN = 6  # degrees more than the print of its line leans
ITALIC_LINE = 5  # degrees: print leaning this much is italic, among whose letters slant tells nothing (a 7 leans 30)
_MAX_SLANT_POINTS = 4000
_MIN_SLANT_DARK = 20  # dark pixels: fewer, and the strokes are too few to show a slant


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


def _strokes(grey: np.ndarray, word: Word, scale: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The dark pixels of a word's box: their columns on the page, and their rows counted up from the box's foot."""
    h, w = grey.shape
    x0, y0 = max(0, int(word.left * scale)), max(0, int(word.top * scale))
    x1, y1 = min(w, int((word.left + word.width) * scale) + 1), min(h, int((word.top + word.height) * scale) + 1)
    ys, xs = np.nonzero(grey[y0:y1, x0:x1] < DARK_BELOW)
    return (xs + x0, ys - (y1 - y0)) if len(xs) >= _MIN_SLANT_DARK else None


def _lean(xs: np.ndarray, ys: np.ndarray) -> int:
    """The shear, in degrees, that stands these strokes most nearly on end: the sharpest column profile."""
    if len(xs) > _MAX_SLANT_POINTS:  # a long label: every k-th stroke pixel shows the lean as well
        step = -(-len(xs) // _MAX_SLANT_POINTS)
        xs, ys = xs[::step], ys[::step]
    sheared = np.rint(xs[None, :] + ys[None, :] * _TANS[:, None]).astype(np.int64)
    sheared -= sheared.min(axis=1, keepdims=True)
    width = int(sheared.max()) + 1
    rows = np.arange(len(_SLANTS))[:, None] * width
    counts = np.bincount((sheared + rows).ravel(), minlength=len(_SLANTS) * width).reshape(len(_SLANTS), width)
    return int(_SLANTS[int(np.argmax((counts.astype(np.float64) ** 2).sum(axis=1)))])


def word_slant(grey: np.ndarray, word: Word, scale: float = 1.0) -> int | None:
    """How far the strokes of a word lean from upright, in degrees (positive: to the right); None for a box with
    too few strokes to tell."""
    strokes = _strokes(grey, word, scale)
    return _lean(*strokes) if strokes is not None else None


def _may_be_a_value(text: str) -> bool:
    """A word that could be a value filled in: it holds a figure (a number, a date) or is in capitals (a name)."""
    core = text.strip(",.;:()|/")
    letters = [c for c in core if c.isalpha()]
    return len(core) >= 2 and (any(c.isdigit() for c in core) or (bool(letters) and all(c.isupper() for c in letters)))


def slanted_words(grey: np.ndarray, words: Sequence[Word], scale: float = 1.0) -> list[bool]:
    """For each word of one line of a page without colour, whether it is a value (figures or capitals) leaning
    like handwriting: at least HAND_SLANT degrees, and HAND_LEAN more than the line's print, judged on all the
    print's strokes at once. The print is the label before the line's first colon or cell border ("Họ và tên vợ:"
    beside a name written in), or on a line without one, its words that are no value. On an italic printed line
    — a date line, a "Căn cứ" — slant tells nothing, and no word is taken for handwriting."""
    values = [_may_be_a_value(w.text) for w in words]
    out = [False] * len(words)
    if not any(values):
        return out
    colon = next((i for i, w in enumerate(words) if w.text.endswith(":") or w.text == "|"), None)
    printed = range(colon + 1) if colon is not None else [i for i, v in enumerate(values) if not v]
    strokes = [s for s in (_strokes(grey, words[i], scale) for i in printed) if s is not None]
    if not strokes:
        return out  # nothing printed beside the values to judge their lean against
    line_lean = _lean(np.concatenate([s[0] for s in strokes]), np.concatenate([s[1] for s in strokes]))
    if line_lean >= ITALIC_LINE:
        return out
    for i, word in enumerate(words):
        if values[i] and (colon is None or i > colon):
            own = _strokes(grey, word, scale)
            out[i] = own is not None and _lean(*own) >= max(HAND_SLANT, line_lean + HAND_LEAN)
    return out
