"""Where figures matter and Tesseract was unsure, read them again with the second reader (`ocr.neural`).

Three places: the số/ký hiệu line ("Số: 209 /QĐ-UBND": the digits before the slash), the document's date line
("Bạc Liêu, ngày 18 tháng 02 năm 2025": day, month and year), and figures filled in by hand on a form (a date of
birth, a personal number: the words `ocr.ink` found written in by hand, whose text holds figures). A line that cites
a document by number and date ("Ban hành kèm theo Quyết định số 209/QĐ-UBND ngày 18/02/2025", an annex's header)
is read the same way: the same number and date written a second time are a second place to read them from.

A slot is bounded by the printed words around it ("Số:" and "/QĐ-UBND"; "ngày", "tháng", "năm"), which Tesseract
reads surely and places exactly; where Tesseract merged or lost them, by where the second reader's own reading of
the whole line puts its characters. A line is read again only when Tesseract's reading of its figures is in doubt
(a word under `CONFIDENT`, written by hand, or no figure where figures belong): clean printed pages cost nothing.
Each slot's reading carries its reader, confidence and box on the page, for a reviewer to be shown where it was read
and what each reader saw.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from domain.dates import date_spans
from domain.text import fold
from ocr.engine import Line
from ocr.figures import Box, between, line_box, read_line, read_slot
from ocr.recognizer import FIGURES, LineRecognizer

CONFIDENT = 80.0  # as pipeline.fields: a figure read under this confidence is in doubt
ANNEX_LINES = 8  # an annex's header stands in the first lines of its page
HAND_FIGURES = FIGURES + "/-."
NUMBER_LINE = re.compile(r"^\s*s[o0]\s*[:.;]")  # on folded text
DATE_LINE = re.compile(r"(?:^|\s)[a-z][a-z .]{1,40},\s*ngay(?![a-z])")
CITES_DOCUMENT = re.compile(r"\bs[o0](?![a-z])\s*[:.]?\s*\S{0,8}\s*/\s*[a-z].{0,40}?\bngay\b")
_READ_DAY, _READ_MONTH = re.compile(r"ng[a-z]?[yv]"), re.compile(r"th[a-z]{0,2}ng")
_READ_YEAR = re.compile(r"n[a-z]?m(?![a-z]{2})")


@dataclass(frozen=True)
class FigureReading:
    """A slot of figures as the second reader read it."""

    slot: str  # number | day | month | year | figures:<first word>-<last word>
    value: str
    confidence: float  # 0..100
    reader: str
    page: int  # 0-based
    box: Box  # on the page image the PDF shows
    free: str = ""  # what the reader read there with its whole alphabet


@dataclass(frozen=True)
class _Line:
    """A line of Tesseract's, on the page image's pixel grid."""

    words: list[str]  # folded
    confidences: list[float]
    boxes: list[Box]
    height: int

    @classmethod
    def of(cls, line: Line, scale: int) -> _Line:
        boxes = [(w.left // scale, w.top // scale, (w.left + w.width) // scale, (w.top + w.height) // scale)
                 for w in line.words]
        return cls([fold(w.text) for w in line.words], [w.confidence for w in line.words], boxes,
                   int(np.median([b[3] - b[1] for b in boxes])))

    def anchor(self, wanted: str, start: int = 0) -> int | None:
        """The first word from `start` that is the printed word `wanted` (one letter misread at most)."""
        for i in range(start, len(self.words)):
            word = self.words[i].strip(",.;:")
            if word == wanted or (len(word) == len(wanted) and sum(a != b for a, b in zip(word, wanted, strict=True))
                                  <= 1 and self.confidences[i] >= CONFIDENT / 2):
                return i
        return None


def _grown(slot: Box, height: int, image: np.ndarray) -> Box:
    """A slot between printed words, grown above and below: a pen's figures stand taller than the print."""
    return (slot[0], max(0, slot[1] - height // 2), slot[2], min(image.shape[0], slot[3] + height // 2))


def _read(image: np.ndarray, slots: Sequence[tuple[str, Box]], reader: LineRecognizer, page: int, height: int,
          allowed: str = FIGURES) -> list[FigureReading]:
    out = []
    for name, slot in slots:
        if slot[2] - slot[0] < height // 3:
            continue
        found = read_slot(image, _grown(slot, height, image), reader, line_height=height, allowed=allowed)
        if found is not None and found.text:
            out.append(FigureReading(name, found.text, found.confidence, reader.name, page, found.box, found.free))
    return out


def _number_slot(image: np.ndarray, line: _Line, reader: LineRecognizer, label: int | None,
                 start: int = 0) -> Box | None:
    """Where the digits of a number stand: after its label ("Số:", word `label`) and before the first word from
    `start` that begins with a slash; from the second reader's reading of the line where a bound was merged."""
    tail = next((i for i in range(start, len(line.words)) if line.words[i].startswith("/")
                 and (label is None or i > label)), None)
    if label is not None and tail is None and "/" in line.words[label]:  # "số241/qđ-ubnd": one word
        return None
    if label is not None and tail is not None:
        return (line.boxes[label][2], line.boxes[label][1], line.boxes[tail][0], line.boxes[label][3])
    if label is not None and not any("/" in w for w in line.words[label:]):  # "Số: 27": a number without ký hiệu
        ends = [i for i in range(label + 1, len(line.words)) if any(c.isdigit() for c in line.words[i])]
        if not ends:
            return None
        return (line.boxes[label][2], line.boxes[label][1], line.boxes[ends[-1]][2], line.boxes[label][3])
    first = label if label is not None else start
    box = line_box(line.boxes[first : (tail + 1 if tail is not None else len(line.boxes))], *image.shape[:2])
    read = read_line(image, box, reader)
    folded = fold(read.text)
    mark = re.search(r"^\W*s\w{0,2}\s*([:;.])", folded)
    slash = folded.find("/", mark.end() if mark else 0)
    if (label is None and mark is None) or (tail is None and slash < 0):
        return None
    left = line.boxes[label][2] if label is not None else between(box, read, mark.start(1) if mark else None,
                                                                  None)[0]
    right = line.boxes[tail][0] if tail is not None else between(box, read, None, slash)[2]
    return (left, box[1], max(left + 1, right), box[3]) if right > left else None


def read_number(image: np.ndarray, line: Line, scale: int, reader: LineRecognizer, page: int
                ) -> list[FigureReading]:
    """The digits of "Số: 209 /QĐ-UBND"."""
    ours = _Line.of(line, scale)
    label = 0 if ours.words and re.fullmatch(r"s[o0][:.;]?", ours.words[0]) else None
    slot = _number_slot(image, ours, reader, label)
    return _read(image, [("number", slot)], reader, page, ours.height) if slot else []


def _date_slots(line: _Line, day: int, month: int) -> list[tuple[str, Box]]:
    year = line.anchor("nam", month + 1)
    b = line.boxes
    slots = [("day", (b[day][2], b[day][1], b[month][0], b[day][3]))]
    month_end = b[year][0] if year is not None else b[month][2] + 3 * line.height
    slots.append(("month", (b[month][2], b[month][1], month_end, b[month][3])))
    if year is not None and year + 1 < len(b):
        slots.append(("year", (b[year][2], b[year][1], b[year + 1][2], b[year][3])))
    return slots


def read_date(image: np.ndarray, line: Line, scale: int, reader: LineRecognizer, page: int, start: int = 0
              ) -> list[FigureReading]:
    """Day, month and year of "…, ngày 18 tháng 02 năm 2025", each between the printed words around it; or the
    figures of "ngày 18/02/2025"."""
    ours = _Line.of(line, scale)
    day = ours.anchor("ngay", start)
    month = ours.anchor("thang", day + 1) if day is not None else None
    if day is not None and month is not None:
        return _read(image, _date_slots(ours, day, month), reader, page, ours.height)
    if day is not None and day + 1 < len(ours.words) and "/" in ours.words[day + 1]:
        slot = (ours.boxes[day][2], ours.boxes[day][1], ours.boxes[day + 1][2], ours.boxes[day][3])
        return _read(image, [("date", slot)], reader, page, ours.height, FIGURES + "/")
    return _date_by_reader(image, ours, reader, page, start)


def _date_by_reader(image: np.ndarray, line: _Line, reader: LineRecognizer, page: int, start: int
                    ) -> list[FigureReading]:
    """The date's slots where Tesseract lost its printed words: placed by the second reader's own reading."""
    box = line_box(line.boxes[start:], *image.shape[:2])
    read = read_line(image, box, reader)
    folded = fold(read.text)
    day = _READ_DAY.search(folded)
    month = _READ_MONTH.search(folded, day.end()) if day else None
    if not (day and month):
        return []
    year = _READ_YEAR.search(folded, month.end())
    slots = [("day", between(box, read, day.end() - 1, month.start())),
             ("month", between(box, read, month.end() - 1, year.start() if year else None))]
    if year:
        slots.append(("year", between(box, read, year.end() - 1, None)))
    return _read(image, slots, reader, page, line.height)


def read_citation(image: np.ndarray, line: Line, scale: int, reader: LineRecognizer, page: int
                  ) -> list[FigureReading]:
    """A line citing a document by its number and date: the number's digits (after "số") and the date's."""
    ours = _Line.of(line, scale)
    label = next((i for i, w in enumerate(ours.words) if re.fullmatch(r"s[o0](?:[:.;]?[^a-z/].*)?", w)), None)
    out = []
    if label is not None:
        joined = re.fullmatch(r"(s[o0][:.;]?)([^a-z/].*)", ours.words[label])
        if joined:  # "số241", "số..'": the label's share of the word's box ends where its figures begin
            left, top, right, bottom = ours.boxes[label]
            split = left + (right - left) * len(joined.group(1)) // len(joined.group(0))
            ours.boxes[label] = (left, top, split, bottom)
        slot = _number_slot(image, ours, reader, label, label)
        out += _read(image, [("number", slot)], reader, page, ours.height) if slot else []
    return out + read_date(image, line, scale, reader, page, start=label or 0)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # a name's letters without their marks: all the second reader has


def _hand_runs(words: Sequence[str], inked: Sequence[bool]) -> list[tuple[int, int]]:
    """The runs of words to read as values written in by hand: all that follows a label's colon when a word of
    it was written by hand ("Họ và tên: L Ý CÔNG PHÚC", whose first letter Tesseract read as a slash and did not
    find inked), else each run of words written by hand."""
    first_inked = next((i for i, flag in enumerate(inked) if flag), len(words))
    colon = next((i for i in range(min(first_inked, len(words)) - 1, -1, -1) if words[i].endswith((":", "|"))), None)
    if colon is not None and any(inked[colon + 1 :]) and colon + 1 < len(words):  # the label's own colon, the last
        return [(colon + 1, len(words) - 1)]  # before what was written ("Cấp cho: ông/bà: NGÔ HỮU TUẤN")
    runs, i = [], 0
    while i < len(words):
        if not (i < len(inked) and inked[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(words) and j + 1 < len(inked) and inked[j + 1]:
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs


def read_hand_values(image: np.ndarray, line: Line, scale: int, inked: Sequence[bool], reader: LineRecognizer,
                     page: int) -> list[FigureReading]:
    """Each value written in by hand: one that holds figures (a date of birth, an ID) read as figures
    (`figures:<first>-<last>`, word indices of the line), one of letters (a name) read as its letters without
    their marks (`letters:<first>-<last>`)."""
    ours = _Line.of(line, scale)
    out = []
    for i, j in _hand_runs(ours.words, inked):
        text = "".join(line.words[k].text for k in range(i, j + 1))
        kind, allowed = ("figures", HAND_FIGURES) if any(c.isdigit() for c in text) else ("letters", LETTERS)
        letters = [c for c in text if c.isalpha()]
        if kind == "figures" and sum(c.isdigit() for c in text) < 2:
            continue  # a scribble, a signature: no value of figures
        if kind == "letters" and (len(letters) < 4 or sum(c.isupper() for c in letters) * 3 < 2 * len(letters)):
            continue  # a name is written in capitals; other words by hand ("ngày mười sáu…") are no figures
        run = ours.boxes[i : j + 1]
        pad = ours.height // 2
        slot = (max(0, min(b[0] for b in run) - pad), min(b[1] for b in run),
                min(image.shape[1], max(b[2] for b in run) + pad), max(b[3] for b in run))
        out += _read(image, [(f"{kind}:{i}-{j}", slot)], reader, page, ours.height, allowed)
    return out


_READ_NUMBER = re.compile(r"^\s*s[o0]\s*[:.;]\s*\d+\s*(?:/|$)")


def _doubtful(line: Line, inked: Sequence[bool], kind: str = "") -> bool:
    """Whether a line's figures are in doubt: a word under `CONFIDENT` or written by hand, or figures that do not
    make what the line holds (a number of digits before its slash; a date that exists)."""
    if any(w.confidence < CONFIDENT for w in line.words) or any(inked):
        return True
    if kind == "number":
        return _READ_NUMBER.match(fold(line.text)) is None
    if kind == "date":
        return not date_spans(line.text)
    return not any(c.isdigit() for w in line.words for c in w.text)


def second_readings(image: np.ndarray, lines: Sequence[Line], scale: int, inked: Sequence[Sequence[bool]],
                    reader: LineRecognizer, page: int, *, header_done: bool) -> dict[int, list[FigureReading]]:
    """Per line index (of this page's lines), the slots read again. `scale`: the factor the page was enlarged by
    for Tesseract (its word boxes are on that grid). `header_done`: the number and date lines were found on an
    earlier page; only citing lines and hand-filled figures are looked for."""
    out: dict[int, list[FigureReading]] = {}
    number_seen = date_seen = header_done
    for index, line in enumerate(lines):
        if not line.words:
            continue
        folded = fold(line.text)
        flags = inked[index] if index < len(inked) else ()
        found: list[FigureReading] = []
        if not number_seen and NUMBER_LINE.match(folded):
            number_seen = True
            found = read_number(image, line, scale, reader, page) if _doubtful(line, flags, "number") else []
        elif not date_seen and DATE_LINE.search(folded):
            date_seen = True
            found = read_date(image, line, scale, reader, page) if _doubtful(line, flags, "date") else []
        elif page > 0 and index < ANNEX_LINES and "kem theo" in folded and CITES_DOCUMENT.search(folded):
            # an annex's header citing its decision ("Ban hành kèm theo Quyết định số … ngày …"): a second place
            found = read_citation(image, line, scale, reader, page) if _doubtful(line, flags) else []
        elif any(flags):
            found = read_hand_values(image, line, scale, flags, reader, page)
        if found:
            out[index] = found
    return out
