"""Audit reports: who read a citizen's data (their right to know, NĐ 13/2023), and each report itself logged."""

import json

import pytest

from context.services import Services
from domain.actor import Actor
from indexer.base import RecordQuery
from service import audits, lookup, records
from service.errors import InvalidRequest
from tests.conftest import run_cli

CITIZEN = "064086927066"
ARCHIVIST = Actor("archivist.01", "archivist")


def test_the_access_report_lists_every_read_of_one_citizens_data_and_nothing_else(services: Services) -> None:
    clerk, other_clerk = Actor("clerk.01", "clerk"), Actor("clerk.02", "clerk")
    before = len(list(services.audit.lines()))  # the shared sample archive's earlier reads are not this test's
    mine = lookup.lookup(services, clerk, RecordQuery(personal_number=CITIZEN), "Tiếp nhận hồ sơ")
    code = mine.hits[0].result_code
    records.show(services, other_clerk, code, "Đối chiếu")  # a read of one of their records, by code
    stranger = next(m for m in services.archive.manifests() if all(p.personal_number != CITIZEN for p in m.persons))
    records.show(services, other_clerk, stranger.result_code, "Việc khác")
    report = audits.access_report(services, ARCHIVIST, personal_number=CITIZEN, purpose="Trả lời yêu cầu công dân")
    assert [(e["actor"], e["action"]) for e in report.events if e["seq"] > before] == [
        ("clerk.01", "lookup"), ("clerk.02", "record.read")]
    by_reader = audits.access_report(services, ARCHIVIST, by="clerk.02", purpose="Rà soát tài khoản")
    assert [e["record"] for e in by_reader.events if e["seq"] > before] == [code, stranger.result_code]
    last = json.loads(list(services.audit.lines())[-1])
    assert (last["action"], last["details"]["by"], last["details"]["events"]) == ("audit.access", "clerk.02", 2)
    with pytest.raises(InvalidRequest):
        audits.access_report(services, ARCHIVIST, personal_number=CITIZEN, purpose=" ")
    status, out = run_cli("audit", "access", "--citizen", CITIZEN, "--purpose", "Trả lời yêu cầu", "--json",
                          "--data-dir", services.settings.data_dir, "--actor", "archivist.02")
    assert status == 0 and [e["actor"] for e in json.loads(out) if e["seq"] > before] == ["clerk.01", "clerk.02"]
