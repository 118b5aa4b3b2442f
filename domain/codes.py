"""Agency, dossier and result codes in the formats of the legal texts (see ../shared/domain.md).

agency   V1V2V3.Z1Z2.Y1Y2.MX1X2 (QCVN 102:2016/BTTTT), e.g. 000.00.00.H49
dossier  <agency code>-<YYMMDD received>-<XXXX sequence that day> (TT 01/2018/TT-VPCP Điều 19)
result   a configurable template, by default <dossier code>-KQ<n> (NĐ 45/2020 khoản 3 Điều 14)
"""

from __future__ import annotations

import re
from datetime import date

AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
DOSSIER_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
MAX_SEQUENCE = 9999


class CodeError(ValueError):
    """A code does not have the form the regulation gives it."""


def validate_agency_code(code: str) -> str:
    if len(code) > 35 or not AGENCY_CODE.fullmatch(code):  # fullmatch: "$" would let a trailing newline in
        raise CodeError(f"agency code {code!r} is not of the form 000.00.00.H49 (QCVN 102:2016/BTTTT)")
    return code


def dossier_prefix(agency_code: str, received: date) -> str:
    """The part of a dossier code fixed for one agency and day; a sequence number completes it."""
    return f"{validate_agency_code(agency_code)}-{received:%y%m%d}"


def dossier_code(agency_code: str, received: date, sequence: int) -> str:
    return dossier_code_of(dossier_prefix(agency_code, received), sequence)


def dossier_code_of(prefix: str, sequence: int) -> str:
    """A dossier code from its agency-and-day prefix (as `dossier_prefix` makes it) and its sequence number."""
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise CodeError(f"dossier sequence {sequence} is outside 1..{MAX_SEQUENCE}")
    code = f"{prefix}-{sequence:04d}"
    if not is_dossier_code(code):
        raise CodeError(f"{code!r} is not a dossier code")
    return code


def is_dossier_code(code: str) -> bool:
    return bool(DOSSIER_CODE.fullmatch(code))


def result_code(dossier: str, n: int = 1, template: str = "{dossier_code}-KQ{n}") -> str:
    if not is_dossier_code(dossier):
        raise CodeError(f"{dossier!r} is not a dossier code")
    if n < 1:
        raise CodeError("a result's ordinal within its dossier starts at 1")
    try:
        return template.format(dossier_code=dossier, n=n)
    except (KeyError, IndexError) as e:
        raise CodeError(f"result code template {template!r} uses an unknown field {e}") from e
