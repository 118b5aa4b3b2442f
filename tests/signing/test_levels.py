"""PAdES levels through a real test PKI on 127.0.0.1 (certomancer: RFC 3161 TSA, OCSP, CRLs), checked with pyHanko
itself and with sohoa's verifier; long-term validity years ahead; revoked and expired keys; upgrade and renewal."""

import gc
import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest
from asn1crypto import cms
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from archive.base import SIGNED_PDF
from context.services import open_services
from signing.identity import SigningKeyError, verification_roots
from signing.ltv import needs_renewal, renew, upgrade
from signing.verify import verify_pdf
from tests.conftest import free_port
from tests.signing.conftest import ingest_one, pki_settings, sign, signer_for
from tests.signing.long_term_copies import signed_by_raw_pyhanko
from tests.signing.pki import PkiUnderTest, running_pki

YEARS_4 = timedelta(days=4 * 365)  # past the signers' 3-year certificates, well within the TSA's


def pyhanko_ok(data: bytes, pki: PkiUnderTest) -> bool:
    context = ValidationContext(trust_roots=[pki.cert("root")], allow_fetching=False)
    return all(validate_pdf_signature(s, context, ts_validation_context=context).bottom_line
               for s in PdfFileReader(io.BytesIO(data)).embedded_regular_signatures)


