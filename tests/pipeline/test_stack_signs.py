"""What a page says about where documents begin, as OCR reads it (marks misread, lines merged), whether it is a
blank back (show-through is not writing), and whether it is sohoa's separator sheet (a copy's QR code is not)."""

from __future__ import annotations

import numpy as np
import pypdfium2
import qrcode
from PIL import Image, ImageDraw

from domain.paper import ArchivalDescription
from ocr.engine import Line, OcrPage, Word
from pdf.separator_sheet import separator_sheet
from pipeline.stack_signs import first_page_signs, is_blank, read_separator

H, W = 3508, 2480


def line(text: str, top: int, left: int = 300) -> Line:
    words, x = [], left
    for t in text.split():
        words.append(Word(t, 90.0, x, top, 30 * len(t), 40))
        x += 30 * len(t) + 20
    return Line(tuple(words))


def ocr(*lines: Line) -> OcrPage:
    return OcrPage(tuple(lines), W, H, 300, b"")


def test_a_first_page_is_known_by_its_motto_body_and_title_even_misread() -> None:
    page = ocr(line("ỦY BAN NHÂN DÂN CỘNG HOÀ XÃ HỘl CHỦ NGHĨA VIÊT NAM", 200),  # merged, two marks lost
               line("XÃ IA KÊNH Độc lập - Tư do - Hanh phúc", 260, 300),
               line("Số: 12/QĐ-UBND", 330), line("QUYẾT ĐỊNH", 700, 1000), line("Về việc hỗ trợ", 760, 900))
    signs = first_page_signs(page)
    assert (signs.motto, signs.body, signs.title, signs.strength) == (2, True, True, "strong")


def test_a_continuation_page_has_no_first_page_signs() -> None:
    page = ocr(line("Điều 4. Các cơ quan, đơn vị có liên quan chịu trách nhiệm tổ chức thực hiện", 300),
               line("Trong quá trình thực hiện, nếu có vướng mắc phát sinh", 360),
               line("Nơi nhận:", 900), line("- Như trên;", 950))
    assert first_page_signs(page).strength == "none"


def test_the_motto_low_on_the_page_or_a_title_alone_is_not_a_first_page() -> None:
    quoted = ocr(line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 2400), line("Độc lập - Tự do - Hạnh phúc", 2460))
    assert first_page_signs(quoted).motto == 0
    title_only = ocr(line("DANH SÁCH KÈM THEO", 700, 900))
    assert first_page_signs(title_only).strength == "none"


def test_half_the_signs_make_a_weak_first_page() -> None:
    assert first_page_signs(ocr(line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 200, 1300))).strength == "weak"
    header_and_title = ocr(line("SỞ TƯ PHÁP", 200), line("GIẤY XÁC NHẬN", 700, 900))
    assert first_page_signs(header_and_title).strength == "weak"


def paper(ink: list[tuple[int, int, int, int]] = (), show_through: bool = False) -> np.ndarray:
    rng = np.random.default_rng(1)
    grey = np.clip(rng.normal(240, 4, (H // 4, W // 4)), 0, 255).astype(np.uint8)
    if show_through:
        grey[200:600, 100:500] -= 18  # the other side's print, faint
    for x0, y0, x1, y1 in ink:
        grey[y0:y1, x0:x1] = 30
    return grey


def test_a_blank_back_is_blank_and_a_page_with_one_line_is_not() -> None:
    assert is_blank(paper()) and is_blank(paper(show_through=True))
    assert not is_blank(paper([(100, 200, 400, 212), (100, 230, 350, 242)]))  # two short lines of text
    assert not is_blank(paper([(300, 500, 420, 560)]))  # only a signature's worth


def render(pdf: bytes) -> np.ndarray:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return np.asarray(doc[0].render(scale=200 / 72).to_pil().convert("L"))
    finally:
        doc.close()


def test_a_separator_sheet_is_found_with_the_description_it_carries() -> None:
    box = ArchivalDescription(fonds="UBND xã Ia Kênh", inventory="3", box="12", sheet_count=40)
    found = read_separator(render(separator_sheet(box)))
    assert found is not None and found.description == box
    plain = read_separator(render(separator_sheet()))
    assert plain is not None and plain.description is None


def test_another_qr_code_is_not_a_separator() -> None:
    image = Image.new("L", (1654, 2339), 255)
    image.paste(qrcode.make("https://sohoa.example.gov.vn/verify/000.00.00.H49").convert("L"), (100, 100))
    ImageDraw.Draw(image).text((100, 1200), "Bản sao điện tử", fill=0)
    assert read_separator(np.asarray(image)) is None
    assert read_separator(paper()) is None
