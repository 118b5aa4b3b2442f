import pytest

from domain.issuers import correct_issuer, issuer_level


@pytest.mark.parametrize(("read", "printed"), [
    ("ỦY BAN NHÂN DÂN TĨNH BẠC LIÊU", "ỦY BAN NHÂN DÂN TỈNH BẠC LIÊU"),  # real reads of the development set
    ("ỦY BAN NHÂN DÂN _ TÍNH BẠC LIÊU", "ỦY BAN NHÂN DÂN TỈNH BẠC LIÊU"),
    ("ỦY BANNHÂN DÂN TỈNH LÂM ĐÒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),
    ("ỦY BAN NHÂN DÂN THÀNH PHÓ CÀN THƠ", "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ"),
    ("SỞ THÔNG TIN VÀ TRUYEN THÔNG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
    ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"),
])
def test_known_names_of_bodies_and_provinces_are_spelled_as_printed(read: str, printed: str) -> None:
    assert correct_issuer(read) == printed


def test_names_it_does_not_know_stay_as_read() -> None:
    assert correct_issuer("ỦY BAN NHÂN DÂN XÃ IA BLANG") == "ỦY BAN NHÂN DÂN XÃ IA BLANG"
    assert correct_issuer("UBND HUYỆN ĐAK PƠ PHÒNG TÀI CHÍNH - KẾ HOẠCH") == (
        "UBND HUYỆN ĐAK PƠ PHÒNG TÀI CHÍNH - KẾ HOẠCH")


@pytest.mark.parametrize(("issuer", "level"), [
    ("UBND xã Ia Kênh", "commune"), ("Ủy ban nhân dân phường Hội Thương", "commune"),
    ("UBND THỊ TRẤN CHƯ SÊ", "commune"), ("UBND huyện Chư Sê", "district"), ("UBND quận Ba Đình", "district"),
    ("UBND thị xã An Khê", "district"),  # "thị xã" is a district-level town, not a commune ("xã")
    ("UBND thành phố Pleiku", "district"),  # a city within a province
    ("UBND THÀNH PHỐ HÀ NỘI", "province"), ("UBND thành phố Hồ Chí Minh", "province"),  # governed centrally
    ("UBND tỉnh Gia Lai", "province"), ("Sở Tư pháp tỉnh Gia Lai", "province"),
    ("Bộ Công an", "other"), ("", "other"), (None, "other"), ("Công ty TNHH Xã Hội", "commune"),
])
def test_an_issuer_belongs_to_the_level_of_government_its_name_says(issuer: str | None, level: str) -> None:
    assert issuer_level(issuer) == level


def test_known_names_are_matched_whole_and_stray_marks_between_words_go() -> None:
    from domain.issuers import is_known_name

    assert correct_issuer("Sở Tư pháp _ tỉnh Gia Lai") == "SỞ TƯ PHÁP TỈNH GIA LAI"
    assert correct_issuer("tinh Gia") == "TỈNH Gia"  # "Gia" alone is no name: left as read
    assert is_known_name("gia lai") and is_known_name("GIA LAI")
    assert not is_known_name("Gia Lai Kon Tum") and not is_known_name("Ia")


def test_a_city_is_judged_by_the_name_after_its_first_mention() -> None:
    assert issuer_level("UBND thành phố Pleiku thành phố cũ") == "district"  # Pleiku lies within Gia Lai
    assert issuer_level("Sở Xây dựng thành phố Hà Nội") == "province"
    assert issuer_level(None) == issuer_level("") == issuer_level("Công an") == "other"
