"""The document's own số/ký hiệu and issue date: every reading of them gathered, checked against what the paper
itself makes impossible, and believed only on print read surely or on two independent readings that agree
(`pipeline.agreement`).

Readings come from Tesseract's page (the header's "Số: …" and "<place>, ngày … tháng … năm …"), from the second
reader (`pipeline.second_reading`), and from the same values written again: an annex's header citing the document
("Ban hành kèm theo Quyết định số 209/QĐ-UBND ngày 18 tháng 02 năm 2025"), and the year inside a number of the form
"15/2019/QĐ-UBND". A date is impossible after the day it is read (in the future), after the moment the file that
carries it was digitally signed, or before a document it cites as its legal ground.

Each value is given with its evidence: which reader read what, where, how surely, and why it is believed or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import product

from domain.dates import date_spans, find_dates, make_date
from domain.personal_number import DIGIT_LOOKALIKES, digits_only
from domain.records import FieldEvidence, FieldReading
from domain.text import fold, nfc, squash
from pipeline.agreement import PRIMARY, Verdict, decide, describe, sure_alone
from pipeline.second_reading import ANNEX_LINES, CITES_DOCUMENT, DATE_LINE, FigureReading

CONFIDENT = 80.0  # a number or date read with a word under this confidence is handwritten or blurred
HEADER = PRIMARY
BY_HAND_SIGNS = "mực màu, nét nghiêng hoặc điền trên dòng chấm"  # what told a value written in by hand (ocr.ink)
# "Số: 237/QĐ-UBND", "Số: 209 /QĐ-UBND" (a handwritten number before the printed tail), "Số: /QĐ-UBND" (left blank)
_NUMBER_VALUE = re.compile(r"^\s*s[o0]\s*[:.;]\s*(\S*?(?:\s*/\S+)?)(?=\s|$)")
_CITED_NUMBER = re.compile(r"\bs[o0](?![a-z])\s*[:.]?\s*(\S*?)\s*(/\s*(?:\d{4}/)?[a-z][a-z0-9.\-]*)")
# The ký hiệu after the number: letters (with a year before them in some forms): "/QĐ-UBND", "/2019/QĐ-UBND"
_TAIL = re.compile(r"/+((?:(?:19|20)\d\d/)?[^\W\d_][\w.\-]*(?:/[\w.\-]+)*)$")
_PARTS = re.compile(r"ngay\s*(\S*?)\s*thang\s*(\S*?)\s*nam\s*(\S{1,6})")
_SHORT = re.compile(r"ngay\s*(\S{1,3}?)\s*[/.\-]\s*(\S{1,3}?)\s*[/.\-]\s*(\S{4})")
_YEAR_IN_NUMBER = re.compile(r"/((?:19|20)\d\d)/")
_LOOKALIKES = str.maketrans({"\u2044": "/", "\u2215": "/", "\uff0f": "/", "\u2010": "-", "\u2011": "-",
                             "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00d0": "Đ"})
_DOUBLED_D = re.compile(r"ĐĐ+")  # "QĐÐ": an Đ read twice (once as the look-alike Ð)
_JOINED = re.compile(r"^(\d+)([^\W\d_]{2,}[\w.\-]*)$")  # figures, then the letters of a ký hiệu
_REPEATS = re.compile(r"(.)\1+")  # tails compared with letters read twice made one ("qdd-ubnd", "stttt")
DATE_PARTS = ("day", "month", "year")
PART_NAMES = {"day": "ngày", "month": "tháng", "year": "năm"}


def normalise_lookalikes(text: str) -> str:
    """Fraction and division slashes as "/", the dashes and minus as "-", the look-alike Ð as Đ (and an Đ read
    twice as one): OCR and word processors use them."""
    return _DOUBLED_D.sub("Đ", text.translate(_LOOKALIKES))


@dataclass
class Lines:
    """The document's lines with what is known of each: Tesseract's word confidences, words written by hand, the
    page each stands on, and the second reader's readings."""

    text: Sequence[str]
    confidences: Sequence[Sequence[float]] | None = None  # None: a trusted text layer
    inked: Sequence[Sequence[bool]] | None = None
    pages: Sequence[int] | None = None  # per line
    second: Mapping[int, Sequence[FigureReading]] = field(default_factory=dict)

    @property
    def reader(self) -> str:
        return "tesseract" if self.confidences is not None else "text_layer"

    def over(self, index: int, start: int, end: int) -> tuple[float, bool]:
        """The weakest word confidence over characters [start, end) of line `index` (100 for a text layer) and
        whether most of those words were written by hand."""
        line = self.text[index]
        confidences: list[float] = []
        hand: list[bool] = []
        pos = 0
        for n, word in enumerate(line.split(" ")):
            if pos < end and pos + len(word) > start:
                if self.confidences is not None and index < len(self.confidences) and n < len(
                        self.confidences[index]):
                    confidences.append(self.confidences[index][n])
                if self.inked is not None and index < len(self.inked) and n < len(self.inked[index]):
                    hand.append(self.inked[index][n])
            pos += len(word) + 1
        return min(confidences, default=100.0), bool(hand) and sum(hand) * 2 >= len(hand)

    def figures(self, index: int, slot: str) -> list[FigureReading]:
        return [r for r in self.second.get(index, ()) if r.slot == slot]

    def annex_lines(self) -> list[int]:
        """Lines heading an annex that cite a document by number and date: in the first lines of a later page."""
        if self.pages is None:
            return []
        out, first_of_page, page = [], 0, -1
        for index, line in enumerate(self.text):
            here = self.pages[index] if index < len(self.pages) else page
            if here != page:
                page, first_of_page = here, index
            folded = fold(line)
            if page > 0 and index - first_of_page < ANNEX_LINES and "kem theo" in folded \
                    and CITES_DOCUMENT.search(folded):
                out.append(index)
        return out


