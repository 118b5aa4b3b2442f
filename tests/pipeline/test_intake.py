import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from context.settings import Settings
from pipeline.intake import RejectedInput, open_document
from tests.conftest import SAMPLES


def rejected(path: Path, settings: Settings) -> RejectedInput:
    with pytest.raises(RejectedInput) as info:
        doc = open_document(path, settings)
        list(doc.pages())  # some damage only shows when the pixels are decoded
    return info.value


def test_format_comes_from_content_not_name(tmp_path: Path, settings: Settings) -> None:
    renamed = tmp_path / "scan.jpg"
    renamed.write_bytes((SAMPLES / "khai_sinh_01.png").read_bytes())
    doc = open_document(renamed, settings)
    assert doc.media_type == "image/png"
    [page] = list(doc.pages())
    assert page.dpi == 300 and page.lossless and page.jpeg is None


def test_a_screen_default_density_is_not_taken_for_the_scan(tmp_path: Path, settings: Settings) -> None:
    image = Image.open(SAMPLES / "khai_sinh_01.png")
    for stated, taken in ((72, False), (96, False), (200, True)):
        path = tmp_path / f"anh_{stated}.jpg"
        image.convert("RGB").save(path, dpi=(stated, stated))
        [page] = list(open_document(path, settings).pages())
        assert page.dpi_stated is taken and page.dpi == (stated if taken else settings.default_dpi)


def test_a_jpeg_keeps_its_bytes_for_the_pdf(settings: Settings) -> None:
    [page] = list(open_document(SAMPLES / "ket_hon_01.jpg", settings).pages())
    assert page.jpeg == (SAMPLES / "ket_hon_01.jpg").read_bytes()


def test_multi_page_tiff_and_image_only_pdf_give_every_page(settings: Settings) -> None:
    tiff = open_document(SAMPLES / "giay_phep_xay_dung_01_two_pages.tif", settings)
    assert tiff.page_count == 2 and len(list(tiff.pages())) == 2
    pdf = open_document(SAMPLES / "quyet_dinh_01.pdf", settings)
    assert pdf.page_count == 2 and not pdf.born_digital
    pages = list(pdf.pages())
    assert all(p.jpeg is not None and p.dpi == 300 for p in pages)  # the scanner's own JPEGs, unchanged


def test_empty_file(tmp_path: Path, settings: Settings) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    error = rejected(empty, settings)
    assert error.code == "empty" and "rỗng" in error.vietnamese


def test_truncated_jpeg(tmp_path: Path, settings: Settings) -> None:
    data = (SAMPLES / "ket_hon_01.jpg").read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 2])
    error = rejected(cut, settings)
    assert error.code == "corrupt" and "hỏng" in error.vietnamese


def test_text_renamed_as_image(tmp_path: Path, settings: Settings) -> None:
    fake = tmp_path / "note.png"
    fake.write_text("Đây không phải là ảnh quét", encoding="utf-8")
    error = rejected(fake, settings)
    assert error.code == "unsupported" and "PNG, JPEG, TIFF, PDF" in error.vietnamese


def test_encrypted_pdf(tmp_path: Path, settings: Settings) -> None:
    pdf = pikepdf.open(SAMPLES / "ho_kinh_doanh_02.pdf")
    locked = tmp_path / "locked.pdf"
    pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    assert rejected(locked, settings).code == "encrypted"


def test_corrupt_pdf(tmp_path: Path, settings: Settings) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage")
    assert rejected(broken, settings).code in ("corrupt_pdf", "no_pages")


def test_thumbnail_is_not_a_scan(tmp_path: Path, settings: Settings) -> None:
    small = tmp_path / "small.png"
    Image.new("L", (120, 160), 255).save(small)
    assert rejected(small, settings).code == "too_small"


def test_limits_on_pixels_size_and_pages(tmp_path: Path, settings: Settings) -> None:
    from dataclasses import replace

    assert rejected(SAMPLES / "khai_sinh_01.png", replace(settings, max_pixels=1_000_000)).code == "too_many_pixels"
    assert rejected(SAMPLES / "khai_sinh_01.png", replace(settings, max_file_bytes=1000)).code == "too_large"
    assert rejected(SAMPLES / "quyet_dinh_01.pdf", replace(settings, max_pages=1)).code == "too_many_pages"


def test_a_pdf_with_a_text_layer_is_born_digital(tmp_path: Path, settings: Settings) -> None:
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    content = b"BT /F1 14 Tf 72 720 Td (GIAY KHAI SINH - Ho, chu dem, ten: NGUYEN VAN A) Tj ET"
    pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Contents=pdf.make_stream(content),
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))))
    buf = io.BytesIO()
    pdf.save(buf)
    path = tmp_path / "digital.pdf"
    path.write_bytes(buf.getvalue())
    doc = open_document(path, settings)
    assert doc.born_digital
    assert doc.text_pages is not None and "GIAY KHAI SINH" in doc.text_pages[0]


def test_a_pdf_declaring_a_giant_page_is_refused_before_rendering(tmp_path: Path, settings: Settings) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14400, 14400))  # 200 x 200 inches: 3.6 gigapixels at 300 dpi
    path = tmp_path / "giant.pdf"
    pdf.save(path)
    assert rejected(path, settings).code == "too_many_pixels"


@pytest.mark.parametrize(("number", "plausible"), [
    ("2471/QĐ-UBND", True), ("39C8303514", True), ("48/TLKT-BS", True), ("159/UBND-XNTTHN", True), ("146", True),
    ("2Œ", False), ("¿02", False), ("23†", False), ("TRUNG", False), ("12/QĐ UBND", False),
])
def test_a_number_read_wrong_is_not_taken_for_a_document_number(number: str, plausible: bool) -> None:
    from pipeline.review import plausible_number

    assert plausible_number(number) is plausible
