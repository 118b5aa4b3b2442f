"""From the retention schedule to dates and locks: years count from the end of the year the matter closed."""

from __future__ import annotations

from datetime import date

from archive.objects import Lock
from domain.catalogue import RetentionClass
from domain.records import Retention


def retention_of(rc: RetentionClass, closed: date) -> Retention:
    """The retention a record gets from its class; `closed` is the day the matter closed (issue date, else intake)."""
    until = date(closed.year + rc.years, 12, 31) if rc.years else None
    return Retention(class_id=rc.id, label=rc.label, years=rc.years, retain_until=until, mode=rc.mode)


def lock_of(retention: Retention) -> Lock:
    """The Object Lock a record's objects are written with (to the end of the last day, UTC)."""
    return Lock.until_end_of(retention.retain_until, retention.mode)
