"""The people on forms of wordings and layouts the rules were not written on: the grammar's held-out part
(`sample_scans/forms.py`) read as text, no OCR, beside its development part. The figures with OCR are the
bench's (`bench/accuracy.py --sets forms`); this guards the extraction itself, in seconds."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from context.settings import Settings
from pipeline.classify import classify
from pipeline.fields import extract
from sample_scans.forms import Part, documents

PER_TYPE = 6


@dataclass
class Found:
    subjects: int = 0
    by_name_dob: int = 0  # found by name and date of birth (or year, where the paper gives only that)
    by_id_date: int = 0  # found by personal number or old ID on a record with the right issue date
    wrong: list[str] = field(default_factory=list)  # a name found for a subject that is not theirs
    bystanders: list[str] = field(default_factory=list)  # officials and signers taken for people


def read(part: Part, settings: Settings) -> Found:
    catalogue = settings.catalogue
    out = Found()
    for doc in documents(part, 11, PER_TYPE):
        lines = doc.page.lines
        classification, title = classify(lines, catalogue, settings.review_threshold)
        assert classification.type_id == doc.type_id
        got = extract(lines, catalogue.labels_for(doc.type_id), title_index=title)
        for person in doc.persons:
            want = person.truth()
            same = next((p for p in got.persons if p.role == want["role"]), None)
            out.subjects += 1
            dob_right = same is not None and (str(same.dob) == want["dob"] if want["dob"] else
                                              same.dob is None and same.birth_year == want["birth_year"])
            out.by_name_dob += same is not None and same.name == want["name"] and dob_right
            ident = want["personal_number"] or want["old_id"]
            out.by_id_date += got.issue_date == doc.issued and any(
                ident in (p.personal_number, p.old_id) for p in got.persons)
            if same is not None and same.name and same.name != want["name"]:
                out.wrong.append(f"{same.name} for {want['name']}")
        out.bystanders += [p.name for p in got.persons if p.name in doc.bystanders]
    return out


@pytest.mark.parametrize("part", ["dev", "held_out"])
def test_people_are_found_by_what_a_name_is_on_both_parts(part: Part, settings: Settings) -> None:
    found = read(part, settings)
    assert found.subjects >= 7 * PER_TYPE
    # The development part is read whole; the held-out part, worded and laid out otherwise, nearly so.
    floor = 1.0 if part == "dev" else 0.8
    assert found.by_name_dob / found.subjects >= floor, (found.by_name_dob, found.subjects)
    assert found.by_id_date / found.subjects >= (1.0 if part == "dev" else 0.95)
    assert found.wrong == []  # a name is found right or not at all: never another person's
    assert found.bystanders == []  # the signer and the officials named in the text are nobody's subject
