"""From the retention schedule to dates and locks: years count from the end of the year the matter closed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from archive.objects import Lock
from domain.catalogue import RetentionClass

if TYPE_CHECKING:  # the audit log's locks need no manifest model: it is loaded where a retention is made
    from domain.records import Retention


def last_day(rc: RetentionClass, closed: date) -> date | None:
    """The last day a class keeps what closed on `closed`: years count from the end of that year; None: for good."""
    return date(closed.year + rc.years, 12, 31) if rc.years else None


def retention_of(rc: RetentionClass, closed: date) -> Retention:
    """The retention a record gets from its class; `closed` is the day the matter closed (issue date, else intake)."""
    from domain.records import Retention

    return Retention(class_id=rc.id, label=rc.label, years=rc.years, retain_until=last_day(rc, closed), mode=rc.mode)


def class_lock(rc: RetentionClass, closed: date) -> Lock:
    """The lock of what a class keeps from `closed` (the audit log's segments): `lock_of(retention_of(...))`
    without building a manifest's retention (its model costs a tenth of a second to prepare on first use)."""
    return Lock.until_end_of(last_day(rc, closed), rc.mode)


def lock_of(retention: Retention) -> Lock:
    """The Object Lock a record's objects are written with (to the end of the last day, UTC)."""
    return Lock.until_end_of(retention.retain_until, retention.mode)
