"""Sign-in for people over HTTP: local accounts made with `sohoa users`, sessions with expiry, CSRF on the session
cookie, lock-out after wrong passwords; the province's LDAP directory (a real slapd) and single sign-on through a real
OpenID Connect provider (node-oidc-provider), each mapping groups to roles and citizens to their own records."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from context.services import Services
from portal.api import create_app
from tests.conftest import REPO, SAMPLES, free_port, run_cli
from tests.service import ldap_server, oidc_server

CITIZEN = "064086927066"  # holds three documents of the sample set
OTHER = json.loads((SAMPLES / "khai_sinh_01.json").read_text(encoding="utf-8"))["persons"][0]["personal_number"]
ASK = {"citizen": CITIZEN, "purpose": "Tiếp nhận hồ sơ 000.00.00.H49-261203-0007"}
LOOPBACK = "[auth]\ncookie_secure = false\n"  # TestClient speaks plain HTTP


def configure(services: Services, toml: str = "") -> TestClient:
    (services.settings.data_dir / "settings.toml").write_text(LOOPBACK + toml, encoding="utf-8")
    return TestClient(create_app(services))


def add_user(services: Services, username: str, role: str = "clerk") -> str:
    status, out = run_cli("users", "add", username, "--name", "Trần Thị Bích", "--role", role, "--data-dir",
                          services.settings.data_dir, "--actor", "admin.01")
    assert status == 0, out
    return out.strip().splitlines()[-1]


def sign_in(api: TestClient, username: str, password: str) -> dict:  # type: ignore[type-arg]
    got = api.post("/v1/auth/login", json={"username": username, "password": password})
    assert got.status_code == 200, got.text
    return got.json()  # type: ignore[no-any-return]


def test_a_clerk_made_with_sohoa_users_changes_the_first_password_then_works_with_the_cookie(
        services: Services) -> None:
    api = configure(services)
    first = add_user(services, "bich.tt")
    session = sign_in(api, "bich.tt", first)
    assert session["must_change_password"] and session["actor"]["role"] == "clerk"
    csrf = {"X-CSRF-Token": session["csrf_token"]}
    refused = api.post("/v1/lookup", json=ASK, headers=csrf)
    assert (refused.status_code, refused.json()["error"]) == (403, "password_change_required")
    changed = api.post("/v1/auth/password", headers=csrf,
                       json={"old_password": first, "new_password": "một mật khẩu dài hơn"})
    assert changed.status_code == 200, changed.text
    found = api.post("/v1/lookup", json=ASK, headers=csrf)
    assert found.status_code == 200 and found.json()["documents"]
    event = json.loads(list(services.audit.lines())[-1])
    assert (event["actor"], event["action"], event["details"]["role"]) == ("bich.tt", "lookup", "clerk")
    # The cookie alone is what a forged cross-site form would send: refused without the session's CSRF token.
    forged = api.post("/v1/lookup", json=ASK)
    assert (forged.status_code, forged.json()["error"]) == (403, "csrf_failed")
    assert api.post("/v1/lookup", json=ASK, headers={"X-CSRF-Token": "guess"}).status_code == 403
    # A program sends the token itself as a bearer token: no ambient credential, so no CSRF token needed.
    program = TestClient(create_app(services))
    bearer = {"Authorization": f"Bearer {sign_in(program, 'bich.tt', 'một mật khẩu dài hơn')['token']}"}
    program.cookies.clear()
    assert program.post("/v1/lookup", json=ASK, headers=bearer).status_code == 200
    stored = (services.settings.keys_dir / "sign-in.sqlite")
    assert stored.stat().st_mode & 0o077 == 0
    hashes = sqlite3.connect(stored).execute("SELECT password_hash FROM accounts").fetchall()
    assert hashes[0][0].startswith("$argon2id$") and "dài hơn" not in hashes[0][0]


def test_wrong_passwords_lock_the_account_until_an_administrator_resets_it(services: Services) -> None:
    api = configure(services, "max_failures = 3\n")
    add_user(services, "lan.nt")
    for _ in range(3):
        wrong = api.post("/v1/auth/login", json={"username": "lan.nt", "password": "sai mật khẩu rồi"})
        assert (wrong.status_code, wrong.json()["error"]) == (401, "wrong_credentials")
    unknown = api.post("/v1/auth/login", json={"username": "khong.co", "password": "sai mật khẩu rồi"})
    assert unknown.json() == wrong.json()  # a wrong password and an unknown login read the same
    status, out = run_cli("users", "reset", "lan.nt", "--data-dir", services.settings.data_dir, "--actor", "admin")
    new = out.strip().splitlines()[-1]
    for _ in range(3):
        api.post("/v1/auth/login", json={"username": "lan.nt", "password": "sai mật khẩu rồi"})
    locked = api.post("/v1/auth/login", json={"username": "lan.nt", "password": new})  # right, but locked
    assert (locked.status_code, locked.json()["error"]) == (429, "account_locked")
    assert int(locked.headers["Retry-After"]) > 0 and "thử lại sau" in locked.json()["message"]
    status, out = run_cli("users", "reset", "lan.nt", "--data-dir", services.settings.data_dir, "--actor", "admin")
    assert status == 0
    assert sign_in(api, "lan.nt", out.strip().splitlines()[-1])["actor"]["identity"] == "lan.nt"
    refusals = [json.loads(line) for line in services.audit.lines() if '"signin.refused"' in line]
    assert len(refusals) == 8 and {e["details"]["reason"] for e in refusals} == {
        "wrong password", "locked out"}


def test_a_session_ends_when_it_expires_when_its_owner_signs_out_and_when_the_account_is_disabled(
        services: Services) -> None:
    api = configure(services)
    password = add_user(services, "hung.lv", "reviewer")
    token = sign_in(api, "hung.lv", password)["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/v1/auth/me", headers=bearer).json()["actor"]["identity"] == "hung.lv"
    db = sqlite3.connect(services.settings.keys_dir / "sign-in.sqlite")
    with db:
        db.execute("UPDATE sessions SET expires = ?", (time.time() - 1,))
    gone = api.get("/v1/auth/me", headers=bearer)
    assert (gone.status_code, gone.json()["error"]) == (401, "not_authenticated")
    token = sign_in(api, "hung.lv", password)["token"]
    with db:
        db.execute("UPDATE sessions SET last_seen = ?", (time.time() - 31 * 60,))  # idle past 30 minutes
    assert api.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    token = sign_in(api, "hung.lv", password)["token"]
    assert api.post("/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert api.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    token = sign_in(api, "hung.lv", password)["token"]
    run_cli("users", "disable", "hung.lv", "--data-dir", services.settings.data_dir, "--actor", "admin.01")
    assert api.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert api.post("/v1/auth/login", json={"username": "hung.lv", "password": password}).status_code == 401


# --- the province's LDAP directory --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> ldap_server.Directory:
    if not ldap_server.available():
        pytest.skip("Debian's slapd is not installed (make install adds it)")
    with ldap_server.running_directory(tmp_path_factory.mktemp("ldap"), free_port()) as d:
        d.add_person("nguyen.van.an", "Nguyễn Văn An", "mật khẩu thư mục", ("mot-cua", "can-bo"))
        d.add_person("le.thi.ha", "Lê Thị Hà", "mật khẩu lưu trữ", ("luu-tru",))
        d.add_person("khach", "Khách", "mật khẩu khách", ("khac",))
        yield d


def ldap_settings(d: ldap_server.Directory) -> str:
    return (f'[auth.ldap]\nurl = "{d.url}"\nuser_base = "{ldap_server.PEOPLE}"\n'
            f'group_base = "{ldap_server.GROUPS}"\n[auth.ldap.roles]\n"mot-cua" = "clerk"\n"luu-tru" = "archivist"\n')


def test_staff_sign_in_with_the_province_directory_and_get_the_role_of_their_group(
        services: Services, directory: ldap_server.Directory) -> None:
    api = configure(services, ldap_settings(directory))
    clerk = sign_in(api, "nguyen.van.an", "mật khẩu thư mục")
    assert clerk["actor"] == {"identity": "ldap:nguyen.van.an", "role": "clerk", "name": "Nguyễn Văn An",
                              "personal_number": None} and clerk["source"] == "ldap"
    assert api.post("/v1/lookup", json=ASK, headers={"X-CSRF-Token": clerk["csrf_token"]}).status_code == 200
    archivist = TestClient(create_app(services))
    got = sign_in(archivist, "le.thi.ha", "mật khẩu lưu trữ")
    assert got["actor"]["role"] == "archivist"
    refused = archivist.post("/v1/lookup", json=ASK, headers={"X-CSRF-Token": got["csrf_token"]})
    assert (refused.status_code, refused.json()["error"]) == (403, "role_not_allowed")
    for username, password in (("nguyen.van.an", "sai"), ("khach", "mật khẩu khách"), ("nobody", "x"),
                               ("nguyen.van.an", ""), ("*)(uid=*", "x")):
        no = api.post("/v1/auth/login", json={"username": username, "password": password})
        assert (no.status_code, no.json()["error"]) == (401, "wrong_credentials"), username
    reasons = [json.loads(line)["details"]["reason"] for line in services.audit.lines() if "signin.refused" in line]
    assert reasons[:3] == ["wrong password", "no sohoa group (member of: khac)", "no such user"]


def test_an_unreachable_directory_is_a_clear_503_not_a_wrong_password(services: Services) -> None:
    api = configure(services, f'[auth.ldap]\nurl = "ldap://127.0.0.1:{free_port()}"\nuser_base = "{ldap_server.PEOPLE}"'
                              '\ntimeout_s = 1\n')
    got = api.post("/v1/auth/login", json={"username": "nguyen.van.an", "password": "mật khẩu thư mục"})
    assert (got.status_code, got.json()["error"]) == (503, "directory_unavailable")


# --- single sign-on ---------------------------------------------------------------------------------------------

REDIRECT = "http://testserver/v1/auth/oidc/callback"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> oidc_server.Provider:
    if not oidc_server.available():
        pytest.skip("node-oidc-provider is not installed (make install runs npm ci in tests/node)")
    accounts = {"citizen-1": {"name": "Đặng Văn Phúc", "personal_number": CITIZEN},
                "clerk-1": {"name": "Phạm Thu Trang", "groups": ["mot-cua"]},
                "nobody-1": {"name": "Không Số"}}
    with oidc_server.running_provider(tmp_path_factory.mktemp("oidc"), free_port(), REDIRECT, accounts) as p:
        yield p


def sso_settings(p: oidc_server.Provider) -> str:
    return (f'[auth.oidc]\nissuer = "{p.issuer}"\nclient_id = "{oidc_server.CLIENT_ID}"\n'
            f'client_secret = "{oidc_server.CLIENT_SECRET}"\nredirect_uri = "{REDIRECT}"\n'
            '[auth.oidc.roles]\n"mot-cua" = "clerk"\n')


def sso(api: TestClient, login: str) -> dict[str, str]:
    start = api.get("/v1/auth/oidc/login", follow_redirects=False)
    assert start.status_code == 302
    authorize = start.headers["location"]
    assert "code_challenge_method=S256" in authorize and "code_challenge=" in authorize
    return oidc_server.sign_in_at_provider(authorize, login, REDIRECT)


def test_a_citizen_signs_in_through_single_sign_on_and_reaches_only_their_own_records(
        services: Services, provider: oidc_server.Provider) -> None:
    api = configure(services, sso_settings(provider))
    back = sso(api, "citizen-1")
    done = api.get("/v1/auth/oidc/callback", params=back, follow_redirects=False)
    assert done.status_code == 303, [line for line in services.audit.lines() if "refused" in line]
    me = api.get("/v1/auth/me").json()
    assert me["actor"] == {"identity": "oidc:citizen-1", "role": "citizen", "name": "Đặng Văn Phúc",
                           "personal_number": CITIZEN}
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    mine = api.post("/v1/lookup", json={}, headers=csrf)
    assert mine.status_code == 200, mine.text
    codes = [d["result_code"] for d in mine.json()["documents"]]
    assert len(codes) == 3
    assert api.get(f"/v1/records/{codes[0]}").status_code == 200
    signed = api.get(f"/v1/records/{codes[0]}/signed-copy")
    assert signed.status_code == 200 and signed.content.startswith(b"%PDF")
    other = api.post("/v1/lookup", json={"citizen": OTHER}, headers=csrf)
    assert (other.status_code, other.json()["error"]) == (403, "own_records_only")
    theirs = next(m.result_code for m in services.archive.manifests()
                  if all(p.personal_number != CITIZEN for p in m.persons))
    for path in (f"/v1/records/{theirs}", f"/v1/records/{theirs}/signed-copy", "/v1/records/nope"):
        denied = api.get(path)
        assert (denied.status_code, denied.json()["error"]) == (404, "no_record"), path  # as if it did not exist
    # The state of a sign-in is good for one return only.
    replay = api.get("/v1/auth/oidc/callback", params=back, follow_redirects=False)
    assert (replay.status_code, replay.json()["error"]) == (401, "sso_refused")


def test_staff_get_their_groups_role_and_a_person_with_neither_group_nor_number_is_refused(
        services: Services, provider: oidc_server.Provider) -> None:
    api = configure(services, sso_settings(provider))
    api.get("/v1/auth/oidc/callback", params=sso(api, "clerk-1"), follow_redirects=False)
    assert api.get("/v1/auth/me").json()["actor"]["role"] == "clerk"
    stranger = TestClient(create_app(services))
    refused = stranger.get("/v1/auth/oidc/callback", params=sso(stranger, "nobody-1"), follow_redirects=False)
    assert (refused.status_code, refused.json()["error"]) == (401, "sso_refused")
    forged = stranger.get("/v1/auth/oidc/callback", params={"code": "made-up", "state": "made-up"})
    assert forged.status_code == 401
    assert Path(services.settings.keys_dir / "sign-in.sqlite").exists()


def test_a_callback_address_opened_in_another_browser_signs_nobody_in(
        services: Services, provider: oidc_server.Provider) -> None:
    """Login CSRF: an attacker signs in at the provider as their own citizen account, keeps the callback address
    unused and gets it opened in the victim's browser; the victim must not end up signed in as the attacker."""
    attacker = configure(services, sso_settings(provider))
    back = sso(attacker, "citizen-1")
    victim = TestClient(create_app(services))
    got = victim.get("/v1/auth/oidc/callback", params=back, follow_redirects=False)
    assert (got.status_code, got.json()["error"]) == (401, "sso_refused")
    assert "sohoa_session" not in victim.cookies and victim.get("/v1/auth/me").status_code == 401
    assert attacker.get("/v1/auth/oidc/callback", params=back, follow_redirects=False).status_code == 401  # spent
    # A victim who started a sign-in of their own holds their own state, not the attacker's.
    victim.get("/v1/auth/oidc/login", follow_redirects=False)
    assert victim.cookies.get("sohoa_oidc_state")
    got = victim.get("/v1/auth/oidc/callback", params=sso(attacker, "citizen-1"), follow_redirects=False)
    assert got.status_code == 401 and victim.get("/v1/auth/me").status_code == 401
    refused = [json.loads(line) for line in services.audit.lines() if "another browser" in line]
    assert len(refused) == 2 and {e["action"] for e in refused} == {"signin.refused"}
    # The browser that started it signs in, and its state cookie is gone after.
    own = configure(services, sso_settings(provider))
    done = own.get("/v1/auth/oidc/callback", params=sso(own, "citizen-1"), follow_redirects=False)
    assert done.status_code == 303 and "sohoa_oidc_state" not in own.cookies