@pytest.mark.parametrize("level", ["B-T", "B-LT", "B-LTA"])
def test_each_level_is_reached_and_verified(level: str, pki: PkiUnderTest, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    settings = pki_settings(tmp_path / "data", pki, monkeypatch, level=level, tsa="tsa2")
    signed = sign(signer_for(settings))
    assert signed.level == level and not signed.problems
    assert pyhanko_ok(signed.data, pki)
    report = verify_pdf(signed.data, verification_roots(settings.signing))
    assert report.ok
    assert [s.level for s in report.regular] == [level, level]
    assert all(s.time_source == "tsa" for s in report.regular)
    reader = PdfFileReader(io.BytesIO(signed.data))
    assert ("/DSS" in reader.root) == (level != "B-T")
    assert bool(reader.embedded_timestamp_signatures) == (level == "B-LTA")
    if level != "B-T":
        assert all(s.revocation == "good" for s in report.regular)


def test_fetching_revocation_data_leaves_no_connection_open(pki: PkiUnderTest, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    """A batch signs thousands of copies at B-LT: each one used to leave an HTTP client session behind."""
    settings = pki_settings(tmp_path / "data", pki, monkeypatch, level="B-LT", tsa="tsa2")
    signer = signer_for(settings)
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        for _ in range(2):
            assert sign(signer).level == "B-LT"
        gc.collect()
    assert not [r for r in caplog.records if "Unclosed" in r.getMessage()]


def test_a_b_lta_copy_still_verifies_after_its_certificates_expire(pki: PkiUnderTest, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    settings = pki_settings(tmp_path / "data", pki, monkeypatch, level="B-LTA", tsa="tsa2")
    lta = sign(signer_for(settings)).data
    later = datetime.now(UTC) + YEARS_4
    report = verify_pdf(lta, verification_roots(settings.signing), at=later)
    assert report.ok, report
    assert all(s.long_term for s in report.regular)
    monkeypatch.setenv("SOHOA_SIGNING_LEVEL", "B-B")
    plain = sign(signer_for(pki_settings(tmp_path / "plain", pki, monkeypatch, level="B-B"))).data
    report = verify_pdf(plain, verification_roots(settings.signing), at=later)
    assert not report.ok
    assert any("đã hết hạn" in p and "thiếu dấu thời gian lưu trữ" in p for s in report.regular for p in s.problems)
    short = sign(signer_for(pki_settings(tmp_path / "short", pki, monkeypatch, level="B-LTA", tsa="tsa"))).data
    report = verify_pdf(short, verification_roots(settings.signing), at=later)  # its TSA's certificate expired too
    assert not report.ok
    said = [p for s in report.regular for p in s.problems]
    expired = [p for p in said if "đã hết hạn" in p]
    assert expired and all("dấu thời gian lưu trữ của tệp không hợp lệ" in p for p in expired), said
    assert not any("thiếu dấu thời gian lưu trữ" in p for p in said)  # the file has one: it is not valid


def _no_network() -> bool:
    import shutil
    import subprocess

    return shutil.which("unshare") is not None and subprocess.run(["unshare", "-n", "true"],
                                                                  check=False).returncode == 0


@pytest.mark.skipif(not _no_network(), reason="needs unshare -n (root)")
def test_a_b_lta_copy_verifies_with_no_network_without_being_told_offline(pki: PkiUnderTest, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """An archivist in 2050 checks a copy on a machine with no network: fetching fails, the file's own data holds."""
    import subprocess
    import sys

    settings = pki_settings(tmp_path / "data", pki, monkeypatch, level="B-LTA", tsa="tsa2")
    assert settings.signing.revocation_fetch  # the default: fetch when it can
    code = ingest_one(tmp_path / "data", "khai_sinh_01.png", tmp_path)
    services = open_services(settings)
    manifest = services.archive.manifest(code)
    assert manifest is not None
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(services.archive.read(manifest, SIGNED_PDF))
    later = (datetime.now(UTC) + YEARS_4).date()  # the signers' certificates have expired by then
    for at in ([], ["--at", later.isoformat()], ["--at", later.strftime("%d/%m/%Y")]):
        run = subprocess.run(["unshare", "-n", sys.executable, "-m", "cli.main", "verify", str(copy), *at,
                              "--data-dir", str(tmp_path / "data")], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parents[2], check=False)
        said = run.stdout + run.stderr
        assert "Traceback" not in said and "Error" not in said, said
        assert run.returncode == 0 and run.stdout.startswith("Kết luận: HỢP LỆ"), said
        assert "B-LTA" in run.stdout and code in run.stdout


def test_ingest_goes_on_at_b_b_when_the_timestamp_authority_is_down_and_upgrade_brings_it_up(
        pki: PkiUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = pki_settings(tmp_path / "data", pki, monkeypatch, level="B-LTA")
    monkeypatch.setenv("SOHOA_TSA_URL", f"http://127.0.0.1:{free_port()}/tsa")  # nobody listens there
    from context.settings import load_settings

    down = load_settings(tmp_path / "data")
    signed = sign(signer_for(down))
    assert signed.level == "B-B" and signed.target_level == "B-LTA"
    assert any("máy chủ cấp dấu thời gian" in p for p in signed.problems)
    assert verify_pdf(signed.data, verification_roots(down.signing)).ok
    signer = signer_for(settings)
    upgraded = upgrade(signed.data, "B-B", "B-LTA", HTTPTimeStamper(pki.tsa_url("tsa2")),
                       signer.validation_context(fetch=True))
    assert upgraded.startswith(signed.data)  # incremental updates only: the signed bytes are untouched
    report = verify_pdf(upgraded, verification_roots(settings.signing))
    assert report.ok, [p for s in report.signatures for p in s.problems]
    assert [s.level for s in report.regular] == ["B-LTA", "B-LTA"]
    assert pyhanko_ok(upgraded, pki)


def test_a_revoked_or_expired_key_does_not_sign(pki: PkiUnderTest, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for label, words in (("revoked", "đã bị thu hồi"), ("expired", "không còn hiệu lực")):
        settings = pki_settings(tmp_path / label, pki, monkeypatch, agency=label)
        with pytest.raises(SigningKeyError) as e:
            signer_for(settings)
        assert words in e.value.vietnamese


def test_revoked_and_expired_certificates_are_reported(pki: PkiUnderTest, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    settings = pki_settings(tmp_path / "data", pki, monkeypatch)
    roots = verification_roots(settings.signing)
    revoked = verify_pdf(signed_by_raw_pyhanko(pki, "revoked"), roots, fetch=True)
    assert not revoked.ok
    assert revoked.regular[0].revocation == "revoked"
    assert any("đã bị thu hồi từ" in p for p in revoked.regular[0].problems)
    expired = verify_pdf(signed_by_raw_pyhanko(pki, "expired"), roots)
    assert not expired.ok
    assert any("đã hết hạn" in p for p in expired.regular[0].problems)


def test_a_timestamp_that_does_not_match_its_signature_is_reported(pki: PkiUnderTest, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    settings = pki_settings(tmp_path / "data", pki, monkeypatch, level="B-T", tsa="tsa2")
    first = sign(signer_for(settings)).data
    second = sign(signer_for(settings)).data
    donor = PdfFileReader(io.BytesIO(second)).embedded_regular_signatures[0]
    token = donor.signed_data["signer_infos"][0]["unsigned_attrs"]
    target = PdfFileReader(io.BytesIO(first)).embedded_regular_signatures[0]
    contents: cms.ContentInfo = cms.ContentInfo.load(bytes(target.pkcs7_content))
    contents["content"]["signer_infos"][0]["unsigned_attrs"] = token  # another signature's timestamp
    new_hex = contents.dump().hex().encode()
    start, length = int(target.sig_object["/ByteRange"][1]), int(target.sig_object["/ByteRange"][2]) - int(
        target.sig_object["/ByteRange"][1])
    old_hex = first[start + 1:start + length - 1]
    assert len(new_hex) <= len(old_hex)
    forged = first[:start + 1] + new_hex + b"0" * (len(old_hex) - len(new_hex)) + first[start + length - 1:]
    report = verify_pdf(forged, verification_roots(settings.signing))
    assert not report.ok
    assert any("dấu thời gian không khớp với chữ ký" in p for s in report.regular for p in s.problems)


def test_renewal_adds_a_document_timestamp_before_the_tsa_certificate_expires(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_pki(tmp_path / "short-pki", tsa_days=20) as short:  # its "tsa" expires in 20 days
        settings = pki_settings(tmp_path / "data", short, monkeypatch, level="B-LTA", tsa="tsa")
        signer = signer_for(settings)
        signed = sign(signer).data
        now = datetime.now(UTC)
        assert needs_renewal(signed, now, 30) is not None
        assert needs_renewal(signed, now, 10) is None
        renewed = renew(signed, HTTPTimeStamper(short.tsa_url("tsa2")), signer.validation_context(fetch=True))
        assert renewed.startswith(signed)
        assert needs_renewal(renewed, now, 30) is None
        later = now + timedelta(days=25)  # the first TSA certificate has expired by then
        roots = verification_roots(settings.signing)
        assert not verify_pdf(signed, roots, at=later).ok
        report = verify_pdf(renewed, roots, at=later)
        assert report.ok, [p for s in report.signatures for p in s.problems]
        assert len([s for s in report.signatures if s.kind == "document_timestamp"]) == 2
        with pikepdf.open(io.BytesIO(renewed)) as pdf:
            assert all("/N" in a.get("/AP", {}) for a in pdf.pages[0].get("/Annots", []))


@pytest.mark.parametrize("agency", ["agency", "agency-rsa", "agency-p384"])
def test_the_signed_file_is_the_pdf_a_it_claims(agency: str, pki: PkiUnderTest, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    settings = pki_settings(tmp_path / "data", pki, monkeypatch, level="B-LTA", agency=agency, tsa="tsa2")
    signed = sign(signer_for(settings)).data
    assert signed.startswith(b"%PDF-1.7")
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        assert str(pdf.Root.get("/Version", "/1.7")) == "/1.7"  # not raised to 2.0 by an ISO 32002 extension
        assert "/ISO_" not in pdf.Root.get("/Extensions", {})
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        widgets = [a for a in pdf.pages[0].get("/Annots", []) if a.get("/Subtype") == "/Widget"]
        assert len(widgets) == 3 and all("/N" in w.get("/AP", {}) for w in widgets)  # the timestamp's too
        icc = bytes(pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes())
        assert icc[8:10] == b"\x04\x20"  # ICC.1:2004-10, the version PDF/A-2 cites
        fonts = [f for page in pdf.pages for annot in page.get("/Annots", [])
                 for f in _fonts(annot.get("/AP", {}).get("/N"))]
        assert fonts, "the stamps draw text"
        assert all("/FontFile2" in f.get("/FontDescriptor", {}) or "/DescendantFonts" in f for f in fonts)
    sig = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures[0]
    mechanism = sig.signer_info["signature_algorithm"]["algorithm"].native
    assert mechanism == {"agency": "sha256_ecdsa", "agency-rsa": "rsassa_pss", "agency-p384": "sha256_ecdsa"}[agency]
    if agency == "agency-rsa":  # a salt as long as the hash (RFC 4055), not the longest the key allows
        assert sig.signer_info["signature_algorithm"]["parameters"]["salt_length"].native == 32
    if agency == "agency-p384":
        assert sig.signer_cert.public_key.curve[1] == "secp384r1"
    assert verify_pdf(signed, verification_roots(settings.signing)).ok


def _fonts(xobject: object) -> list[pikepdf.Dictionary]:
    if not isinstance(xobject, pikepdf.Stream):
        return []
    found: list[pikepdf.Dictionary] = []
    resources = xobject.get("/Resources", {})
    for font in resources.get("/Font", {}).values():
        found.append(font)
        for descendant in font.get("/DescendantFonts", []):
            found.append(descendant)
    for inner in resources.get("/XObject", {}).values():
        found.extend(_fonts(inner))
    return found


def test_an_agency_name_its_certificate_does_not_bear_is_refused_before_anything_is_signed(
        pki: PkiUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = pki_settings(tmp_path / "data", pki, monkeypatch)
    monkeypatch.setenv("SOHOA_AGENCY_NAME", "Ủy ban nhân dân tỉnh Quảng Ninh")  # the key is Ia Kênh's
    from context.settings import load_settings

    with pytest.raises(SigningKeyError) as e:
        signer_for(load_settings(tmp_path / "data"))
    assert e.value.code == "agency_name_mismatch" and "Ủy ban nhân dân xã Ia Kênh" in e.value.vietnamese
    monkeypatch.setenv("SOHOA_AGENCY_NAME", "UỶ BAN NHÂN DÂN XÃ IA KÊNH")  # the same name, written otherwise
    signer_for(load_settings(tmp_path / "data")).close()
    monkeypatch.setenv("SOHOA_VERIFY_BASE_URL", "https://sohoa.example.gov.vn")  # the shipped placeholder
    with pytest.raises(SigningKeyError) as e:
        signer_for(load_settings(tmp_path / "data"))
    assert e.value.code == "placeholder_verify_url" and "verify_base_url" in e.value.vietnamese
    assert settings.signing.verify_base_url != "https://sohoa.example.gov.vn"
