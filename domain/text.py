"""Vietnamese text forms used for comparison: NFC for storage and display, folded for matching.

Folding lower-cases, strips tone marks and other diacritics, and maps đ/Đ to d (they do not decompose in Unicode),
so that "Nguyen Thi Hong" and an OCR reading that lost a tone mark both meet "Nguyễn Thị Hồng".
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def title_case(name: str) -> str:
    """'NGUYỄN THỊ HỒNG' -> 'Nguyễn Thị Hồng', keeping NFC."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in nfc(squash(name)).split(" "))
