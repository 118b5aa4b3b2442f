"""Signing speed per core, for each PAdES level, beside bare pyHanko on the same key in the same run.

    python bench/signing.py [--docs N]

sohoa signs each e-copy twice (the digitising officer, then the agency, both with visible stamps and the QR code);
its rate is reported per signature. The anchor is bare pyHanko: one invisible PAdES signature with the same agency
key and the same input, with the key loaded once. B-T, B-LT and B-LTA run against a real test PKI on 127.0.0.1
(certomancer: RFC 3161 TSA, OCSP responder, CRLs), so their figures include the local round trips; those are also
timed on their own. One thread: every figure is per core. The last line holds the key=value figures.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps import HTTPTimeStamper

from context.settings import load_settings
from pdf.pdfa import PdfPage, build_pdfa, encode_image
from signing.sign import PYHANKO_PRODUCER, DocumentSigner
from tests.signing.pki import PASSWORD, running_pki


def page_pdf() -> bytes:
    page = PdfPage(encode_image(Image.new("RGB", (2480, 3508), (250, 246, 235))), 300)
    return build_pdfa([page], title="bench", created=datetime.now(UTC), creator="sohoa bench",
                      producer=PYHANKO_PRODUCER)


def bare_pyhanko(p12: Path, pdf: bytes, n: int) -> float:
    """Signatures per second of bare pyHanko: PAdES, SHA-256, the key loaded once, nothing else."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSWORD)
    started = time.perf_counter()
    for i in range(n):
        out = io.BytesIO()
        PdfSigner(PdfSignatureMetadata(field_name=f"Sig{i}", md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES),
                  signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    return n / (time.perf_counter() - started)


def sohoa_rate(signer: DocumentSigner, pdf: bytes, n: int) -> tuple[float, str]:
    signer.sign(pdf, result_code="000.00.00.H49-261202-0001-KQ1", procedure_code="1.001193", reason="warm-up")
    started = time.perf_counter()
    level = ""
    for i in range(n):
        signed = signer.sign(pdf, result_code=f"000.00.00.H49-261202-{i:04d}-KQ1", procedure_code="1.001193",
                             reason="Số hóa kết quả giải quyết thủ tục hành chính")
        level = signed.level
    return 2 * n / (time.perf_counter() - started), level  # two signatures per e-copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60, help="e-copies signed at B-B (a tenth of that per level)")
    args = parser.parse_args()
    pdf = page_pdf()
    figures: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, running_pki(Path(tmp) / "pki") as pki:
        data = Path(tmp) / "data"
        data.mkdir()
        (data / "settings.toml").write_text(
            f'[agency]\nname = "{pki.cert("agency").subject.native["common_name"]}"\n'
            f'[signing]\np12 = "{pki.p12("agency")}"\np12_password = "{PASSWORD.decode()}"\n'
            'verify_base_url = "https://xacminh.iakenh.gialai.gov.vn"\n'
            f'trust_roots = ["{pki.root_pem()}"]\ntsa_url = "{pki.tsa_url("tsa2")}"\n'
            f'[signing.officers."*"]\nname = "Nguyễn Thị Hồng Nhung"\np12 = "{pki.p12("officer")}"\n'
            f'p12_password = "{PASSWORD.decode()}"\n', encoding="utf-8")
        bare = bare_pyhanko(pki.p12("agency"), pdf, 2 * args.docs)
        for level in ("B-B", "B-T", "B-LT", "B-LTA"):
            os.environ["SOHOA_SIGNING_LEVEL"] = level
            settings = load_settings(data)
            signer = DocumentSigner(settings.signing, settings.signing.officer("bench"))
            n = args.docs if level == "B-B" else max(3, args.docs // 10)
            rate, reached = sohoa_rate(signer, pdf, n)
            assert reached == level, f"{level} reached {reached}"
            key = level.lower().replace("-", "")
            figures[f"{key}_sigs_per_s_core"] = f"{rate:.1f}"
            print(f"{level}: {rate:.1f} signatures/s ({n} e-copies, two signatures each)")
        stamper = HTTPTimeStamper(pki.tsa_url("tsa2"))
        started = time.perf_counter()
        for _ in range(20):
            asyncio.run(stamper.async_timestamp(b"\0" * 32, "sha256"))
        figures["tsa_round_trip_ms"] = f"{(time.perf_counter() - started) / 20 * 1000:.1f}"
    figures["pyhanko_sigs_per_s_core"] = f"{bare:.1f}"
    figures["ratio_vs_pyhanko"] = f"{float(figures['bb_sigs_per_s_core']) / bare:.2f}"
    print(f"bare pyHanko (same key, invisible, no stamp): {bare:.1f} signatures/s")
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
