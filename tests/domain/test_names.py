import pytest

from domain.names import (
    correct_name,
    is_other_name_part,
    is_surname,
    masked,
    mend_surname,
    restore_surname,
    surname_spellings,
    tone_misread,
    without_tones,
)


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


def test_a_name_a_stranger_sees_keeps_the_surname_and_the_initials() -> None:
    assert masked("Nguyễn Văn An") == "Nguyễn V… A…"
    assert masked("  trần   thị lan ") == "Trần T… L…"  # spaces and case as a desk types them
    assert masked("LÊ") == "Lê" and masked("") == ""


def test_tone_marks_are_dropped_and_vowel_marks_kept() -> None:
    assert without_tones("Nguyễn") == "NGUYÊN" and without_tones("quản") == "QUAN" and without_tones("Đặng") == "ĐĂNG"


def test_a_name_word_read_with_another_tone_names_the_common_words_it_may_be() -> None:
    assert tone_misread("QUẦN") == ["QUÂN"]  # "quần" is no name; "Quân" is
    assert tone_misread("QUÂN") == [] and tone_misread("quân") == []  # a common name word as it is
    assert tone_misread("XYZ") == []  # nothing it could be


def test_a_surname_one_letter_off_is_mended_only_when_exactly_one_fits() -> None:
    assert mend_surname("I.Ê") == "LÊ"  # the L read as "I."
    assert mend_surname("NGUYEN") is None  # a surname itself: nothing to mend
    assert mend_surname("ZZZZ") is None


def test_names_of_the_central_highlands_peoples_are_no_misreading() -> None:
    assert is_other_name_part("Ksor") and is_other_name_part("KSOR") and is_other_name_part("H'Hen")
    assert is_other_name_part("Y’Blô")
    assert not is_other_name_part("Nguyen") and not is_other_name_part("Y'") and not is_other_name_part("A'B")


@pytest.mark.parametrize(("word", "surname"), [("NGUYEN", True), ("nguyễn", True), ("Lê", True), ("LAN", False)])
def test_a_surname_is_known_whatever_its_marks(word: str, surname: bool) -> None:
    assert is_surname(word) is surname
    assert "NGUYỄN" in surname_spellings() and "TRẦN" in surname_spellings()


@pytest.mark.parametrize(("read", "surname"), [
    ("PHAMM", "PHẠM"), ("NGUYENX", "NGUYỄN"), ("XNGUYEN", "NGUYỄN"),  # a letter too many, anywhere
    ("PHM", "PHẠM"), ("NGUYN", "NGUYỄN"),  # a letter lost
    ("IE", "LÊ"), ("HOANGG", "HOÀNG"),
    ("DAG", None), ("H", None), ("", None),  # two letters from any surname, or nothing to go on
])
def test_a_first_word_one_letter_from_exactly_one_surname_is_that_surname(read: str, surname: str | None) -> None:
    assert mend_surname(read) == surname


def test_a_two_word_name_keeps_its_second_word_as_read() -> None:
    assert correct_name("LE THI") == "LÊ THI"  # a given name, not a middle name: nothing to restore it to
    assert correct_name("NGUYEN VAN AN") == "NGUYỄN VĂN AN"
    assert restore_surname("") == ""


@pytest.mark.parametrize(("word", "other"), [("Y’Bi", True), ("H'Blin", True), ("H'", False), ("K'Lan", False)])
def test_an_apostrophe_after_h_or_y_marks_a_name_of_the_highlands(word: str, other: bool) -> None:
    assert is_other_name_part(word) is other
