"""The intake check at the one-stop desk: for an applicant and the procedure they apply for, which required papers
the state already holds and are valid on the appointment date, so the applicant need not bring them; and the reuse,
recorded against the new dossier's code so the province can count papers not handed in again (QĐ 468/QĐ-TTg).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from archive.base import SIGNED_PDF
from context.services import Services
from domain.actor import Actor
from domain.codes import is_dossier_code
from domain.validity import REUSABLE
from indexer.base import Hit, RecordQuery
from service.errors import InvalidRequest, NotFound, TooMany
from service.links import mint
from service.lookup import find_for, hit_json, matches, query_log, require_purpose, reuse_status
from service.permissions import require
from service.procedures import Paper, Procedure, load_procedures

HELD, EXPIRED_HELD, TO_CHECK, NOT_HELD = "held", "expired", "needs_review", "not_held"
_RANK = {REUSABLE: 0, "needs_review": 1, "expired": 2}


@dataclass(frozen=True)
class PaperAnswer:
    paper: Paper
    status: str  # held (valid that day: need not be brought), expired, needs_review, not_held
    document: Hit | None  # the best document serving as this paper
    link: str | None  # a short-lived link to its signed copy (held only)

    @property
    def need_not_bring(self) -> bool:
        return self.status == HELD


@dataclass(frozen=True)
class IntakeAnswer:
    procedure: Procedure
    query: RecordQuery
    appointment: date
    dossier_code: str | None
    papers: list[PaperAnswer]
    documents: list[Hit]  # every document of the applicant found, whether or not a paper of this procedure

    def as_json(self) -> dict[str, Any]:
        required = [p for p in self.papers if not p.paper.optional]
        return {
            "procedure": {"code": self.procedure.code, "name": self.procedure.name},
            "applicant": query_log(self.query), "appointment": self.appointment.isoformat(),
            "dossier_code": self.dossier_code,
            "required": len(required), "need_not_bring": sum(p.need_not_bring for p in required),
            "papers": [{"id": p.paper.id, "name": p.paper.name, "optional": p.paper.optional, "status": p.status,
                        "need_not_bring": p.need_not_bring,
                        "result_code": p.document.result_code if p.document else None,
                        "signed_copy": f"/v1/records/{p.document.result_code}/signed-copy" if p.link and p.document
                        else None, "download_url": p.link,
                        "document": hit_json(p.document, self.appointment) if p.document else None}
                       for p in self.papers],
        }


def procedure(services: Services, code: str) -> Procedure:
    procedures = load_procedures(services.settings)
    if code not in procedures:
        if procedures:
            raise NotFound("no_procedure", procedure=code, known=", ".join(sorted(procedures)))
        raise NotFound("no_procedure", says="no_procedures", procedure=code)
    return procedures[code]


def _serves(hit: Hit, paper: Paper, query: RecordQuery) -> bool:
    return hit.type_id in paper.types and any(matches(p, query) and p.role in paper.roles for p in hit.persons)


def _best(candidates: list[Hit], on: date) -> Hit | None:
    return min(candidates, default=None, key=lambda h: (_RANK[reuse_status(h, on)[0]],
                                                        -(h.issue_date or date.min).toordinal()))


def intake_check(services: Services, actor: Actor, query: RecordQuery, procedure_code: str, purpose: str, *,
                 appointment: date | None = None, dossier_code: str | None = None) -> IntakeAnswer:
    """The answer for one applicant; with a dossier code, the reuse is recorded as that dossier's."""
    require(actor, "intake_check")
    why = require_purpose(purpose)
    if dossier_code is not None and not is_dossier_code(dossier_code.strip()):
        raise InvalidRequest("bad_dossier_code", dossier_code=dossier_code)
    if not (query.personal_number or query.old_id or (query.name and query.dob)):
        raise InvalidRequest("applicant_required")
    chosen = procedure(services, procedure_code)
    on = appointment or date.today()
    hits, held_back = find_for(services, actor, query, why)
    if held_back:  # a paper held back would read "not held": the applicant would be asked to bring it again
        raise TooMany("rate_limited", says="rate_limited_intake", retry_after_s=60)
    seconds = services.settings.download_link_seconds
    answers = []
    for paper in chosen.papers:
        best = _best([h for h in hits if _serves(h, paper, query)], on)
        if best is None:
            answers.append(PaperAnswer(paper, NOT_HELD, None, None))
            continue
        reuse, _ = reuse_status(best, on)
        status = {REUSABLE: HELD, "expired": EXPIRED_HELD}.get(reuse, TO_CHECK)
        link = None
        if status == HELD:
            manifest = services.archive.manifest(best.result_code)
            link = mint(services, actor, manifest, SIGNED_PDF, seconds) if manifest else None
        answers.append(PaperAnswer(paper, status, best, link))
    answer = IntakeAnswer(chosen, query, on, dossier_code.strip() if dossier_code else None, answers, hits)
    required = [a for a in answers if not a.paper.optional]
    services.log(actor, "intake.check" if dossier_code is None else "intake.reuse", None, why,
                 procedure=chosen.code, dossier_code=answer.dossier_code, appointment=on.isoformat(),
                 query=query_log(query), results=[h.result_code for h in hits],
                 required=len(required), reused=[a.document.result_code for a in required
                                                 if a.need_not_bring and a.document],
                 links=[a.document.result_code for a in answers if a.link and a.document])
    return answer
