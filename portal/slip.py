"""The intake check slip (phiếu kiểm tra): one A4 page the clerk prints for the applicant, saying which required
papers the state already holds, valid on the appointment date, and so need not be brought, and which must be."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from domain.actor import Actor
from service.intake import EXPIRED_HELD, HELD, NOT_HELD, TO_CHECK, IntakeAnswer

FONTS = Path("/usr/share/fonts/truetype/liberation2")  # Debian fonts-liberation2: Vietnamese glyphs
STATUS_VI = {HELD: "Không cần nộp (đã có bản điện tử còn hiệu lực)", EXPIRED_HELD: "Cần nộp: bản đã có hết hiệu lực",
             TO_CHECK: "Cán bộ rà soát bản đã có trước khi dùng", NOT_HELD: "Cần nộp: chưa có trong kho"}


def _applicant(answer: IntakeAnswer) -> str:
    q = answer.query
    if q.personal_number:
        return f"Số định danh cá nhân {q.personal_number}"
    if q.old_id:
        return f"Số CMND {q.old_id}"
    return f"{q.name}, sinh ngày {q.dob:%d/%m/%Y}" if q.dob else str(q.name)


def check_slip(answer: IntakeAnswer, agency: str, clerk: Actor, printed_at: datetime) -> bytes:
    """The slip as PDF bytes."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title("Phiếu kiểm tra giấy tờ đã số hóa")
    pdf.set_author(agency)
    pdf.set_creator("sohoa")
    pdf.add_font("Sans", "", str(FONTS / "LiberationSans-Regular.ttf"))
    pdf.add_font("Sans", "B", str(FONTS / "LiberationSans-Bold.ttf"))
    pdf.add_font("Sans", "I", str(FONTS / "LiberationSans-Italic.ttf"))
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    pdf.set_font("Sans", "B", 11)
    pdf.cell(0, 6, agency.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="C")
    pdf.set_font("Sans", "B", 15)
    pdf.ln(4)
    pdf.cell(0, 8, "PHIẾU KIỂM TRA GIẤY TỜ ĐÃ SỐ HÓA", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="C")
    pdf.set_font("Sans", "I", 10)
    pdf.cell(0, 6, f"Lập lúc {printed_at:%H giờ %M, ngày %d/%m/%Y}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="C")
    pdf.ln(4)
    pdf.set_font("Sans", "", 11)
    required = [p for p in answer.papers if not p.paper.optional]
    for label, value in (("Thủ tục", f"{answer.procedure.name} (mã {answer.procedure.code})"),
                         ("Mã hồ sơ", answer.dossier_code or "(chưa ghi nhận)"),
                         ("Người nộp hồ sơ", _applicant(answer)),
                         ("Ngày hẹn trả kết quả", f"{answer.appointment:%d/%m/%Y}"),
                         ("Cán bộ tiếp nhận", clerk.name or clerk.identity)):
        pdf.set_font("Sans", "B", 11)
        pdf.cell(48, 7, f"{label}:")
        pdf.set_font("Sans", "", 11)
        pdf.multi_cell(0, 7, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("Sans", "", 10)
    with pdf.table(col_widths=(52, 62, 60), text_align="LEFT", line_height=6) as table:
        table.row(["Giấy tờ", "Tình trạng", "Bản điện tử (mã kết quả)"])
        for paper in answer.papers:
            name = paper.paper.name + (" (nếu có)" if paper.paper.optional else "")
            table.row([name, STATUS_VI[paper.status], paper.document.result_code if paper.document else "—"])
    pdf.ln(4)
    pdf.set_font("Sans", "B", 11)
    pdf.multi_cell(0, 7, f"Không phải nộp lại {sum(p.need_not_bring for p in required)} trên {len(required)} giấy tờ "
                   "bắt buộc.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Sans", "I", 9.5)
    pdf.multi_cell(0, 5, "Các giấy tờ \"không cần nộp\" đã được số hóa, ký số và lưu trữ; cơ quan giải quyết khai thác "
                   "bản điện tử theo Nghị định 45/2020/NĐ-CP, không yêu cầu người nộp hồ sơ nộp lại bản giấy.",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    pdf.set_font("Sans", "B", 11)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.cell(half, 6, "NGƯỜI NỘP HỒ SƠ", align="C")
    pdf.cell(half, 6, "CÁN BỘ TIẾP NHẬN", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Sans", "I", 9.5)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C")
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
