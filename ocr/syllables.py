"""Is this token a Vietnamese syllable? A check by the spelling rules, used to tell a real reading from noise.

Vietnamese is written one syllable per word, and its spelling is regular: an optional initial consonant, a vowel
group from a closed set, an optional final consonant, at most one tone mark. Text read upside down or sideways,
a foreign OCR layer that dropped the marks ("UY BAN MAN DAN"), or glyph soup rarely keeps to those rules, while a
good reading of a Vietnamese page almost always does. The rules stand in for a word list of every syllable (some
6 700 forms) without shipping one, and they accept the rare loan spellings only where they fit the same pattern.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_VOWELS = (
    "iêu|yêu|oai|oay|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu|oao|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|oo|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_FINALS = "ng|nh|ch|c|m|n|p|t"
_SYLLABLE = re.compile(rf"(?:{_INITIALS})?(?:{_VOWELS})(?:{_FINALS})?")
_ABBREVIATION = re.compile(r"[A-EG-IK-VXYĐ]{2,6}")  # UBND, TTHC, PCT, KT, II: in the Vietnamese alphabet (no F J W Z)
_JOINS = re.compile(r"[/\-]")  # "tuyến/Theo", "96/2023/NĐ-CP": words and codes joined without spaces
EDGES = ".,;:!?()[]{}\"'“”‘’«»…-–—/\\*"  # punctuation stripped from a token's ends before it is judged


def _untoned(word: str) -> tuple[str, int]:
    """The word without its tone mark (other marks kept, NFC) and how many tone marks it carried."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(c in _TONES for c in decomposed)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)), tones


def is_syllable(token: str) -> bool:
    """True for a spelling Vietnamese allows ("Quyết", "nghị", "UBND" is not one); punctuation at the edges is
    ignored."""
    word = token.strip(EDGES).lower()
    if not word or not word.isalpha():
        return False
    bare, tones = _untoned(word)
    return tones <= 1 and _SYLLABLE.fullmatch(bare) is not None


def is_written_word(token: str) -> bool:
    """True for what a Vietnamese administrative page is written in: syllables, upper-case abbreviations ("UBND",
    "TM.", "II") and codes or words joined by slashes and dashes ("96/2023/NĐ-CP", "tuyến/Theo"), every part of
    which is a syllable, an abbreviation or a number. Used where a page of few words (a signature page with "TM.",
    "PCT", "Lưu: VT") must still read as upright; glyph soup rarely forms such parts."""
    parts = [part for part in _JOINS.split(token.strip(EDGES)) if part]
    return bool(parts) and all(part.isdigit() or _ABBREVIATION.fullmatch(part) or is_syllable(part)
                               for part in parts) and not all(part.isdigit() for part in parts)


def is_wordlike(token: str) -> bool:
    """A token with letters in it (after trimming punctuation), which a reading meant as a word: the ones a
    syllable check can judge. Numbers and dates are left out; "3upH)" or "Áy8u" (glyph soup) are judged."""
    word = token.strip(EDGES)
    return len(word) >= 2 and any(c.isalpha() for c in word)


def syllable_share(tokens: Iterable[str]) -> float:
    """Share of the letter tokens that are Vietnamese syllables; 0 when there are none."""
    judged = [t for t in tokens if is_wordlike(t)]
    return sum(is_syllable(t) for t in judged) / len(judged) if judged else 0.0
