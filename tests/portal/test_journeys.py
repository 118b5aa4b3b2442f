"""The portal's five journeys in a real browser (Debian's Chromium through Playwright) against a real `sohoa serve`:
the intake clerk, the reviewer, the citizen (signed in through a real OpenID Connect provider), the archivist and the
digitisation lead; with the refusals a person would try, an accessibility check (axe-core, WCAG 2.1 A/AA: no serious
or critical violation) on each page, and a screenshot of each step (test-artifacts/portal/)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from archive.base import SIGNED_PDF
from context.services import open_services
from context.settings import load_settings
from domain.actor import Actor
from pipeline.process import ACCEPTED, digitise
from sample_scans import variety
from service.accounts import add_user
from service.archivist import request_disposal
from tests.conftest import OPERATOR, REPO, SAMPLES, Ingested, copy_data_dir, free_port
from tests.pipeline.test_archivist import schedule_with_short_decisions
from tests.portal import browser
from tests.service import oidc_server

pytestmark = pytest.mark.skipif(browser.available() is not None, reason=str(browser.available()))

CITIZEN = "064086927066"  # three documents of the sample set: a business, a building permit, a marital status
STAFF = {"tiep.nhan": ("clerk", "Nguyễn Thị Tiếp Nhận"), "ra.soat": ("reviewer", "Lê Văn Rà Soát"),
         "luu.tru.a": ("archivist", "Trần Thị Lưu Trữ"), "luu.tru.b": ("archivist", "Phạm Văn Phê Duyệt"),
         "so.hoa": ("operator", "Đỗ Thị Số Hóa")}
# Hand-filled: each value read by Tesseract and the second reader; where they disagree (a name Tesseract read
# "WGÔ HỮU TUẤN", the second reader "NGO HUU TUAN") the record waits for a reviewer, who is shown both.
IN_DOUBT = "giay_phep_xay_dung_hand_filled_scan300"  # made by sample_scans/variety.py (seed 2026)
HAND_FILLED = ("ket_hon_hand_filled_scan200.jpg", "khai_tu_hand_filled_fax.tif")  # both readers agree: believed
PAST_RETENTION = "quyet_dinh_ruled_fax.tif"
DESKTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def portal(ingested: Ingested, tmp_path_factory: pytest.TempPathFactory) -> Iterator[browser.Server]:
    """The sample set digitised once, two hand-filled papers waiting for a reviewer, staff accounts, the test OIDC
    provider for citizens, and `sohoa serve` on it."""
    root = tmp_path_factory.mktemp("portal")
    data = root / "data"
    copy_data_dir(ingested.data_dir, data)
    port = free_port()
    provider_ctx = None
    sso = ""
    if oidc_server.available():
        provider_ctx = oidc_server.running_provider(
            root / "oidc", free_port(), f"http://127.0.0.1:{port}/v1/auth/oidc/callback",
            {"citizen-1": {"name": "Đặng Văn Phúc", "personal_number": CITIZEN}})
        provider = provider_ctx.__enter__()
        sso = (f'[auth.oidc]\nissuer = "{provider.issuer}"\nclient_id = "{oidc_server.CLIENT_ID}"\n'
               f'client_secret = "{oidc_server.CLIENT_SECRET}"\n'
               f'redirect_uri = "http://127.0.0.1:{port}/v1/auth/oidc/callback"\n')
    schedule = schedule_with_short_decisions(root)  # decisions kept a year: the 2024 one is past its retention
    (data / "settings.toml").write_text(f'[archive]\nretention_schedule = "{schedule}"\n{sso}', encoding="utf-8")
    services = open_services(load_settings(data))
    [doubtful] = variety.generate(root / "variety", 2026, only={IN_DOUBT})
    assert digitise(doubtful, services, OPERATOR).outcome == ACCEPTED
    for name in (*HAND_FILLED, PAST_RETENTION):
        assert digitise(REPO / "variety_scans" / name, services, OPERATOR).outcome == ACCEPTED
    for username, (role, name) in STAFF.items():
        add_user(services, Actor("admin.01", "console"), username, name, role, browser.PASSWORD)
    browser.fresh_artifacts()
    try:
        with browser.running_portal(data, port, root / "serve.log") as server:
            yield server
    finally:
        if provider_ctx is not None:
            provider_ctx.__exit__(None, None, None)


@pytest.fixture(scope="module")
def chromium(portal: browser.Server) -> Iterator[Any]:
    """Started after the portal: Playwright's synchronous API keeps an event loop running in this thread, where
    signing (pyHanko runs its own) could no longer run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        engine = browser.launch(playwright)
        yield engine
        engine.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN", accept_downloads=True)
    yield context.new_page()
    context.close()


