"""Every role against every endpoint, over HTTP: what the permission table allows goes through, the rest is refused
with 403 before anything is read; nobody gets in without signing in; a citizen reaches only their own records; and
lookups are rate-limited per account and per API client so citizens cannot be enumerated."""

import dataclasses
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from context.services import Services
from domain.actor import Actor
from portal.api import create_app
from service import access
from service.auth_settings import auth_settings
from service.clients import add_client
from service.sessions import open_session

CITIZEN = "064086927066"
PURPOSE = "Tiếp nhận hồ sơ 000.00.00.H49-261203-0007"
ROLES = ("clerk", "reviewer", "archivist", "admin", "citizen", "operator")
OPEN = {("GET", "/health"), ("GET", "/ready"), ("POST", "/v1/auth/login"), ("POST", "/v1/auth/logout"),
        ("GET", "/v1/auth/oidc/login"), ("GET", "/v1/auth/oidc/callback"),
        ("GET", "/v1/links/{token}")}  # answered before anyone signs in (a link is its own credential)
ANY_SIGNED_IN = {("GET", "/v1/auth/me"), ("POST", "/v1/auth/password")}


# Who gets through, written out here on its own: a change to service/permissions.py that lets one more role in
# fails this test (it used to compare each endpoint with the permission table itself, so no change could fail it).
WHO: dict[str, frozenset[str]] = {
    "lookup": frozenset({"clerk", "citizen"}),
    "intake_check": frozenset({"clerk"}),
    "search": frozenset({"clerk", "reviewer", "archivist"}),
    "show": frozenset({"clerk", "reviewer", "archivist", "citizen"}),
    "download_link": frozenset({"clerk", "citizen"}),
    "verify": frozenset(ROLES),
    "review_queue": frozenset({"reviewer"}),
    "correct": frozenset({"reviewer"}),
    "legal_hold": frozenset({"archivist"}),
    "extend_retention": frozenset({"archivist"}),
    "disposition": frozenset({"archivist"}),
    "audit": frozenset({"archivist"}),
    "submit_batch": frozenset({"operator"}),
    "batch_status": frozenset({"operator", "archivist"}),
    "manage_users": frozenset({"admin"}),
    "manage_clients": frozenset({"admin"}),
    "manage_labels": frozenset({"admin"}),
}
# Refusals that protect personal data or the archive, spelled out once more as (role, use case): each must be 403.
MUST_REFUSE = {("citizen", "audit"), ("citizen", "search"), ("citizen", "intake_check"), ("operator", "lookup"),
               ("operator", "show"), ("admin", "lookup"), ("admin", "show"), ("admin", "audit"),
               ("reviewer", "download_link"), ("archivist", "download_link"), ("clerk", "correct"),
               ("clerk", "disposition"), ("reviewer", "disposition"), ("citizen", "legal_hold"),
               ("clerk", "manage_users"), ("archivist", "manage_users"), ("citizen", "submit_batch"),
               ("clerk", "submit_batch"), ("citizen", "review_queue"), ("operator", "audit")}


def endpoints(code: str, other: str, folder: str) -> list[tuple[str, str, str, dict[str, Any] | bytes | None]]:
    """(use case, method, path, body) for every endpoint that needs a caller."""
    return [
        ("lookup", "POST", "/v1/lookup", {"citizen": CITIZEN, "purpose": PURPOSE}),
        ("intake_check", "POST", "/v1/intake-check", {"citizen": CITIZEN, "procedure_code": "1.000894",
                                                      "purpose": PURPOSE}),
        ("search", "POST", "/v1/search", {"text": "Phúc", "purpose": PURPOSE}),
        ("show", "GET", f"/v1/records/{code}", None),
        ("download_link", "GET", f"/v1/records/{code}/signed-copy", None),
        ("download_link", "POST", f"/v1/records/{code}/link", {"purpose": PURPOSE}),
        ("verify", "POST", "/v1/verify", b"%PDF-1.7 not really"),
        ("review_queue", "GET", "/v1/review-queue", None),
        ("correct", "POST", f"/v1/records/{other}/corrections", {"reason": "Đối chiếu bản giấy",
                                                                 "issuer": "ỦY BAN NHÂN DÂN XÃ IA BLANG"}),
        ("legal_hold", "PUT", f"/v1/records/{other}/legal-hold", {"on": True, "reason": "Vụ việc đang giải quyết"}),
        ("extend_retention", "POST", f"/v1/records/{other}/retention", {"until": "2199-12-31", "reason": "Vụ việc"}),
        ("disposition", "GET", "/v1/disposals", None),
        ("disposition", "POST", "/v1/disposals", {"result_code": other, "reason": "Hết thời hạn"}),
        ("disposition", "POST", "/v1/disposals/20261203-nope/approve", {"reason": "Đồng ý"}),
        ("disposition", "POST", "/v1/disposals/20261203-nope/refuse", {"reason": "Còn giá trị tra cứu"}),
        ("audit", "POST", "/v1/audit/fixity", {"sample": 1}),
        ("audit", "GET", "/v1/audit/retention", None),
        ("audit", "GET", "/v1/audit/log", None),
        ("audit", "GET", f"/v1/audit/access?personal_number={CITIZEN}&purpose=Tr%E1%BA%A3%20l%E1%BB%9Di", None),
        ("audit", "GET", "/v1/audit/reuse", None),
        ("submit_batch", "POST", "/v1/batches", {"folder": folder}),
        ("batch_status", "GET", "/v1/batches", None),
        ("batch_status", "GET", "/v1/batches/nope", None),
        ("manage_users", "GET", "/v1/admin/users", None),
        ("manage_users", "POST", "/v1/admin/users", {"username": "moi.nv", "name": "Nhân viên mới", "role": "clerk"}),
        ("manage_users", "POST", "/v1/admin/users/moi.nv/disable", None),
        ("manage_users", "POST", "/v1/admin/users/moi.nv/reset", None),
        ("manage_users", "POST", "/v1/admin/users/moi.nv/unlock", None),
        ("manage_clients", "GET", "/v1/admin/clients", None),
        ("manage_clients", "POST", "/v1/admin/clients", {"name": "Một cửa", "role": "clerk"}),
        ("manage_clients", "POST", "/v1/admin/clients/nope/revoke", None),
        ("manage_labels", "GET", "/v1/admin/labels", None),
        ("manage_labels", "DELETE", "/v1/admin/labels/nope", None),
    ]