@dataclass
class Found:
    value: str | date | None
    doubt: str | None  # Vietnamese: why a person must check it
    evidence: FieldEvidence | None  # None for print read surely alone


def _second(r: FigureReading, place: str, by_hand: bool, part: str = "") -> FieldReading:
    return FieldReading(reader=r.reader, place=place, value=r.value or None, part=part, raw=r.free or r.value,
                        confidence=r.confidence, by_hand=by_hand, page=r.page, box=list(r.box))


def _annex_place(lines: Lines, index: int) -> str:
    page = lines.pages[index] + 1 if lines.pages is not None and index < len(lines.pages) else 0
    return f"phụ lục trang {page}"


# The số/ký hiệu ---------------------------------------------------------------------------------------------------

def split_number(raw: str) -> tuple[str, str, str]:
    """A số/ký hiệu as head, "/" and tail: the tail is the ký hiệu's letters ("QĐ-UBND", "2019/QĐ-UBND"), the
    head what stands before them, slashes a pen or OCR doubled ("0//QĐ-UBND") or misread in it ("5⁄4/QĐ-UBND")
    left in the head, where a check of its form finds them."""
    m = _TAIL.search(raw)
    if m is None:
        joined = _JOINED.match(raw)  # "125UBND-XNTTHN": the slash lost between the figures and the letters
        return (joined.group(1), "/", joined.group(2)) if joined else raw.partition("/")
    return raw[: m.start()], "/", m.group(1)


def _head_value(head: str, pattern: str, tail: str) -> str | None:
    """The number a head stands for: its digits when it is written in digits and their look-alikes ('12O' -> '120',
    '5Ì' -> '51'); as read otherwise ('39C8303514', or '4HØ', which a check of its form will doubt); None when no
    letter or figure is left of it ('.-')."""
    head = head.strip(".,;:_-'‘’")
    if not head:
        return None
    if pattern and re.fullmatch(pattern, (head + tail).upper()):
        return head.upper()  # the type's own form has letters where digits elsewhere are misread ('84D8417225')
    if re.search(r"\d", head) and re.fullmatch(rf"[0-9{DIGIT_LOOKALIKES}]+", head):
        return digits_only(head)
    return head.upper()


