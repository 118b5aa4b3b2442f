"""When to believe a value: two independent readings that agree, or print read surely.

A value printed and read by Tesseract at a high confidence stands on that reading, as it always has. A value written
by hand, or read with doubt, is believed only when two readings agree that do not share a failure: two different
readers of the same place (Tesseract and the second reader), or the same value read in two places of the paper (the
số and date in the header and again in an annex's header; the year in "15/2019/QĐ-UBND" and in the date line).
Anything else is kept as the likeliest reading, flagged, with every reading shown to the person who checks it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from domain.records import FieldReading

SURE = 80.0  # a reading of print at this confidence or more stands alone (as pipeline.fields.CONFIDENT)
PRIMARY = "đầu văn bản"  # the place a value is first read (the header); its repetitions come after
GAINSAY = 50.0  # a reading of another value at this confidence or more keeps print read surely from standing alone


@dataclass(frozen=True)
class Verdict:
    value: str | None
    confirmed: bool
    readings: list[FieldReading]
    why: str  # Vietnamese: why it is believed, or why it is not


def sure_alone(reading: FieldReading) -> bool:
    """Print read surely by Tesseract (or a trusted text layer) in the value's own place: no second reading needed.
    A repetition elsewhere (an annex citing "Quyết định số 1676/QĐ-UBND", which may be another decision) only ever
    confirms what the value's own place says."""
    return (reading.reader in ("tesseract", "text_layer") and not reading.by_hand and reading.confidence >= SURE
            and reading.place == PRIMARY)


def _independent(readings: Sequence[FieldReading]) -> bool:
    """Whether some two readings come from different readers, or from different places of the paper."""
    return len({r.reader for r in readings}) > 1 or len({r.place for r in readings}) > 1


def decide(readings: Sequence[FieldReading]) -> Verdict:
    """The value to keep and whether it is confirmed. Readings without a value (nothing legible) are kept to be
    shown, and count for nothing."""
    shown = list(readings)
    by_value: dict[str, list[FieldReading]] = defaultdict(list)
    for r in shown:
        if r.value:
            by_value[r.value].append(r)
    if not by_value:
        return Verdict(None, False, shown, "không bên nào đọc được")
    sure = [v for v, rs in by_value.items() if any(sure_alone(r) for r in rs)]
    agreed = [v for v, rs in by_value.items() if _independent(rs)]
    gainsaid = len(sure) == 1 and any(r.value != sure[0] and r.confidence >= GAINSAY for rs in by_value.values()
                                      for r in rs)  # another reading, made with some confidence, says otherwise
    if len(sure) == 1 and (not agreed or agreed == sure) and not gainsaid:
        return Verdict(sure[0], True, shown, "in rõ, đọc chắc chắn")
    if len(agreed) == 1 and not sure:
        places = sorted({r.place for r in by_value[agreed[0]]})
        readers = sorted({r.reader for r in by_value[agreed[0]]})
        how = (f"hai bộ đọc ({', '.join(readers)}) cùng đọc được" if len(readers) > 1
               else f"cùng giá trị ở {' và '.join(places)}")
        return Verdict(agreed[0], True, shown, how)
    best = max(by_value, key=lambda v: _weight(by_value[v]))
    why = ("các cách đọc không khớp nhau" if len(by_value) > 1 else "chỉ đọc được một lần, chưa có cách đọc thứ hai "
           "để đối chiếu")
    return Verdict(best, False, shown, why)


def _weight(readings: Sequence[FieldReading]) -> tuple[int, bool, int, bool, bool, float]:
    """Support (distinct reader-and-place pairs), then a value written in figures ("440" before "4HØ"), then
    readings that are not Tesseract's of a hand's writing (which its model reads worst), then a reading made
    surely, then one of the value's own place (the header) over a repetition of it, then confidence."""
    support = len({(r.reader, r.place) for r in readings})
    figures = all(c.isdigit() for c in readings[0].value or "x")
    trusted = sum(1 for r in readings if r.reader != "tesseract" or not r.by_hand)
    best = max(r.confidence for r in readings)
    return support, figures, trusted, best >= SURE, any(r.place == PRIMARY for r in readings), best


def describe(readings: Sequence[FieldReading]) -> str:
    """Each reader's reading, for the reviewer: "Tesseract «4HØ» (31%), ppocr-v4 «440» (93%)"."""
    parts = []
    for r in readings:
        shown = r.raw or r.value or "—"
        where = f", {r.place}" if r.place != PRIMARY else ""
        parts.append(f"{READER_NAMES.get(r.reader, r.reader)} «{shown}» ({r.confidence:.0f}%{where})")
    return "; ".join(parts)


READER_NAMES = {"tesseract": "Tesseract", "ppocr-v4": "bộ đọc thứ hai (PP-OCR)", "text_layer": "lớp chữ của tệp"}
