"""A record's retention from its class: years count from the end of the year its matter closed, and its objects are
locked to the end of that last day; a permanent class locks for good."""

from datetime import UTC, date, datetime

from archive.objects import COMPLIANCE, GOVERNANCE
from archive.retention import class_lock, lock_of, retention_of
from domain.catalogue import RetentionClass


def test_years_count_from_the_end_of_the_year_the_matter_closed() -> None:
    kept = retention_of(RetentionClass("hanh_chinh", "Hành chính — 10 năm", 10, GOVERNANCE), date(2017, 2, 8))
    assert (kept.class_id, kept.label, kept.years, kept.mode) == ("hanh_chinh", "Hành chính — 10 năm", 10, GOVERNANCE)
    assert kept.retain_until == date(2027, 12, 31)  # not 2027-02-08: the whole year the matter closed counts
    assert retention_of(RetentionClass("x", "x", 1), date(2024, 12, 31)).retain_until == date(2025, 12, 31)


def test_a_permanent_class_has_no_last_day_and_locks_for_good() -> None:
    kept = retention_of(RetentionClass("ho_tich", "Hộ tịch — vĩnh viễn", 0), date(2017, 2, 8))
    assert kept.retain_until is None and kept.mode == COMPLIANCE
    lock = lock_of(kept)
    assert lock.permanent and lock.mode == COMPLIANCE


def test_objects_are_locked_to_the_last_second_of_the_last_day_in_the_classes_mode() -> None:
    lock = lock_of(retention_of(RetentionClass("x", "x", 5, GOVERNANCE), date(2020, 6, 1)))
    assert lock.retain_until == datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert lock.mode == GOVERNANCE and not lock.permanent


def test_a_class_lock_is_the_lock_its_retention_gives() -> None:
    for rc in (RetentionClass("x", "x", 5, GOVERNANCE), RetentionClass("y", "y", 0)):
        assert class_lock(rc, date(2020, 6, 1)) == lock_of(retention_of(rc, date(2020, 6, 1)))
