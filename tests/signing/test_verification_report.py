"""The verification report as a clerk or citizen reads it: the verdict first, every problem, the archive's record to
compare with the paper, then each signature in plain words. Fast: reports built as pyHanko's verdict would give them
(the signing tests check that real files give these reports)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from signing.verification_report import SignatureReport, VerificationReport, report_vi

AGENCY = SignatureReport(
    field="Sohoa-CoQuan", kind="signature", role="agency", ok=True, intact=True, valid=True, trusted=True,
    modification="lta_updates", changes_allowed=True, certified=True, covers_whole_file=False,
    signer="UBND TỈNH GIA LAI", issuer="NEAC Test CA", certificate_sha256="ab" * 32, algorithm="sha256/ecdsa",
    signed_at=datetime(2026, 3, 1, 2, 30, tzinfo=UTC), time_source="tsa", level="B-LTA", revocation="good",
    chain_top="Root CA")
OFFICER = replace(AGENCY, field="Sohoa-NguoiSoHoa", role="officer", signer="Nguyễn Văn A", certified=False,
                  time_source="signer", level="B-T", revocation="not_carried", chain_top="")
STAMP = replace(AGENCY, field="Sohoa-LTA", kind="document_timestamp", role="other", signer="TSA Gia Lai", level="")


def test_a_valid_copy_reads_valid_with_each_signature_in_words() -> None:
    report = VerificationReport([AGENCY, OFFICER, STAMP], record=(("Mã kết quả", "000.00.00.H49-260301-0001-KQ1"),))
    assert report.ok and report.regular == [AGENCY, OFFICER]
    text = report_vi(report, at=datetime(2031, 6, 1, tzinfo=UTC))
    lines = text.splitlines()
    assert lines[0] == "Kết luận: HỢP LỆ (tính đến 01/06/2031 07:00:00 giờ Việt Nam)"
    assert "Hồ sơ trong kho lưu trữ (đối chiếu với giấy tờ trước mặt):" in lines
    assert "  Mã kết quả: 000.00.00.H49-260301-0001-KQ1" in lines
    assert "Chữ ký của cơ quan (1/2): HỢP LỆ" in lines and "Chữ ký của người số hóa (2/2): HỢP LỆ" in lines
    assert "  Thời điểm ký: 01/03/2026 09:30:00 (máy chủ cấp dấu thời gian)" in lines
    assert "  Thời điểm ký: 01/03/2026 09:30:00 (do người ký tự khai, chưa được xác thực)" in lines
    assert "  Chuỗi chứng thư lên tới: Root CA" in lines and text.count("Chuỗi chứng thư") == 1
    assert "  Tình trạng thu hồi: chưa bị thu hồi (đã kiểm tra)" in lines
    assert "  Mức chữ ký: B-LTA (lưu trữ dài hạn)" in lines and "  Mức chữ ký: B-T (có dấu thời gian)" in lines
    assert "  Khóa tài liệu (không cho sửa sau khi ký): có" in lines
    assert "  Khóa tài liệu (không cho sửa sau khi ký): KHÔNG" in lines
    assert "Dấu thời gian lưu trữ: HỢP LỆ — 01/03/2026 09:30:00, cấp bởi TSA Gia Lai" in lines


def test_a_broken_signature_makes_the_copy_invalid_and_says_why() -> None:
    broken = replace(OFFICER, ok=False, intact=False, trust_judged=False, problems=("Trang 1 bị sửa sau khi ký",))
    report = VerificationReport([AGENCY, broken])
    assert not report.ok
    lines = report_vi(report).splitlines()
    assert lines[0] == "Kết luận: KHÔNG HỢP LỆ" and lines[1] == "  - Trang 1 bị sửa sau khi ký"
    assert "Chữ ký của người số hóa (2/2): KHÔNG HỢP LỆ" in lines
    assert "  Toàn vẹn (nội dung không bị sửa sau khi ký): KHÔNG" in lines
    assert "  Tin cậy (chứng thư số do nơi được tin cậy cấp, còn hiệu lực): không xét (chữ ký không còn nguyên vẹn)" \
        in lines


def test_a_file_problem_or_a_bad_timestamp_alone_makes_it_invalid() -> None:
    assert not VerificationReport([AGENCY, OFFICER], problems=["Tệp bị nối thêm"]).ok
    assert not VerificationReport([AGENCY, replace(STAMP, ok=False)]).ok
    assert not VerificationReport([STAMP]).ok  # a timestamp is no signature
    assert report_vi(VerificationReport([])) == "KHÔNG HỢP LỆ: tệp không có chữ ký số nào."
    notes = report_vi(VerificationReport([AGENCY], notes=["Bản sao này do hệ thống cấp"])).splitlines()
    assert "  * Bản sao này do hệ thống cấp" in notes


def test_long_term_and_unknown_levels_are_named() -> None:
    long_term = replace(AGENCY, long_term=True, level="B-LT", revocation="revoked")
    text = report_vi(VerificationReport([long_term, replace(OFFICER, level="")]))
    assert "Mức chữ ký: B-LT (kèm dữ liệu kiểm tra chứng thư) — được bảo đảm dài hạn bởi dấu thời gian lưu trữ" in text
    assert "Mức chữ ký: không xác định" in text and "Tình trạng thu hồi: ĐÃ BỊ THU HỒI" in text