def read_number(lines: Lines, pattern: str = "") -> Found:
    for index, line in enumerate(lines.text):
        m = _NUMBER_VALUE.match(fold(line))
        if not m:
            continue
        raw = normalise_lookalikes(nfc(line[m.start(1) : m.end(1)])).replace(" ", "").strip(".,;:_")
        head, sep, tail = split_number(raw)
        shown = squash(line[m.start():m.end()])
        confidence, by_hand = lines.over(index, m.start(1), m.start(1) + max(1, len(head)))
        readings = [FieldReading(reader=lines.reader, place=HEADER, value=_head_value(head, pattern, sep + tail),
                                 raw=head, confidence=confidence, by_hand=by_hand)]
        readings += [_second(r, HEADER, by_hand) for r in lines.figures(index, "number")]
        if len(readings) == 1 and not head:  # nothing between "Số:" and the slash, and no ink there either
            return Found(None, f"Số để trống trên bản giấy («{shown}»): chưa được điền số", None)
        readings += _cited_numbers(lines, sep + tail)
        verdict = decide(readings)
        if verdict.value is None:
            return Found(None, f"Không đọc được số trong «{shown}» (số viết tay hoặc mờ): cần đối chiếu với bản "
                         "giấy", _evidence(verdict, readings))
        number = (verdict.value + sep + tail).upper()
        if verdict.confirmed and any(sure_alone(r) for r in readings if r.value == verdict.value) \
                and len(readings) == 1:
            return Found(number, None, None)
        return Found(number, None if verdict.confirmed else _number_doubt(number, verdict, by_hand),
                     _evidence(verdict, readings, number))
    return Found(None, None, None)


def _number_doubt(number: str, verdict: Verdict, by_hand: bool) -> str:
    how = f"viết tay ({BY_HAND_SIGNS})" if by_hand else "đọc không chắc (viết tay hoặc mờ)"
    return (f"Số «{number}» {how}: {describe(verdict.readings)}; {verdict.why}: cần đối chiếu với bản giấy")


def _citing(lines: Lines, tail: str) -> Iterator[tuple[int, re.Match[str], str]]:
    """The annex headers that cite a number of the document's own form (the same "/QĐ-UBND"): line index, the
    citation's match on the line (same offsets as its text), the place's name."""
    want = _REPEATS.sub(r"\1", fold(normalise_lookalikes(tail)).replace(" ", ""))
    for index in lines.annex_lines():
        folded = fold(lines.text[index].translate(_LOOKALIKES))  # of the same length: offsets carry over
        m = _CITED_NUMBER.search(folded)
        if m is not None and (not want or _REPEATS.sub(r"\1", m.group(2).replace(" ", "")) == want):
            yield index, m, _annex_place(lines, index)


def _cited_numbers(lines: Lines, tail: str) -> list[FieldReading]:
    """The number as an annex's header cites it."""
    out = []
    for index, m, place in _citing(lines, tail):
        head = normalise_lookalikes(nfc(lines.text[index][m.start(1) : m.end(1)]))
        confidence, by_hand = lines.over(index, m.start(1), m.end(1))
        out.append(FieldReading(reader=lines.reader, place=place, value=_head_value(head, "", tail), raw=head,
                                confidence=confidence, by_hand=by_hand))
        out += [_second(r, place, by_hand) for r in lines.figures(index, "number")]
    return out


# The issue date ---------------------------------------------------------------------------------------------------

def _part_value(part: str, raw: str) -> str | None:
    """A day, month or year as figures, or None when the characters are no such figure."""
    raw = raw.strip(".,;:")
    if not raw or not re.search(r"\d", raw) or not re.fullmatch(rf"[0-9{DIGIT_LOOKALIKES}]+", raw):
        return None
    value = digits_only(raw)
    number = int(value)
    ok = {"day": 1 <= number <= 31 and len(value) <= 2, "month": 1 <= number <= 12 and len(value) <= 2,
          "year": 1900 <= number <= 2300 and len(value) == 4}[part]
    return str(number) if ok else None


def _tesseract_parts(lines: Lines, index: int, start: int, place: str) -> list[FieldReading]:
    """Day, month and year as Tesseract read them after character `start` of line `index`, each with the
    confidence of its own words; a date in another form (in words, "ngày mùng 5") as its three parts."""
    line = lines.text[index]
    folded = fold(line)
    m = _PARTS.search(folded, start) or _SHORT.search(folded, start)
    if m is None or m.start() - start > 40:
        spans = [(a, b, d) for a, b, d in date_spans(line[start:]) if a < 40]
        if not spans:
            return []
        a, b, found = spans[0]
        confidence, by_hand = lines.over(index, start + a, start + b)
        return [FieldReading(reader=lines.reader, place=place, value=str(v), part=part, raw=line[start + a:start + b],
                             confidence=confidence, by_hand=by_hand)
                for part, v in zip(DATE_PARTS, (found.day, found.month, found.year), strict=True)]
    out = []
    for n, part in enumerate(DATE_PARTS, start=1):
        raw = line[m.start(n) : m.end(n)]
        confidence, by_hand = lines.over(index, m.start(n), max(m.end(n), m.start(n) + 1))
        out.append(FieldReading(reader=lines.reader, place=place, value=_part_value(part, raw), part=part, raw=raw,
                                confidence=confidence, by_hand=by_hand))
    return out


