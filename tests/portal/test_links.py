"""A download link ends with whoever made it: an API client's links stop working when the client is revoked, an
account's when it is disabled, and every link at its expiry; the store's own presigned address, which nothing can
take back, is given to the console alone."""

import json
import time

import pytest
from fastapi.testclient import TestClient

from archive.base import SIGNED_PDF
from context.services import Services
from domain.actor import Actor
from portal.api import create_app
from service import links
from service.accounts import add_user, change_password, disable_user
from service.auth_settings import auth_settings
from service.clients import add_client, revoke_client
from service.sessions import open_session
from tests.portal.test_roles import CITIZEN, PURPOSE

ADMIN = Actor("quan.tri", "console")


def _citizens_record(services: Services) -> str:
    return next(m.result_code for m in services.archive.manifests()
                if any(p.personal_number == CITIZEN for p in m.persons))


def _link(api: TestClient, code: str, token: str) -> str:
    auth = {"Authorization": f"Bearer {token}"}
    assert api.post("/v1/lookup", json={"citizen": CITIZEN, "purpose": PURPOSE}, headers=auth).status_code == 200
    got = api.post(f"/v1/records/{code}/link", json={"purpose": PURPOSE}, headers=auth)
    assert got.status_code == 200, got.text
    return str(got.json()["url"])


def test_an_api_clients_links_end_when_the_client_is_revoked(services: Services) -> None:
    api = TestClient(create_app(services))
    code = _citizens_record(services)
    client, key = add_client(services, ADMIN, "Một cửa điện tử", "clerk")
    url = _link(api, code, key)
    intake = api.post("/v1/intake-check", json={"citizen": CITIZEN, "procedure_code": "1.000894", "purpose": PURPOSE,
                                                "appointment": "2023-01-10"},  # while the paper was valid
                      headers={"Authorization": f"Bearer {key}"})
    papers = [p["download_url"] for p in intake.json()["papers"] if p["download_url"]]
    assert papers, intake.text
    for link in (url, *papers):
        got = api.get(link)
        assert got.status_code == 200 and got.content.startswith(b"%PDF"), link
    revoke_client(services, ADMIN, client.id)
    for link in (url, *papers):
        got = api.get(link)
        assert (got.status_code, got.json()["error"]) == (403, "link_revoked"), link
    followed = [json.loads(line) for line in services.audit.lines() if '"via": "link"' in line]
    assert {e["actor"] for e in followed} == {f"client:{client.id}"} and len(followed) == 1 + len(papers)


def test_a_disabled_accounts_links_end_with_it(services: Services) -> None:
    api = TestClient(create_app(services))
    code = _citizens_record(services)
    account, first = add_user(services, ADMIN, "lan.nt", "Nguyễn Thị Lan", "clerk")
    lan = Actor("lan.nt", "clerk", "Nguyễn Thị Lan")
    change_password(services, lan, first, "một mật khẩu mới đủ dài 2026")
    token = open_session(services, auth_settings(services), lan, "local")[0]
    url = _link(api, code, token)
    assert api.get(url).status_code == 200
    disable_user(services, ADMIN, account.username)
    assert api.get(url).json()["error"] == "link_revoked"


def test_a_link_past_its_time_or_made_up_gets_nothing(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    api = TestClient(create_app(services))
    code = _citizens_record(services)
    token = open_session(services, auth_settings(services), Actor("clerk.09", "clerk"), "local")[0]
    url = _link(api, code, token)
    later = time.time() + services.settings.download_link_max_seconds + 1
    monkeypatch.setattr(links.time, "time", lambda: later)
    assert (api.get(url).status_code, api.get(url).json()["error"]) == (403, "link_expired")
    assert api.get(url.rsplit("/", 1)[0] + "/" + "x" * 43).status_code == 404
    assert api.get(url.rsplit("/", 1)[0] + "/short").status_code == 404


def test_the_console_gets_the_stores_own_address(services: Services) -> None:
    from service.records import download_link

    link = download_link(services, ADMIN, _citizens_record(services), SIGNED_PDF, "Kiểm tra")
    assert "signature=" in link.url and "/v1/links/" not in link.url
