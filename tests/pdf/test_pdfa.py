import io
from datetime import UTC, datetime

import numpy as np
import pdfplumber
import pikepdf
from PIL import Image

from domain.text import nfc
from ocr.page import read_page
from ocr.preprocess import rotate_quarter, straighten
from pdf.pdfa import build_pdfa, encode_image, jpeg_components
from tests.conftest import SAMPLES


def pdfa_claims(pdf: pikepdf.Pdf) -> dict[str, str]:
    meta = pdf.open_metadata()  # read only: not used as a context manager, nothing is written back
    return {key: str(meta.get(key)) for key in ("pdfaid:part", "pdfaid:conformance", "pdf:Producer")}


def assert_pdfa_2b_structure(pdf: pikepdf.Pdf) -> None:
    """The PDF/A-2b requirements that can be checked here (no veraPDF on this machine)."""
    claims = pdfa_claims(pdf)
    assert (claims["pdfaid:part"], claims["pdfaid:conformance"]) == ("2", "B")
    assert str(pdf.docinfo["/Producer"]) == claims["pdf:Producer"]  # Info and XMP agree
    assert not pdf.is_encrypted and "/ID" in pdf.trailer
    [intent] = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            assert any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")), obj.FontName
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Widget":
            assert int(obj.F) & 4, "annotations must print"
        assert not (isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/JavaScript")


def test_a_skewed_scan_becomes_a_searchable_pdfa_with_level_vietnamese_text() -> None:
    source = SAMPLES / "khai_sinh_02.jpg"
    with Image.open(source) as im:
        pixels = np.asarray(im.convert("RGB"))
    reading = read_page(pixels, dpi=300)
    assert abs(reading.prepared.skew_deg) > 3
    shown = straighten(rotate_quarter(pixels, reading.rotation), reading.prepared)
    page = encode_image(Image.fromarray(shown))
    from pdf.pdfa import PdfPage

    data = build_pdfa([PdfPage(page, 300, reading.ocr.text_layer_pdf)], title="Giấy khai sinh",
                      created=datetime.now(UTC), creator="sohoa test", producer="sohoa test")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert_pdfa_2b_structure(pdf)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = nfc(pdf.pages[0].extract_text())
    assert "GIẤY KHAI SINH" in text
    assert "Họ, chữ đệm, tên:" in text  # whole lines, because the page was straightened before the text layer
    assert "Ngày, tháng, năm sinh:" in text


def test_jpeg_passthrough_keeps_the_scanners_bytes() -> None:
    data = (SAMPLES / "ket_hon_01.jpg").read_bytes()
    assert jpeg_components(data) == 3
    with Image.open(io.BytesIO(data)) as im:
        encoded = encode_image(im, jpeg=data)
    assert encoded.data == data and encoded.filter == "/DCTDecode" and encoded.colour_space == "/DeviceRGB"


def test_lossless_sources_stay_lossless() -> None:
    image = Image.new("L", (600, 800), 200)
    encoded = encode_image(image, lossless=True)
    assert encoded.filter == "/FlateDecode" and encoded.bits == 8 and encoded.colour_space == "/DeviceGray"
