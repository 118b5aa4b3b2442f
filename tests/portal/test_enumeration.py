"""Walking through citizens by the API is bounded by people revealed, not by questions asked: record reads count,
a search naming many people is cut at the caller's allowance, and asking for result codes that are not there stops
record reads for the hour and puts an alert on the archivist's page."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from context.services import Services
from domain.actor import Actor
from portal.api import create_app
from service import access
from service.auth_settings import auth_settings
from service.sessions import open_session
from tests.portal.test_roles import PURPOSE, call

NOW = 1_796_000_030.0  # mid-minute: the window is this minute alone


def _session(services: Services, role: str, name: str = "clerk.07") -> str:
    return open_session(services, auth_settings(services), Actor(name, role, "Người thử"), "local")[0]  # type: ignore[arg-type]


def _limits(services: Services, text: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(access, "clock", lambda: NOW)
    (services.settings.data_dir / "settings.toml").write_text("[auth]\n" + text, encoding="utf-8")
    return TestClient(create_app(services))


def _people(manifest: Any) -> int:
    return len({p.personal_number or p.old_id or p.name for p in manifest.persons})


def _events(services: Services, since: int) -> list[dict[str, Any]]:
    return [json.loads(line) for line in list(services.audit.lines())[since:]]


def test_record_reads_count_against_the_lookup_limit_by_the_people_they_name(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    api = _limits(services, "lookups_per_minute = 6\n", monkeypatch)
    token = _session(services, "clerk")
    single = [m for m in services.archive.manifests() if _people(m) == 1]
    couple = next(m for m in services.archive.manifests() if _people(m) == 2)
    assert call(api, "GET", f"/v1/records/{couple.result_code}", None, token).status_code == 200  # 2 of 6
    statuses = [call(api, "GET", f"/v1/records/{m.result_code}", None, token).status_code for m in single[:6]]
    assert statuses == [200] * 4 + [429] * 2
    refused = call(api, "GET", f"/v1/records/{single[0].result_code}", None, token)
    assert refused.json()["error"] == "rate_limited" and "số người" in refused.json()["message"]
    assert int(refused.headers["Retry-After"]) > 0


def test_a_search_naming_more_people_than_the_allowance_left_is_cut_and_says_so(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    api = _limits(services, "lookups_per_minute = 4\n", monkeypatch)
    token = _session(services, "clerk")
    before = len(list(services.audit.lines()))
    found = call(api, "POST", "/v1/search", {"text": "Ủy ban nhân dân", "purpose": PURPOSE}, token)
    assert found.status_code == 200, found.text
    documents = found.json()["documents"]
    people = {p["personal_number"] or p["old_id"] or p["name"] for d in documents for p in d["persons"]}
    assert documents and len(people) <= 4
    assert any("vượt giới hạn tra cứu" in w for w in found.json()["warnings"])
    [event] = [e for e in _events(services, before) if e["action"] == "search"]
    assert sorted(event["details"]["results"]) == sorted(d["result_code"] for d in documents)  # logged as shown
    assert call(api, "POST", "/v1/search", {"text": "Ủy ban", "purpose": PURPOSE}, token).status_code == 429


def test_walking_result_codes_stops_record_reads_and_alerts_the_archivist(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    api = _limits(services, "lookups_per_minute = 1000\nunknown_codes_per_hour = 8\n", monkeypatch)
    token = _session(services, "clerk")
    real = next(iter(services.archive.manifests())).result_code
    assert call(api, "GET", f"/v1/records/{real}", None, token).status_code == 200
    stem = real[:-4]
    before = len(list(services.audit.lines()))
    guesses = [f"{stem}{n:04d}" for n in range(9000, 9010)]
    statuses = [call(api, "GET", f"/v1/records/{code}", None, token).status_code for code in guesses]
    assert statuses == [404] * 7 + [429] * 3
    stopped = call(api, "GET", f"/v1/records/{real}", None, token)  # a code that exists: stopped all the same
    assert (stopped.status_code, stopped.json()["error"]) == (429, "too_many_unknown_codes")
    assert call(api, "POST", f"/v1/records/{real}/link", {"purpose": PURPOSE}, token).status_code == 429
    [alert] = [e for e in _events(services, before) if e["action"] == "access.alert"]
    assert alert["actor"] == "clerk.07" and alert["details"]["count"] == 8
    other = _session(services, "clerk", "clerk.08")
    assert call(api, "GET", f"/v1/records/{real}", None, other).status_code == 200  # someone else is not stopped
    archivist = _session(services, "archivist", "luu.tru.07")
    api.cookies.set("sohoa_session", archivist)
    page = api.get("/luu-tru")
    assert page.status_code == 200, page.text
    assert "Cảnh báo truy cập" in page.text and "clerk.07" in page.text and guesses[7] in page.text


def test_a_citizen_asking_for_others_codes_is_counted_the_same(services: Services,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    api = _limits(services, "lookups_per_minute = 1000\nunknown_codes_per_hour = 3\n", monkeypatch)
    citizen = Actor("cong.dan", "citizen", "Công dân", "064086927066")
    token = open_session(services, auth_settings(services), citizen, "local")[0]
    others = [m.result_code for m in services.archive.manifests()
              if all(p.personal_number != citizen.personal_number for p in m.persons)]
    statuses = [call(api, "GET", f"/v1/records/{code}", None, token).status_code for code in others[:4]]
    assert statuses == [404, 404, 429, 429]  # their existence tells nothing: the same answer as a made-up code


def test_a_search_by_where_the_paper_sits_needs_no_words_and_a_search_needs_one_or_the_other(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    api = _limits(services, "lookups_per_minute = 1000\n", monkeypatch)
    token = _session(services, "archivist", "luu.tru.01")
    boxed = call(api, "POST", "/v1/search", {"purpose": PURPOSE, "inventory": "3", "box": "12"}, token)
    assert boxed.status_code == 200 and boxed.json()["documents"] == []  # these samples came with no description
    neither = call(api, "POST", "/v1/search", {"purpose": PURPOSE}, token)
    assert neither.status_code == 400 and neither.json()["error"] == "no_query"
    too_long = call(api, "POST", "/v1/search", {"purpose": PURPOSE, "box": "1" * 51}, token)
    assert too_long.status_code == 422  # bounded before any work
