"""Checks of the 12-digit personal number (số định danh cá nhân) and the old 9-digit ID card number (CMND).

A personal number is 3 digits of the province of birth registration, one century/gender digit, two digits of the
birth year and six digits; there is no checksum. A number that fails these checks, or contradicts the date of birth
or sex printed beside it, is an OCR error or a forgery signal: it is flagged, never silently accepted.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from domain import REFERENCE_DATA

# OCR reads these letters where digits were printed.
_LOOKALIKE_DIGIT = {
    "0": "OoDQ", "1": "lIi|!ÌÍìí", "2": "Zz", "5": "Ss", "6": "G", "7": "T", "8": "B", "9": "g",
}
DIGIT_LOOKALIKES = "".join(_LOOKALIKE_DIGIT.values())
_DIGIT_LOOKALIKES = str.maketrans({c: digit for digit, chars in _LOOKALIKE_DIGIT.items() for c in chars})

# Problem codes with the Vietnamese text a reviewer reads.
PROBLEMS = {
    "length": "Số định danh cá nhân không đủ 12 chữ số",
    "province": "Mã tỉnh nơi đăng ký khai sinh không tồn tại",
    "birth_year": "Năm sinh trong số định danh không khớp ngày sinh trên giấy tờ",
    "sex": "Mã giới tính trong số định danh không khớp giới tính trên giấy tờ",
}


@cache
def provinces() -> dict[str, str]:
    with (REFERENCE_DATA / "provinces.toml").open("rb") as f:
        return dict(tomllib.load(f)["provinces"])


def digits_only(raw: str) -> str:
    """The digits of a printed number, reading common OCR look-alikes (O, l, S, B...) as the digits they hide."""
    return re.sub(r"\D", "", re.sub(r"[\s.\-]", "", raw).translate(_DIGIT_LOOKALIKES))


@dataclass(frozen=True)
class PersonalNumberCheck:
    number: str
    province: str | None = None
    sex: str | None = None  # "Nam" / "Nữ"
    birth_year: int | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.problems


def check_personal_number(number: str, *, dob: date | None = None, sex: str | None = None) -> PersonalNumberCheck:
    if not re.fullmatch(r"\d{12}", number):
        return PersonalNumberCheck(number, problems=("length",))
    problems = []
    province = provinces().get(number[:3])
    if province is None:
        problems.append("province")
    code = int(number[3])
    encoded_sex = "Nữ" if code % 2 else "Nam"
    birth_year = 1900 + 100 * (code // 2) + int(number[4:6])
    if dob is not None and dob.year != birth_year:
        problems.append("birth_year")
    if sex is not None and sex != encoded_sex:
        problems.append("sex")
    return PersonalNumberCheck(number, province, encoded_sex, birth_year, tuple(problems))


def is_old_id(number: str) -> bool:
    """Old ID card (CMND): 9 digits, the first two naming the issuing province."""
    return bool(re.fullmatch(r"\d{9}", number))
