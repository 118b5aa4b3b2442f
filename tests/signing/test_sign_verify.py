import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from ocr.pdfa import PdfPage, build_pdfa, encode_image
from pipeline.config import Settings, load_settings
from signing.fonts import stamp_font
from signing.identity import load_identity
from signing.sign import PYHANKO_PRODUCER, DocumentSigner
from signing.verify import load_certificates, report_vi, verify_pdf


def blank_pdf() -> bytes:
    page = PdfPage(encode_image(Image.new("L", (2480, 3508), 255)), 300)
    return build_pdfa([page], title="t", created=datetime.now(UTC), creator="sohoa test", producer=PYHANKO_PRODUCER)


def make_signer(settings: Settings) -> DocumentSigner:
    return DocumentSigner(load_identity(settings), agency_name=settings.agency_name, copy_form=settings.copy_form,
                          font_file=stamp_font(settings.stamp_font, settings.cache_dir))


def test_development_identity_signs_pades_that_pyhanko_accepts(settings: Settings) -> None:
    signer = make_signer(settings)
    assert signer.identity.development
    assert (settings.keys_dir / "NOT-FOR-PRODUCTION.txt").is_file()
    signed = signer.sign(blank_pdf(), reason="test").data
    # Checked with pyHanko's validator directly, not through sohoa's wrapper.
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    status = validate_pdf_signature(sig, ValidationContext(
        trust_roots=load_certificates([settings.keys_dir / "dev-ca.pem"])))
    assert status.intact and status.valid and status.trusted
    assert status.md_algorithm == "sha256"
    assert "ecdsa" in status.pkcs7_signature_mechanism


def test_the_identity_is_made_once_per_data_directory(settings: Settings, tmp_path: Path) -> None:
    first = load_identity(settings).p12.read_bytes()
    assert load_identity(settings).p12.read_bytes() == first
    other = load_identity(load_settings(tmp_path / "other"))
    assert other.p12.read_bytes() != first


def test_the_stamp_carries_the_copy_form_agency_and_vietnam_time(settings: Settings) -> None:
    import pypdfium2
    signed = make_signer(settings).sign(blank_pdf(), reason="test").data
    doc = pypdfium2.PdfDocument(signed)
    doc.init_forms()
    image = doc[0].render(scale=2, may_draw_forms=True).to_pil().convert("L")
    width, height = image.size
    ink = [(x, y) for x in range(0, width, 2) for y in range(0, height // 8, 2) if image.getpixel((x, y)) < 128]
    assert ink, "the stamp is visible"
    assert min(x for x, _ in ink) > width / 2  # top right of page 1
    appearance = bytes(PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_field["/AP"]["/N"].data)
    assert b"Tj" in appearance or b"TJ" in appearance  # text, not an image


def test_tampering_after_signing_is_detected(settings: Settings) -> None:
    signed = bytearray(make_signer(settings).sign(blank_pdf(), reason="test").data)
    index = signed.index(b"stream\n") + 40  # inside the first stream's data: the file still parses
    signed[index] ^= 0x01
    [report] = verify_pdf(bytes(signed), [settings.keys_dir / "dev-ca.pem"])
    assert not report.ok
    assert "KHÔNG HỢP LỆ" in report_vi([report])


def test_a_signature_is_not_trusted_without_its_root(settings: Settings, tmp_path: Path) -> None:
    signed = make_signer(settings).sign(blank_pdf(), reason="test").data
    stranger = load_identity(load_settings(tmp_path / "stranger"))
    [report] = verify_pdf(signed, stranger.trust_roots)
    assert report.intact and not report.trusted and not report.ok


def test_a_configured_pkcs12_replaces_the_development_identity(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime.now(UTC) - timedelta(minutes=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Root")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sở Tư pháp tỉnh Gia Lai")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2).not_valid_before(now)
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    p12 = tmp_path / "agency.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"agency", key, cert, [ca], serialization.BestAvailableEncryption(b"secret")))
    root = tmp_path / "root.pem"
    root.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    monkeypatch.setenv("SOHOA_SIGNING_P12", str(p12))
    monkeypatch.setenv("SOHOA_SIGNING_P12_PASSWORD", "secret")
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", str(root))
    settings = load_settings(tmp_path / "data")
    signer = make_signer(settings)
    assert not signer.identity.development
    assert not settings.keys_dir.exists()  # no development keys were made
    [report] = verify_pdf(signer.sign(blank_pdf(), reason="test").data, settings.trust_roots)
    assert report.ok and report.signer == "Sở Tư pháp tỉnh Gia Lai"
    assert report.algorithm.startswith("sha256/")
