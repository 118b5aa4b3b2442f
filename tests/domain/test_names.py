import pytest

from domain.names import correct_name


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
