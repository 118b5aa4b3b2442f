"""Dates as Vietnamese documents print them: 'ngày 08 tháng 02 năm 2017', '08/02/2017', '8-2-2017', '08.02.2017',
and in words, as older registers and certificates write them: 'ngày mười lăm tháng giêng năm một nghìn chín trăm
tám mươi sáu'.

OCR may drop tone marks ('ngay', 'thang', 'nam') or read digits as look-alike letters; both are tolerated. A day or
month that cannot exist gives None rather than a guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from domain.personal_number import digits_only
from domain.text import fold

VIETNAM = timezone(timedelta(hours=7), "ICT")  # the records' own times: signing, ingest, the day a lookup judges


def vietnam_now() -> datetime:
    """Now in Vietnam, to the second: the time records, reports and statistics are stamped with."""
    return datetime.now(VIETNAM).replace(microsecond=0)

_NUM = r"[0-9oil]{1,4}"  # matched against folded (lower-case) text
LONG_DATE = re.compile(rf"ngay\s*(?:mung\s*)?({_NUM})\s*thang\s*({_NUM})\s*nam\s*({_NUM})")
SHORT_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
# Numbers in words, folded: "lăm"/"nhăm" and "mốt"/"tư" are the forms of 5, 1 and 4 after a ten.
_UNITS = {"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "nham": 5, "sau": 6,
          "bay": 7, "tam": 8, "chin": 9}
_SCALE_WORDS = ("muoi", "tram", "nghin", "ngan", "le", "linh")
_MONTH_NAMES = {"gieng": 1, "chap": 12}
_W = "|".join(sorted([*_UNITS, *_SCALE_WORDS, *_MONTH_NAMES, "mong", "mung"], key=len, reverse=True))
WORD_DATE = re.compile(rf"(?<![a-z])ngay\s*[:.]?\s+((?:(?:{_W})\s+)+?)thang\s+((?:(?:{_W})\s+)+?)nam\s+"
                       rf"((?:(?:{_W})(?![a-z])[\s,.;]*)+)")


def words_to_number(words: list[str]) -> int | None:
    """'hai nghin khong tram hai muoi' -> 2020, 'muoi lam' -> 15, 'hai nghin le nam' -> 2005; None if not a number."""
    total, group, pending, seen = 0, 0, None, False
    for w in words:
        if w in ("mong", "mung", "le", "linh"):
            continue
        if w in _MONTH_NAMES:
            return _MONTH_NAMES[w] if len(words) == 1 else None
        seen = True
        if w in _UNITS:
            if pending is not None:
                return None  # two digits in a row: not a number in words
            pending = _UNITS[w]
        elif w == "muoi":
            group += 10 * (pending if pending is not None else 1)
            pending = None
        elif w == "tram":
            group += 100 * (pending or 0)
            pending = None
        elif w in ("nghin", "ngan"):
            total += 1000 * ((group + (pending or 0)) or 1)
            group, pending = 0, None
        else:
            return None
    return total + group + (pending or 0) if seen else None


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


def ends_in_number_words(text: str) -> bool:
    """Whether `text` ends in a number written in words ("… một nghìn chín trăm chín mươi"): a date in words that
    a line break may have cut short."""
    words = re.findall(r"[a-z]+", fold(text).rstrip(" ,.;")[-12:])
    return bool(words) and bool(re.fullmatch(_W, words[-1])) and bool(re.search(r"[a-z]$", fold(text).rstrip()))


def find_dates(text: str) -> list[tuple[int, date]]:
    """Every date in `text` with its character offset, in order of appearance."""
    return [(start, found) for start, _, found in date_spans(text)]


def date_spans(text: str) -> list[tuple[int, int, date]]:
    """Every date in `text` with the characters [start, end) it is written in, in order of appearance."""
    folded = fold(text)  # same length as the NFC text for Vietnamese letters, so offsets carry over
    hits: list[tuple[int, int, date]] = []
    for m in LONG_DATE.finditer(folded):
        d = make_date(m.group(1), m.group(2), m.group(3))
        if d:
            hits.append((m.start(), m.end(), d))
    for m in SHORT_DATE.finditer(folded):
        d = make_date(m.group(1), m.group(3), m.group(4))
        if d:
            hits.append((m.start(), m.end(), d))
    for m in WORD_DATE.finditer(folded):
        day, month, year = (words_to_number(re.findall(r"[a-z]+", m.group(i))) for i in (1, 2, 3))
        if day is not None and month is not None and year is not None:
            d = make_date(str(day), str(month), str(year))
            if d:
                hits.append((m.start(), m.end(), d))
    return sorted(hits)
