"""A reviewer corrects a record: its type, its fields, its people. The archive keeps the correction as version n+1
beside the earlier versions (which stay, under their own retention), with the reason and the reviewer; the e-copy is
signed again from the file as it was before sohoa's signatures (its QR code names the procedure of the corrected
type), and the index is brought up to date.

A person has now checked the whole record, so its review notes are settled: a corrected record leaves the queue.
The words printed before a person's corrected name, birth date or number are learned as a label of that field for
the type (pipeline.learned_labels), so the next form worded that way is read without a person.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from archive.base import OCR_TEXT, SIGNED_PDF
from archive.retention import retention_of
from context.services import Services
from domain.actor import Actor
from domain.catalogue import Validity
from domain.records import Classification, Manifest, Person
from domain.validity import valid_until
from indexer.rebuild import index_record
from pipeline.learned_labels import learn
from pipeline.manifest_parts import checked_signature
from pipeline.qr_content import qr_facts
from service.errors import InvalidRequest
from service.permissions import require
from service.records import record
from signing.identity import SigningKeyError
from signing.revisions import unsigned_original
from signing.settings import SigningSettingsError

FIELDS = ("number", "issue_date", "issuer")


@dataclass(frozen=True)
class Changes:
    """What the reviewer changes; anything left None stays as it is."""

    type_id: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # number, issue_date (a date), issuer
    persons: list[Person] | None = None  # the whole list as it should be
    confirmed: bool = False  # the reviewer checked the record against the paper and found it right as read

    def described(self) -> list[str]:
        changed = ([f"type_id={self.type_id}"] if self.type_id else []) + sorted(self.fields) + (
            ["persons"] if self.persons is not None else [])
        return changed or (["confirmed"] if self.confirmed else [])


def correct_record(services: Services, actor: Actor, result_code: str, changes: Changes, reason: str) -> Manifest:
    """Store the corrected record as a new version, signed again and indexed; returns its manifest."""
    require(actor, "correct")
    why = (reason or "").strip()
    if not why:
        raise InvalidRequest("reason_required")
    unknown = set(changes.fields) - set(FIELDS)
    if unknown:
        raise InvalidRequest("unknown_field", unknown=", ".join(sorted(unknown)), fields=", ".join(FIELDS))
    if not changes.described():
        raise InvalidRequest("nothing_to_change")
    current = record(services, result_code)
    catalogue = services.settings.catalogue
    classification, procedure = current.classification, current.procedure_code
    type_id = changes.type_id or classification.type_id
    if changes.type_id and changes.type_id != classification.type_id:
        try:
            doc_type = catalogue.get(changes.type_id)
        except KeyError:
            raise InvalidRequest("unknown_type", unknown=changes.type_id,
                                 known=", ".join(sorted(t.id for t in catalogue.types))) from None
        classification = Classification(type_id=doc_type.id, type_name=doc_type.name, confidence=1.0,
                                        needs_review=False, matched_text=f"hiệu đính bởi {actor.identity}")
        procedure = doc_type.procedure_code
    validity = catalogue.get(type_id).validity if type_id else Validity(None)
    fields = current.fields.model_copy(update=changes.fields)
    fields = fields.model_copy(update={"valid_until": valid_until(fields.issue_date, validity),
                                       "validity_rule": validity.rule, "validity_note": validity.note})
    retention = retention_of(services.settings.retention.for_type(type_id),
                             fields.issue_date or current.ingested_at.date())
    if current.retention.years == 0 or (retention.retain_until and current.retention.retain_until
                                        and retention.retain_until < current.retention.retain_until):
        retention = current.retention  # a lock is only ever lengthened: the earlier version's files keep theirs

    unsigned = unsigned_original(services.archive.read(current, SIGNED_PDF))
    if classification is not current.classification and current.pdf_profile != "source":
        unsigned = _retitled(unsigned, f"{classification.type_name or 'Giấy tờ'} — {current.result_code}")
    try:  # the reviewer signs the corrected copy as its digitising officer (TT 01/2023 Điều 8)
        signer = services.signer_for(actor)
        persons = changes.persons if changes.persons is not None else current.persons
        signed = signer.sign(unsigned, result_code=current.result_code, procedure_code=procedure,
                             reason=f"Hiệu đính hồ sơ {current.result_code}: {why}",
                             qr=qr_facts(current.result_code, current.dossier_code, procedure, classification, fields,
                                         persons, catalogue))
    except SigningSettingsError as e:
        raise InvalidRequest("no_officer_key", identity=actor.identity, reason=e) from e
    except SigningKeyError as e:
        raise InvalidRequest(e.code, says="cannot_resign", reason=e.vietnamese) from e
    corrected = services.next_version(
        current, actor, why, files={SIGNED_PDF: signed.data}, corrected_by=actor.identity,
        classification=classification, procedure_code=procedure, fields=fields, persons=persons, review=[],
        retention=retention, signature=checked_signature(signed, services, development=signer.development),
        audit={"change": "correction", "changed": changes.described(), "previous_version": current.version})
    index_record(corrected, services)
    if changes.persons is not None and OCR_TEXT in current.files:  # the wordings that stood before the corrections
        text = services.archive.read(current, OCR_TEXT).decode("utf-8", "replace")
        for label in learn(services.settings, catalogue.labels_for(type_id), type_id, text, current.persons,
                           corrected.persons, current.result_code, actor.identity):
            services.log(actor, "label.learn", current.result_code, "Học nhãn từ hiệu đính", label=label.label,
                         kind=label.kind, type_id=label.type_id, id=label.id)
    return corrected


def _retitled(pdf: bytes, title: str) -> bytes:
    """The PDF/A with the corrected type in its title (document information and XMP alike)."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
        doc.save(out)
    return out.getvalue()

