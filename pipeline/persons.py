"""Events grouped into people: each name opens a person and the values that follow belong to them; a list of
names is read by its honorifics and name lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.personal_number import check_personal_number, is_old_id
from domain.records import Person
from pipeline.person_events import Event


def group_persons(events: Sequence[Event], default_role: str) -> tuple[list[Person], list[tuple[int, str, Event]]]:
    """The people, and for each value filled in by hand, (person index, field, the event it was read from)."""
    persons: list[Person] = []
    sources: list[tuple[Person, str, Event]] = []
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
