import pytest

from context.settings import load_catalogue
from pipeline.classify import classify

CATALOGUE = load_catalogue()
HEADER = ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "XÃ IA BLANG", "Độc lập - Tự do - Hạnh phúc",
          "Số: 12/UBND", "Ia Blang, ngày 08 tháng 02 năm 2017"]


@pytest.mark.parametrize(("title", "type_id"), [
    ("GIẤY KHAI SINH", "khai_sinh"),
    ("GIẤY CHỨNG NHẬN KẾT HÔN", "ket_hon"),
    ("TRÍCH LỤC KHAI TỬ", "khai_tu"),
    ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "tinh_trang_hon_nhan"),
    ("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "ho_kinh_doanh"),
    ("GIẤY PHÉP XÂY DỰNG", "giay_phep_xay_dung"),
    ("QUYẾT ĐỊNH", "quyet_dinh"),
])
def test_every_configured_type_is_recognised_by_its_title(title: str, type_id: str) -> None:
    result, line = classify([*HEADER, title, "Họ, chữ đệm, tên: NGUYỄN VĂN A"], CATALOGUE, 0.8)
    assert result.type_id == type_id
    assert result.confidence == 1.0 and not result.needs_review
    assert line == len(HEADER)


@pytest.mark.parametrize(("title", "type_id"), [
    ("GIAY CHUNG NHAN KET H0N", "ket_hon"),  # tone marks lost, O read as 0
    ("GIẤY KHAl SlNH", "khai_sinh"),
    ("TRÍCH LUC KHAI TỦ", "khai_tu"),
    ("GIẤY PHÉP XÂY DỰNG.", "giay_phep_xay_dung"),
])
def test_titles_survive_ocr_noise(title: str, type_id: str) -> None:
    result, _ = classify([*HEADER, title], CATALOGUE, 0.8)
    assert result.type_id == type_id
    assert result.confidence >= 0.85 and not result.needs_review


def test_a_title_split_over_two_lines_is_found() -> None:
    result, _ = classify([*HEADER, "GIẤY CHỨNG NHẬN", "ĐĂNG KÝ HỘ KINH DOANH"], CATALOGUE, 0.8)
    assert result.type_id == "ho_kinh_doanh"


def test_quyet_dinh_inside_a_sentence_is_not_a_title() -> None:
    lines = [*HEADER, "GIẤY PHÉP XÂY DỰNG", "Căn cứ Quyết định số 12/QĐ-UBND ngày 01 tháng 01 năm 2020;"]
    assert classify(lines, CATALOGUE, 0.8)[0].type_id == "giay_phep_xay_dung"


def test_an_unknown_document_is_not_guessed() -> None:
    result, _ = classify([*HEADER, "BIÊN BẢN NGHIỆM THU CÔNG TRÌNH"], CATALOGUE, 0.8)
    assert result.needs_review and result.type_id is None


def test_a_doubtful_title_is_kept_but_marked_for_review() -> None:
    result, _ = classify([*HEADER, "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT"], CATALOGUE, 0.8)
    assert result.needs_review
    assert result.confidence < 0.8
