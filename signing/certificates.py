"""Reading certificates from files (PEM, one or many, or DER): the trust roots a verifier is given and the
certificates a signing identity names. Apart from `signing.verify` so that the identity and the verifier both read
them without importing each other."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509


def load_certificates(paths: Sequence[Path]) -> list[asn1_x509.Certificate]:
    certs: list[asn1_x509.Certificate] = []
    for path in paths:
        data = path.read_bytes()
        if pem.detect(data):
            certs.extend(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
        else:
            certs.append(asn1_x509.Certificate.load(data))
    return certs
