"""What one page of a stack says about where documents begin: a separator sheet (sohoa's QR code), a blank back (a
duplex scan of an empty side), or how strongly it looks like a document's first page.

A first page of a Vietnamese administrative document carries, at its top, the national motto block ("CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc", NĐ 30/2020 Phụ lục I) beside the issuing body's name, and a
title below them. A later page of the same document carries none of these at its top. The signs are read from the
page's OCR (the words and where they stand) with OCR's mistakes allowed for: letters compared with marks folded
away, and a line counted when most of it matches."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

import cv2
import numpy as np

from domain.paper import ArchivalDescription, DescriptionError, read_separator_payload
from domain.text import fold
from ocr.engine import Line, OcrPage

MOTTO = ("conghoaxahoichunghiavietnam", "doclaptudohanhphuc")
# how the name of an issuing body begins (letters folded): an upper-case line at the top left starting so is one
BODY_WORDS = ("uybannhandan", "ubnd", "bo", "so", "phong", "congan", "toaan", "vienkiemsat", "chicuc", "cuc",
              "tongcuc", "hoidong", "vanphong", "truong", "benhvien", "nganhang", "bandanto", "thanhtra")
TOP_BAND = 0.30  # the share of the page's height the motto and the body's name stand in
TITLE_BAND = (0.12, 0.55)  # where a first page's title stands
MATCH = 0.78  # a line holding the motto with this share of its letters right is the motto, misread

Strength = Literal["strong", "weak", "none"]


@dataclass(frozen=True)
class FirstPageSigns:
    motto: int  # how many of the motto's two lines stand at the top
    body: bool  # an issuing body's name at the top left
    title: bool  # an upper-case title line below the header

    @property
    def strength(self) -> Strength:
        """strong: the motto (both lines, or one with the body's name or a title) — a document starts here. weak: a
        part of that — perhaps a first page badly read, perhaps not; a person decides."""
        if self.motto == 2 or (self.motto == 1 and (self.body or self.title)):
            return "strong"
        if self.motto == 1 or (self.body and self.title):
            return "weak"
        return "none"


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def _holds(line: str, phrase: str) -> bool:
    """Whether `line` (letters only, folded) holds `phrase` with at most a few letters misread."""
    if len(line) < len(phrase) * 0.6:
        return False
    if phrase in line:
        return True
    best = 0.0
    for start in range(0, max(1, len(line) - len(phrase) + 1), 2):
        window = line[start:start + len(phrase) + 2]
        best = max(best, SequenceMatcher(None, phrase, window, autojunk=False).ratio())
        if best >= MATCH:
            return True
    return False


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _is_title(line: Line) -> bool:
    """An upper-case line of two or more words, of letters mostly: how a document's name is set."""
    words = [w for w in line.words if sum(c.isalpha() for c in w.text) >= 2]
    return sum(c.isalpha() for c in line.text) >= 6 and len(words) >= 2 and _upper(line.text)


def first_page_signs(page: OcrPage) -> FirstPageSigns:
    height = max(page.height, 1)
    top = [line for line in page.lines if line.top < TOP_BAND * height]
    motto = sum(any(_holds(_letters(line.text), phrase) for line in top) for phrase in MOTTO)
    body = any(_letters(line.text).startswith(BODY_WORDS) and _upper(line.text) and line.left < 0.5 * page.width
               for line in top)
    title = any(TITLE_BAND[0] * height <= line.top <= TITLE_BAND[1] * height and _is_title(line)
                and not any(_holds(_letters(line.text), phrase) for phrase in MOTTO) for line in page.lines)
    return FirstPageSigns(motto, body, title)


# --- blank backs ---------------------------------------------------------------------------------------------

WORK_WIDTH = 600  # pixels across at which a page is judged blank
MARGIN = 0.05  # the scanner's edges (shadows, the feeder's marks) are left out
INK_CONTRAST = 70  # grey levels under the paper's own that count as ink, not show-through or paper grain
BLANK_INK = 0.0015  # at most this share of a page's pixels inked: nothing written on it


def ink_share(grey: np.ndarray) -> float:
    """The share of the page (its edges left out) darker than the paper by more than show-through is."""
    scale = WORK_WIDTH / max(grey.shape[1], 1)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    h, w = small.shape
    inner = small[int(h * MARGIN):int(h * (1 - MARGIN)), int(w * MARGIN):int(w * (1 - MARGIN))]
    if inner.size == 0:
        return 0.0
    paper = float(np.median(inner))
    return float(np.count_nonzero(inner < paper - INK_CONTRAST)) / inner.size


def is_blank(grey: np.ndarray) -> bool:
    return ink_share(grey) < BLANK_INK


# --- separator sheets -------------------------------------------------------------------------------------------

QR_WIDTH = 640  # pixels across at which a separator's QR code is looked for (printed 90 mm wide: ~6 px a module)


@dataclass(frozen=True)
class Separator:
    description: ArchivalDescription | None  # the box's or file's description printed into it, if any
    problem: str = ""  # why a description it carries could not be read, in Vietnamese (the sheet still separates)


def read_separator(grey: np.ndarray) -> Separator | None:
    """The separator sheet this page is, or None: a QR code saying it is one (other QR codes, a copy's own, are
    not separators)."""
    scale = QR_WIDTH / max(grey.shape[1], 1)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    try:
        text, _, _ = cv2.QRCodeDetector().detectAndDecode(small)
    except cv2.error:
        return None
    if not text:
        return None
    try:
        separates, description = read_separator_payload(text)
    except DescriptionError as e:
        return Separator(None, e.vietnamese)
    return Separator(description) if separates else None
