"""Judge a PDF's own text layer: read it as it is only when it is the page's Vietnamese text, else OCR the page.

A born-digital PDF (a decision saved from Word) carries its exact text, better than any OCR. A scan often carries
another program's OCR layer instead: without Vietnamese marks ("UY BAN MAN DAN"), of unmapped glyphs ("(cid:9)"),
of broken spellings, or of text that is not what the page shows. Three checks, cheapest first: the share of marked
letters, the share of words that are Vietnamese syllables (`ocr.syllables`), and the agreement of the layer with a
quick OCR of its fullest page, word by word and place by place. The verdict and its figures go into the manifest,
so the reason a file was OCR'd can be read later.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2

from domain.records import TextLayerCheck
from ocr.chosen_engine import read_image
from ocr.engine import OcrError, Word
from ocr.syllables import EDGES, is_syllable, syllable_share
from pdf.render import RenderTimeout, render_page

log = logging.getLogger(__name__)

MIN_LETTERS_TO_JUDGE = 200
MIN_MARKED_SHARE = 0.08  # real Vietnamese text layers: 0.27-0.29; other engines' layers on the real scans: 0.00
MIN_SYLLABLE_SHARE = 0.8  # letter words that are syllables: 0.96 in a real layer; other engines' layers: 0.33-0.67
MIN_AGREEMENT = 0.5  # words of a quick OCR found in the layer at their place: see `agreement`
MIN_WORDS_TO_JUDGE = 10
SLACK_PT = 2.0  # how far (points) a word's centre may lie outside the layer word's box
SAMPLE_DPI = 200  # enough for Tesseract on a clean render; the whole page reads in about 1.3 s
_PARTS = re.compile(r"[^\w]+")


def check_text(texts: Sequence[str]) -> TextLayerCheck:
    """The checks on the layer's own text: marks, glyphs that map to no character, syllable spellings."""
    text = "\n".join(texts)
    letters = [c for c in text if c.isalpha()]
    if len(letters) < MIN_LETTERS_TO_JUDGE:
        return TextLayerCheck(trusted=True, reason="too_short_to_judge")  # the length rule decided there is a layer
    marked = round(sum(1 for c in letters if c in "đĐ" or unicodedata.decomposition(c)) / len(letters), 3)
    syllables = round(syllable_share(text.split()), 3)
    if text.count("(cid:") * 20 >= len(letters):
        reason = "unmapped_glyphs"
    elif marked < MIN_MARKED_SHARE:
        reason = "no_vietnamese_marks"
    elif syllables < MIN_SYLLABLE_SHARE:
        reason = "not_vietnamese_words"
    else:
        reason = "trusted"
    return TextLayerCheck(trusted=reason == "trusted", reason=reason, marked_share=marked, syllable_share=syllables)


def _word(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip(EDGES).lower())


@dataclass(frozen=True)
class LayerWord:
    """A word of the text layer where the page draws it, in points from the top left (pdfplumber's frame)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def agreement(ocr: Sequence[Word], layer: Sequence[LayerWord], *, dpi: int) -> float | None:
    """Share of the syllables a quick OCR read that the layer has, spelt the same, at the same place on the page;
    None with too few to judge.

    Place matters: two papers of one form, or two decisions, share most of their words; a layer is the page's own
    only when it says what the page shows where the page shows it. Its own layer scores 0.94-0.98 on the samples
    and the real set; another paper's, or another program's OCR, 0.07-0.22."""
    judged = [w for w in ocr if len(_word(w.text)) >= 2 and is_syllable(w.text)]
    if len(judged) < MIN_WORDS_TO_JUDGE:
        return None
    scale = 72 / dpi
    found = 0
    for w in judged:
        x, y = (w.left + w.width / 2) * scale, (w.top + w.height / 2) * scale
        here = [lw for lw in layer if lw.x0 - SLACK_PT <= x <= lw.x1 + SLACK_PT
                and lw.top - SLACK_PT <= y <= lw.bottom + SLACK_PT]
        found += any(_word(w.text) in _PARTS.split(_word(lw.text)) for lw in here)
    return round(found / len(judged), 3)


def judge_text_layer(path: Path, texts: Sequence[str], *, language: str, deadline: float,
                     timeout_s: int) -> TextLayerCheck:
    """The verdict on a PDF's text layer: its own text checked, then compared with a quick OCR of its fullest page."""
    verdict = check_text(texts)
    if not verdict.trusted or verdict.reason == "too_short_to_judge":
        return verdict
    index = max(range(len(texts)), key=lambda i: len(texts[i]))
    try:
        ocr = _quick_ocr(path, index, language, min(deadline, time.monotonic() + timeout_s), timeout_s)
        layer = _layer_words(path, index)
    except Exception as e:  # a render stopped at its limit, Tesseract failing, pdfminer's many error types
        if not isinstance(e, (RenderTimeout, OcrError, pypdfium2.PdfiumError)):
            log.warning("text layer of %s not compared with its page: %r", path.name, e)
        return verdict.model_copy(update={"trusted": False, "reason": "sample_failed", "sample_page": index + 1,
                                          "note": str(e)[:200]})
    score = agreement(ocr, layer, dpi=SAMPLE_DPI)
    update: dict[str, object] = {"ocr_agreement": score, "sample_page": index + 1}
    if score is not None and score < MIN_AGREEMENT:
        update |= {"trusted": False, "reason": "disagrees_with_page"}
    return verdict.model_copy(update=update)


def _quick_ocr(path: Path, index: int, language: str, deadline: float, timeout_s: int) -> list[Word]:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        image = render_page(doc[index], SAMPLE_DPI / 72, deadline).convert("L")
    finally:
        doc.close()
    return read_image(np.asarray(image), dpi=SAMPLE_DPI, language=language, timeout_s=timeout_s).words


def _layer_words(path: Path, index: int) -> list[LayerWord]:
    with pdfplumber.open(path) as doc:
        return [LayerWord(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
                for w in doc.pages[index].extract_words()]
