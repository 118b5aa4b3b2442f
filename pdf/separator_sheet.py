"""The separator sheet (tờ phân cách) a digitisation team puts before each document of a box: a large QR code that
`pipeline.stack_signs` finds in the scan (so the split never depends on reading text), and, printed for people, what
it is and the box's description it carries. Printed once per box or per file, copied as often as needed."""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from domain.paper import ArchivalDescription, separator_payload

FONTS = Path("/usr/share/fonts/truetype/liberation2")  # Debian fonts-liberation2: Vietnamese glyphs
QR_MM = 90  # printed large: found at any scan resolution, through a photocopy, on a skewed feed


def separator_sheet(description: ArchivalDescription | None = None, copies: int = 1) -> bytes:
    """`copies` identical A4 pages, as PDF bytes."""
    image = qrcode.make(separator_payload(description), error_correction=qrcode.constants.ERROR_CORRECT_M,
                        border=4, box_size=12)
    png = io.BytesIO()
    image.save(png, "PNG")
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title("Tờ phân cách — sohoa")
    pdf.set_creator("sohoa")
    pdf.add_font("Sans", "", str(FONTS / "LiberationSans-Regular.ttf"))
    pdf.add_font("Sans", "B", str(FONTS / "LiberationSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    for _ in range(max(1, copies)):
        pdf.add_page()
        pdf.set_font("Sans", "B", 22)
        pdf.cell(0, 12, "TỜ PHÂN CÁCH", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="C")
        pdf.set_font("Sans", "", 11)
        pdf.multi_cell(0, 6, "Đặt tờ này trước mỗi văn bản khi quét. Tờ phân cách không được lưu trữ; nó chỉ cho "
                       "sohoa biết một văn bản mới bắt đầu ở trang sau.", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                       align="C")
        pdf.image(io.BytesIO(png.getvalue()), x=(pdf.w - QR_MM) / 2, y=48, w=QR_MM, h=QR_MM)
        pdf.set_y(48 + QR_MM + 8)
        for label, value in description.words() if description else []:
            pdf.set_font("Sans", "B", 12)
            pdf.cell(60, 8, f"{label}:")
            pdf.set_font("Sans", "", 12)
            pdf.multi_cell(0, 8, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
