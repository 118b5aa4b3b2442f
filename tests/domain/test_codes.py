from datetime import date

import pytest

from domain.codes import CodeError, dossier_code, is_dossier_code, result_code, validate_agency_code


def test_dossier_and_result_codes_have_the_regulated_form() -> None:
    dossier = dossier_code("000.00.00.H49", date(2023, 6, 14), 7)
    assert dossier == "000.00.00.H49-230614-0007"
    assert is_dossier_code(dossier)
    assert result_code(dossier) == "000.00.00.H49-230614-0007-KQ1"
    assert result_code(dossier, 3) == "000.00.00.H49-230614-0007-KQ3"


def test_the_result_code_template_is_configurable() -> None:
    dossier = "000.00.00.H49-230614-0007"
    assert result_code(dossier, 2, "{dossier_code}.KQ{n:02d}") == f"{dossier}.KQ02"
    with pytest.raises(CodeError):
        result_code("000.00.00.H49-230614-0007", 1, "{dossier}-{n}")


@pytest.mark.parametrize("code", ["000.00.00.H49", "001.02.03.H30", "123.45.67.K01"])
def test_agency_codes_of_the_standard_form_pass(code: str) -> None:
    assert validate_agency_code(code) == code


@pytest.mark.parametrize("code", [
    "000.00.00.h49", "00.00.00.H49", "000.00.00.H4", "000-00-00-H49", "", "000.00.00.49H", "000.00.00.H49x",
    "000.00.00.H49 ", "X000.00.00.H49", "000.00.00.H49\n",
])
def test_malformed_agency_codes_fail(code: str) -> None:
    with pytest.raises(CodeError):
        validate_agency_code(code)


@pytest.mark.parametrize("sequence", [0, 10000, -1])
def test_sequence_outside_four_digits_fails(sequence: int) -> None:
    with pytest.raises(CodeError):
        dossier_code("000.00.00.H49", date(2023, 6, 14), sequence)


@pytest.mark.parametrize("code", [
    "000.00.00.H49-230614-007", "000.00.00.H49-230614-0007\n", "000.00.00.H49-2306140-0007",
    "000.00.00.H49-230614-0007-KQ1",
])
def test_malformed_dossier_codes_are_not_dossier_codes(code: str) -> None:
    assert not is_dossier_code(code)
    with pytest.raises(CodeError):
        result_code(code)


def test_the_first_and_last_numbers_of_a_day_are_codes_and_the_errors_say_what_was_wrong() -> None:
    day = date(2023, 6, 14)
    assert dossier_code("000.00.00.H49", day, 1) == "000.00.00.H49-230614-0001"
    assert dossier_code("000.00.00.H49", day, 9999) == "000.00.00.H49-230614-9999"
    with pytest.raises(CodeError, match=r"dossier sequence 0 is outside 1\.\.9999"):
        dossier_code("000.00.00.H49", day, 0)
    with pytest.raises(CodeError, match=r"'000\.00\.00\.H49-230614' is not a dossier code"):
        result_code("000.00.00.H49-230614")
    with pytest.raises(CodeError, match="starts at 1"):
        result_code("000.00.00.H49-230614-0007", 0)
    with pytest.raises(CodeError, match=r"template '\{dossier\}-\{n\}' uses an unknown field 'dossier'"):
        result_code("000.00.00.H49-230614-0007", 1, "{dossier}-{n}")
    assert result_code("000.00.00.H49-230614-0007", 2) == "000.00.00.H49-230614-0007-KQ2"
