"""The lookup use cases, called as the CLI and the HTTP API call them: an explicit actor and purpose, each read in
the audit log, refusals with stable codes and nothing read."""

import json
from datetime import date

import pytest

from context.services import Services
from domain.actor import Actor
from domain.validity import EXPIRED, REUSABLE
from service.errors import InvalidRequest, NotFound
from service.lookup import lookup, person_query, reuse_status, search
from service.records import review_queue, show
from tests.conftest import SAMPLES

CLERK = Actor("clerk.ia-kenh", "clerk", "Trần Thị Bích")
PURPOSE = "Tiếp nhận hồ sơ 000.00.00.H49-261203-0001"



def truth(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def audit(services: Services) -> list:  # type: ignore[type-arg]
    return [json.loads(line) for line in services.audit.lines()]


def test_a_clerk_finds_an_applicants_documents_and_the_read_is_attributed(services: Services) -> None:
    person = truth("khai_sinh_01.json")["persons"][0]
    query, warnings = person_query(citizen=person["personal_number"])
    answer = lookup(services, CLERK, query, PURPOSE, on=date(2026, 12, 3))
    assert warnings == [] and answer.hits
    assert all(any(p.personal_number == person["personal_number"] for p in h.persons) for h in answer.hits)
    assert {reuse_status(h, answer.as_of)[0] for h in answer.hits} <= {REUSABLE, EXPIRED, "needs_review"}
    event = audit(services)[-1]
    assert (event["actor"], event["action"], event["purpose"]) == ("clerk.ia-kenh", "lookup", PURPOSE)
    assert event["details"]["role"] == "clerk"
    assert event["details"]["results"] == [h.result_code for h in answer.hits]
    assert answer.as_json()["documents"][0]["result_code"] == answer.hits[0].result_code


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"citizen": "12345"}, "bad_personal_number"),
    ({"old_id": "12345678"}, "bad_old_id"),
    ({"name": "Nguyễn Văn An"}, "name_needs_dob"),
    ({}, "no_query"),
])
def test_a_malformed_question_is_refused_with_a_stable_code(kwargs: dict, code: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidRequest) as refused:
        person_query(**kwargs)
    assert refused.value.code == code and refused.value.message


@pytest.mark.parametrize("purpose", ["", "   "])
def test_a_read_without_a_purpose_is_refused_and_reads_nothing(services: Services, purpose: str) -> None:
    before = len(audit(services))
    query, _ = person_query(citizen=truth("khai_sinh_01.json")["persons"][0]["personal_number"])
    with pytest.raises(InvalidRequest) as refused:
        lookup(services, CLERK, query, purpose)
    assert refused.value.code == "purpose_required"
    with pytest.raises(InvalidRequest) as refused:
        search(services, CLERK, "Nguyễn", purpose)
    assert refused.value.code == "purpose_required"
    assert len(audit(services)) == before


def test_show_and_the_review_queue_are_reads_by_their_actor(services: Services) -> None:
    reviewer = Actor("reviewer.01", "reviewer")
    queue = review_queue(services, reviewer)
    assert all(item.reasons for item in queue)  # a record is queued only with its reasons
    code = next(iter(services.archive.manifests())).result_code
    manifest = show(services, reviewer, code, "Rà soát hồ sơ")
    assert manifest.result_code == code
    actions = [(e["actor"], e["action"]) for e in audit(services)[-2:]]
    assert actions == [("reviewer.01", "review.queue"), ("reviewer.01", "record.read")]
    with pytest.raises(NotFound):
        show(services, reviewer, "000.00.00.H49-261203-9999-KQ1", "Rà soát hồ sơ")


def test_a_citizen_actor_carries_their_own_number() -> None:
    with pytest.raises(ValueError, match="personal number"):
        Actor("oidc|abc", "citizen")
    with pytest.raises(ValueError, match="unknown role"):
        Actor("x", "superuser")  # type: ignore[arg-type]
