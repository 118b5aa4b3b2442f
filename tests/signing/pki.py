"""A real test PKI on 127.0.0.1: a root CA, signers, an RFC 3161 timestamp authority, an OCSP responder and CRLs.

Certomancer builds the certificates from a configuration written here (dates relative to now, so that "expired" and
"about to expire" mean what they say on the day the tests run) and its Animator answers OCSP, CRL and TSA requests
over HTTP from a thread. The benchmarks use it too, to time timestamp and revocation round trips.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import CertLabel, CertomancerConfig
from certomancer.registry.pki_arch import PKIArchitecture
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import free_port


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

ARCH = "sohoa-test"
PASSWORD = b"test-p12"

# label -> key kind
KEYS = {"root": "ec", "agency": "ec", "agency-rsa": "rsa", "agency-p384": "ec384", "officer": "ec", "tsa": "ec",
        "tsa2": "ec", "ocsp": "ec", "revoked": "ec", "expired": "ec"}


def _write_key(path: Path, kind: str) -> None:
    key: Any = (ec.generate_private_key(ec.SECP384R1()) if kind == "ec384" else
                ec.generate_private_key(ec.SECP256R1()) if kind == "ec" else rsa.generate_private_key(65537, 2048))
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def _when(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _config(now: datetime, url: str, tsa_days: int) -> dict[str, Any]:
    def validity(start: timedelta, end: timedelta) -> dict[str, str]:
        return {"valid-from": _when(now + start), "valid-to": _when(now + end)}

    revocation_info = [
        {"id": "crl_distribution_points", "smart-value": {"schema": "crl-dist-url",
                                                         "params": {"crl-repo-names": ["root"]}}},
        {"id": "authority_information_access", "smart-value": {"schema": "aia-urls",
                                                              "params": {"ocsp-responder-names": ["root"]}}},
    ]
    signer = {
        "issuer": "root",
        "validity": validity(-timedelta(days=30), timedelta(days=3 * 365)),
        "extensions": [{"id": "key_usage", "critical": True, "smart-value": {
            "schema": "key-usage", "params": ["digital_signature", "non_repudiation"]}}, *revocation_info],
    }
    tsa = {
        "issuer": "root",
        "validity": validity(-timedelta(days=30), timedelta(days=tsa_days)),
        "extensions": [
            {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage",
                                                                  "params": ["digital_signature"]}},
            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
            revocation_info[0],
        ],
    }
    certs: dict[str, Any] = {
        "root": {"subject": "root", "subject-key": "root", "issuer": "root", "authority-key": "root",
                 "validity": validity(-timedelta(days=365), timedelta(days=40 * 365)),
                 "extensions": [
                     {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                     {"id": "key_usage", "critical": True, "smart-value": {
                         "schema": "key-usage", "params": ["digital_signature", "key_cert_sign", "crl_sign"]}}]},
        "ocsp": {"issuer": "root", "validity": validity(-timedelta(days=30), timedelta(days=40 * 365)),
                 "extensions": [
                     {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage",
                                                                           "params": ["digital_signature"]}},
                     {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                     {"id": "ocsp_no_check"}]},
        "tsa": tsa,
        "tsa2": {**tsa, "validity": validity(-timedelta(days=30), timedelta(days=40 * 365))},
        "agency": signer,
        "agency-rsa": signer,
        "agency-p384": signer,
        "officer": signer,
        "revoked": {**signer, "revocation": {"revoked-since": _when(now - timedelta(days=1)),
                                             "reason": "key_compromise"}},
        "expired": {**signer, "validity": validity(-timedelta(days=800), -timedelta(days=35))},
    }
    entities = {
        "root": {"common-name": "sohoa Test Root CA"},
        "ocsp": {"common-name": "sohoa Test OCSP"},
        "tsa": {"common-name": "sohoa Test TSA"},
        "tsa2": {"common-name": "sohoa Test TSA 2"},
        "agency": {"common-name": "Ủy ban nhân dân xã Ia Kênh"},
        "agency-rsa": {"common-name": "Sở Tư pháp tỉnh Gia Lai"},
        "agency-p384": {"common-name": "Ủy ban nhân dân huyện Đak Pơ"},
        "officer": {"common-name": "Nguyễn Thị Hồng Nhung"},
        "revoked": {"common-name": "Chứng thư đã thu hồi"},
        "expired": {"common-name": "Chứng thư đã hết hạn"},
    }
    return {
        "external-url-prefix": url,
        "keysets": {"k": {"keys": {label: {"path": f"{label}.key.pem"} for label in KEYS}}},
        "pki-architectures": {ARCH: {
            "keyset": "k",
            "entity-defaults": {"country-name": "VN", "organization-name": "sohoa test PKI"},
            "entities": entities,
            "certs": certs,
            "services": {
                "ocsp": {"root": {"for-issuer": "root", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "crl-repo": {"root": {"for-issuer": "root", "signing-key": "root",
                                      "simulated-update-schedule": "P7D"}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"},
                                  "tsa2": {"signing-key": "tsa2", "signing-cert": "tsa2"}},
            },
        }},
    }


@dataclass
class PkiUnderTest:
    folder: Path
    arch: PKIArchitecture
    url: str

    def tsa_url(self, label: str = "tsa") -> str:
        return f"{self.url}/{ARCH}/tsa/{label}"

    def cert(self, label: str) -> asn1_x509.Certificate:
        return self.arch.get_cert(CertLabel(label))

    def root_pem(self) -> Path:
        return self._pem("root")

    def _pem(self, label: str) -> Path:
        path = self.folder / f"{label}.cert.pem"
        path.write_bytes(pem.armor("CERTIFICATE", self.cert(label).dump()))
        return path

    def p12(self, label: str) -> Path:
        """The signer's key, certificate and chain as a PKCS#12 file protected by PASSWORD."""
        path = self.folder / f"{label}.p12"
        path.write_bytes(self.arch.package_pkcs12(CertLabel(label), password=PASSWORD))
        return path

    def key_pem(self, label: str) -> Path:
        return self.folder / f"{label}.key.pem"

    def cert_pem(self, label: str) -> Path:
        return self._pem(label)


@contextmanager
def running_pki(folder: Path, *, tsa_days: int = 3 * 365) -> Iterator[PkiUnderTest]:
    """Build the PKI in `folder` and serve it on 127.0.0.1 until the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    for label, kind in KEYS.items():
        if not (folder / f"{label}.key.pem").exists():
            _write_key(folder / f"{label}.key.pem", kind)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = _config(datetime.now(UTC).replace(microsecond=0), url, tsa_days)
    (folder / "certomancer.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    cfg = CertomancerConfig(config, key_search_dir=str(folder))
    arch = cfg.get_pki_arch(ARCH)  # type: ignore[arg-type]
    server = make_server("127.0.0.1", port, Animator(AnimatorArchStore(cfg.pki_archs), with_web_ui=False),
                         threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield PkiUnderTest(folder, arch, url)
    finally:
        server.shutdown()
        thread.join()
