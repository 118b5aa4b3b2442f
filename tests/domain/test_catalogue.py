"""The document types' configuration read as a person writes it: validity rules in months or years, and a type's own
label wordings put before the shared ones (its own are tried first), its own meanings winning over the shared."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from domain.catalogue import ConfigError, Labels, NameLabel, Validity


@pytest.mark.parametrize(("rule", "months", "written"), [
    ("permanent", None, "permanent"), ("  Permanent ", None, "permanent"), ("6 months", 6, "6 months"),
    ("1 month", 1, "1 months"), ("12months", 12, "12 months"), ("1 year", 12, "12 months"),
    ("5 YEARS", 60, "60 months"),
])
def test_a_validity_rule_reads_in_months(rule: str, months: int | None, written: str) -> None:
    validity = Validity.parse(rule, note="ghi chú")
    assert (validity.months, validity.rule, validity.note) == (months, written, "ghi chú")


@pytest.mark.parametrize("rule", ["forever", "6", "months", "six months", "-1 months", "1.5 years", ""])
def test_a_validity_rule_of_another_form_is_refused_with_the_forms_it_may_take(rule: str) -> None:
    with pytest.raises(ConfigError, match="'permanent' or '<n> months' / '<n> years'"):
        Validity.parse(rule)


def test_a_types_own_wordings_come_first_and_its_own_meanings_win() -> None:
    shared = Labels(name=(NameLabel("họ tên", "subject"),), honorifics=("ông",), dob=("ngày sinh",),
                    personal_number=("số định danh",), old_id=("cmnd",), sex=("giới tính",), birth_year=("năm sinh",),
                    name_words=("tên",), subject_words=("được",), id_words={"cccd": "personal_number"},
                    other_fields=("dân tộc",), officials=("chủ tịch",), relations={"con": "child"},
                    role_words={"chồng": "husband", "vợ": "wife"}, default_role="subject")
    own = Labels(name=(NameLabel("họ tên người chết", "deceased"),), honorifics=("cụ",), dob=("sinh ngày",),
                 personal_number=("số cccd",), old_id=("số cmt",), sex=("phái",), birth_year=("sinh năm",),
                 name_words=("người",), subject_words=("chết",), id_words={"cccd": "old_id"},
                 other_fields=("quốc tịch",), officials=("trưởng",), relations={"con": "parent"},
                 role_words={"vợ": "spouse"}, default_role="deceased")
    both = shared.extended_by(own)
    for f in dataclasses.fields(Labels):
        value, first, then = getattr(both, f.name), getattr(own, f.name), getattr(shared, f.name)
        if isinstance(value, tuple):
            assert value == first + then, f.name  # the type's own first
    assert both.id_words == {"cccd": "old_id"} and both.relations == {"con": "parent"}
    assert both.role_words == {"chồng": "husband", "vợ": "spouse"}
    assert both.default_role == "deceased"


def test_the_shipped_catalogue_names_roles_and_retention_classes_and_falls_back_for_what_it_lacks(
        tmp_path: Path) -> None:
    from context.settings import load_settings

    settings = load_settings(tmp_path)
    catalogue, retention = settings.catalogue, settings.retention
    assert catalogue.role_name("mother") == "Mẹ" and catalogue.role_name("godparent") == "godparent"
    assert catalogue.labels_for(None) is catalogue.labels and catalogue.labels_for("") is catalogue.labels
    assert catalogue.labels_for("khai_sinh") == catalogue.get("khai_sinh").labels != catalogue.labels
    with pytest.raises(KeyError, match="no_such_type"):
        catalogue.get("no_such_type")
    unclassified = retention.classes[retention.unclassified_class]
    assert retention.for_type("khai_sinh") == retention.classes["ho_tich"] != unclassified
    assert retention.for_type(None) == retention.for_type("") == retention.for_type("no_such_type") == unclassified
