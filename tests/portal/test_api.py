"""The HTTP API: a key per calling system, the same use cases and audit events as the CLI, errors with stable codes,
request ids; and `sohoa serve` as a real server that starts, answers and stops cleanly."""

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from context.services import Services
from domain.actor import Actor
from portal.api import create_app
from service.auth_settings import auth_settings
from service.clients import KEY_PREFIX, add_client, revoke_client
from service.sessions import open_session
from tests.conftest import REPO, SAMPLES, free_port

ADMIN = Actor("admin.01", "console")
CITIZEN = json.loads((SAMPLES / "khai_sinh_01.json").read_text(encoding="utf-8"))["persons"][0]["personal_number"]
ASK = {"citizen": CITIZEN, "purpose": "Tiếp nhận hồ sơ 000.00.00.H49-261203-0007"}


@pytest.fixture
def api(services: Services) -> TestClient:
    return TestClient(create_app(services))


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_one_stop_shop_system_looks_up_an_applicant_with_its_key(api: TestClient, services: Services) -> None:
    client, key = add_client(services, ADMIN, "Một cửa điện tử tỉnh Gia Lai", "clerk")
    got = api.post("/v1/lookup", json=ASK, headers={**bearer(key), "X-Request-ID": "mc-42"})
    assert got.status_code == 200, got.text
    assert got.headers["X-Request-ID"] == "mc-42"
    documents = got.json()["documents"]
    assert documents and all(any(p["personal_number"] == CITIZEN for p in d["persons"]) for d in documents)
    event = json.loads(list(services.audit.lines())[-1])
    assert (event["actor"], event["action"], event["purpose"]) == (f"client:{client.id}", "lookup", ASK["purpose"])
    assert event["details"]["role"] == "clerk"


@pytest.mark.parametrize(("headers", "body", "status", "code"), [
    ({}, ASK, 401, "not_authenticated"),
    (bearer("sohoa_nope_nope"), ASK, 401, "not_authenticated"),
    ("key", {**ASK, "purpose": " "}, 400, "purpose_required"),
    ("key", {"citizen": CITIZEN}, 400, "purpose_required"),
    ("key", {**ASK, "valid_on": "31/02/2026"}, 422, "invalid_request"),
    ("key", {**ASK, "citizen": "12345"}, 400, "bad_personal_number"),
])
def test_refusals_carry_a_stable_code_and_a_vietnamese_message(api: TestClient, services: Services, headers: object,
                                                               body: dict, status: int, code: str) -> None:  # type: ignore[type-arg]
    _, key = add_client(services, ADMIN, "Một cửa", "clerk")
    lines = len(list(services.audit.lines()))
    got = api.post("/v1/lookup", json=body, headers=bearer(key) if headers == "key" else headers)  # type: ignore[arg-type]
    assert (got.status_code, got.json()["error"]) == (status, code)
    assert got.json()["message"] and got.headers["X-Request-ID"]
    assert len(list(services.audit.lines())) == lines  # nothing was read


def test_a_revoked_key_and_a_role_without_lookups_are_refused(api: TestClient, services: Services) -> None:
    client, key = add_client(services, ADMIN, "Hệ thống cũ", "clerk")
    revoke_client(services, ADMIN, client.id)
    assert api.post("/v1/lookup", json=ASK, headers=bearer(key)).status_code == 401
    _, archive_key = add_client(services, ADMIN, "Phần mềm lưu trữ", "archivist")
    got = api.post("/v1/lookup", json=ASK, headers=bearer(archive_key))
    assert (got.status_code, got.json()["error"]) == (403, "role_not_allowed")


def test_only_the_keys_digest_is_kept(services: Services) -> None:
    _, key = add_client(services, ADMIN, "Một cửa", "clerk")
    stored = (services.settings.keys_dir / "api-clients.json")
    secret = key.removeprefix(KEY_PREFIX).split("_", 1)[1]  # the secret itself may hold "_"
    assert len(secret) >= 40 and secret not in stored.read_text(encoding="utf-8")
    assert stored.stat().st_mode & 0o077 == 0


def test_sohoa_serve_answers_health_and_readiness_and_stops_on_sigterm(services: Services) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--data-dir",
                               str(services.settings.data_dir)], cwd=REPO, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5)
        assert ready.status_code == 200 and ready.json() == {"status": "ok", "archive": "ok", "index": "ok"}
        for anonymous in ("/openapi.json", "/docs"):  # the API's map: for callers who signed in
            assert httpx.get(f"http://127.0.0.1:{port}{anonymous}", timeout=5).status_code == 401
        token = open_session(services, auth_settings(services), Actor("tich.hop", "clerk"), "local")[0]
        signed_in = {"Authorization": f"Bearer {token}"}
        schema = httpx.get(f"http://127.0.0.1:{port}/openapi.json", headers=signed_in, timeout=5).json()
        assert schema["paths"]["/v1/lookup"]
        assert "swagger" in httpx.get(f"http://127.0.0.1:{port}/docs", headers=signed_in, timeout=5).text.lower()
        # Credentials in addresses are not written to the access log: a sign-on's code and state, a link's signature.
        for secret in ("/v1/auth/oidc/callback?code=c0de5ecret&state=57a7e5ecret",
                       "/o/results/x.pdf?expires=1&signature=519na7ure5ecret"):
            httpx.get(f"http://127.0.0.1:{port}{secret}", timeout=5)
    finally:
        server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=15)
        log = server.stdout.read().decode("utf-8", "replace") if server.stdout else ""
    # uvicorn finishes the requests in flight, then exits by the signal it was sent (so a supervisor sees it)
    assert status in (0, -signal.SIGTERM) and "Finished server process" in log, log
    assert "/v1/auth/oidc/callback?code=***&state=***" in log and "signature=***" in log, log
    assert "5ecret" not in log, log


def test_readiness_fails_while_the_index_is_down(api: TestClient, services: Services,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.base import IndexUnavailable

    def down() -> None:
        raise IndexUnavailable("Elasticsearch: connection refused")

    monkeypatch.setattr(services.index, "count_by_type", down)
    got = api.get("/ready")
    assert got.status_code == 503 and got.json()["archive"] == "ok" and "refused" in got.json()["index"]
    assert api.get("/health").status_code == 200  # the process itself is alive
