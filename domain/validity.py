"""Validity of a result on a given day: what a clerk needs to decide whether the citizen must bring it again."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from domain.catalogue import Validity

# Whether a held paper may be used instead of the citizen's copy: what a lookup or an intake check says of it.
REUSABLE, EXPIRED, NEEDS_REVIEW = "valid", "expired", "needs_review"


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(issued: date | None, rule: Validity) -> date | None:
    """Last day of validity; None when the result never expires or the issue date is unknown."""
    if rule.months is None or issued is None:
        return None
    return add_months(issued, rule.months) - timedelta(days=1)


@dataclass(frozen=True)
class ValidityStatus:
    code: str  # permanent | valid | expired | unknown
    text: str  # Vietnamese, for the clerk


def status_on(day: date, *, until: date | None, rule: str, issued: date | None) -> ValidityStatus:
    if rule == "permanent":
        return ValidityStatus("permanent", "Không thời hạn")
    if until is None or issued is None:
        return ValidityStatus("unknown", "Chưa xác định (không đọc được ngày cấp)")
    if day <= until:
        return ValidityStatus("valid", f"Còn hiệu lực đến hết {until:%d/%m/%Y}")
    return ValidityStatus("expired", f"Hết hiệu lực từ {until + timedelta(days=1):%d/%m/%Y}")
