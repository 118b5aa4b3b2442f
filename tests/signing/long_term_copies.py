"""Copies signed through the test PKI once a day and kept: B-LTA (with a long- and a short-lived timestamp
authority), B-LT, B-T, and B-B signatures by an expired and by a revoked certificate (its CRL embedded), with the
PKI's root to verify them by.

Verifying a copy needs no server (the trust root and what the file carries; "fetch" finds nobody listening), so the
verifier's tests read these in a fraction of a second each, under xdist and in every mutation run, while signing
them (six seconds) happens once: the folder is named by the day and by the signing code, so a change to that code
signs them again. The dates inside are relative to the day they were made.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from asn1crypto import crl as asn1_crl
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.validation.dss import DocumentSecurityStore

from tests.conftest import REPO
from tests.signing.conftest import blank_pdf, pki_settings, sign, signer_for
from tests.signing.pki import PASSWORD, PkiUnderTest, running_pki

# name: (level, timestamp authority); "tsa" is certified for three years, "tsa2" for forty
COPIES = {"lta": ("B-LTA", "tsa2"), "lta_short": ("B-LTA", "tsa"), "lt": ("B-LT", "tsa2"), "bt": ("B-T", "tsa2")}


@dataclass(frozen=True)
class LongTermCopies:
    folder: Path

    def read(self, name: str) -> bytes:
        return (self.folder / f"{name}.pdf").read_bytes()

    @property
    def roots(self) -> list[Path]:
        return [self.folder / "root.pem"]


def _signing_code_hash() -> str:
    parts = sorted((REPO / "signing").glob("*.py")) + sorted((REPO / "pdf").glob("*.py")) + [
        REPO / "tests" / "signing" / "pki.py", Path(__file__)]
    return hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()[:12]


def long_term_copies() -> LongTermCopies:
    """The day's copies, signed now if this checkout has none yet (one process signs, the others wait)."""
    folder = REPO / ".pytest_cache" / "verify-copies" / f"{date.today().isoformat()}-{_signing_code_hash()}"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            _sign_all(folder)
            (folder / "done").touch()
    return LongTermCopies(folder)


def signed_by_raw_pyhanko(pki: PkiUnderTest, label: str) -> bytes:
    """A B-B signature by a certificate sohoa would refuse, made with bare pyHanko."""
    signer = signers.SimpleSigner.load_pkcs12(str(pki.p12(label)), passphrase=PASSWORD)
    out = io.BytesIO()
    PdfSigner(PdfSignatureMetadata(field_name="Sig"), signer=signer,
              new_field_spec=SigFieldSpec("Sig", box=(10, 10, 100, 50))).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(blank_pdf())), output=out)
    return out.getvalue()


def _with_crl(data: bytes, pki: PkiUnderTest, label: str) -> bytes:
    """The copy with the CRL that revokes its signer embedded (pyHanko will not add revocation data that says
    "revoked" itself): its revocation is then known offline."""
    cert = pki.cert(label)
    url = cert.crl_distribution_points[0]["distribution_point"].native[0]
    with urllib.request.urlopen(url, timeout=10) as answer:
        crl = asn1_crl.CertificateList.load(answer.read())
    stream = io.BytesIO(data)
    sig = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[0]
    DocumentSecurityStore.add_dss(stream, sig.pkcs7_content, certs=[pki.cert("root")], crls=[crl])
    return stream.getvalue()


def _sign_all(folder: Path) -> None:
    with running_pki(folder / "pki") as pki, pytest.MonkeyPatch.context() as env:
        for name, (level, tsa) in COPIES.items():
            settings = pki_settings(folder / f"data-{name}", pki, env, level=level, tsa=tsa)
            signed = sign(signer_for(settings))
            assert signed.level == level, signed.problems
            (folder / f"{name}.pdf").write_bytes(signed.data)
        (folder / "expired.pdf").write_bytes(signed_by_raw_pyhanko(pki, "expired"))
        (folder / "revoked.pdf").write_bytes(_with_crl(signed_by_raw_pyhanko(pki, "revoked"), pki, "revoked"))
        (folder / "root.pem").write_bytes(pki.root_pem().read_bytes())