def _second_parts(lines: Lines, index: int, place: str, by_hand: bool) -> list[FieldReading]:
    out = []
    for r in lines.second.get(index, ()):
        if r.slot in DATE_PARTS:
            out.append(_second(r, place, by_hand, r.slot).model_copy(update={"value": _part_value(r.slot, r.value)}))
        elif r.slot == "date":
            pieces = [p for p in re.split(r"[/.\-]", r.value) if p]
            for part, piece in zip(DATE_PARTS, pieces, strict=False):
                out.append(_second(r, place, by_hand, part).model_copy(
                    update={"value": _part_value(part, piece), "raw": piece}))
    return out


def _cited_date_parts(lines: Lines, tail: str) -> list[FieldReading]:
    """The date as an annex's header cites it, after the number."""
    out = []
    for index, m, place in _citing(lines, tail):
        parts = _tesseract_parts(lines, index, m.end(), place)
        by_hand = any(r.by_hand for r in parts)
        out += parts + _second_parts(lines, index, place, by_hand)
    return out


def _cited_dates(lines: Sequence[str]) -> list[date]:
    """Dates of the documents a decision cites ("Căn cứ Luật … ngày 19 tháng 6 năm 2015"): all precede it."""
    return [d for line in lines if fold(line).lstrip(" -+").startswith("can cu") for _, d in find_dates(line)]


def read_issue_date(lines: Lines, number: str | None, *, signed_on: date | None = None,
                    today: date | None = None) -> Found:
    """`number`: the số/ký hiệu read (its year, if it has one, is a second reading of the date's year).
    `signed_on`: the day the file that carries the document was first digitally signed, if it was."""
    for index, line in enumerate(lines.text):
        m = DATE_LINE.search(fold(line))
        if not m:
            continue
        shown = squash(line[m.start():])
        first = _tesseract_parts(lines, index, m.start(), HEADER)
        by_hand = any(r.by_hand for r in first)
        readings = first + _second_parts(lines, index, HEADER, by_hand)
        _, sep, rest = split_number(number or "")
        tail = sep + rest
        readings += _cited_date_parts(lines, tail)
        year = _YEAR_IN_NUMBER.search(number or "")
        if year:
            readings.append(FieldReading(reader=lines.reader, place="số ký hiệu", value=year.group(1), part="year",
                                         raw=number or "", confidence=100.0))
        if not first and not any(r.value for r in readings):
            return Found(None, f"Dòng ngày tháng «{shown}» không đọc được trọn (ngày, tháng thường viết tay): cần "
                         "đối chiếu với bản giấy", None)
        return _judge_date(lines, index, readings, shown, signed_on, today)
    for line in lines.text:  # forms without a date line: the labelled date of registration or issue
        folded = squash(fold(line))
        if any(label in folded for label in _ISSUE_DATE_LABELS):
            dates = find_dates(line)
            if dates:
                return Found(dates[0][1], None, None)
    return Found(None, None, None)


_ISSUE_DATE_LABELS = ("ngay, thang, nam dang ky", "dang ky lan dau", "ngay cap")


