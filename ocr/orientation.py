"""Which way up a page reads: a reading is judged by its words, not by its confidence alone.

Tesseract reads text lying on its side at high confidence (it turns vertical lines itself), so confidence cannot
tell an upright page from one on its side; and a projection profile mistakes the rules of a table or dense text for
lines running the other way. A reading is upright when its words lie horizontally (a box wider than tall for words
of three letters or more) and are Vietnamese syllables. The score counts those words, weighted by confidence, so
two readings of the same page can be compared: the one where more real words lie the right way up wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocr.engine import OcrPage
from ocr.syllables import is_syllable, is_wordlike, is_written_word

MIN_HORIZONTAL = 0.8  # share of long words lying horizontally in an upright reading
MIN_SYLLABLES = 0.7  # share of letter tokens that are Vietnamese syllables in a good reading
TOO_FEW_WORDS = 5  # with fewer letter tokens there is nothing to judge by: the page is left as it came
SIDEWAYS_SPELT = 0.5  # share of written words above which a reading of text on its side spelt it right
TURN_MARGIN = 1.25  # a page is turned only when the turned reading scores this much better than the page as it came


@dataclass(frozen=True)
class ReadingQuality:
    words: int  # letter tokens judged
    horizontal: float  # share of long words whose box is wider than tall
    syllables: float  # share of letter tokens written as Vietnamese is (syllables, abbreviations, codes)
    confidence: float  # mean word confidence
    score: float  # confidence-weighted count of long syllables lying horizontally

    def upright(self, min_confidence: float) -> bool:
        """A clear upright reading: nothing to gain from trying the page another way round."""
        if self.words < TOO_FEW_WORDS:
            return True
        return (self.horizontal >= MIN_HORIZONTAL and self.syllables >= MIN_SYLLABLES
                and self.confidence >= min_confidence)

    @property
    def sideways(self) -> bool:
        """Most long words stand on end: the text runs across the page as it was read."""
        return self.words >= TOO_FEW_WORDS and self.horizontal < 0.5


def assess(ocr: OcrPage) -> ReadingQuality:
    words = ocr.words
    judged = [w for w in words if is_wordlike(w.text)]
    long = [w for w in judged if len(w.text) >= 3]
    lying = [w for w in long if w.width > w.height]
    syllables = sum(is_written_word(w.text) for w in judged)
    score = sum(w.confidence for w in lying if is_syllable(w.text)) / 100
    return ReadingQuality(
        words=len(judged),
        horizontal=len(lying) / len(long) if long else 1.0,
        syllables=syllables / len(judged) if judged else 0.0,
        confidence=ocr.mean_confidence,
        score=round(score, 1),
    )


def better_turned(turned: ReadingQuality, as_came: ReadingQuality) -> bool:
    """Turn a page only on clear evidence: an upright page must never be turned."""
    return turned.score > TURN_MARGIN * as_came.score + 5


def quarter_turn_back(sideways: ReadingQuality) -> int:
    """The quarter turn most likely to stand a page read on its side upright. Tesseract reads lines standing on end
    itself: text turned a quarter clockwise comes out spelt right, text turned the other way as soup (the first two
    pages of the 8 real files, turned each way: 78-100% written words against 15-32%), so the spelling says which
    way the page lies."""
    return 270 if sideways.syllables >= SIDEWAYS_SPELT else 90