def call(api: TestClient, method: str, path: str, body: Any, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if isinstance(body, bytes):
        return api.request(method, path, content=body, headers={**headers, "Content-Type": "application/pdf"})
    return api.request(method, path, json=body, headers=headers)


def session_for_role(services: Services, role: str) -> str:
    actor = Actor(f"{role}.01", role, f"Người {role}", CITIZEN if role == "citizen" else None)  # type: ignore[arg-type]
    return open_session(services, auth_settings(services), actor, "local")[0]


def test_every_role_against_every_endpoint(services: Services, tmp_path: Any) -> None:
    services = dataclasses.replace(services, settings=dataclasses.replace(
        services.settings, scan_roots=(tmp_path.resolve(),)))  # the operator's batch folder is under a root
    api = TestClient(create_app(services))
    code = next(m.result_code for m in services.archive.manifests()
                if any(p.personal_number == CITIZEN for p in m.persons))
    other = next(m.result_code for m in services.archive.manifests()
                 if m.retention.retain_until and all(p.personal_number != CITIZEN for p in m.persons))
    (tmp_path / "empty").mkdir()
    calls = endpoints(code, other, str(tmp_path / "empty"))
    routes = {(m.upper(), path) for path, ops in api.app.openapi()["paths"].items() for m in ops}
    covered = {(m, p.split("?")[0].replace(code, "{result_code}").replace(other, "{result_code}"))
               for _, m, p, _ in calls}
    covered = {(m, p.replace("/20261203-nope/", "/{request_id}/").replace("/batches/nope", "/batches/{batch_id}")
                .replace("/moi.nv/", "/{username}/").replace("/clients/nope/", "/clients/{client_id}/")
                .replace("/labels/nope", "/labels/{label_id}"))
               for m, p in covered}
    assert routes == covered | OPEN | ANY_SIGNED_IN  # a new endpoint needs its line in this matrix
    tokens = {role: session_for_role(services, role) for role in ROLES}
    assert call(api, "POST", "/v1/lookup", {"citizen": CITIZEN, "purpose": PURPOSE}, tokens["clerk"]).status_code \
        == 200  # the clerk's signed copies are those a lookup of theirs returned
    outcome: dict[tuple[str, str, str], int] = {}
    for use_case, method, path, body in calls:
        anonymous = call(api, method, path, body, None)
        assert (anonymous.status_code, anonymous.json()["error"]) == (401, "not_authenticated"), path
        for role in ROLES:
            lines = len(list(services.audit.lines()))
            got = call(api, method, path, body, tokens[role])
            outcome[(role, method, path)] = got.status_code
            if role in WHO[use_case]:
                assert got.status_code not in (401, 403), (role, method, path, got.text)
            else:
                assert (got.status_code, got.json()["error"]) == (403, "role_not_allowed"), (role, method, path)
                assert len(list(services.audit.lines())) == lines, (role, path)  # refused before any read
            if (role, use_case) in MUST_REFUSE:
                assert got.status_code == 403, (role, method, path)
    for method, path in ANY_SIGNED_IN:
        if method == "GET":
            for role in ROLES:
                assert call(api, method, path, None, tokens[role]).status_code == 200
    assert outcome[("citizen", "GET", f"/v1/records/{code}")] == 200  # their own record
    assert outcome[("clerk", "GET", f"/v1/records/{code}/signed-copy")] == 200


def test_a_citizen_cannot_reach_another_citizens_record_by_code_hash_or_link(services: Services) -> None:
    api = TestClient(create_app(services))
    token = session_for_role(services, "citizen")
    theirs = next(m for m in services.archive.manifests() if all(p.personal_number != CITIZEN for p in m.persons))
    for path in (f"/v1/records/{theirs.result_code}", f"/v1/records/{theirs.result_code}/signed-copy",
                 f"/v1/records/{theirs.content_hash}", f"/v1/records/{theirs.dossier_code}"):
        got = call(api, "GET", path, None, token)
        assert (got.status_code, got.json()["error"]) == (404, "no_record"), path
        assert theirs.result_code not in got.text or theirs.result_code in path, path  # nothing they did not ask
    got = call(api, "POST", f"/v1/records/{theirs.result_code}/link", {"purpose": "Xem"}, token)
    assert got.status_code == 404
    for ask, status in (({"code": theirs.result_code}, 200), ({"citizen": "001090012345"}, 403),
                        ({"name": "Nguyễn Văn A", "dob": "1990-01-01"}, 403)):
        found = call(api, "POST", "/v1/lookup", ask, token)
        assert found.status_code == status, (ask, found.text)  # a code asks for their own; another person is refused
        documents = found.json().get("documents", [])
        assert all(any(p["personal_number"] == CITIZEN for p in d["persons"]) for d in documents), ask
        assert theirs.result_code not in found.text
        if status == 200:
            assert documents, ask  # their own documents, so the check above looked at something
    # A clerk's link is a random token on this service, naming nothing guessable (tests/portal/test_links.py
    # follows it); a citizen gets none for another's record.
    clerk = session_for_role(services, "clerk")
    call(api, "POST", "/v1/lookup", {"code": theirs.result_code, "purpose": PURPOSE}, clerk)
    url = call(api, "POST", f"/v1/records/{theirs.result_code}/link", {"purpose": PURPOSE}, clerk).json()["url"]
    assert url.startswith("http://testserver/v1/links/") and theirs.result_code not in url
    assert theirs.content_hash not in url


def test_lookups_are_rate_limited_per_account_and_per_client(services: Services,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "clock", lambda: 1_796_000_030.0)  # mid-minute: the window is this minute alone
    (services.settings.data_dir / "settings.toml").write_text(
        "[auth]\nlookups_per_minute = 5\nclient_lookups_per_minute = 8\n", encoding="utf-8")
    api = TestClient(create_app(services))
    token = session_for_role(services, "clerk")
    ask = {"citizen": CITIZEN, "purpose": PURPOSE}
    before = len(list(services.audit.lines()))
    statuses = [call(api, "POST", "/v1/lookup", ask, token).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    limited = call(api, "POST", "/v1/lookup", ask, token)
    assert limited.json()["error"] == "rate_limited" and int(limited.headers["Retry-After"]) > 0
    other = open_session(services, auth_settings(services), Actor("clerk.02", "clerk"), "local")[0]
    assert call(api, "POST", "/v1/lookup", ask, other).status_code == 200  # another account: its own allowance
    _, key = add_client(services, Actor("admin", "console"), "Một cửa điện tử", "clerk")
    client = [call(api, "POST", "/v1/lookup", ask, key).status_code for _ in range(10)]
    assert client == [200] * 8 + [429] * 2
    intake = call(api, "POST", "/v1/intake-check", {"citizen": CITIZEN, "procedure_code": "1.000894",
                                                    "purpose": PURPOSE}, token)
    assert intake.status_code == 429  # the intake check reads the same personal data: the same allowance
    events = [json.loads(line) for line in list(services.audit.lines())[before:]]
    assert sum(e["action"] == "lookup" for e in events) == 5 + 1 + 8  # refused lookups read nothing


def test_a_holder_without_a_personal_number_is_no_citizens_match(services: Services) -> None:
    """A record whose people carry only an old ID (or nothing) names no citizen: a signed-in citizen gets "not
    found" for it, as for any record that is not theirs."""
    api = TestClient(create_app(services))
    token = session_for_role(services, "citizen")
    unnumbered = [m for m in services.archive.manifests() if m.persons
                  and all(p.personal_number is None for p in m.persons)]
    assert unnumbered, "the sample set holds a paper whose holder has only an old ID"
    for manifest in unnumbered:
        got = call(api, "GET", f"/v1/records/{manifest.result_code}", None, token)
        assert (got.status_code, got.json()["error"]) == (404, "no_record"), manifest.result_code
    mine = call(api, "POST", "/v1/lookup", {}, token).json()["documents"]
    assert mine and not {m.result_code for m in unnumbered} & {d["result_code"] for d in mine}


def test_json_answers_carry_the_security_headers_too(services: Services) -> None:
    api = TestClient(create_app(services))
    token = session_for_role(services, "clerk")
    for got in (api.get("/health"), call(api, "GET", "/v1/auth/me", None, token),
                call(api, "GET", "/v1/records/nope", None, token), api.get("/v1/auth/me")):
        assert got.headers["content-type"].startswith("application/json"), got.headers
        assert got.headers.get("Referrer-Policy") == "no-referrer", got.request.url
        assert got.headers.get("X-Content-Type-Options") == "nosniff", got.request.url
