"""Filled-in blanks Tesseract did not read: each read again on its own, as one line.

A form filled in by hand has its values on dotted blanks (`ocr.preprocess.find_leaders` finds and erases the dots).
Tesseract's layout analysis sometimes takes a few such lines, hand-written letters beside printed ones, for a
picture and returns no words for them at all; the label and the value are then both lost, silently. A blank with
no word read over it is therefore cut out, from the page's text margin to the blank's end, and read as a single
line (`--psm 7`); the words found join the page at that line's place. Pages without blanks cost nothing.
"""

from __future__ import annotations

import numpy as np

from ocr.chosen_engine import read_image
from ocr.engine import Line, OcrError, OcrPage, Word
from ocr.preprocess import Box as Blank  # a dotted leader's box on the page read


def _covered(blank: Blank, words: list[Word]) -> bool:
    """Whether some word read sits on the blank (its foot near the dots, over them or just before them)."""
    x0, y0, x1, _ = blank
    return any(w.top < y0 < w.top + 1.6 * w.height and w.left < x1 and w.left + w.width > x0 - 4 * w.height
               for w in words)


def _by_line(blanks: tuple[Blank, ...], height: int) -> list[Blank]:
    """The blanks of one line as one (a value written across the dots splits them), top to bottom."""
    merged: list[Blank] = []
    for x0, y0, x1, y1 in sorted(blanks, key=lambda b: (b[1], b[0])):
        same = next((i for i, m in enumerate(merged) if abs(m[1] - y0) <= height / 2), None)
        if same is None:
            merged.append((x0, y0, x1, y1))
        else:
            m = merged[same]
            merged[same] = (min(m[0], x0), min(m[1], y0), max(m[2], x1), max(m[3], y1))
    return merged


def read_lost_lines(page: OcrPage, image: np.ndarray, blanks: tuple[Blank, ...], *, language: str,
                    timeout_s: int) -> OcrPage:
    """`page` with a line read for every blank that no word of it covers."""
    words = page.words
    if not blanks or not words:
        return page
    height = int(np.median([w.height for w in words]))
    margin = max(0, min(line.left for line in page.lines) - height)
    lines = list(page.lines)
    for blank in _by_line(blanks, height):
        if _covered(blank, [w for line in lines for w in line.words]):
            continue
        _, y0, x1, y1 = blank
        top, bottom = max(0, y0 - round(1.8 * height)), min(image.shape[0], y1 + round(0.4 * height))
        strip = image[top:bottom, margin : min(image.shape[1], x1 + height)]
        if min(strip.shape[:2]) < 4:  # a blank left of the text's margin, or at the page's edge: nothing to read
            continue
        try:
            read = read_image(np.ascontiguousarray(strip), dpi=page.dpi, language=language, timeout_s=timeout_s,
                              psm=7)
        except OcrError:
            continue
        found = [Word(w.text, w.confidence, w.left + margin, w.top + top, w.width, w.height) for w in read.words]
        if not found:
            continue
        at = next((i for i, line in enumerate(lines) if line.top > found[0].top), len(lines))
        lines.insert(at, Line(tuple(found)))
    return OcrPage(tuple(lines), page.width, page.height, page.dpi, page.text_layer_pdf)
