"""People as a stream of labelled values in reading order (`Event`): names, dates of birth, sex and ID numbers,
whether labelled, in a table's columns, or a bare number that encodes a person's birth year."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.catalogue import Labels
from domain.dates import ends_in_number_words
from domain.names import is_surname, restore_surname
from domain.personal_number import digits_only
from domain.text import fold, nfc, squash
from pipeline.name_run import NameSpan, is_honorific, name_span
from pipeline.value_labels import (
    ANY_LABEL,
    LABEL_AT_LINE_START,
    LEADERS,
    LONGER_LABEL,
    TO_FIGURES,
    date_after_label,
    id_wrapped,
    label_kind,
    label_pattern,
    mended_birth_date,
    misread_labels,
    role_in,
    section_headings,
    sex_from,
    stop_labels,
    unleader,
    year_from,
)

_ON_A_BLANK = re.compile(r"[.…_·]{3,}")


@dataclass(frozen=True)
class Event:
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


def read_events(text: str, labels: Labels, default_role: str, learned: Sequence[tuple[str, str, str]] = (),
            hand: Sequence[bool] = (), unread: list[str] | None = None) -> list[Event]:
    """The labelled values and names in reading order; `unread` gathers the configured ID labels whose value
    could not be read (a value the reader lost or put elsewhere: a person must look)."""
    folded = fold(text)
    stops = stop_labels(labels)
    headings = section_headings(text, labels.role_words)
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
    events: list[Event] = []

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
        if unleader(rest(pos)).strip() or pos >= len(text):
            return pos
        nxt = line_end(pos) + 1
        if nxt >= len(text) or LABEL_AT_LINE_START.match(text, nxt):
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
        value = unleader(rest(end))
        parsed: str | date | int | None
        parted = False
        if kind == "name":
            found = name_at(value, surname=surname, anchored=True)
            longer = LONGER_LABEL.match(rest(end)) if found is None else None
            if longer:  # "Họ và tên chủ hộ kinh doanh: NGUYỄN VĂN A": the label goes on to its colon
                found = name_at(unleader(longer.group(2)), surname=surname, anchored=True)
                role = role_in(longer.group(1), labels.role_words) or role
                end = value_at(end + longer.start(2))
            parsed, parted = (found.name, found.spaces_restored) if found else (None, False)
        elif kind == "dob":
            parsed = date_after_label(value) or (mended_birth_date(value) if by_hand(end, 10) else None)
            if ends_in_number_words(value):  # "… chín mươi⏎chín", "… tháng mười một năm⏎một nghìn…": it wraps
                parsed = date_after_label(f"{value} {unleader(rest(line_end(end) + 1))}") or parsed
        elif kind == "birth_year":
            parsed = year_from(value, this_year)
        elif kind == "sex":
            parsed = sex_from(value)
        else:
            parsed = id_wrapped(unleader(rest(end, lines=2)))
        if parsed is None:
            return False
        taken.append((label_start, end))
        if kind == "name":
            named.append((end, line_end(end)))
        written = by_hand(end, 10 if isinstance(parsed, date) else len(str(parsed)))
        raw: str | date = (parsed if kind != "dob" else (date_after_label(value) or value.strip()[:12])) \
            if not isinstance(parsed, int) else str(parsed)
        if kind == "name" and written:  # its first letter may have run into the dots before it
            parsed = restore_surname(str(parsed))
        at = len(text[:end]) + len(text[end:]) - len(text[end:].lstrip(" "))
        events.append(Event(label_start, kind, parsed if not isinstance(parsed, int) else str(parsed),
                             role_of(role, label_start), written, at, raw, parted=parted))
        return True

    def scan(kinds: list[tuple[str, str, str]]) -> None:
        for label, kind, role in sorted(kinds, key=lambda k: -len(k[0])):  # longest label wins an overlap
            for m in label_pattern(label).finditer(folded):
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
    scan(misread_labels(folded, [k for k in configured if k[1] != "sex"], taken))
    for word, kind in labels.id_words.items():  # "Số thẻ căn cước 0402…" in a sentence, no colon
        words = re.findall(r"\w+", fold(word))
        for m in re.finditer(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", folded):
            lead = TO_FIGURES.match(text, m.end())
            if lead and free(m.start(), lead.end(), taken):
                take(kind, "", m.start(), lead.end())
    for m in ANY_LABEL.finditer(text):  # any other label, known by its words
        if free(m.start(1), m.end(), taken) and (found := label_kind(m.group(1), labels)) is not None:
            take(found[0], found[1], m.start(1), m.end(), surname=True)
    _columns(text, labels, taken, lambda kind, role, start, end: take(kind, role, start, end, surname=True))
    for h in labels.honorifics:
        for m in re.finditer(r"(?<!\w)" + re.escape(fold(h)) + r"\s+", folded):
            before = text[text.rfind("\n", 0, m.start()) + 1 : m.start()].split()
            if not is_honorific(text[m.start() : m.end()].strip(), [h]) or (
                    before and before[-1].isalpha() and before[-1][0].isupper()):
                continue  # a name's last word ("Cao Thu Anh"), not an honorific
            value = LEADERS.sub(lambda d: " " * len(d.group()), rest(m.end(), lines=2))  # offsets kept
            run = name_span(value, labels.honorifics, stops, anchored=True)
            if run is None:
                continue
            name, span = run.name, run.end
            if free(m.end(), m.end() + span, named) and not official(m.end() + span):
                written = by_hand(m.end(), len(name))
                named.append((m.end(), m.end() + span))
                relation = role_in(" ".join(before[-3:]), {**labels.role_words, **labels.relations})
                events.append(Event(m.start(), "name", restore_surname(name) if written else name,
                                     role_of(relation or "subject", m.start()), written, m.end(), name,
                                     parted=run.spaces_restored))
    events += _name_lines(text, events, lambda line: None if role_in(line, labels.role_words) else name_at(
        line, surname=True), default_role, [*taken, *named], by_hand)  # a heading ("PHẦN GHI VỀ VỢ") is no name
    events += _bare_numbers(text, [*taken, *named], {e.at for e in events}, by_hand)
    return sorted(events, key=lambda e: e.pos)


# A line that is a 12-figure number, alone or after a label OCR could not read ("DöLCC21): 0520 7920 3535").
_BARE_NUMBER = re.compile(r"(?m)^[ \t]*(?:[^\d\n]{1,40}?[:|][ \t]*)?(\d[\d .]{10,18}\d)[ \t.]*$")


def _bare_numbers(text: str, spans: Sequence[tuple[int, int]], starts: set[int],
                  by_hand: Callable[[int, int], bool]) -> list[Event]:
    """Personal numbers whose label was lost: "Số CCCD" in small capitals is the label Tesseract garbles most. Such a
    number is only a candidate: `group_persons` gives it to the person it stands under when it encodes their year of
    birth and a real province, which a number of another kind (a phone, a parcel, a file) almost never does."""
    found = []
    for m in _BARE_NUMBER.finditer(text):
        number = digits_only(m.group(1))
        if len(number) != 12 or m.start(1) in starts or not all(
                m.end(1) <= x or m.start(1) >= y for x, y in spans):
            continue
        found.append(Event(m.start(), "personal_number", number, "", by_hand(m.start(1), len(m.group(1))),
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
        if any(label_pattern(w).fullmatch(folded) or squash(fold(w)) == folded for w in wordings):
            return kind, ""
    for n in labels.name:
        if squash(fold(n.label)) == folded:
            return "name", n.role
    return label_kind(cell, labels)


_LIST_MARK = re.compile(r"^\s*(?:\d{1,3}[.)]|[-–•+*])\s*")  # "1. ", "- ": an item of a list of people


ANCHOR_LINES = 2  # a name line stands at most this many lines above the number that anchors its person


def _name_lines(text: str, events: Sequence[Event], name_at: Callable[[str], NameSpan | None], role: str,
                spans: Sequence[tuple[int, int]], by_hand: Callable[[int, int], bool]) -> list[Event]:
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
            found.append(Event(start, "name", name, role, by_hand(at, len(name)), at, name,
                                parted=run.spaces_restored))
    return found
