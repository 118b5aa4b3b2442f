"""Dates as Vietnamese documents print them: 'ngày 08 tháng 02 năm 2017', '08/02/2017', '8-2-2017', '08.02.2017'.

OCR may drop tone marks ('ngay', 'thang', 'nam') or read digits as look-alike letters; both are tolerated. A day or
month that cannot exist gives None rather than a guess.
"""

from __future__ import annotations

import re
from datetime import date

from domain.personal_number import digits_only
from domain.text import fold

_NUM = r"[0-9oil]{1,4}"  # matched against folded (lower-case) text
LONG_DATE = re.compile(rf"ngay\s*(?:mung\s*)?({_NUM})\s*thang\s*({_NUM})\s*nam\s*({_NUM})")
SHORT_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")


def make_date(day: str, month: str, year: str) -> date | None:
    try:
        d, m, y = int(digits_only(day)), int(digits_only(month)), int(digits_only(year))
    except ValueError:
        return None
    if not 1800 <= y <= 2300:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The first date in `text`, in either printed form."""
    found = find_dates(text)
    return found[0][1] if found else None


def parse_day(text: str) -> date | None:
    """A day as a person types it: dd/mm/yyyy (or as printed, "ngày … tháng … năm …") or YYYY-MM-DD."""
    found = parse_date(text)
    if found is not None:
        return found
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, date]]:
    """Every date in `text` with its character offset, in order of appearance."""
    folded = fold(text)  # same length as the NFC text for Vietnamese letters, so offsets carry over
    hits: list[tuple[int, date]] = []
    for m in LONG_DATE.finditer(folded):
        d = make_date(m.group(1), m.group(2), m.group(3))
        if d:
            hits.append((m.start(), d))
    for m in SHORT_DATE.finditer(folded):
        d = make_date(m.group(1), m.group(3), m.group(4))
        if d:
            hits.append((m.start(), d))
    return sorted(hits)
