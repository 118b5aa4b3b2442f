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
