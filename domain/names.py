"""Correct OCR's misreadings of tone marks in people's names, where the language makes the answer certain.

Tesseract confuses stacked marks on capitals (Ễ read as Ê). A surname is one of a short, known list, so a first word
that folds to a listed surname but is spelled otherwise is given the listed spelling; the same holds for the
near-universal middle names THỊ and VĂN in second place. Other words are left as read: given names are too many
and too varied to guess.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache

from domain import REFERENCE_DATA
from domain.text import fold, nfc


@cache
def _lexicon() -> tuple[dict[str, str], dict[str, str]]:
    with (REFERENCE_DATA / "names.toml").open("rb") as f:
        raw = tomllib.load(f)

    def table(words: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for word in words:
            out.setdefault(fold(word), nfc(word).upper())
        return out

    return table(raw["surnames"]), table(raw["middle_names"])


@cache
def _other_parts() -> frozenset[str]:
    with (REFERENCE_DATA / "names.toml").open("rb") as f:
        return frozenset(fold(w) for w in tomllib.load(f).get("other_parts", []))


def is_other_name_part(word: str) -> bool:
    """A part of a name of the Central Highlands' peoples ("Ksor", "Niê"), or one of those written with an
    apostrophe ("H'Hen", "Y'Blô"): not a Vietnamese syllable, and no misreading."""
    folded = fold(word)
    return folded in _other_parts() or (len(folded) > 2 and folded[1] in "'’" and folded[0] in "hy")


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng


def without_tones(word: str) -> str:
    """The word in capitals with its vowel marks (â, ơ, ư…) but no tone: what OCR of a capital gets right most."""
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", nfc(word).upper()) if c not in TONES))


@cache
def _name_words() -> dict[str, frozenset[str]]:
    """The name syllables in common use (and the surnames, which stand in names too), by their spelling without
    tone: "QUÂN" -> {"QUÂN"}, "CHI" -> {"CHI"}."""
    with (REFERENCE_DATA / "names.toml").open("rb") as f:
        raw = tomllib.load(f)
    out: dict[str, set[str]] = {}
    for word in (*raw.get("name_words", []), *raw["surnames"], *raw["middle_names"]):
        out.setdefault(without_tones(word), set()).add(nfc(word).upper())
    return {k: frozenset(v) for k, v in out.items()}


def tone_misread(word: str) -> list[str]:
    """The common name words a word read in a name may be with its tone misread: "QUẦN" -> ["QUÂN"]; none for a
    common name word itself, or a word no common one differs from by its tone alone."""
    spelled = nfc(word).upper()
    same_letters = _name_words().get(without_tones(spelled), frozenset())
    return [] if spelled in same_letters else sorted(same_letters)


def mend_surname(word: str) -> str | None:
    """The one known surname a first word read as no syllable stands for ("I.Ê" -> "LÊ": the L read as "I." ):
    the surname one letter from it (marks, dots and case aside), when exactly one is; None otherwise."""
    surnames, _ = _lexicon()
    letters = "".join(c for c in fold(word) if c.isalpha())
    found = {spelled for key, spelled in surnames.items() if _one_apart(letters, key)}
    return next(iter(found)) if len(found) == 1 else None


def _one_apart(a: str, b: str) -> bool:
    """Whether one letter changed, added or dropped turns `a` into `b`."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def correct_name(name: str) -> str:
    """'NGUYÊN THI LAN' -> 'NGUYỄN THỊ LAN'; names in upper case, as printed."""
    surnames, middles = _lexicon()
    words = name.split()
    if not words:
        return name
    spellings = set(surnames.values())
    if words[0] not in spellings:
        words[0] = surnames.get(fold(words[0]), words[0])
    if len(words) >= 3 and words[1] not in set(middles.values()):
        words[1] = middles.get(fold(words[1]), words[1])
    return " ".join(words)


def surname_spellings() -> frozenset[str]:
    """The known surnames as registered, upper case with their marks."""
    return frozenset(_lexicon()[0].values())


def is_surname(word: str) -> bool:
    """Whether a word, as read (marks ignored), is a known surname."""
    return fold(word) in _lexicon()[0]


def restore_surname(name: str) -> str:
    """A name written by hand whose first letter was lost, its first stroke run into the dots or colon before it
    ('OÀNG MINH PHÚC'): when exactly one known surname ends with the first word as read, marks and all, and is one
    letter longer, that surname. Only for values written by hand, which a person confirms anyway; a first word
    that is a surname, or could end several, is left as read."""
    surnames, _ = _lexicon()
    words = name.split()
    if not words or words[0] in set(surnames.values()):
        return name
    found = [s for s in surnames.values() if len(s) == len(words[0]) + 1 and s.endswith(words[0])]
    return " ".join([found[0], *words[1:]]) if len(found) == 1 else name


def masked(name: str) -> str:
    """A name as a stranger may see it: the surname whole, every other word by its first letter ("Nguyễn V… A…"):
    enough to tell one holder from another at a desk, too little to learn who holds the paper."""
    words = nfc(name).split()
    if not words:
        return ""
    return " ".join([words[0].capitalize(), *(f"{w[0].upper()}…" for w in words[1:])])