def sign_in(page: Any, portal: browser.Server, username: str, path: str) -> None:
    page.goto(f"{portal.url}{path}")
    assert "/dang-nhap" in page.url  # a page that needs a person sends the browser to sign in, then back
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(browser.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{portal.url}{path}**")


def accessible(page: Any, name: str) -> None:
    browser.shot(page, name)
    assert browser.serious_violations(page) == [], name


def pdf_text(data: bytes) -> tuple[int, str]:
    doc = pypdfium2.PdfDocument(data)
    try:
        return len(doc), " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def test_the_intake_clerk_finds_the_papers_an_applicant_need_not_bring(page: Any, portal: browser.Server) -> None:
    sign_in(page, portal, "tiep.nhan", "/tiep-nhan")
    accessible(page, "01-clerk-form")
    page.get_by_label("Số định danh cá nhân hoặc số CMND").fill(CITIZEN)
    page.get_by_label("Thủ tục").select_option("1.000894")
    page.get_by_label("Ngày hẹn trả kết quả").fill("2023-01-15")  # the marital status was valid until 26/05/2023
    page.get_by_label("Mục đích tra cứu").fill("Tiếp nhận hồ sơ đăng ký kết hôn")
    page.get_by_role("button", name="Kiểm tra giấy tờ").click()
    summary = page.locator("#tong-ket")
    assert "không phải nộp lại 1 trên 1" in " ".join(summary.inner_text().split())
    assert page.get_by_text("KHÔNG CẦN NỘP").count() == 1
    headings = page.locator(".doc-group h3").all_inner_texts()
    assert set(headings) == {"Giấy chứng nhận đăng ký hộ kinh doanh", "Giấy phép xây dựng",
                             "Giấy xác nhận tình trạng hôn nhân"}  # the applicant's documents, grouped by type
    badges = page.locator(".doc .badge").all_inner_texts()
    assert badges == ["DÙNG ĐƯỢC"] * 3  # all three valid on 15/01/2023 (the permit until 11/07/2023)
    accessible(page, "02-clerk-result")

    with page.context.expect_page() as opened:  # the signed copy, drawn in a page of its own tab
        page.get_by_role("link", name=re.compile("xem bản sao")).first.click()
    preview = opened.value
    copy = preview.get_by_role("img", name=re.compile("Trang 1 của bản sao điện tử"))
    copy.wait_for()
    assert copy.evaluate("img => img.naturalWidth") > 500
    accessible(preview, "03-clerk-copy")
    preview.close()

    page.get_by_label("Mã hồ sơ mới").fill("000.00.00.H49-261206-0099")
    page.get_by_role("button", name="Ghi nhận không phải nộp lại").click()
    assert page.get_by_role("status").filter(has_text="000.00.00.H49-261206-0099").count() == 1
    with page.expect_download() as slip:
        page.get_by_role("button", name="In phiếu kiểm tra (PDF)").click()
    pages, text = pdf_text(Path(slip.value.path()).read_bytes())
    assert pages == 1 and "PHIẾU KIỂM TRA" in text and "000.00.00.H49-261206-0099" in text
    assert "Không phải nộp lại 1 trên 1" in " ".join(text.split())

    page.goto(f"{portal.url}/luu-tru")  # a clerk opening the archivist's dashboard
    assert page.get_by_role("heading", name="Không được phép").count() == 1
    browser.shot(page, "04-clerk-refused-dashboard")


def test_the_reviewer_clears_a_record_with_the_keyboard_and_the_next_comes_up(page: Any,
                                                                               portal: browser.Server) -> None:
    sign_in(page, portal, "ra.soat", "/ra-soat")
    page.wait_for_url(re.compile(r"/ra-soat/.+"))
    first = page.url.rsplit("/", 1)[1]
    reasons = " ".join(page.locator(".reasons").inner_text().split())
    assert "viết tay" in reasons  # the hand-filled name the two readers read differently is why it waits
    doubt = page.locator("#p0_name_doc")  # beside the name: where it was read, and what each reader read
    assert doubt.get_by_role("img", name="Chỗ đọc giá trị này trên bản quét").evaluate("i => i.naturalWidth") > 50
    readings = " ".join(doubt.inner_text().split())
    assert "Tesseract: WGÔ HỮU TUẤN" in readings and "Bộ đọc thứ hai (PP-OCR)" in readings and "NGO" in readings
    assert page.evaluate("document.activeElement.id") == "p0_name"  # the field in doubt has the cursor
    scan = page.get_by_role("img", name=re.compile("Trang 1 của bản quét"))
    assert scan.evaluate("img => img.naturalWidth") > 800
    accessible(page, "05-review")
    page.locator("main h1").click()  # not in a field: + zooms the scan
    before = scan.bounding_box()["width"]
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert scan.bounding_box()["width"] > before * 1.4
    page.keyboard.press("0")
    name = page.get_by_label(re.compile("^Họ và tên")).first
    name.focus()  # the reviewer reads the name off the crop and types it right
    page.keyboard.press("Control+a")
    page.keyboard.type("NGÔ HỮU TUẤN")
    page.keyboard.press("Enter")  # save: a new version, signed again and indexed; the next record comes up
    page.wait_for_url(re.compile(r"da_luu="))
    assert page.get_by_role("status").filter(has_text=first).count() == 1
    assert first not in page.url.split("?")[0]  # another record
    browser.shot(page, "06-review-next")
    manifest = json.loads(max((portal.data_dir / "archive").rglob("manifest.json"),
                              key=lambda p: p.stat().st_mtime).read_text(encoding="utf-8"))
    assert (manifest["result_code"], manifest["version"], manifest["changed_by"]) == (first, 2, "ra.soat")
    assert manifest["review"] == [] and manifest["persons"][0]["name"] == "NGÔ HỮU TUẤN"
    page.keyboard.press("Enter")  # the next record's first field in doubt has the cursor: Enter accepts it as read
    page.wait_for_url(re.compile(r"da_luu=(?!" + re.escape(first) + ")"))


def test_a_citizen_signs_in_through_the_identity_provider_and_reaches_only_their_own_papers(
        page: Any, portal: browser.Server) -> None:
    if not oidc_server.available():
        pytest.skip("node-oidc-provider is not installed (make test runs npm ci in tests/node)")
    page.set_viewport_size(PHONE)  # a citizen, on their phone
    page.goto(f"{portal.url}/cong-dan")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử").click()
    for _ in range(4):  # the provider's own login and consent pages
        if page.url.startswith(f"{portal.url}/cong-dan"):
            break
        if page.locator("input[name=login]").count():
            page.fill("input[name=login]", "citizen-1")
            page.fill("input[name=password]", "x")
        page.locator("button[type=submit]").first.click()
        page.wait_for_load_state()
    page.wait_for_url(f"{portal.url}/cong-dan")
    assert page.locator(".doc").count() == 3  # their three documents, nobody else's
    accessible(page, "07-citizen")
    with page.expect_download() as copy:
        page.locator(".doc").filter(has_text="159/UBND-XNTTHN").get_by_role("button", name="Tải bản sao (PDF)").click()
    signed = Path(copy.value.path()).read_bytes()
    assert signed.startswith(b"%PDF") and b"/ByteRange" in signed
    (browser.ARTIFACTS / "ban-sao.pdf").write_bytes(signed)  # for the verification journey

    services = open_services(load_settings(portal.data_dir))
    theirs = next(m for m in services.archive.manifests() if all(p.personal_number != CITIZEN for p in m.persons)
                  and m.persons)
    refused = page.goto(f"{portal.url}/ho-so/{theirs.result_code}")  # another citizen's record, by its address
    assert refused is not None and refused.status == 404
    assert theirs.persons[0].name is None or theirs.persons[0].name not in page.content()
    browser.shot(page, "08-citizen-refused-other-record")

    expired = services.archive.download_url(theirs, SIGNED_PDF, 1)  # a link whose minute is up
    time.sleep(1.5)
    answer = page.goto(expired.replace("http://127.0.0.1:8470", portal.url))
    assert answer is not None and answer.status == 403
    assert "hết hạn" in page.inner_text("main")
    browser.shot(page, "09-expired-link")


def test_anyone_verifies_a_copy_and_a_forged_one_is_refused(chromium: Any, portal: browser.Server) -> None:
    context = chromium.new_context(viewport=PHONE, locale="vi-VN")  # not signed in, on a phone
    page = context.new_page()
    services = open_services(load_settings(portal.data_dir))
    manifest = next(m for m in services.archive.manifests() if m.source_name == "khai_sinh_01.png")
    signed = services.archive.read(manifest, SIGNED_PDF)
    copy, forged = browser.ARTIFACTS / "ban-sao-khai-sinh.pdf", browser.ARTIFACTS / "ban-sao-gia.pdf"
    copy.write_bytes(signed)
    at = signed.index(b"/Contents", signed.index(b"/Type /Page"))  # a page's content changed after signing
    forged.write_bytes(signed[:at] + signed[at:].replace(b"0", b"1", 1))

    page.goto(f"{portal.url}/xac-minh/{manifest.result_code}?tthc={manifest.procedure_code}")  # the QR code's page
    landing = page.inner_text("main")
    assert f"có hồ sơ {manifest.result_code}" in landing and "Giấy khai sinh" in landing  # the paper to compare with
    accessible(page, "10-verify-qr-landing")
    page.get_by_label(re.compile("Tệp bản sao")).set_input_files(str(copy))
    page.get_by_role("button", name="Xác thực").click()
    verdict = page.inner_text("main")
    assert "HỢP LỆ" in verdict and "KHÔNG HỢP LỆ" not in verdict.split("Chi tiết")[0]
    assert re.search(rf"Mã QR trên trang 1: \S+/xac-minh/{re.escape(manifest.result_code)}\?v=1&", verdict)
    accessible(page, "11-verify-valid")

    page.goto(f"{portal.url}/xac-minh")
    page.get_by_label(re.compile("Tệp bản sao")).set_input_files(str(forged))
    page.get_by_role("button", name="Xác thực").click()
    assert "KHÔNG HỢP LỆ" in page.inner_text("main")
    accessible(page, "12-verify-forged")

    page.goto(f"{portal.url}/xac-minh")
    (browser.ARTIFACTS / "khong-phai-pdf.pdf").write_bytes(b"GIF89a not a copy")
    page.get_by_label(re.compile("Tệp bản sao")).set_input_files(str(browser.ARTIFACTS / "khong-phai-pdf.pdf"))
    page.get_by_role("button", name="Xác thực").click()
    assert "không phải PDF" in page.inner_text("main")  # refused by the same checks as a scan
    context.close()


def test_the_archivist_sees_the_holdings_and_a_second_archivist_decides_a_disposition(
        page: Any, portal: browser.Server) -> None:
    services = open_services(load_settings(portal.data_dir))
    expired = next(m for m in services.archive.manifests() if m.source_name == PAST_RETENTION)
    request_disposal(services, Actor("luu.tru.a", "archivist"), expired.result_code, "Hết thời hạn lưu trữ")
    sign_in(page, portal, "luu.tru.b", "/luu-tru")
    assert page.locator(".card").first.inner_text().split()[0] == str(sum(1 for _ in services.archive.manifests()))
    assert page.locator("svg.chart[role=img]").count() >= 3  # holdings by type, year and class; the timeline
    assert "CHUỖI NGUYÊN VẸN" in page.inner_text("main")
    accessible(page, "13-archivist")
    request = page.locator(".doc").filter(has_text=expired.result_code)
    request.get_by_label("Ý kiến").fill("Còn giá trị tra cứu cho vụ việc đang giải quyết")
    request.get_by_role("button", name="Từ chối").click()
    assert page.get_by_role("status").filter(has_text=expired.result_code).count() == 1
    assert page.locator(".doc").filter(has_text=expired.result_code).count() == 0  # closed; the record stays
    with page.expect_download() as catalogue:
        page.get_by_role("link", name="Tải danh mục hồ sơ (CSV)").click()
    rows = Path(catalogue.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Mã kết quả") and any(expired.result_code in r for r in rows)


def test_the_digitisation_lead_follows_the_plan_and_a_batch_uploaded_from_the_page(page: Any,
                                                                                  portal: browser.Server) -> None:
    sign_in(page, portal, "so.hoa", "/tien-do")
    main = page.inner_text("main")
    assert "1.872.917 theo kế hoạch" in main and "3.779 đ/trang" in main
    assert page.locator("svg.chart[role=img]").count() >= 3
    accessible(page, "14-lead")
    broken = browser.ARTIFACTS / "hong.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 a JPEG cut short")
    page.get_by_label(re.compile("Tải lên bản quét")).set_input_files(
        [str(REPO / "variety_scans" / "khai_sinh_ruled_scan300.jpg"), str(broken), str(SAMPLES / "ket_hon_01.jpg")])
    page.get_by_role("button", name="Bắt đầu số hóa").click()
    page.wait_for_url(re.compile(r"/tien-do/lo/\w+"))
    page.get_by_text("Đã xong").wait_for(timeout=120_000)  # the page follows the batch as it runs
    main = page.inner_text("main")
    assert "3/3" in main and "Đã số hóa và lưu trữ: 1" in main and "Đã có trong kho (bỏ qua): 1" in main
    assert "hong.jpg" in main  # a broken scan: quarantined with its reason, and the batch went on
    accessible(page, "15-lead-batch")
