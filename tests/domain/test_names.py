import pytest

from domain.names import correct_name, restore_surname


@pytest.mark.parametrize(("read", "expected"), [
    ("NGUYÊN VĂN NGHĨA", "NGUYỄN VĂN NGHĨA"),  # stacked marks on Ễ misread
    ("NGUYEN THI LAN", "NGUYỄN THỊ LAN"),
    ("DANG VAN DAT", "ĐẶNG VĂN DAT"),  # given names are not guessed
    ("TRẦN THỊ LAN", "TRẦN THỊ LAN"),
    ("LÊ VÂN", "LÊ VÂN"),  # two words: the second is a given name, not the middle name VĂN
])
def test_surnames_and_common_middle_names_are_corrected(read: str, expected: str) -> None:
    assert correct_name(read) == expected


def test_unknown_surnames_are_left_alone() -> None:
    assert correct_name("KSOR H'BLIN") == "KSOR H'BLIN"


@pytest.mark.parametrize(("read", "expected"), [
    ("OÀNG MINH PHÚC", "HOÀNG MINH PHÚC"),  # the H ran into the dots before it
    ("Ý CÔNG PHÚC", "LÝ CÔNG PHÚC"),
    ("HOÀNG MINH PHÚC", "HOÀNG MINH PHÚC"),  # a surname already
    ("Y BLIM NIÊ", "Y BLIM NIÊ"),  # an Ê Đê name: "Y" without the mark ends no surname
    ("ƯƠNG VĂN AN", "ƯƠNG VĂN AN"),  # DƯƠNG or LƯƠNG: not guessed
])
def test_a_surname_that_lost_its_first_letter_is_restored_only_when_one_fits(read: str, expected: str) -> None:
    assert restore_surname(read) == expected
