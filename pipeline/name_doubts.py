"""Where a person's value is in doubt: hand-filled values checked against a second reading, names whose tone
marks or letters Tesseract may have misread, names read with low confidence."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from domain.names import is_surname, mend_surname, restore_surname, tone_misread
from domain.personal_number import digits_only
from domain.records import FieldEvidence, FieldReading, Person
from domain.text import fold
from ocr.syllables import is_syllable
from pipeline.agreement import decide, describe
from pipeline.name_run import is_name_word
from pipeline.number_date import HEADER, Lines
from pipeline.person_events import Event
from pipeline.value_labels import date_after_label, mended_birth_date

HAND_FIELDS = {"name": "họ tên", "dob": "ngày sinh", "personal_number": "số định danh cá nhân", "old_id": "số CMND"}


def hand_evidence(sources: Sequence[tuple[int, str, Event]], persons: Sequence[Person], text: str,
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
            seen_first = shown if mended_birth_date(read) == value else None
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


def _named(persons: Sequence[Person], names: Sequence[Event]) -> list[tuple[int, Event]]:
    """Each named person's index with the name event it was made from: every name event opens one person, in
    order, and every person with a name is kept."""
    return list(zip([i for i, p in enumerate(persons) if p.name], names, strict=False))


def misread_names(persons: Sequence[Person], names: Sequence[Event], evidence: Mapping[str, FieldEvidence],
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


def unsure_names(persons: Sequence[Person], names: Sequence[Event], text: str, lines: Lines,
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
        found = date_after_label(read) or mended_birth_date(read)
        return f"{found:%d/%m/%Y}" if found else None
    digits = digits_only(read)
    return digits or None


def _letters(name: str) -> str:
    """A name's letters, upper case, without marks or spaces: what two readers of it can be compared on."""
    return re.sub(r"[^A-Z]", "", fold(name).upper())
