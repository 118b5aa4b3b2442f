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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from rapidfuzz import fuzz

from domain.catalogue import Labels
from domain.dates import date_spans, find_dates, make_date
from domain.issuers import correct_issuer, is_known_name
from domain.names import correct_name, is_surname, restore_surname
from domain.personal_number import DIGIT_LOOKALIKES, check_personal_number, digits_only, is_old_id
from domain.records import Person
from domain.text import fold, nfc, squash

_ID_CHARS = r"[0-9OoIlSB]"
_ID_VALUE = re.compile(rf"\s*({_ID_CHARS}[0-9OoIlSB .]{{6,20}}{_ID_CHARS})")
# "Số: 237/QĐ-UBND", "Số: 209 /QĐ-UBND" (a handwritten number before the printed tail), "Số: /QĐ-UBND" (left blank)
_NUMBER_LINE = re.compile(r"^\s*s[o0]\s*[:.;]\s*(\S*?(?:\s*/\S+)?)(?=\s|$)")
_REGISTER_BOOK = re.compile(r"quyen\s*so\s*[:.;]?\s*([0-9oil]+(?:\s*/\s*[0-9oil]{2,4})?)")
_MOTTO = ("cong hoa", "xa hoi chu nghia", "doc lap", "tu do", "hanh phuc")
# The document's own date line: a place, a comma, then "ngày … tháng … năm …" ("Bạc Liêu, ngày 18 tháng 02 năm
# 2025"), at the start of a line or after the số on a text layer that joined the two columns.
_DATE_LINE = re.compile(r"(?:^|\s)[a-z][a-z .]{1,40},\s*ngay(?![a-z])")
_LOOKALIKES = str.maketrans({"\u2044": "/", "\u2215": "/", "\uff0f": "/", "\u2010": "-", "\u2011": "-",
                             "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})
# Dotted leaders of a blank a value was written on ("HỒ VĂN PHÚC.......", "VĂN.PHÚC"): not part of the value.
_LEADERS = re.compile(r"[.…_·]{2,}|(?<=[^\W\d_])\.(?=[^\W\d_]{2})")
_STRAY_MARKS = re.compile(r"^[\W_]+")  # a comma, slash or "#" where a pen stroke began: no letter or digit
_ON_A_BLANK = re.compile(r"[.…_·]{3,}")
BY_HAND_SIGNS = "mực màu, nét nghiêng hoặc điền trên dòng chấm"  # what told a value written in by hand (ocr.ink)
CONFIDENT = 80.0  # a number or date read with a word under this confidence is handwritten or blurred: a person checks
LABEL_REACH = 40  # characters after a label within which its value starts
BIRTH_YEARS = 130  # a birth date lies no further back than this
_HAND_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d)(\d{3})(?!\d)")
_ISSUE_DATE_LABELS = ("ngay, thang, nam dang ky", "dang ky lan dau", "ngay cap")
HEADER_LINES_WITHOUT_TITLE = 6
T = TypeVar("T")


@dataclass
class Extracted:
    number: str | None = None
    issue_date: date | None = None
    issuer: str | None = None
    persons: list[Person] = field(default_factory=list)
    register_book: str | None = None  # "Quyển số" of a civil-status register entry
    doubts: dict[str, str] = field(default_factory=dict)  # field -> why a person must check it (Vietnamese)


def normalise_lookalikes(text: str) -> str:
    """Fraction and division slashes as "/", the dashes and minus as "-": OCR and word processors use them."""
    return text.translate(_LOOKALIKES)


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


def _label_pattern(label: str) -> re.Pattern[str]:
    words = re.findall(r"\w+", fold(label))
    return re.compile(r"(?<!\w)" + r"[\s,.;]*".join(map(re.escape, words)) + r"(?!\w)\s*[:;.|]?\s*")


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


def _role_in(words: str, role_words: dict[str, str]) -> str | None:
    """The role a label's own words name ("chủ hộ kinh doanh" -> owner), the longest role word first."""
    folded = f" {fold(squash(words))} "
    for word in sorted(role_words, key=len, reverse=True):
        if f" {fold(word)} " in folded:
            return role_words[word]
    return None


def _is_upperish(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.6


def _name_from(value: str, honorifics: Sequence[str]) -> str | None:
    """The upper-case name at the start of `value` ('ĐẶNG VĂN ĐẠT Giới tính: Nam' -> 'ĐẶNG VĂN ĐẠT')."""
    tokens = value.split()
    if tokens and fold(tokens[0]) in {fold(h) for h in honorifics}:
        tokens = tokens[1:]
    name: list[str] = []
    for token in tokens:
        word = token.strip(",.;:()")
        if not word or not all(c.isalpha() for c in word) or not _is_upperish(word):
            break
        name.append(word.upper())
        if token != word:  # punctuation closes the name
            break
    return correct_name(nfc(" ".join(name))) if len(name) >= 2 else None


def _date_after_label(value: str) -> date | None:
    """The date a label gives: one that starts just after it, in figures or written out in words (which run
    longer: "ngày mười sáu tháng mười một năm hai nghìn không trăm lẻ chín")."""
    return next((found for pos, found in find_dates(value[:LABEL_REACH + 80]) if pos < LABEL_REACH), None)


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


def _events(text: str, labels: Labels, default_role: str,
            learned: Sequence[tuple[str, str, str]] = (), hand: Sequence[bool] = ()) -> list[_Event]:
    folded = fold(text)

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

    def scan(kinds: list[tuple[str, str, str]]) -> None:
        for label, kind, role in sorted(kinds, key=lambda k: -len(k[0])):  # longest label wins an overlap
            for m in _label_pattern(label).finditer(folded):
                if not free(m.start(), m.end(), taken):
                    continue
                value = _unleader(rest(m.end()))
                end, role_here = m.end(), role
                parsed: str | date | None
                if kind == "name":
                    parsed = _name_from(value, labels.honorifics)
                    longer = _LONGER_LABEL.match(rest(m.end())) if parsed is None else None
                    if longer:  # "Họ và tên chủ hộ kinh doanh: NGUYỄN VĂN A": the label goes on to its colon
                        parsed = _name_from(_unleader(longer.group(2)), labels.honorifics)
                        end = m.end() + longer.start(2)
                        role_here = _role_in(longer.group(1), labels.role_words) or role
                elif kind == "dob":
                    parsed = _date_after_label(value) or (_mended_birth_date(value) if by_hand(end, 10) else None)
                elif kind == "sex":
                    parsed = _sex_from(value)
                else:
                    parsed = _id_from(value)
                if parsed is None:
                    continue
                taken.append((m.start(), end))
                if kind == "name":
                    named.append((end, line_end(end)))
                written = by_hand(end, 10 if isinstance(parsed, date) else len(str(parsed)))
                if kind == "name" and written:  # its first letter may have run into the dots before it
                    parsed = restore_surname(str(parsed))
                events.append(_Event(m.start(), kind, parsed, default_role if role_here == "subject" else role_here,
                                     written))

    configured: list[tuple[str, str, str]] = [(n.label, "name", n.role) for n in labels.name]
    configured += [(lab, "dob", "") for lab in labels.dob]
    configured += [(lab, "sex", "") for lab in labels.sex]
    configured += [(lab, "personal_number", "") for lab in labels.personal_number]
    configured += [(lab, "old_id", "") for lab in labels.old_id]
    scan(configured)
    scan(list(learned))  # after: a learned wording reads only where no configured label already stands
    scan(_misread_labels(folded, [k for k in configured if k[1] != "sex"], taken))
    for h in labels.honorifics:
        for m in re.finditer(r"(?<!\w)" + re.escape(fold(h)) + r"\s+", folded):
            name = _name_from(_unleader(rest(m.end(), lines=2)), labels.honorifics)
            if name and free(m.start(), m.end(), named):
                written = by_hand(m.end(), len(name))
                events.append(_Event(m.start(), "name", restore_surname(name) if written else name, default_role,
                                     written))
    events += _name_lines(text, events, labels.honorifics, default_role, [*taken, *named], by_hand)
    return sorted(events, key=lambda e: e.pos)


_LIST_MARK = re.compile(r"^\s*(?:\d{1,3}[.)]|[-–•+*])\s*")  # "1. ", "- ": an item of a list of people
ANCHOR_LINES = 2  # a name line stands at most this many lines above the number that anchors its person


def _name_lines(text: str, events: Sequence[_Event], honorifics: Sequence[str], role: str,
                spans: Sequence[tuple[int, int]], by_hand: Callable[[int, int], bool]) -> list[_Event]:
    """People named by a line of capitals with no label ("NGUYỄN VĂN AN" over "Số định danh cá nhân: …", as lists
    and tables print them): a line that is wholly a name beginning with a known surname, not already read as a
    label or a name, with a personal number or old ID in the next ANCHOR_LINES lines and no other name between."""
    anchors = [e.pos for e in events if e.kind in ("personal_number", "old_id")]
    names = [e.pos for e in events if e.kind == "name"]
    found = []
    for m in re.finditer(r"(?m)^[^\n]*$", text):
        start, end = m.start(), m.end()
        line = _LIST_MARK.sub("", m.group(0))
        words = line.split()
        name = _name_from(line, honorifics) if 2 <= len(words) <= 6 else None
        if name is None or not is_surname(name.split()[0]) or len(name.split()) < len(words) - 1 \
                or any(not (end <= x or start >= y) for x, y in spans):
            continue
        reach = end
        for _ in range(ANCHOR_LINES):
            nxt = text.find("\n", reach + 1)
            reach = len(text) if nxt < 0 else nxt
        anchor = next((a for a in anchors if end < a <= reach), None)
        if anchor is not None and not any(start < n < anchor for n in names):
            found.append(_Event(start, "name", name, role, by_hand(start, len(name))))
    return found


def _persons(events: Sequence[_Event], default_role: str) -> list[Person]:
    persons: list[Person] = []
    current: Person | None = None
    for event in events:
        if event.kind == "name":
            current = Person(role=event.role, name=str(event.value), handwritten=["name"] if event.by_hand else [])
            persons.append(current)
            continue
        if current is None:
            current = Person(role=default_role)
            persons.append(current)
        taken = None
        if event.kind == "dob" and current.dob is None and isinstance(event.value, date):
            current.dob, taken = event.value, "dob"
        elif event.kind == "sex" and current.sex is None:
            current.sex, taken = str(event.value), "sex"
        elif event.kind in ("personal_number", "old_id"):
            number = str(event.value)
            if is_old_id(number) and current.old_id is None:
                current.old_id, taken = number, "old_id"
            elif current.personal_number is None and not is_old_id(number):
                current.personal_number, taken = number, "personal_number"
        if taken and event.by_hand:
            current.handwritten.append(taken)
    for person in persons:
        if person.personal_number:
            person.problems = list(
                check_personal_number(person.personal_number, dob=person.dob, sex=person.sex).problems
            )
    return [p for p in persons if p.name or p.personal_number or p.old_id]


def _number(lines: Sequence[str], confidences: Sequence[Sequence[float]] | None,
            doubts: dict[str, str], pattern: str = "", inked: Sequence[Sequence[bool]] | None = None) -> str | None:
    for index, line in enumerate(lines):
        m = _NUMBER_LINE.match(fold(line))
        if not m:
            continue
        raw = normalise_lookalikes(nfc(line[m.start(1) : m.end(1)])).replace(" ", "").strip(".,;:_")
        head, sep, tail = raw.partition("/")
        shown = squash(line[m.start():m.end()])
        if not head:
            doubts["number"] = f"Số để trống trên bản giấy («{shown}»): chưa được điền số"
            return None
        if not head.strip(".,;:_-'‘’"):
            doubts["number"] = f"Không đọc được số trong «{shown}» (số viết tay hoặc mờ): cần đối chiếu với bản giấy"
            return None
        head = head.strip(".,;:_-'‘’")
        as_read = (head + sep + tail).upper()
        if pattern and re.fullmatch(pattern, as_read):
            pass  # the type's own form has letters where digits elsewhere are misread ('84D8417225'): kept as read
        elif re.search(r"\d", head) and re.fullmatch(rf"[0-9{DIGIT_LOOKALIKES}]+", head):
            head = digits_only(head)  # '12O/QĐ-UBND' -> '120/QĐ-UBND', '5Ì' -> '51'
        number = (head + sep + tail).upper()
        weakest = _weakest(confidences, index, line, m.start(1), m.end(1))
        if weakest < CONFIDENT:
            doubts["number"] = (f"Số «{number}» đọc với độ tin cậy {weakest:.0f}% (số viết tay hoặc mờ): cần đối "
                                "chiếu với bản giấy")
        elif _inked_span(inked, index, line, m.start(1), m.start(1) + max(1, len(head))):
            doubts["number"] = f"Số «{number}» viết tay ({BY_HAND_SIGNS}): cần đối chiếu với bản giấy"
        return number
    return None


def _cited_dates(lines: Sequence[str]) -> list[date]:
    """Dates of the documents a decision cites ("Căn cứ Luật … ngày 19 tháng 6 năm 2015"): all precede it."""
    return [d for line in lines if fold(line).lstrip(" -+").startswith("can cu") for _, d in find_dates(line)]


def _issue_date(lines: Sequence[str], confidences: Sequence[Sequence[float]] | None,
                doubts: dict[str, str], inked: Sequence[Sequence[bool]] | None = None) -> date | None:
    for index, line in enumerate(lines):
        folded = fold(line)
        m = _DATE_LINE.search(folded)
        if not m:
            continue
        hits = [(pos, d) for pos, d in find_dates(line[m.start():]) if pos < 40]
        shown = squash(line[m.start():])
        if not hits:  # the document's date line is there but its day or month cannot be read: never a body date
            doubts["issue_date"] = (f"Dòng ngày tháng «{shown}» không đọc được trọn (ngày, tháng thường viết tay): "
                                    "cần đối chiếu với bản giấy")
            return None
        pos, found = hits[0]
        weakest = _weakest(confidences, index, line, m.start() + pos, m.start() + pos + 40)
        if weakest < CONFIDENT and not _read_surely_elsewhere(found, lines, confidences, inked, index):
            doubts["issue_date"] = (f"Ngày ban hành «{shown}» đọc với độ tin cậy {weakest:.0f}% (viết tay hoặc mờ): "
                                    "cần đối chiếu với bản giấy")
        elif _inked_span(inked, index, line, m.start() + pos, m.start() + pos + 30):
            doubts["issue_date"] = f"Ngày ban hành «{shown}» viết tay ({BY_HAND_SIGNS}): cần đối chiếu với bản giấy"
        later = [d for d in _cited_dates(lines) if d > found]
        if later and "issue_date" not in doubts:
            doubts["issue_date"] = (f"Ngày ban hành {found:%d/%m/%Y} trước ngày {max(later):%d/%m/%Y} của văn bản "
                                    "được viện dẫn: có thể đọc sai")
        return found
    for line in lines:  # forms without a date line: the labelled date of registration or issue
        folded = squash(fold(line))
        if any(label in folded for label in _ISSUE_DATE_LABELS):
            dates = find_dates(line)
            if dates:
                return dates[0][1]
    return None


def _read_surely_elsewhere(day: date, lines: Sequence[str], confidences: Sequence[Sequence[float]] | None,
                           inked: Sequence[Sequence[bool]] | None, skip: int) -> bool:
    """Whether the same date stands on another line, read surely and in print ("Ngày, tháng, năm đăng ký:
    12/02/2012" under a blurred date line): two readings agreeing to the day do not both err."""
    for index, line in enumerate(lines):
        if index == skip:
            continue
        for start, end, found in date_spans(line):
            if found == day and _weakest(confidences, index, line, start, end) >= CONFIDENT and not _inked_span(
                    inked, index, line, start, end):
                return True
    return False


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
                or "quyen so" in folded or _DATE_LINE.search(folded) or not _is_upperish(line)):
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
            learned: Sequence[tuple[str, str, str]] = (), number_pattern: str = "") -> Extracted:
    """`labels`: the document type's (`Catalogue.labels_for`): its own wordings, the shared ones, its default role.
    `confidences`: per line, the OCR confidence of each word (space-separated); None for a trusted text layer.
    `inked`: per line, whether each word was filled in by hand (in coloured ink or on a dotted blank, `ocr.ink`):
    such values are read, and each is flagged for a person.
    `learned`: (label, kind, role) wordings learned from reviewers for this type (pipeline.learned_labels);
    `number_pattern`: the type's form of the số/ký hiệu, whose letters are kept as read."""
    default_role = labels.default_role
    text = "\n".join(nfc(line) for line in lines)
    doubts: dict[str, str] = {}
    issuer = _issuer(lines, title_index)
    if (doubt := _issuer_doubt(issuer, lines)) is not None:
        doubts["issuer"] = doubt
    return Extracted(
        number=_number(lines, confidences, doubts, number_pattern, inked),
        issue_date=_issue_date(lines, confidences, doubts, inked),
        issuer=issuer,
        persons=_persons(_events(text, labels, default_role, learned, _hand_map(lines, inked)), default_role),
        register_book=_register_book(lines),
        doubts=doubts,
    )
