"""The document-type catalogue and the retention schedule as sohoa holds them once loaded: what each type is
called and titled, which procedure it results from, how long it stays valid, which fields a clerk relies on, and how
long the archive keeps it. The files they come from are read by `context.settings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal


class ConfigError(ValueError):
    """A setting or configuration file is malformed; the message says which and how."""


@dataclass(frozen=True)
class Validity:
    """How long a result stays valid: None months means it never expires."""

    months: int | None
    note: str = ""

    @property
    def rule(self) -> str:
        """The rule as configuration writes it, and as the manifest keeps it."""
        return "permanent" if self.months is None else f"{self.months} months"

    @classmethod
    def parse(cls, rule: str, note: str = "") -> Validity:
        rule = rule.strip().lower()
        if rule == "permanent":
            return cls(None, note)
        m = re.fullmatch(r"(\d+)\s*(months?|years?)", rule)
        if not m:
            raise ConfigError(f"validity must be 'permanent' or '<n> months' / '<n> years', not {rule!r}")
        n = int(m.group(1))
        return cls(n * 12 if m.group(2).startswith("year") else n, note)


@dataclass(frozen=True)
class RetentionClass:
    id: str
    label: str
    years: int  # 0 = permanent
    mode: Literal["COMPLIANCE", "GOVERNANCE"] = "COMPLIANCE"


@dataclass(frozen=True)
class RetentionSchedule:
    """Document type -> retention class (the archivist's schedule, retention.toml)."""

    classes: dict[str, RetentionClass]
    by_type: dict[str, str]
    unclassified_class: str
    audit_log_class: str

    def for_type(self, type_id: str | None) -> RetentionClass:
        return self.classes[self.by_type.get(type_id or "", self.unclassified_class)]

    @property
    def audit_log(self) -> RetentionClass:
        return self.classes[self.audit_log_class]


# Fields a document type may require. subject: a person in one of its subject roles is named; subject_dob: each
# has a date of birth; subject_identifier: each has a personal number or old ID, or the record a register book and
# number; number, issue_date, issuer: the document's own.
REQUIRED_FIELDS = ("subject", "subject_dob", "subject_identifier", "number", "issue_date", "issuer")
DEFAULT_REQUIRED = ("number", "issue_date", "issuer")


@dataclass(frozen=True)
class NameLabel:
    label: str
    role: str


@dataclass(frozen=True)
class Labels:
    """Printed labels of the fields about people, as the forms spell them: several wordings per field."""

    name: tuple[NameLabel, ...] = ()
    honorifics: tuple[str, ...] = ()
    dob: tuple[str, ...] = ()
    personal_number: tuple[str, ...] = ()
    old_id: tuple[str, ...] = ()
    sex: tuple[str, ...] = ()
    birth_year: tuple[str, ...] = ()  # "Năm sinh", "sinh năm": a year of birth, no day
    # Words that make any label a name's ("Họ tên người đứng tên", "Tên đầy đủ"), and words that make it an ID's:
    # a label is known by what it says, not only by the wordings listed.
    name_words: tuple[str, ...] = ()
    subject_words: tuple[str, ...] = ()  # "được": "Người được hỗ trợ" is the one the paper is about
    id_words: dict[str, str] = field(default_factory=dict)  # word -> personal_number | old_id
    other_fields: tuple[str, ...] = ()  # labels of other fields ("Dân tộc"): where a name before them ends
    officials: tuple[str, ...] = ()  # titles after a name that make it an official's ("Trưởng phòng")
    # Words just before an honorific that make the person named a relative ("con ông X": X is a parent).
    relations: dict[str, str] = field(default_factory=dict)
    # Words that, printed in a longer label than a configured one ("Họ và tên chủ hộ kinh doanh"), give the role.
    role_words: dict[str, str] = field(default_factory=dict)
    default_role: str = "subject"  # the role of a person named under a generic label or after an honorific

    def extended_by(self, own: Labels) -> Labels:
        """These (shared) labels with a document type's own wordings added, and its default role."""
        return Labels(name=own.name + self.name, honorifics=own.honorifics + self.honorifics, dob=own.dob + self.dob,
                      personal_number=own.personal_number + self.personal_number, old_id=own.old_id + self.old_id,
                      sex=own.sex + self.sex, role_words={**self.role_words, **own.role_words},
                      default_role=own.default_role, birth_year=own.birth_year + self.birth_year,
                      name_words=own.name_words + self.name_words,
                      subject_words=own.subject_words + self.subject_words, id_words={**self.id_words, **own.id_words},
                      other_fields=own.other_fields + self.other_fields, officials=own.officials + self.officials,
                      relations={**self.relations, **own.relations})


@dataclass(frozen=True)
class DocumentType:
    id: str
    name: str
    titles: tuple[str, ...]
    procedure_code: str
    validity: Validity
    subject_roles: tuple[str, ...]
    required: tuple[str, ...] = DEFAULT_REQUIRED  # the fields a clerk relies on (REQUIRED_FIELDS)
    number_pattern: str = ""  # the form of its số/ký hiệu, a regular expression; "" for the general form
    labels: Labels = field(default_factory=Labels)  # the shared labels with the type's own wordings


@dataclass(frozen=True)
class Catalogue:
    types: tuple[DocumentType, ...]
    labels: Labels
    role_names: dict[str, str] = field(default_factory=dict)

    def role_name(self, role: str) -> str:
        return self.role_names.get(role, role)

    def labels_for(self, type_id: str | None) -> Labels:
        """The labels to read a document of this type with: its own wordings and the shared ones; the shared ones
        alone for a document of no known type."""
        return self.get(type_id).labels if type_id else self.labels

    def get(self, type_id: str) -> DocumentType:
        for t in self.types:
            if t.id == type_id:
                return t
        raise KeyError(type_id)