def test_a_changed_password_ends_every_other_session_of_the_account(services: Services) -> None:
    """A password changed because it leaked shuts out whoever signed in with it; the person changing it stays."""
    api = configure(services)
    first = add_user(services, "bich.tt")
    mine = sign_in(api, "bich.tt", first)
    thief = TestClient(create_app(services))
    theirs = sign_in(thief, "bich.tt", first)
    changed = api.post("/v1/auth/password", headers={"X-CSRF-Token": mine["csrf_token"]},
                       json={"old_password": first, "new_password": "một mật khẩu dài hơn"})
    assert changed.status_code == 200, changed.text
    assert api.post("/v1/lookup", json=ASK, headers={"X-CSRF-Token": mine["csrf_token"]}).status_code == 200
    thief.cookies.clear()
    shut = thief.post("/v1/lookup", json=ASK, headers={"Authorization": f"Bearer {theirs['token']}"})
    assert shut.status_code == 401, shut.text


def test_forty_logins_at_once_are_judged_no_more_than_the_lock_out_allows(services: Services) -> None:
    """39 wrong passwords and the right one 30th, all at once: the count is claimed before a password is checked."""
    from concurrent.futures import ThreadPoolExecutor

    from service.auth_settings import auth_settings
    from service.errors import NotAuthenticated, TooMany
    from service.signin import password_sign_in

    right = add_user(services, "bich.tt")
    auth = auth_settings(services)
    guesses = [right if i == 29 else f"sai-{i}" for i in range(40)]

    def attempt(password: str) -> str:
        try:
            password_sign_in(services, "bich.tt", password, auth=auth)
            return "in"
        except TooMany:
            return "locked"
        except NotAuthenticated:
            return "wrong"

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(attempt, guesses))
    judged = [o for o in outcomes if o != "locked"]
    assert len(judged) <= auth.max_failures, outcomes  # was 40 judged, the right one in after 13 failures
    assert outcomes.count("locked") >= len(guesses) - auth.max_failures


