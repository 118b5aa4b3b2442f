"""Longer retention as a new version that every object is locked to; and which roles may run which use case."""

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from archive.base import SIGNED_PDF
from context.services import Services
from domain.actor import ROLES, Actor
from indexer.base import RecordQuery
from service import (
    accounts,
    archivist,
    audits,
    batches,
    clients,
    corrections,
    intake,
    labels,
    lookup,
    records,
    statistics,
)
from service.errors import InvalidRequest, NotFound, Refused
from service.permissions import ALLOWED
from tests.conftest import run_cli

ARCHIVIST = Actor("archivist.01", "archivist")



def finite(services: Services) -> str:
    return next(m.result_code for m in services.archive.manifests() if m.retention.retain_until is not None)


def test_a_retention_is_lengthened_as_a_new_version_and_every_object_follows(services: Services) -> None:
    code = finite(services)
    before = services.archive.manifest(code)
    assert before is not None and before.retention.retain_until is not None
    later = date(before.retention.retain_until.year + 10, 12, 31)
    after = archivist.extend_retention(services, ARCHIVIST, code, later, "Hồ sơ liên quan vụ việc đang giải quyết")
    assert after.version == before.version + 1 and after.retention.retain_until == later
    assert services.archive.lock_state(after).lock.retain_until.date() >= later
    hit = services.index.find(RecordQuery(code=code))[0]
    assert hit.result_code == code
    assert [v.retention.retain_until for v in services.archive.versions(before.content_hash)] == [
        before.retention.retain_until, later]  # the earlier manifest says what it said; its objects are locked longer
    with pytest.raises(InvalidRequest) as refused:
        archivist.extend_retention(services, ARCHIVIST, code, later, "lần nữa")
    assert refused.value.code == "would_shorten"
    forever = archivist.extend_retention(services, ARCHIVIST, code, None, "Giá trị lịch sử")
    assert forever.retention.retain_until is None and forever.retention.years == 0
    write = [json.loads(line) for line in services.audit.lines()][-1]
    assert (write["actor"], write["details"]["change"], write["details"]["retain_until"]) == (
        "archivist.01", "retention", "permanent")


def use_cases(services: Services, code: str) -> dict[str, Callable[[Actor], Any]]:
    """Each use case of the table, called the way a face would call it."""
    query = lookup.person_query(code=code)[0]
    years = iter(range(2200, 2300))  # each allowed call keeps the record a year longer than the last
    return {
        "lookup": lambda a: lookup.lookup(services, a, query, "Tiếp nhận hồ sơ"),
        "search": lambda a: lookup.search(services, a, "Nguyễn", "Tra cứu"),
        "show": lambda a: records.show(services, a, code, "Xem hồ sơ"),
        "download_link": lambda a: records.download_link(services, a, code, SIGNED_PDF, "Cấp bản sao"),
        "review_queue": lambda a: records.review_queue(services, a),
        "review_backlog": lambda a: records.review_backlog(services, a),
        "statistics": lambda a: statistics.holdings(services, a),
        "export": lambda a: archivist.catalogue_lines(services, a),
        "correct": lambda a: corrections.correct_record(services, a, code, corrections.Changes(
            fields={"issuer": "ỦY BAN NHÂN DÂN XÃ HÀ TAM"}), "Đối chiếu bản giấy"),
        "legal_hold": lambda a: archivist.set_legal_hold(services, a, code, True, "Phong tỏa theo yêu cầu"),
        "extend_retention": lambda a: archivist.extend_retention(services, a, code, date(next(years), 12, 31),
                                                                 "Hồ sơ liên quan vụ việc"),
        "disposition": lambda a: archivist.pending_disposals(services, a),
        "manage_clients": lambda a: clients.list_clients(services, a),
        "manage_users": lambda a: accounts.list_users(services, a),
        "manage_labels": lambda a: labels.list_learned(services, a),
        "intake_check": lambda a: intake.intake_check(services, a, RecordQuery(personal_number="064086927066"),
                                                      "1.000894", "Tiếp nhận hồ sơ"),
        "audit": lambda a: audits.log_check(services, a),
        "submit_batch": lambda a: batches.open_batch(services, a, services.settings.data_dir, []),
        "batch_status": lambda a: batches.list_batches(services, a),
    }


def actor(role: str) -> Actor:
    return Actor(f"{role}.x", role, personal_number="001215912779" if role == "citizen" else None)  # type: ignore[arg-type]


def test_every_role_runs_only_the_use_cases_the_table_allows(services: Services) -> None:
    code = finite(services)
    calls = use_cases(services, code)
    assert set(calls) == set(ALLOWED) - {"verify"}  # verify takes a file; it is open to every role that signs in
    lookup.lookup(services, actor("clerk"), lookup.person_query(code=code)[0], "Tiếp nhận hồ sơ")  # copies it opens
    for use_case, call in calls.items():
        for role in ROLES:
            if role in ALLOWED[use_case]:
                try:
                    call(actor(role))
                except NotFound:  # a citizen reaches only their own records: any other is not found
                    assert role == "citizen", (use_case, role)
            else:
                lines = len(list(services.audit.lines()))
                with pytest.raises(Refused):
                    call(actor(role))
                assert len(list(services.audit.lines())) == lines, (use_case, role)  # refused before any read


def test_the_command_line_keeps_a_record_longer(services: Services) -> None:
    code = finite(services)
    status, out = run_cli("retain", code, "--until", "31/12/2199", "--reason", "Hồ sơ liên quan vụ việc",
                          "--data-dir", services.settings.data_dir, "--actor", "archivist.02")
    assert status == 0 and "31/12/2199" in out
    manifest = services.archive.manifest(code)
    assert manifest is not None and manifest.retention.retain_until == date(2199, 12, 31)
    status, out = run_cli("retain", code, "--until", "2100-01-01", "--reason", "x", "--data-dir",
                          services.settings.data_dir, "--actor", "archivist.02")
    assert status == 2 and "chỉ gia hạn được" in " ".join(out.split())
