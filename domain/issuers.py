"""Spell an issuing body's name as it is printed, when OCR changed or lost its marks.

The issuer is read from the page's header, often in a bold or spaced typeface that Tesseract misreads in small
ways: "TĨNH" for TỈNH, "PHÓ CÀN THƠ" for PHỐ CẦN THƠ, words run together ("BANNHÂN"). Names of bodies and provinces
are few and known (issuers.toml, provinces.toml), so a run of read words whose letters, marks and spaces ignored,
equal a known name is replaced by that name. Other words (a commune's name) are kept as read.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from domain import REFERENCE_DATA
from domain.personal_number import provinces
from domain.text import fold


def _key(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum() or c == "-")


@cache
def _names() -> tuple[tuple[int, str, str], ...]:
    """(words, folded key, spelling), longest names first."""
    with (REFERENCE_DATA / "issuers.toml").open("rb") as f:
        bodies = list(tomllib.load(f)["bodies"])
    names = {n.upper() for n in bodies} | {p.upper() for p in provinces().values()}
    return tuple(sorted(((len(n.split()), _key(n), n) for n in names), key=lambda x: (-x[0], -len(x[1]))))


def correct_issuer(issuer: str) -> str:
    words = [w for w in issuer.split() if any(c.isalnum() for c in w) or w == "-"]  # "_" and stray marks go
    out: list[str] = []
    i = 0
    while i < len(words):
        for size, key, spelling in _names():
            taken = next((k for k in range(1, min(size + 1, len(words) - i) + 1)
                          if _key(" ".join(words[i:i + k])) == key), None)
            if taken:
                out.append(spelling)
                i += taken
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def is_known_name(text: str) -> bool:
    """Whether a run of words is one of the known names (a body, a province), as read with marks ignored."""
    key = _key(text)
    return any(k == key for _, k, _ in _names())


_CITY_PREFIX = re.compile(r"^(?:tp\.?|thanh pho)\s+")


def issuer_level(issuer: str | None) -> str:
    """The level of government an issuer belongs to, from its name: "commune" (xã, phường, thị trấn), "district"
    (huyện, quận, thị xã, a city within a province), "province" (tỉnh, a centrally governed city), or "other"."""
    words = f" {fold(issuer or '')} "
    if any(w in words for w in (" xa ", " phuong ", " thi tran ")) and " thi xa " not in words:
        return "commune"
    if any(w in words for w in (" huyen ", " quan ", " thi xa ")):
        return "district"
    if " tinh " in words:
        return "province"
    if " thanh pho " in words:
        city = words.split(" thanh pho ", 1)[1].strip()
        centrally_governed = {_key(_CITY_PREFIX.sub("", fold(p))) for p in provinces().values()}  # "TP Hồ Chí Minh"
        return "province" if _key(city) in centrally_governed else "district"
    return "other"
