"""Lookups and searches of archived records, the reuse verdict on each document, and the answer's shape.

An intake clerk asks for an applicant's documents by personal number, old ID, name and date of birth, a code or a
document number; each document found is reusable (valid that day, checked by a person), expired, or to be checked
first. Every lookup is an audit event with its actor, its purpose and the result codes it returned.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from context.services import Services
from context.settings import Settings
from domain.actor import Actor
from domain.personal_number import PROBLEMS as NUMBER_PROBLEMS
from domain.personal_number import check_personal_number, is_old_id
from domain.validity import EXPIRED, NEEDS_REVIEW, REUSABLE, ValidityStatus, status_on
from indexer.base import Filters, Hit, RecordQuery
from indexer.document import IndexedPerson, keys_alike, name_key, place_keys
from service.access import count_lookup, grant_copies, people_in, take_allowance
from service.auth_settings import auth_settings
from service.errors import InvalidRequest, Refused
from service.permissions import require

OWN_RECORDS = "Công dân xem giấy tờ của chính mình"  # the purpose of a citizen's read of their own records


@dataclass(frozen=True)
class LookupAnswer:
    query: RecordQuery
    as_of: date  # the day validity was judged on (the appointment date)
    hits: list[Hit]
    warnings: list[str]  # about the question (a personal number whose checks fail), in Vietnamese
    pending: int  # records archived but still waiting to enter the index, so possibly missing here

    def as_json(self) -> dict[str, Any]:
        return {"query": query_log(self.query), "as_of": self.as_of.isoformat(), "warnings": self.warnings,
                "pending_index": self.pending, "documents": [hit_json(h, self.as_of) for h in self.hits]}


def filters_for(settings: Settings, *, type_ids: tuple[str, ...] = (), issuer: str | None = None,
                issued_from: date | None = None, issued_to: date | None = None,
                valid_on: date | None = None, fonds: str | None = None, inventory: str | None = None,
                box: str | None = None, file: str | None = None) -> Filters:
    """The filters of a lookup or search, checked: types must be known. fonds/inventory/box/file: only records
    whose paper sits there (phông, mục lục, hộp, hồ sơ số as the batch's description gave them)."""
    known = {t.id for t in settings.catalogue.types}
    unknown = [t for t in type_ids if t not in known]
    if unknown:
        raise InvalidRequest("unknown_type", unknown=", ".join(unknown), known=", ".join(sorted(known)))
    return Filters(type_ids=type_ids, issuer=issuer or None, issued_from=issued_from, issued_to=issued_to,
                   valid_on=valid_on, paper=place_keys(fonds=fonds, inventory=inventory, box=box, file=file))


def person_query(*, citizen: str | None = None, old_id: str | None = None, name: str | None = None,
                 dob: date | None = None, code: str | None = None, number: str | None = None,
                 filters: Filters | None = None) -> tuple[RecordQuery, list[str]]:
    """The query for one way of naming whom or what is looked up, and warnings about it. `citizen` takes a
    12-digit personal number or a 9-digit old ID, as an applicant may give either."""
    filters = filters or Filters()
    if citizen:
        number_ = citizen.strip()
        if is_old_id(number_):
            return RecordQuery(old_id=number_, filters=filters), []
        check = check_personal_number(number_)
        if "length" in check.problems:
            raise InvalidRequest("bad_personal_number", number=number_)
        return RecordQuery(personal_number=number_, filters=filters), [NUMBER_PROBLEMS[p] for p in check.problems]
    if old_id:
        if not is_old_id(old_id.strip()):
            raise InvalidRequest("bad_old_id", old_id=old_id)
        return RecordQuery(old_id=old_id.strip(), filters=filters), []
    if name or dob:
        if not (name and dob):
            raise InvalidRequest("name_needs_dob")
        return RecordQuery(name=name, dob=dob, filters=filters), []
    if code:
        return RecordQuery(code=code, filters=filters), []
    if number:
        return RecordQuery(number=number, filters=filters), []
    raise InvalidRequest("no_query")


def require_purpose(purpose: str) -> str:
    if not (purpose or "").strip():
        raise InvalidRequest("purpose_required")
    return purpose.strip()


def own_query(actor: Actor, query: RecordQuery) -> RecordQuery:
    """What a citizen may ask: their own documents, by their own number, whatever else the query named."""
    if actor.role != "citizen":
        return query
    if query.personal_number not in (None, actor.personal_number) or query.old_id or query.name or query.text:
        raise Refused("own_records_only")
    return RecordQuery(personal_number=actor.personal_number, filters=query.filters, limit=query.limit)


def find_for(services: Services, actor: Actor, query: RecordQuery, why: str) -> tuple[list[Hit], list[str]]:
    """The index's answer for this actor, and what it should be told of what was held back: counted against
    their lookup limit by the people it reveals (the first before the index is asked; an answer naming more people
    than the allowance has left is cut there, and says so), limited to their own records if they are a citizen,
    and (for a clerk) opening the signed copies of what it returned."""
    auth = auth_settings(services)
    count_lookup(services, actor)
    hits = services.index.find(query)
    if actor.role == "citizen":
        hits = [h for h in hits if any(p.personal_number == actor.personal_number for p in h.persons)]
    hits, held_back = within_allowance(services, actor, hits)
    grant_copies(services, actor, [h.result_code for h in hits], auth.copy_grant_seconds)
    if not held_back:
        return hits, []
    return hits, [f"Chỉ hiện {len(hits)} giấy tờ đầu: {held_back} giấy tờ khác nêu thêm người, vượt giới hạn tra cứu "
                  "mỗi phút của tài khoản (tính theo số người được trả về); hãy thu hẹp tìm kiếm hoặc thử lại sau."]


def within_allowance(services: Services, actor: Actor, hits: list[Hit]) -> tuple[list[Hit], int]:
    """The hits, in order, that name no more people than the actor's allowance has left (the first person was
    counted with the question), and how many were held back."""
    order: dict[str, None] = {}
    for hit in hits:
        order.update(dict.fromkeys(sorted(people_in(hit.persons))))
    granted = 1 + take_allowance(services, actor, len(order) - 1)
    allowed = set(list(order)[:granted])
    kept = [h for h in hits if people_in(h.persons) <= allowed]
    return kept, len(hits) - len(kept)


def lookup(services: Services, actor: Actor, query: RecordQuery, purpose: str, *, on: date | None = None,
           warnings: list[str] | None = None) -> LookupAnswer:
    """A person's (or a code's) documents, each judged for reuse on `on` (default today)."""
    require(actor, "lookup")
    why = ((purpose or "").strip() or OWN_RECORDS) if actor.role == "citizen" else require_purpose(purpose)
    query = own_query(actor, query)
    hits, held_back = find_for(services, actor, query, why)
    services.log(actor, "lookup", None, why, query=query_log(query), results=[h.result_code for h in hits])
    return LookupAnswer(query, on or date.today(), hits, [*(warnings or []), *held_back], len(services.outbox))


def search(services: Services, actor: Actor, text: str, purpose: str, *, filters: Filters | None = None,
           limit: int = 20, on: date | None = None) -> LookupAnswer:
    """Full-text search of names and document text, diacritics ignored; with no words, every record whose paper
    sits where `filters.paper` says (an archivist's "hộp 12 of mục lục 3")."""
    require(actor, "search")
    why = require_purpose(purpose)
    filters = filters or Filters()
    if not text.strip() and not filters.paper:
        raise InvalidRequest("no_query", says="no_search_terms")
    query = RecordQuery(text=text.strip() or None, filters=filters, limit=limit)
    hits, held_back = find_for(services, actor, query, why)
    services.log(actor, "search", None, why, query=query_log(query), results=[h.result_code for h in hits])
    return LookupAnswer(query, on or date.today(), hits, held_back, len(services.outbox))


def reuse_status(hit: Hit, on: date) -> tuple[str, ValidityStatus]:
    """What the clerk does with it: reuse it, ask for a new one (expired), or check it first (needs review)."""
    validity = status_on(on, until=hit.valid_until, rule=hit.validity_rule, issued=hit.issue_date)
    if validity.code == "expired":
        return EXPIRED, validity
    if hit.needs_review or validity.code == "unknown":
        return NEEDS_REVIEW, validity
    return REUSABLE, validity


def hit_json(hit: Hit, on: date) -> dict[str, Any]:
    """One document as the API and `--json` give it (English keys)."""
    reuse, status = reuse_status(hit, on)
    return {
        "result_code": hit.result_code, "dossier_code": hit.dossier_code, "type_id": hit.type_id,
        "type": hit.type_name, "number": hit.number,
        "issue_date": hit.issue_date.isoformat() if hit.issue_date else None, "issuer": hit.issuer,
        "reuse": reuse,
        "validity": {"status": status.code, "text": status.text, "as_of": on.isoformat(),
                     "valid_until": hit.valid_until.isoformat() if hit.valid_until else None,
                     "rule": hit.validity_rule, "note": hit.validity_note},
        "location": hit.location, "needs_review": hit.needs_review,
        "signed_copy": f"sohoa link {hit.result_code}",
        "persons": [{"role": p.role, "name": p.name, "dob": p.dob.isoformat() if p.dob else None,
                     "birth_year": p.birth_year,
                     "personal_number": p.personal_number, "old_id": p.old_id} for p in hit.persons],
    }


def matches(person: IndexedPerson, query: RecordQuery) -> bool:
    """Whether this person of a record is the one the query named (the others are not shown)."""
    if query.personal_number:
        return person.personal_number == query.personal_number
    if query.old_id:
        return person.old_id == query.old_id
    if query.name and query.dob:
        born = person.dob == query.dob or (person.dob is None and person.birth_year == query.dob.year)
        return bool(person.name_key and born
                    and keys_alike(person.name_key, name_key(query.name)))
    return True


def query_log(query: RecordQuery) -> dict[str, Any]:
    """The query as the audit log keeps it: whom was looked up, and with which filters."""
    out: dict[str, Any] = {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(query).items()
                           if v and k not in ("filters", "limit")}
    filters = {k: list(v) if isinstance(v, tuple) else v.isoformat() if isinstance(v, date) else v
               for k, v in asdict(query.filters).items() if v}
    if filters:
        out["filters"] = filters
    return out
