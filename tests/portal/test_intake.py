"""The intake check a one-stop-shop system calls: which of a procedure's papers the applicant need not bring (held,
valid on the appointment date), each with its result code and signed copy; the reuse recorded against the new
dossier and counted for QĐ 468/QĐ-TTg; which papers a procedure needs is a TOML file, not code."""

import json

import pytest
from fastapi.testclient import TestClient

from context.services import Services
from domain.actor import Actor
from domain.catalogue import ConfigError
from portal.api import create_app
from service.clients import add_client
from service.procedures import load_procedures
from tests.conftest import run_cli

CITIZEN = "064086927066"  # marital-status paper of 26/11/2022 (valid 6 months), household business, building permit
PURPOSE = "Tiếp nhận hồ sơ đăng ký kết hôn"
DOSSIER = "000.00.00.H49-230110-0042"


@pytest.fixture
def desk(services: Services) -> tuple[TestClient, dict[str, str]]:
    _, key = add_client(services, Actor("admin", "console"), "Một cửa điện tử tỉnh Gia Lai", "clerk")
    return TestClient(create_app(services)), {"Authorization": f"Bearer {key}"}


def check(desk: tuple[TestClient, dict[str, str]], **body: object) -> dict:  # type: ignore[type-arg]
    api, headers = desk
    got = api.post("/v1/intake-check", json={"citizen": CITIZEN, "purpose": PURPOSE, **body}, headers=headers)
    assert got.status_code == 200, got.text
    return got.json()  # type: ignore[no-any-return]


def test_a_paper_the_state_holds_and_is_valid_that_day_need_not_be_brought(
        desk: tuple[TestClient, dict[str, str]], services: Services) -> None:
    answer = check(desk, procedure_code="1.000894", appointment="2023-01-10", dossier_code=DOSSIER)
    assert answer["procedure"] == {"code": "1.000894", "name": "Đăng ký kết hôn"}
    assert (answer["required"], answer["need_not_bring"]) == (1, 1)
    paper = answer["papers"][0]
    assert paper["status"] == "held" and paper["need_not_bring"]
    assert paper["document"]["type_id"] == "tinh_trang_hon_nhan" and paper["document"]["validity"]["status"] == "valid"
    assert paper["signed_copy"] == f"/v1/records/{paper['result_code']}/signed-copy"
    assert paper["download_url"].startswith("http://testserver/v1/links/")
    api, headers = desk
    linked = api.get(paper["download_url"])  # no sign-in: the link is the credential
    assert linked.status_code == 200 and linked.content.startswith(b"%PDF")
    copy = api.get(paper["signed_copy"], headers=headers)  # what the check returned, the desk may fetch
    assert copy.status_code == 200 and copy.content.startswith(b"%PDF")
    event = next(json.loads(line) for line in reversed(list(services.audit.lines())) if "intake.reuse" in line)
    assert (event["details"]["dossier_code"], event["details"]["reused"], event["purpose"]) == (
        DOSSIER, [paper["result_code"]], PURPOSE)
    later = check(desk, procedure_code="1.000894", appointment="2023-08-01")  # six months have passed
    assert later["papers"][0]["status"] == "expired" and later["need_not_bring"] == 0
    assert later["papers"][0]["download_url"] is None


def test_which_papers_a_procedure_needs_is_configuration(desk: tuple[TestClient, dict[str, str]],
                                                         services: Services) -> None:
    folder = services.settings.data_dir / "procedures"
    folder.mkdir()
    (folder / "1.001612.toml").write_text('''code = "1.001612"
name = "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh"
[[papers]]
id = "hkd"
name = "Giấy chứng nhận đăng ký hộ kinh doanh đã cấp"
types = ["ho_kinh_doanh"]
[[papers]]
id = "khai_sinh"
name = "Giấy khai sinh của chủ hộ"
types = ["khai_sinh"]
[[papers]]
id = "gpxd"
name = "Giấy phép xây dựng (nếu có)"
types = ["giay_phep_xay_dung"]
optional = true
''', encoding="utf-8")
    answer = check(desk, procedure_code="1.001612", appointment="2024-03-01", dossier_code="000.00.00.H49-240301-0001")
    statuses = {p["id"]: p["status"] for p in answer["papers"]}
    assert statuses["hkd"] in ("held", "needs_review") and statuses["khai_sinh"] == "not_held"
    assert statuses["gpxd"] == "expired"  # a building permit lapses when work has not started within 12 months
    assert answer["required"] == 2  # the optional paper is shown, not counted
    status, out = run_cli("audit", "reuse", "--json", "--data-dir", services.settings.data_dir, "--actor", "lt.01")
    report = json.loads(out)
    assert status == 0 and report["dossiers"] == 1 and report["required"] == 2
    assert report["reused"] == answer["need_not_bring"] and report["rate"] == report["reused"] / 2
    (folder / "1.000001.toml").write_text('code = "1.000001"\nname = "x"\n[[papers]]\nid = "a"\nname = "a"\n'
                                          'types = ["giay_dang_ky_xe"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="giay_dang_ky_xe"):
        load_procedures(services.settings)


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"procedure_code": "9.999999"}, 404, "no_procedure"),
    ({"procedure_code": "1.000894", "dossier_code": "HS-42"}, 400, "bad_dossier_code"),
    ({"procedure_code": "1.000894", "citizen": None}, 400, "no_query"),
    ({"procedure_code": "1.000894", "purpose": ""}, 400, "purpose_required"),
])
def test_refusals(desk: tuple[TestClient, dict[str, str]], body: dict, status: int, code: str) -> None:  # type: ignore[type-arg]
    api, headers = desk
    got = api.post("/v1/intake-check", json={"citizen": CITIZEN, "purpose": PURPOSE, **body}, headers=headers)
    assert (got.status_code, got.json()["error"]) == (status, code)


def test_the_desk_command_says_the_same(services: Services) -> None:
    status, out = run_cli("intake", "--procedure", "1.000894", "--citizen", CITIZEN, "--appointment", "10/01/2023",
                          "--purpose", PURPOSE, "--data-dir", services.settings.data_dir, "--actor", "clerk-01")
    text = " ".join(out.split())
    assert status == 0 and "không phải nộp" in text and "1 trong 1" in text, out
