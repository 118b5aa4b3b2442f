from datetime import date

import pytest

from domain.personal_number import check_personal_number, digits_only, is_old_id, provinces


def test_the_example_number_reads_as_dong_thap_male_born_1984() -> None:
    check = check_personal_number("087084000999")
    assert check.valid
    assert (check.province, check.sex, check.birth_year) == ("Đồng Tháp", "Nam", 1984)


@pytest.mark.parametrize(("number", "sex", "year"), [
    ("001100000001", "Nữ", 1900), ("001299000001", "Nam", 2099), ("001305000001", "Nữ", 2005),
    ("001450000001", "Nam", 2150), ("001799000001", "Nữ", 2299), ("001800000001", "Nam", 2300),
])
def test_century_and_sex_digit(number: str, sex: str, year: int) -> None:
    check = check_personal_number(number)
    assert (check.sex, check.birth_year) == (sex, year)


def test_all_63_provinces_are_known_and_gaps_are_not() -> None:
    assert len(provinces()) == 63
    assert check_personal_number("064190000001").valid  # Gia Lai
    assert check_personal_number("003190000001").problems == ("province",)  # 003 is not a province code
    assert check_personal_number("099190000001").problems == ("province",)


@pytest.mark.parametrize("number", ["08708400099", "0870840009990", "08708400099A", "", "087 084 000 999"])
def test_anything_but_twelve_digits_is_rejected(number: str) -> None:
    assert check_personal_number(number).problems == ("length",)


def test_a_number_contradicting_the_printed_birth_date_or_sex_is_flagged() -> None:
    assert check_personal_number("087084000999", dob=date(1985, 3, 1)).problems == ("birth_year",)
    assert check_personal_number("087084000999", sex="Nữ").problems == ("sex",)
    assert check_personal_number("087084000999", dob=date(1984, 3, 1), sex="Nam").valid


def test_ocr_look_alikes_are_read_as_digits() -> None:
    assert digits_only("O87 O84 OOO 999") == "087084000999"
    assert digits_only("l23.456.789") == "123456789"
    assert digits_only("5Ì") == "51"


def test_old_id_is_nine_digits() -> None:
    assert is_old_id("230987654")
    assert not is_old_id("23098765")
    assert not is_old_id("087084000999")


def test_a_century_digit_that_contradicts_the_printed_birth_date_is_flagged() -> None:
    """The fourth digit says the century (0/1: 1900s, 2/3: 2000s): 0 with a birth in 2005 is no such person."""
    assert "birth_year" in check_personal_number("064005000123", dob=date(2005, 4, 1)).problems
    assert "birth_year" not in check_personal_number("064205000123", dob=date(2005, 4, 1)).problems
    assert check_personal_number("064205000123").birth_year == 2005
