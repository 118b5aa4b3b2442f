"""A person's name where it stands, known by what a name is: a run of two to six name words in one case.

Forms print names in capitals ("NGUYỄN VĂN AN"); the body of decisions and letters writes them in Title Case
("ông Lý Đình Hùng,"). A run in capitals is taken as printed, whatever its words (a word that is no Vietnamese
syllable is flagged later, never stored silently). A run in Title Case is a name only when it starts with a known
surname and every word is a Vietnamese syllable or a Highlands name part: sentences capitalise other things. A run
ends at punctuation, at a word in the other case, or where another field's label begins ("Giới tính", "Dân tộc").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from domain.names import (
    TONES,
    correct_name,
    is_other_name_part,
    is_surname,
    mend_surname,
    surname_spellings,
    without_tones,
)
from domain.text import fold, nfc
from ocr.syllables import is_syllable

MIN_WORDS = 2
MAX_WORDS = {"upper": 6, "title": 5}
_CLOSERS = ",.;:()"
# "(bà)", "/bà", "(ông)": the other honorific of "Ông (bà)" / "ông/bà", standing before the name.
_PAIRED_HONORIFIC = re.compile(r"^[(/]?(ong|ba)\)?$")


def is_honorific(word: str, honorifics: Sequence[str]) -> bool:
    """Whether a word is one of the honorifics, marks and all: "Châu" (a surname) is not "cháu", "Chi" (a given
    name) is not "chị"."""
    lower = nfc(word).lower()
    return any(lower == nfc(h).lower() for h in honorifics)


def _split_joined(token: str, end: int) -> list[tuple[str, int]]:
    """A token OCR joined from two words across a lost space ("ViCông"): the words, each with where it ends."""
    cuts = [i for i in range(1, len(token)) if token[i - 1].islower() and token[i].isupper()]
    if not cuts:
        return [(token, end)] if token else []
    bounds = [0, *cuts, len(token)]
    return [(token[a:b], end - len(token) + b) for a, b in itertools.pairwise(bounds)]


JOINED_MIN = 5  # letters in a capitals token worth trying to part: "VĂNAN"
MAX_PARTS = 4


_STOP_FINAL = re.compile(r"(?:p|t|c|ch)$")
_SHORT_VOWEL_OPEN = re.compile(r"[ăâ]$")
_STOP_TONES = {"\u0301", "\u0323"}  # sắc, nặng: the only tones a syllable ending in p, t, c, ch takes


def _sayable(part: str) -> int:
    """How surely `part` is a syllable Vietnamese can say: 2 surely, 1 if OCR lost its tone mark (NGOC for NGỌC, a
    final p, t, c or ch with no tone), 0 not at all: one letter (the "I" of ILONG is a misread more often than a
    word), no syllable, an ă or â at its end (VĂ), a final p, t, c or ch under another tone. Tighter than
    `is_syllable`, which forgives what OCR does to marks."""
    if len(part) < 2 or not is_syllable(part):
        return 0
    bare = without_tones(part).lower()
    if _SHORT_VOWEL_OPEN.search(bare):
        return 0
    if not _STOP_FINAL.search(bare):
        return 2
    tones = TONES.intersection(unicodedata.normalize("NFD", part.lower()))
    return 2 if tones & _STOP_TONES else 0 if tones else 1


def _partings(word: str, parts: int) -> list[list[str]]:
    """Every way to cut `word` into at most `parts` syllables Vietnamese can say."""
    found = [[word]] if _sayable(word) else []
    if parts > 1:
        for cut in range(1, len(word)):
            if _sayable(word[:cut]):
                found += [[word[:cut], *rest] for rest in _partings(word[cut:], parts - 1)]
    return found


def unjoined(token: str, *, first: bool = False) -> list[str] | None:
    """A capitals token OCR read without its spaces ("NGUYÊNNGỌCNGA", a table cell's name): its syllables, when one
    parting is best (the fewest syllables, then the surest: LÊ THỊ over LÊT HỊ, then for a name's `first` word one
    from a surname: VI NGOC over VIN GOC); None when it is a syllable, is not in capitals, or parts as well several
    ways ("THANHOA": THANH OA or THAN HOA)."""
    word = token.strip("_|")
    if len(word) < JOINED_MIN or not word.isalpha() or letter_case(word) != "upper" or is_name_word(word) \
            or is_surname(word):  # "NGUYEN": a surname read without its marks, one word
        return None
    ways = [w for w in _partings(word, MAX_PARTS) if len(w) > 1]
    if not ways:
        return None
    def rank(way: list[str]) -> tuple[int, int, bool]:
        return len(way), -sum(map(_sayable, way)), not (first and is_surname(way[0]))

    best = min(map(rank, ways))
    top = [w for w in ways if rank(w) == best]
    return top[0] if len(top) == 1 else None


def _letters(word: str) -> str:
    return word.replace(".", "").replace("'", "").replace("’", "")  # "I.Ê" (a misread LÊ), "H'HEN"


def letter_case(word: str) -> str | None:
    """"upper" for a word mostly in capitals (OCR lowers a letter now and then), "title" for one capital first,
    None otherwise."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return None
    uppers = sum(c.isupper() for c in letters)
    if uppers / len(letters) >= 0.6:
        return "upper"
    if letters[0].isupper() and uppers == 1:
        return "title"
    return None


@cache
def _surnames_without_tones() -> frozenset[str]:
    return frozenset(without_tones(s) for s in surname_spellings())


def known_surname(word: str) -> bool:
    """A known surname, its letters and vowel marks as registered; its tone mark may be misread ("KIÊU" for KIỀU,
    "NGUYÊN" for NGUYỄN) but not its letters ("PHẦN" is not PHAN); or one OCR read with no marks at all, or one
    letter off, which `mend_surname` knows."""
    if is_surname(word) and (fold(word) == word.lower() or without_tones(word) in _surnames_without_tones()):
        return True
    return mend_surname(word) is not None and not is_syllable(word)


def is_name_word(word: str) -> bool:
    """A Vietnamese syllable, or a part of a Highlands name ("Ksor", "H'Hen"): what every word of a name is."""
    return is_syllable(word) or is_other_name_part(word)


def _starts_with_label(text: str, stops: Sequence[str]) -> bool:
    """Whether folded `text` begins with one of the labels (folded), as a whole word."""
    return any(text.startswith(s) and (len(text) == len(s) or not text[len(s)].isalpha()) for s in stops)


class NameSpan(NamedTuple):
    name: str
    end: int  # where in the value the name's last word ends
    spaces_restored: bool  # a word of it was read joined ("NGUYÊNNGỌCNGA") and parted by the syllables


def name_run(value: str, honorifics: Sequence[str] = (), stops: Sequence[str] = (), *,
             title: bool = True, surname: bool = False) -> str | None:
    """The name at the start of `value` (after an honorific), upper case, or None.

    `stops`: labels (folded) where a name ends; `title`: whether a Title Case name is taken (a label or an
    honorific anchors it; a bare line does not); `surname`: only a name whose first word, as read, is a known
    surname (a weaker anchor than a configured label asks for it)."""
    found = name_span(value, honorifics, stops, title=title, surname=surname)
    return found.name if found else None


def name_span(value: str, honorifics: Sequence[str] = (), stops: Sequence[str] = (), *,
              title: bool = True, surname: bool = False, anchored: bool = False) -> NameSpan | None:
    """`name_run`'s name, where in `value` its last word ends, and whether lost spaces were put back. `anchored`:
    a label or an honorific stands before the value, so a Title Case name from a known surname may hold one word
    OCR damaged into no syllable ("bà Phạm Diệu Luụa,"): taken, and flagged later as misread."""
    spans = [part for m in re.finditer(r"\S+", value) for part in _split_joined(m.group(0).lstrip("|[]"), m.end())]
    tokens = [t for t, _ in spans]
    while tokens and (is_honorific(tokens[0], honorifics) or _PAIRED_HONORIFIC.match(fold(tokens[0]))):
        tokens, spans = tokens[1:], spans[1:]
    restored = False
    for i in reversed(range(min(len(spans), MAX_WORDS["upper"]))):
        parts = unjoined(spans[i][0], first=i == 0)
        if parts is not None:
            spans[i : i + 1] = [(part, spans[i][1]) for part in parts]
            restored = True
    tokens = [t for t, _ in spans]
    head = fold(" ".join(tokens))
    if _starts_with_label(head, stops):
        return None  # another field's label ("NGÀY SINH" in a header row), not a name
    words: list[str] = []
    mode: str | None = None
    end = 0
    for i, token in enumerate(tokens):
        word = token.strip(_CLOSERS)
        letters = _letters(word)
        if not word or not letters or not all(c.isalpha() for c in letters) or (i and token[0] in "(["):
            break  # a figure, a sign, or a bracket opening something else: "HỒ THÀNH (Số căn cước …)"
        if i and _starts_with_label(fold(" ".join([token.lstrip("(["), *tokens[i + 1 :]])), stops):
            break  # where another field's label begins
        case = letter_case(word)
        if case is None or (mode is not None and case != mode) or (case == "title" and not title):
            break
        mode = case
        words.append(word)
        end = spans[i][1] - (len(token) - len(token.rstrip(_CLOSERS)))
        if len(words) > MAX_WORDS[mode]:
            return None
        if token.rstrip(_CLOSERS) != token or token.lstrip(_CLOSERS) != token:  # punctuation closes the name
            break
    if len(words) < MIN_WORDS or mode is None:
        return None
    # "Trưởng" (a title) is a tone from "Trương", but is followed by a lower-case word, or stopped as an official's
    odd = sum(not is_name_word(w) for w in words[1:])
    if mode == "title" and not (known_surname(words[0]) and (odd == 0 or (anchored and odd == 1 and len(words) > 2))):
        return None
    if surname and not known_surname(words[0]):
        return None
    return NameSpan(correct_name(nfc(" ".join(words)).upper()), end, restored and len(words) > 1)