def test_guesses_from_one_address_do_not_lock_the_owner_out_from_another(services: Services) -> None:
    """Five wrong passwords used to lock any account, the administrator's too, for everyone: now a login is locked
    for the address that guessed; one address spreading guesses over many logins is stopped; an account guessed
    at from many addresses is stopped for all; an administrator lifts a lock-out at once."""
    from service.auth_settings import auth_settings
    from service.errors import NotAuthenticated, TooMany
    from service.signin import password_sign_in

    configure(services, "max_failures = 3\nmax_failures_per_source = 6\nmax_failures_per_account = 5\n")
    auth = auth_settings(services)
    right = add_user(services, "quan.tri", "admin")

    def attempt(login: str, password: str, source: str) -> str:
        try:
            password_sign_in(services, login, password, source=source, auth=auth)
            return "in"
        except TooMany as e:
            return e.code
        except NotAuthenticated:
            return "wrong"

    attacker, office = "203.0.113.9", "10.12.0.25"
    assert [attempt("quan.tri", "sai", attacker) for _ in range(4)] == ["wrong"] * 3 + ["account_locked"]
    assert attempt("quan.tri", right, attacker) == "account_locked"
    assert attempt("quan.tri", right, office) == "in"  # the owner, from their own desk
    # One address spreading guesses over many logins: stopped at max_failures_per_source, whatever the login.
    spread = [attempt(f"nguoi.{i}", "sai", "198.51.100.4") for i in range(7)]
    assert spread == ["wrong"] * 6 + ["source_locked"]
    assert attempt("quan.tri", right, "198.51.100.4") == "source_locked"
    # One login guessed at from many addresses (3 already from the attacker): stopped for all at 5.
    assert [attempt("quan.tri", "sai", f"192.0.2.{i}") for i in range(3)] == ["wrong", "wrong", "account_locked"]
    assert attempt("quan.tri", right, office) == "account_locked"
    status, out = run_cli("users", "unlock", "quan.tri", "--data-dir", services.settings.data_dir, "--actor", "admin")
    assert status == 0 and "mở khóa" in out, out
    assert attempt("quan.tri", right, attacker) == "in"  # the same password: nothing to hand over
    events = [json.loads(line) for line in services.audit.lines()]
    assert [e["details"]["username"] for e in events if e["action"] == "user.unlock"] == ["quan.tri"]
    locked = [e for e in events if e["action"] == "signin.refused" and e["details"].get("lock")]
    assert {e["details"]["address"] for e in locked} >= {attacker, "198.51.100.4", office}


