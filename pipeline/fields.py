"""Read the fields off a document's text: people (name, date of birth, sex, personal number or old ID), the
document's number (số/ký hiệu), issue date and issuing body.

People are found as a stream of labelled values in reading order: a name label ("Họ, chữ đệm, tên người mẹ:") or
an honorific before an upper-case name ("bà TRẦN THỊ LAN") opens a person, and the dates of birth, sex and ID
numbers that follow belong to that person until the next name. Labels come from configuration and are matched on
folded text, so a lost tone mark does not lose the field. Values are validated, not trusted: an ID number that fails
its checks is kept with its problems listed, for a reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from rapidfuzz import fuzz

from domain.catalogue import Labels
from domain.dates import ends_in_number_words, find_dates, make_date
from domain.issuers import correct_issuer, is_known_name
from domain.names import is_surname, mend_surname, restore_surname, tone_misread
from domain.personal_number import check_personal_number, digits_only, is_old_id
from domain.records import FieldEvidence, FieldReading, Person
from domain.text import fold, nfc, squash
from ocr.syllables import is_syllable
from pipeline.agreement import decide, describe
from pipeline.name_run import NameSpan, is_honorific, is_name_word, letter_case, name_span
from pipeline.number_date import HEADER, Found, Lines, read_issue_date, read_number
from pipeline.second_reading import FigureReading

_ID_CHARS = r"[0-9OoIlSB]"
_ID_VALUE = re.compile(rf"\s*({_ID_CHARS}[0-9OoIlSB .]{{6,20}}{_ID_CHARS})")
# "Số: 237/QĐ-UBND", "Số: 209 /QĐ-UBND" (a handwritten number before the printed tail), "Số: /QĐ-UBND" (left blank)
_NUMBER_LINE = re.compile(r"^\s*s[o0]\s*[:.;]\s*(\S*?(?:\s*/\S+)?)(?=\s|$)")
_REGISTER_BOOK = re.compile(r"quyen\s*so\s*[:.;]?\s*([0-9oil]+(?:\s*/\s*[0-9oil]{2,4})?)")
_MOTTO = ("cong hoa", "xa hoi chu nghia", "doc lap", "tu do", "hanh phuc")
# The document's own date line: a place, a comma, then "ngày … tháng … năm …" ("Bạc Liêu, ngày 18 tháng 02 năm
# 2025"), at the start of a line or after the số on a text layer that joined the two columns.
_DATE_LINE = re.compile(r"(?:^|\s)[a-z][a-z .]{1,40},\s*ngay(?![a-z])")
# Dotted leaders of a blank a value was written on ("HỒ VĂN PHÚC.......", "VĂN.PHÚC"): not part of the value.
_LEADERS = re.compile(r"[.…_·]{2,}|(?<=[^\W\d_])\.(?=[^\W\d_]{2})")
_STRAY_MARKS = re.compile(r"^[\W_]+")  # a comma, slash or "#" where a pen stroke began: no letter or digit
_ON_A_BLANK = re.compile(r"[.…_·]{3,}")
LABEL_REACH = 40  # characters after a label within which its value starts
BIRTH_YEARS = 130  # a birth date lies no further back than this
_HAND_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d)(\d{3})(?!\d)")
HEADER_LINES_WITHOUT_TITLE = 6
T = TypeVar("T")


@dataclass
class Extracted:
    number: str | None = None
    issue_date: date | None = None
    issuer: str | None = None
    persons: list[Person] = field(default_factory=list)
    register_book: str | None = None  # "Quyển số" of a civil-status register entry
    unread_labels: list[str] = field(default_factory=list)  # printed ID labels with no value read beside or under
    doubts: dict[str, str] = field(default_factory=dict)  # field -> why a person must check it (Vietnamese)
    evidence: dict[str, FieldEvidence] = field(default_factory=dict)  # field -> its readings, when read twice


def _over_span(per_word: Sequence[Sequence[T]] | None, index: int, line: str, start: int, end: int) -> list[T]:
    """The per-word values (confidence, ink) of the words of line `index` over its characters [start, end)."""
    if per_word is None or index >= len(per_word):
        return []
    out, pos = [], 0
    for word, value in zip(line.split(" "), per_word[index], strict=False):
        if pos < end and pos + len(word) > start:
            out.append(value)
        pos += len(word) + 1
    return out


def _weakest(confidences: Sequence[Sequence[float]] | None, index: int, line: str, start: int, end: int) -> float:
    """The lowest word confidence over characters [start, end) of line `index`; 100 for trusted text."""
    return min(_over_span(confidences, index, line, start, end), default=100.0)


def _inked_span(inked: Sequence[Sequence[bool]] | None, index: int, line: str, start: int, end: int) -> bool:
    """Whether most words over characters [start, end) of line `index` were filled in by hand."""
    flags = _over_span(inked, index, line, start, end)
    return bool(flags) and sum(flags) * 2 >= len(flags)


def _hand_map(lines: Sequence[str], inked: Sequence[Sequence[bool]] | None) -> list[bool]:
    """Per character of the lines joined by newlines, whether it belongs to a word filled in by hand."""
    out: list[bool] = []
    for index, line in enumerate(lines):
        flags = inked[index] if inked is not None and index < len(inked) else ()
        for n, word in enumerate(nfc(line).split(" ")):
            if n:
                out.append(False)
            out.extend([bool(flags[n]) if n < len(flags) else False] * len(word))
        out.append(False)
    return out


def _unleader(value: str) -> str:
    """The value without the dotted leaders of the blank it was written on, nor stray marks before it."""
    return _STRAY_MARKS.sub("", _LEADERS.sub(" ", value))


@dataclass(frozen=True)
class _Event:
    pos: int
    kind: str  # name | dob | sex | personal_number | old_id
    value: str | date
    role: str = "subject"
    by_hand: bool = False  # the value was filled in by hand: in coloured ink, or on a dotted blank
    at: int = -1  # where the value itself begins in the text (after its label)
    raw: str | date = ""  # the value as read, before a rule mended it (a surname's lost first letter, an impossible
    #                       birth year): what a second reading is compared with
    bare: bool = False  # a number with no label read: a person's only if it encodes their year of birth
    parted: bool = False  # a name read with a space lost ("NGUYÊNNGỌCNGA"), parted by its syllables


def _label_pattern(label: str) -> re.Pattern[str]:
    words = re.findall(r"\w+", fold(label))
    return re.compile(r"(?<!\w)" + r"[\s,.;/]*".join(map(re.escape, words)) + r"(?!\w)\s*[:;.|]?\s*")


# The rest of a longer label (a few words without digits) up to its colon or cell border, then the value.
_LONGER_LABEL = re.compile(r"([^\W\d][^:;|\d\n]{0,60}?)\s*[:;|]\s*(\S.*)")


_LABEL_AT_LINE_START = re.compile(r"(?m)^[ \t]*([^\W\d][^:;|\d\n]{2,60}?)[ \t]*[:;|]")
MISREAD_LABEL_SCORE = 88  # one letter in eight or so misread ("hq va ten"), never a different label


def _misread_labels(folded: str, kinds: Sequence[tuple[str, str, str]],
                    taken: Sequence[tuple[int, int]]) -> list[tuple[str, str, str]]:
    """The labels of "label: value" lines that no label matched as printed but that are a configured label with a
    letter or two misread by OCR: each such line's own wording, with the kind and role of the label it resembles."""
    found: list[tuple[str, str, str]] = []
    for m in _LABEL_AT_LINE_START.finditer(folded):
        if any(not (m.end(1) <= x or m.start(1) >= y) for x, y in taken):
            continue
        printed = squash(m.group(1))
        best = max(kinds, key=lambda k: fuzz.ratio(printed, fold(k[0])), default=None)
        if best is not None and fuzz.ratio(printed, fold(best[0])) >= MISREAD_LABEL_SCORE:
            found.append((printed, best[1], best[2]))
    return found


