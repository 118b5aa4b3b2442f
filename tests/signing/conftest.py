"""Signing fixtures: a blank PDF/A page, the development identity, and a real test PKI with a timestamp authority,
OCSP responder and CRLs on 127.0.0.1, with sohoa configured to sign through it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from context.settings import Settings, load_settings
from pdf.pdfa import PdfPage, build_pdfa, encode_image
from signing.sign import PYHANKO_PRODUCER, DocumentSigner, SignedPdf
from tests.signing.pki import PASSWORD, PkiUnderTest

CODE = "000.00.00.H49-261202-0007-KQ1"
PROCEDURE = "1.001193"
VERIFY_URL = "https://xacminh.iakenh.gialai.gov.vn"  # a real-looking address: production refuses a placeholder


def blank_pdf() -> bytes:
    page = PdfPage(encode_image(Image.new("L", (2480, 3508), 255)), 300)
    return build_pdfa([page], title="t", created=datetime.now(UTC), creator="sohoa test", producer=PYHANKO_PRODUCER)


def sign(signer: DocumentSigner, pdf: bytes | None = None, code: str = CODE) -> SignedPdf:
    return signer.sign(pdf or blank_pdf(), result_code=code, procedure_code=PROCEDURE,
                       reason=f"Số hóa kết quả giải quyết thủ tục hành chính — {code}")


def signer_for(settings: Settings, operator: str = "nvb") -> DocumentSigner:
    return DocumentSigner(settings.signing, settings.signing.officer(operator))


def pki_settings(data_dir: Path, pki: PkiUnderTest, monkeypatch: pytest.MonkeyPatch, *, level: str = "B-LTA",
                 agency: str = "agency", officer: str = "officer", tsa: str = "tsa") -> Settings:
    """sohoa signing with the test PKI's agency and officer keys, its TSA, and its root as the only trust root."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.toml").write_text(
        f'[signing.officers."*"]\nname = "Nguyễn Thị Hồng Nhung"\np12 = "{pki.p12(officer)}"\n'
        f'p12_password = "{PASSWORD.decode()}"\n', encoding="utf-8")
    monkeypatch.setenv("SOHOA_SIGNING_P12", str(pki.p12(agency)))
    monkeypatch.setenv("SOHOA_SIGNING_P12_PASSWORD", PASSWORD.decode())
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", str(pki.root_pem()))
    monkeypatch.setenv("SOHOA_TSA_URL", pki.tsa_url(tsa))
    monkeypatch.setenv("SOHOA_SIGNING_LEVEL", level)
    monkeypatch.setenv("SOHOA_AGENCY_NAME", pki.cert(agency).subject.native["common_name"])  # as its certificate
    monkeypatch.setenv("SOHOA_VERIFY_BASE_URL", VERIFY_URL)
    return load_settings(data_dir)


def ingest_one(data_dir: Path, sample: str, tmp: Path) -> str:
    """One sample scan digitised through the real command into `data_dir` (as configured there); its result code."""
    import json
    import shutil

    from tests.conftest import SAMPLES, run_cli

    scans = tmp / f"scans-{sample}"
    scans.mkdir()
    shutil.copy(SAMPLES / sample, scans)
    status, out = run_cli("ingest", scans, "--data-dir", data_dir, "--json")
    assert status == 0, out
    return str(json.loads(out)["documents"][0]["result_code"])
