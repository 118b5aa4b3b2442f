from datetime import UTC, date, datetime, timedelta

import pytest

from domain.dates import (
    date_spans,
    ends_in_number_words,
    find_dates,
    parse_date,
    parse_day,
    vietnam_now,
    words_to_number,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("Gia Lai, ngày 08 tháng 02 năm 2017", date(2017, 2, 8)),
    ("ngày 8 tháng 2 năm 2017", date(2017, 2, 8)),
    ("ngay 08 thang 02 nam 2017", date(2017, 2, 8)),  # OCR lost the tone marks
    ("Ngày mùng 5 tháng 9 năm 2020", date(2020, 9, 5)),
    ("ngày O8 tháng O2 năm 2Ol7", date(2017, 2, 8)),  # letters read for digits
    ("Sinh ngày: 08/02/2017", date(2017, 2, 8)),
    ("8-2-2017", date(2017, 2, 8)),
    ("08.02.2017", date(2017, 2, 8)),
    ("29/02/2024", date(2024, 2, 29)),
])
def test_printed_dates_are_read(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "30/02/2017", "31/04/2020", "29/02/2023", "ngày 32 tháng 01 năm 2017", "ngày 10 tháng 13 năm 2017",
    "08/02/17", "08/02-2017", "Số: 123/2017", "", "12/12/1700",
])
def test_impossible_or_partial_dates_give_nothing(text: str) -> None:
    assert parse_date(text) is None


def test_dates_are_found_in_order_with_offsets() -> None:
    text = "Căn cứ Luật ngày 19 tháng 6 năm 2015; sinh ngày 02/09/1978"
    found = find_dates(text)
    assert [d for _, d in found] == [date(2015, 6, 19), date(1978, 9, 2)]
    assert text[found[1][0]:].startswith("02/09/1978")


@pytest.mark.parametrize(("text", "expected"), [
    ("ngày mười lăm tháng giêng năm một nghìn chín trăm tám mươi sáu", date(1986, 1, 15)),
    ("Ngày hai mươi mốt tháng năm năm hai nghìn không trăm hai mươi", date(2020, 5, 21)),  # May, then the year
    ("Hà Tam, ngày mồng một tháng mười hai năm hai nghìn lẻ năm, tại trụ sở", date(2005, 12, 1)),
    ("Sinh ngày: mười tháng tư năm một nghìn chín trăm năm mươi", date(1950, 4, 10)),
    ("ngay muoi hai thang chap nam hai nghin khong tram muoi chin", date(2019, 12, 12)),  # tone marks lost
    ("ngày ba mươi tháng hai năm hai nghìn", None),  # no 30 February: no guess
    ("ngày hai ba tháng tư năm hai nghìn", None),  # "hai ba" is no number in words
])
def test_dates_written_in_words(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("words", "number"), [
    ("hai nghin khong tram hai muoi", 2020), ("muoi lam", 15), ("hai nghin le nam", 2005), ("muoi", 10),
    ("mot nghin chin tram tam muoi tu", 1984), ("hai muoi mot", 21), ("mot tram", 100), ("nghin", 1000),
    ("ba tram nam muoi", 350), ("hai nghin hai muoi lam", 2025), ("hai nghin linh mot", 2001),
    ("mong mot", 1), ("mung muoi", 10), ("tam", 8), ("bon", 4), ("tu", 4), ("gieng", 1), ("chap", 12),
    ("hai ba", None),  # two figures in a row: no number in words
    ("gieng hai", None), ("xyz", None), ("", None), ("le", None), ("hai xyz", None),
])
def test_numbers_written_in_words_are_read(words: str, number: int | None) -> None:
    assert words_to_number(words.split()) == number


def test_every_kind_of_date_is_found_with_where_it_is_written() -> None:
    text = "Ngày 18/02/2025 và ngày 1 tháng 3 năm 2024; ngày mười lăm tháng tám năm hai nghìn không trăm mười"
    assert date_spans(text) == [(5, 15, date(2025, 2, 18)), (19, 42, date(2024, 3, 1)), (44, 97, date(2010, 8, 15))]
    assert text[5:15] == "18/02/2025" and text[19:42] == "ngày 1 tháng 3 năm 2024"
    assert date_spans("ngày ba mươi tháng hai năm hai nghìn") == []  # no 30 February in words either
    assert date_spans("31/02/2024, ngày 0 tháng 1 năm 2024") == []


def test_a_line_ending_in_number_words_may_run_on_to_the_next() -> None:
    assert ends_in_number_words("sinh ngày mười") and ends_in_number_words("năm hai nghìn")
    assert not ends_in_number_words("Chủ tịch") and not ends_in_number_words("")


@pytest.mark.parametrize(("words", "number"), [
    ("mot ngan chin tram", 1900),  # "ngàn", the southern word for a thousand
    ("hai nghin khong tram muoi tam", 2018), ("mot tram hai muoi", 120), ("ba tram", 300),
])
def test_thousands_and_hundreds_add_up_in_either_word(words: str, number: int) -> None:
    assert words_to_number(words.split()) == number


@pytest.mark.parametrize(("text", "expected"), [
    ("01/01/1800", date(1800, 1, 1)), ("31/12/2300", date(2300, 12, 31)),  # the years a paper may bear
    ("31/12/1799", None), ("01/01/2301", None),
])
def test_a_date_outside_the_years_papers_bear_is_no_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_a_day_typed_at_a_desk_is_read_in_either_form() -> None:
    assert parse_day("08/02/2017") == parse_day(" 2017-02-08 ") == parse_day("ngày 8 tháng 2 năm 2017") \
        == date(2017, 2, 8)
    assert parse_day("2017-02-30") is None and parse_day("hôm qua") is None


def test_now_is_vietnams_to_the_second() -> None:
    now = vietnam_now()
    assert now.utcoffset() == timedelta(hours=7) and now.microsecond == 0
    assert abs((now - datetime.now(UTC)).total_seconds()) < 5


def test_a_line_ending_in_number_words_is_judged_on_its_last_words_whatever_follows() -> None:
    assert ends_in_number_words("Sinh ngày mười lăm  ") and ends_in_number_words("quê quán ... năm một nghìn chín trăm")
    assert not ends_in_number_words("Sinh ngày mười lăm,")  # a comma closes it
    assert not ends_in_number_words("mười lăm tháng giêng năm hai nghìn hai mươi ba rồi")
    assert not ends_in_number_words("năm 2020") and not ends_in_number_words("hai mươi 5")
