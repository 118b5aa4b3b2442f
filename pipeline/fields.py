"""Read the fields off a document's text: people (name, date of birth, sex, personal number or old ID), the
document's number (số/ký hiệu), issue date and issuing body.

People are found as a stream of labelled values in reading order: a name label ("Họ, chữ đệm, tên người mẹ:") or
an honorific before an upper-case name ("bà TRẦN THỊ LAN") opens a person, and the dates of birth, sex and ID
numbers that follow belong to that person until the next name. Labels come from configuration and are matched on
folded text, so a lost tone mark does not lose the field. Values are validated, not trusted: an ID number that fails
its checks is kept with its problems listed, for a reviewer.

This module holds the document's own fields and `extract`, which runs the rest: labels and value parsers
(`value_labels`), the stream of labelled values (`person_events`), people made of it (`persons`), the doubts a
person must settle (`name_doubts`), per-word confidence and ink over a span (`word_spans`); the number and date are
`number_date`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.catalogue import Labels
from domain.issuers import correct_issuer, is_known_name
from domain.personal_number import digits_only
from domain.records import FieldEvidence, Person
from domain.text import fold, nfc, squash
from pipeline.name_doubts import hand_evidence, misread_names, unsure_names
from pipeline.name_run import letter_case
from pipeline.number_date import Found, Lines, read_issue_date, read_number
from pipeline.person_events import read_events
from pipeline.persons import group_persons
from pipeline.second_reading import FigureReading
from pipeline.word_spans import hand_map

# "Số: 237/QĐ-UBND", "Số: 209 /QĐ-UBND" (a handwritten number before the printed tail), "Số: /QĐ-UBND" (left blank)
_NUMBER_LINE = re.compile(r"^\s*s[o0]\s*[:.;]\s*(\S*?(?:\s*/\S+)?)(?=\s|$)")


_REGISTER_BOOK = re.compile(r"quyen\s*so\s*[:.;]?\s*([0-9oil]+(?:\s*/\s*[0-9oil]{2,4})?)")


_MOTTO = ("cong hoa", "xa hoi chu nghia", "doc lap", "tu do", "hanh phuc")


# The document's own date line: a place, a comma, then "ngày … tháng … năm …" ("Bạc Liêu, ngày 18 tháng 02 năm
# 2025"), at the start of a line or after the số on a text layer that joined the two columns.
_DATE_LINE = re.compile(r"(?:^|\s)[a-z][a-z .]{1,40},\s*ngay(?![a-z])")


HEADER_LINES_WITHOUT_TITLE = 6


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
    events = read_events(text, labels, default_role, learned, hand_map(lines, inked), unread)
    persons, by_hand = group_persons(events, default_role)
    evidence |= hand_evidence(by_hand, persons, text, known)
    names = [e for e in events if e.kind == "name"]
    evidence |= misread_names(persons, names, evidence, known.reader)
    evidence |= unsure_names(persons, names, text, known, evidence)
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
