"""The agency's key on a PKCS#11 token: SoftHSM2 stands in for the USB token or HSM an agency signs with."""

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from signing.identity import SigningKeyError, verification_roots
from signing.verify import verify_pdf
from tests.conftest import SAMPLES, run_cli
from tests.signing.conftest import VERIFY_URL, sign, signer_for
from tests.signing.pki import PASSWORD, PkiUnderTest

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "1234"

pytestmark = pytest.mark.skipif(not MODULE.is_file() or shutil.which("softhsm2-util") is None,
                                reason="SoftHSM2 is not installed (Debian package softhsm2; `make install` adds it)")


@pytest.fixture
def token(tmp_path: Path, pki: PkiUnderTest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh token holding the test PKI's agency key and certificate, in a private SoftHSM store."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    store = tmp_path / "tokens"
    store.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {store}\nobjects.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "sohoa", "--pin", PIN, "--so-pin", PIN],
                   check=True, capture_output=True, env=env)
    subprocess.run(["softhsm2-util", "--import", str(pki.key_pem("agency")), "--token", "sohoa", "--label", "agency",
                    "--id", "01", "--pin", PIN], check=True, capture_output=True, env=env)
    cert = pki.cert("agency")
    lib = pkcs11.lib(str(MODULE))
    with lib.get_token(token_label="sohoa").open(user_pin=PIN, rw=True) as session:
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,
                               Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,
                               Attribute.LABEL: "agency", Attribute.ID: b"\x01",
                               Attribute.SUBJECT: cert.subject.dump(), Attribute.VALUE: cert.dump()})
    yield "sohoa"


def token_settings(data_dir: Path, pki: PkiUnderTest, monkeypatch: pytest.MonkeyPatch, pin: str = PIN) -> object:
    from context.settings import load_settings

    data_dir.mkdir(parents=True, exist_ok=True)
    root = pki.root_pem()
    (data_dir / "settings.toml").write_text(
        f'[signing]\nchain = ["{root}"]\n[signing.officers."*"]\nname = "Nguyễn Thị Hồng Nhung"\n'
        f'p12 = "{pki.p12("officer")}"\np12_password = "{PASSWORD.decode()}"\n', encoding="utf-8")
    monkeypatch.setenv("SOHOA_SIGNING_PKCS11_MODULE", str(MODULE))
    monkeypatch.setenv("SOHOA_SIGNING_PKCS11_TOKEN", "sohoa")
    monkeypatch.setenv("SOHOA_SIGNING_PKCS11_KEY", "agency")
    monkeypatch.setenv("SOHOA_SIGNING_PKCS11_PIN", pin)
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", str(root))
    monkeypatch.setenv("SOHOA_SIGNING_LEVEL", "B-B")
    monkeypatch.setenv("SOHOA_AGENCY_NAME", pki.cert("agency").subject.native["common_name"])
    monkeypatch.setenv("SOHOA_VERIFY_BASE_URL", VERIFY_URL)
    return load_settings(data_dir)


def test_the_agency_signs_with_a_key_on_the_token(token: str, pki: PkiUnderTest, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settings = token_settings(tmp_path / "data", pki, monkeypatch)
    signer = signer_for(settings)  # type: ignore[arg-type]
    try:
        signed = sign(signer)
    finally:
        signer.close()
    report = verify_pdf(signed.data, verification_roots(settings.signing))  # type: ignore[attr-defined]
    assert report.ok, [p for s in report.signatures for p in s.problems]
    agency = next(s for s in report.regular if s.role == "agency")
    assert agency.signer.startswith("Ủy ban nhân dân xã Ia Kênh")
    assert agency.certificate_sha256 == hashlib.sha256(pki.cert("agency").dump()).hexdigest()  # from the token


def test_a_wrong_pin_is_told_in_vietnamese_and_nothing_is_written(token: str, pki: PkiUnderTest, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    settings = token_settings(tmp_path / "data", pki, monkeypatch, pin="9999")
    with pytest.raises(SigningKeyError) as e:
        signer_for(settings)  # type: ignore[arg-type]
    assert e.value.code == "pkcs11_pin_incorrect"
    assert "Mã PIN của token 'sohoa' không đúng" in e.value.vietnamese
    status, _ = run_cli("ingest", SAMPLES, "--data-dir", tmp_path / "data")
    assert status == 2
    assert not (tmp_path / "data" / "archive" / "records").exists()  # no record, not even a half-written one
    assert not (tmp_path / "data" / "quarantine").exists()