def _judge_date(lines: Lines, index: int, readings: list[FieldReading], shown: str, signed_on: date | None,
                today: date | None) -> Found:
    verdicts = {part: decide([r for r in readings if r.part == part]) for part in DATE_PARTS}
    if any(v.value is None for v in verdicts.values()):
        missing = ", ".join(PART_NAMES[p] for p, v in verdicts.items() if v.value is None)
        return Found(None, f"Dòng ngày tháng «{shown}» không đọc được {missing} (thường viết tay): "
                     f"{describe(readings)}; cần đối chiếu với bản giấy", _date_evidence(None, False, "", readings))
    cited = _cited_dates(lines.text)
    impossible: list[str] = []

    def possible(day: date) -> str | None:
        if today is not None and day > today:
            return f"sau ngày số hóa {today:%d/%m/%Y}"
        if signed_on is not None and day > signed_on:
            return f"sau ngày tệp được ký số {signed_on:%d/%m/%Y}"
        later = [d for d in cited if d > day]
        if later:
            return f"trước ngày {max(later):%d/%m/%Y} của văn bản được viện dẫn"
        return None

    chosen = _compose(verdicts, readings, possible, impossible)
    if chosen is None:
        return Found(None, f"Dòng ngày tháng «{shown}» không thành một ngày có thật: {describe(readings)}; cần đối "
                     "chiếu với bản giấy", _date_evidence(None, False, "", readings))
    day, changed = chosen
    confirmed = not changed and not impossible and all(v.confirmed for v in verdicts.values())
    if not confirmed and not impossible and _read_surely_elsewhere(day, lines, index):
        confirmed, why = True, "cùng ngày được in rõ ở chỗ khác trong văn bản"
    else:
        why = _date_why(verdicts, confirmed)
    if confirmed and all(sure_alone(r) for r in readings if r.value) and not lines.second.get(index):
        return Found(day, None, None)
    doubt = None
    if not confirmed:
        by_hand = any(r.by_hand for r in readings if r.place == HEADER)
        how = f"viết tay ({BY_HAND_SIGNS})" if by_hand else "đọc không chắc (viết tay hoặc mờ)"
        if impossible and not changed:
            why = f"không thể như đã đọc: {'; '.join(impossible)}"
        elif impossible:
            why += f"; bỏ cách đọc không thể ({'; '.join(impossible)})"
        doubt = f"Ngày ban hành «{day:%d/%m/%Y}» {how}: {describe(readings)}; {why}: cần đối chiếu với bản giấy"
    return Found(day, doubt, _date_evidence(day, confirmed, why, readings))


def _compose(verdicts: Mapping[str, Verdict], readings: Sequence[FieldReading],
             possible: Callable[[date], str | None], impossible: list[str]) -> tuple[date, bool] | None:
    """The date of the parts kept; when it cannot be, the likeliest of the other readings' parts that can (with
    True: not the parts kept); when none can, the first that is a real day, its impossibility noted."""
    options = {p: [verdicts[p].value, *sorted({r.value for r in readings if r.part == p and r.value
                                               and r.value != verdicts[p].value})] for p in DATE_PARTS}
    first: date | None = None
    for n, (d, m, y) in enumerate(product(options["day"], options["month"], options["year"])):
        found = make_date(str(d), str(m), str(y))
        if found is None:
            continue
        reason = possible(found)
        if reason is None:
            return found, n > 0
        impossible.append(f"{found:%d/%m/%Y} {reason}")
        first = first or found
    return (first, False) if first is not None else None


def _date_why(verdicts: Mapping[str, Verdict], confirmed: bool) -> str:
    if confirmed:
        return "; ".join(f"{PART_NAMES[p]}: {v.why}" for p, v in verdicts.items())
    return "; ".join(f"{PART_NAMES[p]} {v.value}: {v.why}" for p, v in verdicts.items() if not v.confirmed)


def _date_evidence(day: date | None, confirmed: bool, why: str, readings: list[FieldReading]) -> FieldEvidence:
    return FieldEvidence(value=f"{day:%d/%m/%Y}" if day else None, confirmed=confirmed, reason=why,
                         readings=readings)


def _evidence(verdict: Verdict, readings: list[FieldReading], value: str | None = None) -> FieldEvidence:
    return FieldEvidence(value=value or verdict.value, confirmed=verdict.confirmed, reason=verdict.why,
                         readings=readings)


def _read_surely_elsewhere(day: date, lines: Lines, skip: int) -> bool:
    """Whether the same date stands on another line, read surely and in print ("Ngày, tháng, năm đăng ký:
    12/02/2012" under a blurred date line): two readings agreeing to the day do not both err."""
    for index, line in enumerate(lines.text):
        if index == skip:
            continue
        for start, end, found in date_spans(line):
            confidence, by_hand = lines.over(index, start, end)
            if found == day and confidence >= CONFIDENT and not by_hand:
                return True
    return False
