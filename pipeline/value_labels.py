"""Labels and the values after them: which label a printed wording is (folded, misreadings tolerated, learned
wordings too), which role a section heading names, and the value parsers (dates of birth, ID numbers, sex, years)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from rapidfuzz import fuzz

from domain.catalogue import Labels
from domain.dates import find_dates, make_date
from domain.personal_number import check_personal_number, digits_only
from domain.text import fold, nfc, squash

_ID_CHARS = r"[0-9OoIlSB]"


_ID_VALUE = re.compile(rf"\s*({_ID_CHARS}[0-9OoIlSB .]{{6,20}}{_ID_CHARS})")


# Dotted leaders of a blank a value was written on ("HỒ VĂN PHÚC.......", "VĂN.PHÚC"): not part of the value.
LEADERS = re.compile(r"[.…_·]{2,}|(?<=[^\W\d_])\.(?=[^\W\d_]{2})")


_STRAY_MARKS = re.compile(r"^[\W_]+")  # a comma, slash or "#" where a pen stroke began: no letter or digit


LABEL_REACH = 40  # characters after a label within which its value starts


BIRTH_YEARS = 130  # a birth date lies no further back than this


_HAND_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d)(\d{3})(?!\d)")


def unleader(value: str) -> str:
    """The value without the dotted leaders of the blank it was written on, nor stray marks before it."""
    return _STRAY_MARKS.sub("", LEADERS.sub(" ", value))


def label_pattern(label: str) -> re.Pattern[str]:
    words = re.findall(r"\w+", fold(label))
    return re.compile(r"(?<!\w)" + r"[\s,.;/]*".join(map(re.escape, words)) + r"(?!\w)\s*[:;.|]?\s*")


# The rest of a longer label (a few words without digits) up to its colon or cell border, then the value.
LONGER_LABEL = re.compile(r"([^\W\d][^:;|\d\n]{0,60}?)\s*[:;|]\s*(\S.*)")


LABEL_AT_LINE_START = re.compile(r"(?m)^[ \t]*([^\W\d][^:;|\d\n]{2,60}?)[ \t]*[:;|]")


MISREAD_LABEL_SCORE = 88  # one letter in eight or so misread ("hq va ten"), never a different label


def misread_labels(folded: str, kinds: Sequence[tuple[str, str, str]],
                    taken: Sequence[tuple[int, int]]) -> list[tuple[str, str, str]]:
    """The labels of "label: value" lines that no label matched as printed but that are a configured label with a
    letter or two misread by OCR: each such line's own wording, with the kind and role of the label it resembles."""
    found: list[tuple[str, str, str]] = []
    for m in LABEL_AT_LINE_START.finditer(folded):
        if any(not (m.end(1) <= x or m.start(1) >= y) for x, y in taken):
            continue
        printed = squash(m.group(1))
        best = max(kinds, key=lambda k: fuzz.ratio(printed, fold(k[0])), default=None)
        if best is not None and fuzz.ratio(printed, fold(best[0])) >= MISREAD_LABEL_SCORE:
            found.append((printed, best[1], best[2]))
    return found


def role_in(words: str, role_words: Mapping[str, str]) -> str | None:
    """The role a label's own words name ("chủ hộ kinh doanh" -> owner), the longest role word first."""
    folded = f" {fold(squash(words))} "
    for word in sorted(role_words, key=len, reverse=True):
        if f" {fold(word)} " in folded:
            return role_words[word]
    return None


def stop_labels(labels: Labels) -> tuple[str, ...]:
    """The labels (folded) where a name before them ends: every field's label the type knows."""
    words = [*labels.dob, *labels.sex, *labels.personal_number, *labels.old_id, *labels.birth_year,
             *labels.other_fields, *labels.officials, *(n.label for n in labels.name)]
    return tuple(sorted({squash(fold(w)) for w in words}, key=len, reverse=True))


def date_after_label(value: str) -> date | None:
    """The date a label gives: one that starts just after it, in figures or written out in words (which run
    longer: "ngày mười sáu tháng mười một năm hai nghìn không trăm lẻ chín")."""
    found = next((found for pos, found in find_dates(value[:LABEL_REACH + 80]) if pos < LABEL_REACH), None)
    if found is None:  # "Sinh ngày 05 tháng 3 năm 1990": the label took the date's own "ngày"
        found = next((d for pos, d in find_dates("ngày " + value[:LABEL_REACH + 80]) if pos == 0), None)
    return found


