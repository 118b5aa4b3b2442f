"""The document both index backends store for one record, and the normal forms they compare in.

Built from the archive's manifest and OCR text alone, so the index can always be rebuilt from the archive. The key
functions here are the Python side of the Elasticsearch normalisers (indexer/es_template.py): queries are sent
already normalised, so both backends compare the same strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import OSA

from archive.layout import SIGNED_PDF
from domain.text import fold, nfc, squash

if TYPE_CHECKING:  # a lookup never builds a manifest: the models (pydantic) load only where one is read
    from domain.records import Manifest

DASHES = "‐‑‒–—―−"  # read as "-" in a số/ký hiệu (the Elasticsearch normaliser maps the same characters)
SPACES = " \t\r\n\u00a0"  # dropped from a số/ký hiệu
_CODE_CHARS = str.maketrans({**{c: "-" for c in DASHES}, **{c: None for c in SPACES}})
_WORDS = re.compile(r"\w+")


def name_key(text: str) -> str:
    """A name as compared: lower case, no diacritics, đ -> d, single spaces ("ĐẶNG  Văn Đạt" -> "dang van dat")."""
    return squash(fold(text))


def keys_alike(a: str, b: str) -> bool:
    """Two name keys a lookup takes for one name: one letter of OCR damage (wrong, missing, extra or swapped) apart."""
    return OSA.distance(a, b, score_cutoff=1) <= 1


def code_key(text: str) -> str:
    """A số/ký hiệu as a clerk may type it: no case, diacritics or spaces; any dash is a hyphen.

    "12/QĐ – UB" and "12/qd-ub" both become "12/qd-ub".
    """
    return fold(text).translate(_CODE_CHARS)


def folded_words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def spelled_words(text: str) -> list[str]:
    """Words with their diacritics, lower case: what an exact spelling must match."""
    return _WORDS.findall(nfc(text).lower())


PLACE_PARTS = ("fonds", "inventory", "box", "file")  # where a paper sits, from the widest to the narrowest


def place_keys(**parts: str | None) -> tuple[str, ...]:
    """The keys a paper's place is found by, one per part given ("box:12"), each compared without case, marks or
    runs of spaces: "Hộp 12" is not "12", but "UBND xã Ia Kênh" is "ubnd xa ia kenh"."""
    return tuple(f"{k}:{name_key(str(parts[k]))}" for k in PLACE_PARTS if parts.get(k) and str(parts[k]).strip())


def agency_of(dossier_code: str) -> str:
    """The agency code a dossier code begins with (TT 01/2018/TT-VPCP Điều 19: <agency>-<YYMMDD>-<seq>)."""
    return dossier_code.split("-", 1)[0]


@dataclass(frozen=True)
class IndexedPerson:
    role: str
    name: str | None
    name_key: str | None
    dob: date | None
    personal_number: str | None
    old_id: str | None
    birth_year: int | None = None  # when the paper gives only the year: found by a date of birth in that year


@dataclass(frozen=True)
class IndexedRecord:
    result_code: str
    dossier_code: str
    content_hash: str
    version: int
    procedure_code: str
    agency_code: str
    type_id: str | None
    type_name: str | None
    number: str | None
    issue_date: date | None
    issuer: str | None
    valid_until: date | None
    permanent: bool
    validity_rule: str
    validity_note: str
    location: str
    needs_review: bool
    reusable: bool  # complete and signed: only these are offered for reuse
    persons: tuple[IndexedPerson, ...] = field(default=())
    names: str = ""
    body: str = ""
    paper: tuple[str, ...] = ()  # `place_keys` of the paper's archival description, when its batch gave one

    @classmethod
    def of(cls, manifest: Manifest, text: str, location: str) -> IndexedRecord:
        f = manifest.fields
        signed = SIGNED_PDF in manifest.files and bool(manifest.signature.certificate_sha256)
        return cls(
            result_code=manifest.result_code, dossier_code=manifest.dossier_code,
            content_hash=manifest.content_hash, version=manifest.version, procedure_code=manifest.procedure_code,
            agency_code=agency_of(manifest.dossier_code), type_id=manifest.classification.type_id,
            type_name=manifest.classification.type_name, number=f.number, issue_date=f.issue_date,
            issuer=squash(f.issuer) if f.issuer else None, valid_until=f.valid_until,
            permanent=f.validity_rule == "permanent",
            validity_rule=f.validity_rule, validity_note=f.validity_note, location=location,
            needs_review=manifest.needs_review, reusable=signed,
            persons=tuple(IndexedPerson(p.role, p.name, name_key(p.name) if p.name else None, p.dob,
                                        p.personal_number, p.old_id, p.birth_year) for p in manifest.persons),
            names=" ".join(p.name for p in manifest.persons if p.name), body=text,
            paper=_place_of(manifest),
        )

    def source(self) -> dict[str, Any]:
        """As JSON: dates as ISO strings (what Elasticsearch stores and SQLite keeps for building hits).

        Written out field by field: `dataclasses.asdict` costs more than the rest of bulk indexing together."""
        return {
            "result_code": self.result_code, "dossier_code": self.dossier_code, "content_hash": self.content_hash,
            "version": self.version, "procedure_code": self.procedure_code, "agency_code": self.agency_code,
            "type_id": self.type_id, "type_name": self.type_name, "number": self.number,
            "issue_date": _iso(self.issue_date), "issuer": self.issuer, "valid_until": _iso(self.valid_until),
            "permanent": self.permanent, "validity_rule": self.validity_rule, "validity_note": self.validity_note,
            "location": self.location, "needs_review": self.needs_review, "reusable": self.reusable,
            "persons": [{"role": p.role, "name": p.name, "name_key": p.name_key, "dob": _iso(p.dob),
                         "personal_number": p.personal_number, "old_id": p.old_id, "birth_year": p.birth_year}
                        for p in self.persons],
            "names": self.names, "body": self.body, "paper": list(self.paper),
        }


    @classmethod
    def from_source(cls, src: dict[str, Any]) -> IndexedRecord:
        """The inverse of `source`, for a stored document; `body` may be left out (neither backend keeps it)."""
        persons = tuple(IndexedPerson(**{**p, "dob": _day(p["dob"])}) for p in src["persons"])
        return cls(**{**src, "issue_date": _day(src["issue_date"]), "valid_until": _day(src["valid_until"]),
                      "persons": persons, "body": src.get("body", ""), "paper": tuple(src.get("paper") or ())})


def _place_of(manifest: Manifest) -> tuple[str, ...]:
    d = manifest.paper.description if manifest.paper else None
    return place_keys(fonds=d.fonds, inventory=d.inventory, box=d.box, file=d.file) if d else ()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
