from datetime import date

from domain.catalogue import Validity
from domain.validity import add_months, status_on, valid_until


def test_a_marital_status_confirmation_is_valid_six_months() -> None:
    until = valid_until(date(2026, 3, 10), Validity.parse("6 months"))
    assert until == date(2026, 9, 9)
    assert status_on(date(2026, 9, 9), until=until, rule="6 months", issued=date(2026, 3, 10)).code == "valid"
    expired = status_on(date(2026, 9, 10), until=until, rule="6 months", issued=date(2026, 3, 10))
    assert expired.code == "expired" and expired.text == "Hết hiệu lực từ 10/09/2026"


def test_month_ends_are_clamped() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 15), 14) == date(2027, 1, 15)


def test_birth_records_never_expire_and_unknown_dates_say_so() -> None:
    assert status_on(date(2090, 1, 1), until=None, rule="permanent", issued=date(2000, 1, 1)).code == "permanent"
    assert valid_until(None, Validity.parse("12 months")) is None
    assert status_on(date(2026, 1, 1), until=None, rule="12 months", issued=None).code == "unknown"
    assert Validity.parse("2 years").months == 24


def test_each_status_is_worded_for_the_clerk() -> None:
    issued, until = date(2026, 3, 10), date(2026, 9, 9)
    assert status_on(date(2030, 1, 1), until=None, rule="permanent", issued=None).text == "Không thời hạn"
    unknown = "Chưa xác định (không đọc được ngày cấp)"
    assert status_on(date(2026, 5, 1), until=until, rule="6 months", issued=None).text == unknown
    assert status_on(date(2026, 5, 1), until=None, rule="6 months", issued=issued).code == "unknown"
    assert status_on(date(2026, 5, 1), until=until, rule="6 months", issued=issued).text == \
        "Còn hiệu lực đến hết 09/09/2026"
    assert status_on(date(2026, 9, 10), until=until, rule="6 months", issued=issued).text == \
        "Hết hiệu lực từ 10/09/2026"