def mended_birth_date(value: str) -> date | None:
    """A birth date written by hand whose year cannot be as read ("10/08/4976": a handwritten 1 read as 4). A birth
    year begins with 1 or 2; when exactly one of them makes a year of the last BIRTH_YEARS years, the date is
    taken with it. Only ever for a value written by hand, which is flagged for a person to confirm."""
    m = _HAND_DATE.match(value[:LABEL_REACH].strip())
    if m is None or m.group(3) in "12":
        return None
    this_year = date.today().year
    years = [int(first + m.group(4)) for first in "12"]
    mended = [make_date(m.group(1), m.group(2), str(y)) for y in years if this_year - BIRTH_YEARS <= y <= this_year]
    return mended[0] if len(mended) == 1 else None


def _id_from(value: str) -> str | None:
    m = _ID_VALUE.match(value)
    return digits_only(m.group(1)) if m else None


def sex_from(value: str) -> str | None:
    head = fold(value).strip()
    if head.startswith("nu"):
        return "Nữ"
    if head.startswith("nam"):
        return "Nam"
    return None


ANY_LABEL = re.compile(r"(?m)(?:^|\|)[ \t]*([^\W\d][^:;|\d\n]{1,60}?)[ \t]*(?::|;|\|(?=[^|\n]*\S))")


TO_FIGURES = re.compile(r"(?:[ \t]+[^\W\d]+){0,3}?[ \t\n]*[:|]?[ \t]*(?=\d)")  # "công dân số: " before an ID


_YEAR = re.compile(r"\s*((?:19|20)\d{2})(?!\d)")


HEADING_WORDS = 6  # a line naming a role with no value after it heads a section ("Bên vợ", "Thông tin người chồng:")


def label_kind(label: str, labels: Labels) -> tuple[str, str] | None:
    """What any label is, by its words: (kind, role) of a name's or an ID's label, None for another field's.
    "Họ tên người đứng tên", "Tên đầy đủ", "Chủ hộ" name a person; "Số căn cước", "Giấy CMND số" give an ID."""
    folded = f" {squash(fold(label))} "
    for word, kind in labels.id_words.items():
        if f" {fold(word)} " in folded:
            return kind, ""
    own = set(re.findall(r"\w+", nfc(label).lower()))
    if "sinh" in own and own & {"ngày", "năm"} and not own & set(labels.name_words):
        return ("dob", "") if "ngày" in own else ("birth_year", "")  # "Ngày tháng sinh"; "Năm sinh": the year
    if any(f" {squash(fold(other))} " in folded for other in (*labels.other_fields, *labels.dob, *labels.sex,
                                                                  *labels.birth_year)):
        return None
    role = role_in(label, labels.role_words)
    if role or own & {nfc(w).lower() for w in (*labels.name_words, *labels.subject_words)} or (
            labels.name_words and all(f" {fold(w)} " in folded for w in labels.name_words)):
        return "name", role or "subject"
    return None


def section_headings(text: str, role_words: Mapping[str, str]) -> list[tuple[int, str]]:
    """Lines that head a section about one person ("Bên vợ", "THÔNG TIN NGƯỜI CHỒNG:"): a few words naming a role,
    no value after them. A generic "Họ và tên" below one is that person's."""
    out = []
    for m in re.finditer(r"(?m)^[^\n]*$", text):
        line = m.group(0).strip().rstrip(":").strip()
        if not line or ":" in line or "|" in line or re.search(r"\d", line) or len(line.split()) > HEADING_WORDS:
            continue
        role = role_in(line, role_words)
        if role:
            out.append((m.start(), role))
    return out


def year_from(value: str, today: int) -> int | None:
    m = _YEAR.match(value)
    return int(m.group(1)) if m and today - BIRTH_YEARS <= int(m.group(1)) <= today else None


def id_wrapped(value: str) -> str | None:
    """An ID whose figures wrap onto the next line ("Số CCCD 0400 8999⏎8420."): joined when the line alone holds
    too few figures for an ID and the two lines together hold exactly a personal number's or an old ID's."""
    first, _, second = value.partition("\n")
    alone = _id_from(first)
    joined = _id_from(f"{first.rstrip()} {second.lstrip()}") if second else None
    if alone is not None and len(alone) == 12:
        return alone
    # "001 079 532⏎690": nine figures at a line's end go on under it into a personal number of a known province
    if alone is not None and len(alone) == 9 and not (joined is not None and len(joined) == 12 and re.search(
            r"\d[\s)]*$", first) and not check_personal_number(joined).problems):
        return alone
    return joined if joined is not None and len(joined) in (9, 12) else alone
