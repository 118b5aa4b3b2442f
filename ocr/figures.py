"""Read figures again where they matter, with a second recognizer: cut a line out of the page, read it, find where
a slot of figures lies in that reading (the digits of a số, the day of a date line), cut the slot out and read it
alone, decoding only the characters it may hold.

The slot is cut to the height of its own ink: a number written by pen is often larger than the print around it, and
a recognizer scales every line to one height, so a slot cut to the printed line's height would lose the pen's
strokes above and below it, and one cut with the whole line's margin would shrink the figures. Reading the slot
alone also frees it from its neighbours ("Số:" before it was read "S6:" and ran into the first digit).

What a slot is, is the caller's business (`pipeline.second_reading`): this module knows lines, places and letters.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.recognizer import FIGURES, LineRecognizer, RecognizedLine

Box = tuple[int, int, int, int]  # left, top, right, bottom, in pixels of the page image
LINE_MARGIN = 0.3  # of the line's height, above and below: pen strokes reach past the printed line
SIDE_MARGIN = 0.5  # of the line's height, before and after
SLOT_PAD = 0.4  # of the line's height, before and after a slot's ink
INK_MARGIN = 0.12  # of the ink's height, above and below it in a slot cut out


@dataclass(frozen=True)
class SlotReading:
    text: str  # the characters read, of the alphabet asked for
    confidence: float  # 0..100: the lowest probability the reader gave a character of it
    box: Box  # where the slot lies on the page image
    free: str = ""  # what the reader read there with its whole alphabet


def line_box(boxes: list[Box], height: int, width: int) -> Box:
    """The box of words, grown by the margins a pen needs, kept on the page."""
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    h = bottom - top
    return (max(0, left - round(SIDE_MARGIN * h)), max(0, top - round(LINE_MARGIN * h)),
            min(width, right + round(SIDE_MARGIN * h)), min(height, bottom + round(LINE_MARGIN * h)))


def cut(image: np.ndarray, box: Box) -> np.ndarray:
    left, top, right, bottom = box
    return np.ascontiguousarray(image[top:bottom, left:right])


def read_line(image: np.ndarray, box: Box, reader: LineRecognizer) -> RecognizedLine:
    return reader.read(cut(image, box))


def span(box: Box, line: RecognizedLine, first: int, last: int) -> Box:
    """Where characters `first`..`last` of a line read from `box` lie on the page (the line's height)."""
    left, top, right, bottom = box
    width = right - left
    chars = line.chars
    return (left + int(chars[first].start * width), top, left + int(np.ceil(chars[last].end * width)), bottom)


def between(box: Box, line: RecognizedLine, after: int | None, before: int | None) -> Box:
    """The part of the line between character `after` and character `before` (None: the line's own end)."""
    left, top, right, bottom = box
    width = right - left
    start = left + int(line.chars[after].end * width) if after is not None else left
    end = left + int(np.ceil(line.chars[before].start * width)) if before is not None else right
    return (start, top, max(start + 1, end), bottom)


def ink_box(image: np.ndarray, box: Box, line_height: int) -> Box | None:
    """The slot narrowed to its ink, padded: None when the slot holds no ink (left blank)."""
    left, top = box[0], box[1]
    grey = cut(image, box)
    if grey.ndim == 3:
        grey = grey.min(axis=2)  # blue or black ink is dark in some channel; the paper is light in all
    if grey.size == 0:
        return None
    threshold = min(160, int(np.median(grey)) - 40)
    ink = (grey < threshold).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = [i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= max(4, (line_height // 12) ** 2)]
    if not keep:
        return None
    x0 = min(stats[i, cv2.CC_STAT_LEFT] for i in keep)
    y0 = min(stats[i, cv2.CC_STAT_TOP] for i in keep)
    x1 = max(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] for i in keep)
    y1 = max(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] for i in keep)
    pad_y = max(2, round(INK_MARGIN * (y1 - y0)))
    pad_x = max(2, round(SLOT_PAD * line_height))
    h = image.shape[0]
    return (max(box[0], left + int(x0) - pad_x), max(0, top + int(y0) - pad_y),  # never past the slot's bounds:
            min(box[2], left + int(x1) + pad_x), min(h, top + int(y1) + pad_y))  # a neighbour's stroke is no figure


SHORT = 4.0  # a slot narrower than this many heights (a day, a month, a short number) is also read stretched
PADS = (0.0, 0.4)  # paper added around a cut, as a share of its height
AGREED = 0.9  # the probability above which two ways of reading a slot that agree settle it
PUNCTUATION = " .,:;·'`\"“”‘’"  # read inside a slot: dots of a blank, a stray mark; never a figure or a letter


def read_slot(image: np.ndarray, slot: Box, reader: LineRecognizer, *, line_height: int,
              allowed: str = FIGURES) -> SlotReading | None:
    """The slot read several ways (cut to its ink and as bounded, with and without a margin of paper, and a short
    slot at twice its width too), each decoded with only `allowed`; the value the readings give most weight to
    (their confidences summed) is kept, with the share of that weight as its confidence: a handwritten figure read
    the same way under every cut is worth more than one that changes with the cut. None when the slot holds no
    ink. Characters the reader took for the slot's neighbours (a colon, a slash at its edge) are left out."""
    narrowed = ink_box(image, slot, line_height)
    if narrowed is None:
        return None
    short = narrowed[2] - narrowed[0] < SHORT * (narrowed[3] - narrowed[1])  # few time steps to write in
    ways = [(narrowed, 1.0, 0), (slot, 1.0, PADS[1]), (narrowed, 1.0, PADS[1]), (slot, 1.0, 0)]
    if short:
        ways += [(box, 2.0, pad) for box in (narrowed, slot) for pad in PADS]
    weights: dict[str, float] = {}
    best: dict[str, tuple[float, str]] = {}
    for n, (box, stretch, pad) in enumerate(ways):
        if n == 2 and len(weights) == 1 and next(iter(weights.values())) >= 2 * AGREED:
            break  # the first two ways read the same, surely: the others would only cost time
        piece = cut(image, box)
        if stretch != 1.0:
            piece = cv2.resize(piece, None, fx=stretch, fy=1.0, interpolation=cv2.INTER_CUBIC)
        if pad:  # paper around it: a recognizer drops a last letter that touches the cut's edge
            paper = [float(v) for v in np.median(piece.reshape(-1, piece.shape[2] if piece.ndim == 3 else 1), axis=0)]
            side, top = round(pad * piece.shape[0]), round(pad * piece.shape[0] / 4)
            piece = cv2.copyMakeBorder(piece, top, top, side, side, cv2.BORDER_CONSTANT, value=paper)
        text, probability, free = _decode(reader.read(piece), allowed)
        if not text:
            continue
        weights[text] = weights.get(text, 0.0) + probability
        if probability > best.get(text, (-1.0, ""))[0]:
            best[text] = (probability, free)
    if not weights:
        return SlotReading("", 0.0, narrowed)
    value = max(weights, key=lambda v: (weights[v], len(v)))  # a tie: a dropped character is the likelier fault
    share = weights[value] / sum(weights.values())
    return SlotReading(value, round(100 * share * best[value][0], 1), narrowed, best[value][1])


def _decode(line: RecognizedLine, allowed: str) -> tuple[str, float, str]:
    """A reading of a slot decoded with `allowed` only, without what the cut caught of its neighbours."""
    chars = line.chars
    first, last = 0, len(chars) - 1
    for i, c in enumerate(chars):  # after the last label mark ("Số:" spilling into the cut)
        if c.text in ":;：；":
            first = i + 1
    for i in range(first, len(chars)):  # before the first separator that is not the slot's own
        if chars[i].text in "/／" and "/" not in allowed:
            last = i - 1
            break
    while first <= last and chars[first].text in " .,":
        first += 1
    while last >= first and chars[last].text in " .,":
        last -= 1
    if first > last:
        return "", 0.0, line.text
    text, probability = line.constrained(first, last, allowed, skip=PUNCTUATION)
    return text, probability, line.text