def _role_in(words: str, role_words: Mapping[str, str]) -> str | None:
    """The role a label's own words name ("chủ hộ kinh doanh" -> owner), the longest role word first."""
    folded = f" {fold(squash(words))} "
    for word in sorted(role_words, key=len, reverse=True):
        if f" {fold(word)} " in folded:
            return role_words[word]
    return None


def _stops(labels: Labels) -> tuple[str, ...]:
    """The labels (folded) where a name before them ends: every field's label the type knows."""
    words = [*labels.dob, *labels.sex, *labels.personal_number, *labels.old_id, *labels.birth_year,
             *labels.other_fields, *labels.officials, *(n.label for n in labels.name)]
    return tuple(sorted({squash(fold(w)) for w in words}, key=len, reverse=True))


def _date_after_label(value: str) -> date | None:
    """The date a label gives: one that starts just after it, in figures or written out in words (which run
    longer: "ngày mười sáu tháng mười một năm hai nghìn không trăm lẻ chín")."""
    found = next((found for pos, found in find_dates(value[:LABEL_REACH + 80]) if pos < LABEL_REACH), None)
    if found is None:  # "Sinh ngày 05 tháng 3 năm 1990": the label took the date's own "ngày"
        found = next((d for pos, d in find_dates("ngày " + value[:LABEL_REACH + 80]) if pos == 0), None)
    return found


def _mended_birth_date(value: str) -> date | None:
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


def _sex_from(value: str) -> str | None:
    head = fold(value).strip()
    if head.startswith("nu"):
        return "Nữ"
    if head.startswith("nam"):
        return "Nam"
    return None


_ANY_LABEL = re.compile(r"(?m)(?:^|\|)[ \t]*([^\W\d][^:;|\d\n]{1,60}?)[ \t]*(?::|;|\|(?=[^|\n]*\S))")
_TO_FIGURES = re.compile(r"(?:[ \t]+[^\W\d]+){0,3}?[ \t\n]*[:|]?[ \t]*(?=\d)")  # "công dân số: " before an ID
_YEAR = re.compile(r"\s*((?:19|20)\d{2})(?!\d)")
HEADING_WORDS = 6  # a line naming a role with no value after it heads a section ("Bên vợ", "Thông tin người chồng:")


def _label_kind(label: str, labels: Labels) -> tuple[str, str] | None:
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
    role = _role_in(label, labels.role_words)
    if role or own & {nfc(w).lower() for w in (*labels.name_words, *labels.subject_words)} or (
            labels.name_words and all(f" {fold(w)} " in folded for w in labels.name_words)):
        return "name", role or "subject"
    return None


