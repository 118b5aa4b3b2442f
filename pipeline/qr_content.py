"""What the QR code of a record's e-copy carries besides its codes, and whom a paper is about: decided when the copy
is made (`pipeline.process`, corrections) and read back when a copy is verified (`service.verification`)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.catalogue import Catalogue
from domain.records import Classification, DocumentFields, Person
from signing.qr import QrFacts


def holders(manifest_persons: Sequence[Person], type_id: str | None, catalogue: Catalogue) -> list[Person]:
    """Whom the paper is about: its type's subjects, else its first person."""
    try:
        roles = catalogue.get(type_id).subject_roles if type_id else ()
    except KeyError:
        roles = ()
    return [p for p in manifest_persons if p.role in roles] or list(manifest_persons[:1])


def qr_facts(result_code: str, dossier_code: str, procedure_code: str, classification: Classification,
             fields: DocumentFields, persons: Sequence[Person], catalogue: Catalogue) -> QrFacts:
    """What the QR code of a record's e-copy carries besides its codes (TT 01/2023 Điều 26)."""
    applicant = next((p.personal_number or p.old_id for p in holders(persons, classification.type_id, catalogue)
                      if p.personal_number or p.old_id), "")
    return QrFacts(result_code=result_code, procedure_code=procedure_code, dossier_code=dossier_code,
                   applicant_id=applicant or "", document_name=classification.type_name or "",
                   document_date=fields.issue_date, valid_until=fields.valid_until,
                   permanent=fields.validity_rule == "permanent")