def _serve(data: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--data-dir",
                               str(data), *extra], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return server, f"http://127.0.0.1:{port}"
        except httpx.TransportError:
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


@pytest.mark.parametrize("trusted", [False, True])
def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(tmp_path: Path, trusted: bool) -> None:
    """Behind the province's reverse proxy every caller comes from the proxy's address: the lock-outs must count
    the address it forwards, and nobody else may pick the address they are counted by."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(LOOPBACK.replace("[auth]\n", "[auth]\nmax_failures = 1\n" + (
        'trusted_proxies = ["127.0.0.1"]\n' if trusted else "")), encoding="utf-8")
    server, url = _serve(data)
    try:
        def login(forwarded: str) -> int:
            return httpx.post(f"{url}/v1/auth/login", json={"username": "ai.do", "password": "sai"}, timeout=30,
                              headers={"X-Forwarded-For": forwarded}).status_code

        first, other_address, first_again = login("203.0.113.1"), login("203.0.113.2"), login("203.0.113.1")
    finally:
        server.terminate()
        server.wait(timeout=15)
    if trusted:  # each forwarded address is a caller of its own
        assert (first, other_address, first_again) == (401, 401, 429)
    else:  # the header is ignored: one caller, locked after its first wrong password
        assert (first, other_address, first_again) == (401, 429, 429)


def test_signing_out_a_cookie_session_takes_its_csrf_token(services: Services) -> None:
    """Another site's form could otherwise end a clerk's session at the desk (a nuisance every few seconds)."""
    api = configure(services)
    password = add_user(services, "thu.nt")
    csrf = sign_in(api, "thu.nt", password)["csrf_token"]
    forged = api.post("/v1/auth/logout")
    assert (forged.status_code, forged.json()["error"]) == (403, "csrf_failed")
    assert api.get("/v1/auth/me").status_code == 200  # still signed in
    assert api.post("/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert api.get("/v1/auth/me").status_code == 401


@pytest.mark.parametrize("secure", [True, False])
def test_the_sign_in_forms_token_cookie_follows_the_session_cookies_https_setting(services: Services,
                                                                               secure: bool) -> None:
    (services.settings.data_dir / "settings.toml").write_text(f"[auth]\ncookie_secure = {str(secure).lower()}\n",
                                                               encoding="utf-8")
    api = TestClient(create_app(services), base_url="https://testserver")
    for page in ("/dang-nhap", "/xac-minh"):
        cookie = api.get(page).headers["set-cookie"]
        assert cookie.startswith("sohoa_form=") and ("; secure" in cookie.lower()) == secure, (page, cookie)