def _headings(text: str, role_words: Mapping[str, str]) -> list[tuple[int, str]]:
    """Lines that head a section about one person ("Bên vợ", "THÔNG TIN NGƯỜI CHỒNG:"): a few words naming a role,
    no value after them. A generic "Họ và tên" below one is that person's."""
    out = []
    for m in re.finditer(r"(?m)^[^\n]*$", text):
        line = m.group(0).strip().rstrip(":").strip()
        if not line or ":" in line or "|" in line or re.search(r"\d", line) or len(line.split()) > HEADING_WORDS:
            continue
        role = _role_in(line, role_words)
        if role:
            out.append((m.start(), role))
    return out


def _year_from(value: str, today: int) -> int | None:
    m = _YEAR.match(value)
    return int(m.group(1)) if m and today - BIRTH_YEARS <= int(m.group(1)) <= today else None


def _id_wrapped(value: str) -> str | None:
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


def _events(text: str, labels: Labels, default_role: str, learned: Sequence[tuple[str, str, str]] = (),
            hand: Sequence[bool] = (), unread: list[str] | None = None) -> list[_Event]:
    """The labelled values and names in reading order; `unread` gathers the configured ID labels whose value
    could not be read (a value the reader lost or put elsewhere: a person must look)."""
    folded = fold(text)
    stops = _stops(labels)
    headings = _headings(text, labels.role_words)
    this_year = date.today().year

    def name_at(value: str, *, title: bool = True, surname: bool = False, anchored: bool = False) -> NameSpan | None:
        """The name at the start of a value; `surname`: only one that starts with a known surname (a label known
        by its words alone is weaker evidence than a configured one); `anchored`: after a label."""
        return name_span(value, labels.honorifics, stops, title=title, surname=surname, anchored=anchored)

    def by_hand(start: int, length: int) -> bool:
        """A value over [start, start + length) in coloured ink, or followed on its line by a dotted blank."""
        while start < len(text) and text[start] == " ":
            start += 1
        span = hand[start : start + length]
        inked = bool(span) and sum(span) * 2 >= len(span)
        return inked or bool(_ON_A_BLANK.search(text[start : line_end(start)]))

    def line_end(pos: int) -> int:
        end = text.find("\n", pos)
        return len(text) if end < 0 else end

    taken: list[tuple[int, int]] = []  # label spans: a shorter label inside a longer one is not a label
    named: list[tuple[int, int]] = []  # name values: an honorific inside one does not open another person
    events: list[_Event] = []

    def free(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
        return all(b <= x or a >= y for x, y in spans)

    def rest(pos: int, lines: int = 1) -> str:
        """The text from `pos` to the end of its line, or of the next line too (prose names wrap)."""
        end = line_end(pos)
        if lines > 1 and end < len(text):
            end = line_end(end + 1)
        return text[pos:end]

    def value_at(pos: int) -> int:
        """Where the value of a label ending at `pos` starts: on its line, or, when nothing follows the label
        there, on the next line (a value written under its label)."""
        if _unleader(rest(pos)).strip() or pos >= len(text):
            return pos
        nxt = line_end(pos) + 1
        if nxt >= len(text) or _LABEL_AT_LINE_START.match(text, nxt):
            return pos  # a heading ("Về phía người vợ:") over labelled lines: no value of its own
        return nxt

    def role_of(role: str, pos: int) -> str:
        """A generic label's person takes the role of the section they stand in, else the type's default."""
        if role != "subject":
            return role
        section = [r for at, r in headings if at < pos]
        return section[-1] if section else default_role

    def official(end: int) -> bool:
        """Whether the words after a name make it an official's ("…, Trưởng phòng Tư pháp")."""
        after = fold(re.sub(r"^[\s,\-–(]+", "", text[end : end + 60]))
        return any(after.startswith(fold(t)) for t in labels.officials)

    def take(kind: str, role: str, label_start: int, end: int, *, surname: bool = False) -> bool:
        """Read the value of a label of `kind` whose value starts at `end`; an event for it, if one is there."""
        end = value_at(end)
        value = _unleader(rest(end))
        parsed: str | date | int | None
        parted = False
        if kind == "name":
            found = name_at(value, surname=surname, anchored=True)
            longer = _LONGER_LABEL.match(rest(end)) if found is None else None
            if longer:  # "Họ và tên chủ hộ kinh doanh: NGUYỄN VĂN A": the label goes on to its colon
                found = name_at(_unleader(longer.group(2)), surname=surname, anchored=True)
                role = _role_in(longer.group(1), labels.role_words) or role
                end = value_at(end + longer.start(2))
            parsed, parted = (found.name, found.spaces_restored) if found else (None, False)
        elif kind == "dob":
            parsed = _date_after_label(value) or (_mended_birth_date(value) if by_hand(end, 10) else None)
            if ends_in_number_words(value):  # "… chín mươi⏎chín", "… tháng mười một năm⏎một nghìn…": it wraps
                parsed = _date_after_label(f"{value} {_unleader(rest(line_end(end) + 1))}") or parsed
        elif kind == "birth_year":
            parsed = _year_from(value, this_year)
        elif kind == "sex":
            parsed = _sex_from(value)
        else:
            parsed = _id_wrapped(_unleader(rest(end, lines=2)))
        if parsed is None:
            return False
        taken.append((label_start, end))
        if kind == "name":
            named.append((end, line_end(end)))
        written = by_hand(end, 10 if isinstance(parsed, date) else len(str(parsed)))
        raw: str | date = (parsed if kind != "dob" else (_date_after_label(value) or value.strip()[:12])) \
            if not isinstance(parsed, int) else str(parsed)
        if kind == "name" and written:  # its first letter may have run into the dots before it
            parsed = restore_surname(str(parsed))
        at = len(text[:end]) + len(text[end:]) - len(text[end:].lstrip(" "))
        events.append(_Event(label_start, kind, parsed if not isinstance(parsed, int) else str(parsed),
                             role_of(role, label_start), written, at, raw, parted=parted))
        return True

    def scan(kinds: list[tuple[str, str, str]]) -> None:
        for label, kind, role in sorted(kinds, key=lambda k: -len(k[0])):  # longest label wins an overlap
            for m in _label_pattern(label).finditer(folded):
                if free(m.start(), m.end(), taken) and not take(kind, role, m.start(), m.end()) \
                        and unread is not None and kind in ("personal_number", "old_id") \
                        and (re.search(r"[:|]", m.group(0)) or not rest(m.end()).strip()):  # a field, not prose
                    printed = nfc(text[m.start() : m.end()]).strip().strip(":;.|").strip()
                    unread.extend([printed] if printed not in unread else [])

    configured: list[tuple[str, str, str]] = [(n.label, "name", n.role) for n in labels.name]
    configured += [(lab, "dob", "") for lab in labels.dob]
    configured += [(lab, "birth_year", "") for lab in labels.birth_year]
    configured += [(lab, "sex", "") for lab in labels.sex]
    configured += [(lab, "personal_number", "") for lab in labels.personal_number]
    configured += [(lab, "old_id", "") for lab in labels.old_id]
    scan(configured)
    scan(list(learned))  # after: a learned wording reads only where no configured label already stands
    scan(_misread_labels(folded, [k for k in configured if k[1] != "sex"], taken))
    for word, kind in labels.id_words.items():  # "Số thẻ căn cước 0402…" in a sentence, no colon
        words = re.findall(r"\w+", fold(word))
        for m in re.finditer(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", folded):
            lead = _TO_FIGURES.match(text, m.end())
            if lead and free(m.start(), lead.end(), taken):
                take(kind, "", m.start(), lead.end())
    for m in _ANY_LABEL.finditer(text):  # any other label, known by its words
        if free(m.start(1), m.end(), taken) and (found := _label_kind(m.group(1), labels)) is not None:
            take(found[0], found[1], m.start(1), m.end(), surname=True)
    _columns(text, labels, taken, lambda kind, role, start, end: take(kind, role, start, end, surname=True))
    for h in labels.honorifics:
        for m in re.finditer(r"(?<!\w)" + re.escape(fold(h)) + r"\s+", folded):
            before = text[text.rfind("\n", 0, m.start()) + 1 : m.start()].split()
            if not is_honorific(text[m.start() : m.end()].strip(), [h]) or (
                    before and before[-1].isalpha() and before[-1][0].isupper()):
                continue  # a name's last word ("Cao Thu Anh"), not an honorific
            value = _LEADERS.sub(lambda d: " " * len(d.group()), rest(m.end(), lines=2))  # offsets kept
            run = name_span(value, labels.honorifics, stops, anchored=True)
            if run is None:
                continue
            name, span = run.name, run.end
            if free(m.end(), m.end() + span, named) and not official(m.end() + span):
                written = by_hand(m.end(), len(name))
                named.append((m.end(), m.end() + span))
                relation = _role_in(" ".join(before[-3:]), {**labels.role_words, **labels.relations})
                events.append(_Event(m.start(), "name", restore_surname(name) if written else name,
                                     role_of(relation or "subject", m.start()), written, m.end(), name,
                                     parted=run.spaces_restored))
    events += _name_lines(text, events, lambda line: None if _role_in(line, labels.role_words) else name_at(
        line, surname=True), default_role, [*taken, *named], by_hand)  # a heading ("PHẦN GHI VỀ VỢ") is no name
    events += _bare_numbers(text, [*taken, *named], {e.at for e in events}, by_hand)
    return sorted(events, key=lambda e: e.pos)


# A line that is a 12-figure number, alone or after a label OCR could not read ("DöLCC21): 0520 7920 3535").
_BARE_NUMBER = re.compile(r"(?m)^[ \t]*(?:[^\d\n]{1,40}?[:|][ \t]*)?(\d[\d .]{10,18}\d)[ \t.]*$")


def _bare_numbers(text: str, spans: Sequence[tuple[int, int]], starts: set[int],
                  by_hand: Callable[[int, int], bool]) -> list[_Event]:
    """Personal numbers whose label was lost: "Số CCCD" in small capitals is the label Tesseract garbles most. Such a
    number is only a candidate: `_persons` gives it to the person it stands under when it encodes their year of
    birth and a real province, which a number of another kind (a phone, a parcel, a file) almost never does."""
    found = []
    for m in _BARE_NUMBER.finditer(text):
        number = digits_only(m.group(1))
        if len(number) != 12 or m.start(1) in starts or not all(
                m.end(1) <= x or m.start(1) >= y for x, y in spans):
            continue
        found.append(_Event(m.start(), "personal_number", number, "", by_hand(m.start(1), len(m.group(1))),
                            m.start(1), number, bare=True))
    return found


def _columns(text: str, labels: Labels, taken: Sequence[tuple[int, int]],
             take: Callable[[str, str, int, int], bool]) -> None:
    """A table with a header row ("STT | Họ tên | Ngày sinh | Số CCCD") and rows of values under it: each value read
    as its column's label says. Only the first row under the header: one person per such table is what forms
    print; a list of many people is read by the honorific and name-line rules."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for i in range(len(lines) - 1):
        head, row = lines[i].split("|"), lines[i + 1].split("|")
        if len(head) < 3 or not 2 <= len(row) <= len(head):  # blank cells at a row's end are not printed
            continue
        kinds = [_column_kind(cell, labels) for cell in head]
        if not any(k is not None and k[0] == "name" for k in kinds):
            continue
        pos = offsets[i + 1]
        for cell, kind in zip(row, kinds, strict=False):  # a row may stop short of the header
            start = pos + len(cell) - len(cell.lstrip())
            if kind is not None and all(start + 1 <= x or start >= y for x, y in taken):
                take(kind[0], kind[1], offsets[i], start)
            pos += len(cell) + 1


def _column_kind(cell: str, labels: Labels) -> tuple[str, str] | None:
    """What a header cell's label is: a configured wording of a field, or a label known by its words."""
    folded = squash(fold(cell))
    if not folded:
        return None
    for kind, wordings in (("dob", labels.dob), ("birth_year", labels.birth_year), ("sex", labels.sex),
                           ("personal_number", labels.personal_number), ("old_id", labels.old_id)):
        if any(_label_pattern(w).fullmatch(folded) or squash(fold(w)) == folded for w in wordings):
            return kind, ""
    for n in labels.name:
        if squash(fold(n.label)) == folded:
            return "name", n.role
    return _label_kind(cell, labels)


_LIST_MARK = re.compile(r"^\s*(?:\d{1,3}[.)]|[-–•+*])\s*")  # "1. ", "- ": an item of a list of people
ANCHOR_LINES = 2  # a name line stands at most this many lines above the number that anchors its person


def _name_lines(text: str, events: Sequence[_Event], name_at: Callable[[str], NameSpan | None], role: str,
                spans: Sequence[tuple[int, int]], by_hand: Callable[[int, int], bool]) -> list[_Event]:
    """People named by a line that is wholly a name with no label ("NGUYỄN VĂN AN" or "Lý Đình Hùng" over "Số định
    danh cá nhân: …", as lists and tables print them): beginning with a known surname, not already read as a label
    or a name, with a date of birth, personal number or old ID in the next ANCHOR_LINES lines and no other name
    between. A signer's name under their title has none of these after it."""
    anchors = [e.pos for e in events if e.kind in ("personal_number", "old_id", "dob", "birth_year")]
    names = [e.pos for e in events if e.kind == "name"]
    found = []
    for m in re.finditer(r"(?m)^[^\n]*$", text):
        start, end = m.start(), m.end()
        line = _LIST_MARK.sub("", m.group(0))
        words = line.split()
        run = name_at(line) if 1 <= len(words) <= 6 else None
        if run is None or not is_surname(run.name.split()[0]) or len(run.name.split()) < len(words) - 1 \
                or any(not (end <= x or start >= y) for x, y in spans):
            continue
        name = run.name
        reach = end
        for _ in range(ANCHOR_LINES):
            nxt = text.find("\n", reach + 1)
            reach = len(text) if nxt < 0 else nxt
        anchor = next((a for a in anchors if end < a <= reach), None)
        if anchor is not None and not any(start < n < anchor for n in names):
            at = start + len(m.group(0)) - len(line)
            found.append(_Event(start, "name", name, role, by_hand(at, len(name)), at, name,
                                parted=run.spaces_restored))
    return found


def _persons(events: Sequence[_Event], default_role: str) -> tuple[list[Person], list[tuple[int, str, _Event]]]:
    """The people, and for each value filled in by hand, (person index, field, the event it was read from)."""
    persons: list[Person] = []
    sources: list[tuple[Person, str, _Event]] = []
    current: Person | None = None
    for event in events:
        if event.kind == "name":
            current = Person(role=event.role, name=str(event.value), handwritten=["name"] if event.by_hand else [])
            persons.append(current)
            if event.by_hand:
                sources.append((current, "name", event))
            continue
        if current is None:
            current = Person(role=default_role)
            persons.append(current)
        taken = None
        if event.kind == "dob" and current.dob is None and isinstance(event.value, date):
            current.dob, taken = event.value, "dob"
        elif event.kind == "birth_year" and current.dob is None and current.birth_year is None:
            current.birth_year, taken = int(str(event.value)), "birth_year"
        elif event.kind == "sex" and current.sex is None:
            current.sex, taken = str(event.value), "sex"
        elif event.kind in ("personal_number", "old_id"):
            number = str(event.value)
            if event.bare and not _encodes_birth(number, current):
                continue
            if is_old_id(number) and current.old_id is None:
                current.old_id, taken = number, "old_id"
            elif current.personal_number is None and not is_old_id(number):
                current.personal_number, taken = number, "personal_number"
        if taken and event.by_hand:
            current.handwritten.append(taken)
            sources.append((current, taken, event))
    for person in persons:
        if person.personal_number:
            person.problems = list(
                check_personal_number(person.personal_number, dob=person.dob, sex=person.sex).problems
            )
    kept = [p for p in persons if p.name or p.personal_number or p.old_id]
    return kept, [(kept.index(p), name, e) for p, name, e in sources if p in kept]


def _encodes_birth(number: str, person: Person) -> bool:
    """Whether an unlabelled number is this person's personal number: a real province, and the year of birth the
    paper gives them. Needs that year: a person with none takes no unlabelled number."""
    if person.personal_number is not None:
        return False
    check = check_personal_number(number)
    year = person.dob.year if person.dob else person.birth_year
    return year is not None and check.province is not None and check.birth_year == year


HAND_FIELDS = {"name": "họ tên", "dob": "ngày sinh", "personal_number": "số định danh cá nhân", "old_id": "số CMND"}


def _hand_evidence(sources: Sequence[tuple[int, str, _Event]], persons: Sequence[Person], text: str,
                   lines: Lines) -> dict[str, FieldEvidence]:
    """For each value filled in by hand (a name, a date of birth, an ID), Tesseract's reading beside the second
    reader's reading of the same words: `persons.<n>.<field>` -> the evidence, confirmed when the two agree. A name
    is compared on its letters (the second reader has no Vietnamese marks): its marks are Tesseract's, believed
    only when every word is a Vietnamese syllable. Where Tesseract's reading could not be the value (a birth year
    "4976"; a surname that lost its first letter, "OÀNG") and a rule left exactly one value it could be, that value
    is what Tesseract's reading says, and it is believed only if the second reader read it as such."""
    out: dict[str, FieldEvidence] = {}
    for index, name, event in sources:
        if event.at < 0 or name not in HAND_FIELDS:  # the sex ("Nam", "Nữ") is checked against the ID, not read twice
            continue
        line, column = _line_and_column(text, event.at)
        word = text[event.at - column : event.at].count(" ")
        value = getattr(persons[index], name)
        shown = f"{value:%d/%m/%Y}" if isinstance(value, date) else str(value)
        confidence, _ = lines.over(line, column, column + max(1, len(shown)))
        kind = "letters" if name == "name" else "figures"
        ours = _letters(shown) if kind == "letters" else shown
        as_read = event.raw if event.raw != "" else value  # before any rule mended it
        read = f"{as_read:%d/%m/%Y}" if isinstance(as_read, date) else str(as_read)
        seen_first: str | None = _letters(read) if kind == "letters" else read
        mended = ""
        if name == "dob" and not isinstance(as_read, date):  # "10/08/4976": mended to the one year it can be
            seen_first = shown if _mended_birth_date(read) == value else None
            mended = f"Tesseract đọc «{read}», năm sinh chỉ có thể là {value:%Y}" if seen_first else ""
        elif kind == "letters" and seen_first != ours and restore_surname(str(as_read)) == shown:
            seen_first, mended = ours, f"Tesseract đọc «{read}», họ chỉ có thể là {shown.split()[0]}"
        readings = [FieldReading(reader=lines.reader, place=HEADER, value=seen_first or None, raw=read or shown,
                                 confidence=confidence, by_hand=True)]
        words = range(word, word + max(1, len(shown.split())))
        for r in lines.second.get(line, ()):
            first, _, last = r.slot.removeprefix(f"{kind}:").partition("-")
            if r.slot.startswith(f"{kind}:") and int(first) <= words[-1] and words[0] <= int(last):
                seen = _letters(r.value) if kind == "letters" else _figure_value(name, r.value)
                readings.append(FieldReading(reader=r.reader, place=HEADER, value=seen, raw=r.free or r.value,
                                             confidence=r.confidence, by_hand=True, page=r.page, box=list(r.box)))
        if name == "dob" and len(readings) == 1:  # a birth date taken from its words ("Ghi bằng chữ: ngày mười
            # sáu…"): the figures written on the line beside it are a second place, read by the second reader
            for near in (line - 1, line + 1):
                for r in lines.second.get(near, ()):
                    seen = _figure_value(name, r.value) if r.slot.startswith("figures:") else None
                    if seen is not None:
                        readings.append(FieldReading(reader=r.reader, place="dòng ngày sinh bằng số", value=seen,
                                                     raw=r.free or r.value, confidence=r.confidence, by_hand=True,
                                                     page=r.page, box=list(r.box)))
        verdict = decide(readings)
        confirmed = verdict.confirmed and verdict.value == ours and len(readings) > 1
        why = verdict.why
        if confirmed and kind == "letters":
            confirmed = all(is_syllable(w) for w in shown.split())
            why = ("chữ cái: hai bộ đọc khớp; dấu thanh theo Tesseract" if confirmed
                   else "chữ cái khớp nhưng có chữ không phải âm tiết tiếng Việt")
        if confirmed and mended:
            why = f"{mended}, đúng như bộ đọc thứ hai đọc"
        out[f"persons.{index}.{name}"] = FieldEvidence(
            value=shown, confirmed=confirmed, readings=readings,
            reason=why if confirmed else f"{describe(readings)}; {why}")
    return out


def _named(persons: Sequence[Person], names: Sequence[_Event]) -> list[tuple[int, _Event]]:
    """Each named person's index with the name event it was made from: every name event opens one person, in
    order, and every person with a name is kept."""
    return list(zip([i for i, p in enumerate(persons) if p.name], names, strict=False))


def _misread_names(persons: Sequence[Person], names: Sequence[_Event], evidence: Mapping[str, FieldEvidence],
                   reader: str) -> dict[str, FieldEvidence]:
    """Names holding a word that is no Vietnamese syllable (nor a part of a Highlands name): "HỒ VĂN ILONG", "I.Ê
    THANH TÂM". A first word one letter from exactly one known surname is mended to it ("LÊ THANH TÂM"); either
    way the name is flagged, with what was read: never stored as read without a word. So is a name read with its
    spaces lost ("NGUYÊNNGỌCNGA") and parted by its syllables: the one parting is likely, not read."""
    out: dict[str, FieldEvidence] = {}
    parted = {i for i, e in _named(persons, names) if e.parted}
    for index, person in enumerate(persons):
        key = f"persons.{index}.name"
        words = (person.name or "").split()
        odd = [w for w in words if not is_name_word(w)]
        earlier = evidence.get(key)  # a name read by hand has its own evidence (two readers)
        if not (odd or index in parted) or (earlier is not None and earlier.confirmed):
            continue
        read = person.name or ""
        mended = mend_surname(words[0]) if odd == [words[0]] else None
        if mended is not None:
            person.name = " ".join([mended, *words[1:]])
            why = (f"«{words[0]}» không phải âm tiết tiếng Việt; họ gần nhất và duy nhất là {mended}: đã sửa thành "
                   f"«{person.name}», cần đối chiếu với bản giấy")
        elif odd:
            why = f"«{', '.join(odd)}» không phải âm tiết tiếng Việt (có thể đọc sai): cần đối chiếu với bản giấy"
        else:
            why = (f"họ tên đọc liền, mất dấu cách («{read.replace(' ', '')}»); đã tách theo âm tiết thành "
                   f"«{read}»: cần đối chiếu với bản giấy")
        if earlier is not None:  # flagged already: the pre-filled value mended, the reason told
            out[key] = earlier.model_copy(update={"value": person.name, "reason": f"{earlier.reason}; {why}"})
            continue
        out[key] = FieldEvidence(value=person.name, confirmed=False, reason=why,
                                 readings=[FieldReading(reader=reader, place=HEADER, value=_letters(read), raw=read)])
    return out


# A printed name word Tesseract read under this confidence may have lost or swapped a tone mark. On 42 forms of the
# development part: the words read wrong came at 47% and 51% (and one at 93%, which no confidence can catch), the
# 147 read right at 59% and over (all but one at 79% and over).
NAME_DOUBT = 55.0


def _line_and_column(text: str, at: int) -> tuple[int, int]:
    """Which line of the joined text character `at` is on, and how far into that line."""
    return text.count("\n", 0, at), at - (text.rfind("\n", 0, at) + 1)


def _unsure_names(persons: Sequence[Person], names: Sequence[_Event], text: str, lines: Lines,
                  evidence: Mapping[str, FieldEvidence]) -> dict[str, FieldEvidence]:
    """Printed names with a word Tesseract read unsurely: "HUYÊN" at 47% where the paper says HUYỀN. Every such
    word is still a syllable (a lost mark leaves another one), so only the reader's own doubt tells: the name is
    kept as read and flagged with that doubt. Clean print reads at 85% and more; a mark misread falls far below.
    A mark misread at high confidence ("QUẦN" at 85% for QUÂN) is caught by the names people bear: a word no common
    name word is, whose tone changed makes one, is flagged with that reading. A known surname (and a middle THỊ or
    VĂN) takes its marks from the list, whatever the reader's doubt."""
    out: dict[str, FieldEvidence] = {}
    for index, event in _named(persons, names):
        key = f"persons.{index}.name"
        person = persons[index]
        if key in evidence or event.by_hand or event.at < 0 or person.name is None:
            continue
        line, start = _line_and_column(text, event.at)
        spelled_by_rule = 1 + (len(person.name.split()) > 2 and fold(person.name.split()[1]) in ("thi", "van")) \
            if is_surname(person.name.split()[0]) else 0  # a known surname (and THỊ/VĂN) has its marks from the list
        words = str(event.raw).split()
        skip = len(" ".join(words[:spelled_by_rule])) + (1 if spelled_by_rule else 0)
        if skip >= len(str(event.raw)):
            continue
        confidence, _ = lines.over(line, start + skip, start + len(str(event.raw)))
        rare = [(w, alt) for w in person.name.split()[spelled_by_rule:] if (alt := tone_misread(w))] \
            if lines.confidences is not None else []  # a text layer's marks are the issuer's own, not a reading
        if confidence >= NAME_DOUBT and not rare:
            continue
        reason = (f"Tesseract đọc họ tên không chắc (độ tin cậy {confidence:.0f}%): cần đối chiếu dấu thanh với "
                  f"bản giấy") if confidence < NAME_DOUBT else "; ".join(
            f"«{w}» ít gặp trong tên người, có thể là «{' / '.join(alt)}» (dấu thanh đọc sai)" for w, alt in rare
        ) + ": cần đối chiếu với bản giấy"
        out[key] = FieldEvidence(
            value=person.name, confirmed=False, reason=reason,
            readings=[FieldReading(reader=lines.reader, place=HEADER, value=_letters(person.name),
                                   raw=str(event.raw), confidence=confidence)])
    return out


def _figure_value(name: str, read: str) -> str | None:
    """The second reader's figures as the field's value: a day as dd/mm/yyyy, an ID as its digits."""
    if name == "dob":
        if "/" in read:  # "10/08/19.76": a dot of the blank's leader read among the figures
            read = read.replace(".", "").strip()
        found = _date_after_label(read) or _mended_birth_date(read)
        return f"{found:%d/%m/%Y}" if found else None
    digits = digits_only(read)
    return digits or None


def _letters(name: str) -> str:
    """A name's letters, upper case, without marks or spaces: what two readers of it can be compared on."""
    return re.sub(r"[^A-Z]", "", fold(name).upper())


def _register_book(lines: Sequence[str]) -> str | None:
    for line in lines:
        m = _REGISTER_BOOK.search(fold(line))
        if m:  # "Quyển số: 01/2015"
            return "/".join(digits_only(part) for part in m.group(1).replace(" ", "").split("/"))
    return None


def _issuer(lines: Sequence[str], title_index: int | None) -> str | None:
    head = lines[: title_index if title_index is not None else HEADER_LINES_WITHOUT_TITLE]
    parts = []
    for line in head:
        folded = fold(line)
        cut = min((folded.find(m) for m in _MOTTO if m in folded), default=-1)
        if cut >= 0:
            line, folded = line[:cut], folded[:cut]
        line = squash(line)
        letters = [c for c in line if c.isalpha()]
        if (len(letters) < 3 or len(letters) < 0.6 * len(line.replace(" ", "")) or _NUMBER_LINE.match(folded)
                or "quyen so" in folded or _DATE_LINE.search(folded) or letter_case(line) != "upper"):
            continue
        parts.append(nfc(line).upper().strip(" ,.;:-"))
    return correct_issuer(" ".join(parts)) or None


def _issuer_doubt(issuer: str | None, lines: Sequence[str]) -> str | None:
    """Why the issuer needs a person, when the document's date line names the issuer's place with other marks
    ("UBND HUYỆN CHƯ SẼ" beside "Chư Sê, ngày …"): one of the two readings is wrong and neither can be told right.
    A place that is a known name (a province, corrected from the reference list) is trusted as it is."""
    if not issuer:
        return None
    for line in lines:
        m = _DATE_LINE.search(fold(line))
        if m is None:
            continue
        place = nfc(line[m.start():]).split(",")[0].upper().split()
        words = issuer.split()
        for i in range(len(words) - len(place) + 1):
            run = " ".join(words[i : i + len(place)])
            if run != " ".join(place) and fold(run) == fold(" ".join(place)) and not is_known_name(run):
                return (f"Tên địa danh trong cơ quan ban hành «{run}» khác cách viết ở dòng ngày tháng "
                        f"«{' '.join(place).title()}»: cần đối chiếu với bản giấy")
        return None
    return None


def extract(lines: Sequence[str], labels: Labels, *, title_index: int | None,
            confidences: Sequence[Sequence[float]] | None = None, inked: Sequence[Sequence[bool]] | None = None,
            learned: Sequence[tuple[str, str, str]] = (), number_pattern: str = "",
            line_pages: Sequence[int] | None = None, second: Mapping[int, Sequence[FigureReading]] | None = None,
            signed_on: date | None = None, today: date | None = None) -> Extracted:
    """`labels`: the document type's (`Catalogue.labels_for`): its own wordings, the shared ones, its default role.
    `confidences`: per line, the OCR confidence of each word (space-separated); None for a trusted text layer.
    `inked`: per line, whether each word was filled in by hand (in coloured ink or on a dotted blank, `ocr.ink`):
    such values are read, and each is flagged for a person unless a second reading confirms it.
    `learned`: (label, kind, role) wordings learned from reviewers for this type (pipeline.learned_labels);
    `number_pattern`: the type's form of the số/ký hiệu, whose letters are kept as read.
    `line_pages`: the page of each line; `second`: per line, the second reader's readings of its figures
    (`pipeline.second_reading`); `signed_on`: the day the file was first digitally signed, if it came signed;
    `today`: the day it is read (an issue date after either cannot be)."""
    default_role = labels.default_role
    text = "\n".join(nfc(line) for line in lines)
    doubts: dict[str, str] = {}
    evidence: dict[str, FieldEvidence] = {}
    issuer = _issuer(lines, title_index)
    if (doubt := _issuer_doubt(issuer, lines)) is not None:
        doubts["issuer"] = doubt
    known = Lines(lines, confidences, inked, line_pages, second or {})
    found: dict[str, Found] = {"number": read_number(known, number_pattern)}
    number = found["number"].value
    found["issue_date"] = read_issue_date(known, number if isinstance(number, str) else None, signed_on=signed_on,
                                          today=today)
    for name, result in found.items():
        if result.doubt:
            doubts[name] = result.doubt
        if result.evidence is not None:
            evidence[name] = result.evidence
    unread: list[str] = []
    events = _events(text, labels, default_role, learned, _hand_map(lines, inked), unread)
    persons, by_hand = _persons(events, default_role)
    evidence |= _hand_evidence(by_hand, persons, text, known)
    names = [e for e in events if e.kind == "name"]
    evidence |= _misread_names(persons, names, evidence, known.reader)
    evidence |= _unsure_names(persons, names, text, known, evidence)
    issue_date = found["issue_date"].value
    return Extracted(
        number=number if isinstance(number, str) else None,
        issue_date=issue_date if isinstance(issue_date, date) else None,
        issuer=issuer,
        persons=persons,
        register_book=_register_book(lines),
        unread_labels=unread,
        doubts=doubts,
        evidence=evidence,
    )
