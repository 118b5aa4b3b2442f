from domain.text import fold, nfc, title_case


def test_folding_removes_tone_marks_and_maps_d_stroke() -> None:
    assert fold("Nguyễn Thị Hồng") == "nguyen thi hong"
    assert fold("ĐẶNG VĂN ĐẠT") == "dang van dat"
    assert fold("đường Điện Biên Phủ") == "duong dien bien phu"


def test_folding_keeps_length_of_nfc_text_so_offsets_carry_over() -> None:
    text = nfc("Ủy ban nhân dân xã Ia Blang, ngày 08 tháng 02 năm 2017")
    assert len(fold(text)) == len(text)


def test_decomposed_input_is_composed() -> None:
    decomposed = "Nguye\u0302\u0303n"
    assert nfc(decomposed) == "Nguyễn"
    assert fold(decomposed) == "nguyen"


def test_title_case_of_an_upper_case_name() -> None:
    assert title_case("NGUYỄN  THỊ HỒNG") == "Nguyễn Thị Hồng"
