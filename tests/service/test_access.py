"""Who may read which record beyond roles, and how much: the lookup allowance (a sliding minute, counted in people
revealed), result codes asked for in vain, a citizen's own records only, and a clerk's copies of what they looked up.
Fast: a data directory with records written straight into the archive, no OCR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from context.services import Services, open_services
from context.settings import load_settings
from domain.actor import Actor
from domain.records import Person
from service import access
from service.errors import NotFound, Refused, TooMany
from tests.archive.records import files, manifest_for

CLERK = Actor("thu.nguyen", "clerk")
CLIENT = Actor("client:motcua", "clerk")
NUMBER = "064217000001"  # the person on tests.archive.records' manifests


@pytest.fixture
def svc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Services:
    (tmp_path / "settings.toml").write_text("[auth]\nlookups_per_minute = 5\nclient_lookups_per_minute = 8\n"
                                            "unknown_codes_per_hour = 3\n", encoding="utf-8")
    now = [60.0 * 16_666 + 20]  # 20 s into a minute
    monkeypatch.setattr(access, "clock", lambda: now[0])
    svc = open_services(load_settings(tmp_path))
    svc.test_clock = now  # type: ignore[attr-defined]
    return svc


def _tick(svc: Services, seconds: float) -> None:
    svc.test_clock[0] += seconds  # type: ignore[attr-defined]


def test_the_allowance_is_the_accounts_per_minute_counted_in_people(svc: Services) -> None:
    assert access.take_allowance(svc, CLERK, 3) == 3
    assert access.take_allowance(svc, CLERK, 3) == 2  # what is left, no more
    assert access.take_allowance(svc, CLERK, 1) == 0  # none left: an empty answer, not a refusal
    with pytest.raises(TooMany) as refused:
        access.count_lookup(svc, CLERK)  # a whole answer that cannot be cut is refused
    assert refused.value.code == "rate_limited" and refused.value.retry_after_s == 41  # 20 s into the minute
    assert refused.value.message == ("Đã tra cứu 5 lượt (tính theo số người được trả về) trong một phút, giới hạn "
                                     "của tài khoản này; thử lại sau 41 giây.")
    assert access.take_allowance(svc, CLERK, 0, partial=False) == 0  # an answer naming nobody is never refused
    assert access.take_allowance(svc, Actor("an.tran", "clerk"), 5) == 5  # each account its own
    assert access.take_allowance(svc, CLIENT, 10) == 8  # an API client has the clients' limit
    assert access.take_allowance(svc, CLERK, 0) == 0


def test_the_minute_slides_the_last_ones_count_weighing_by_what_is_left_of_it(svc: Services) -> None:
    assert access.take_allowance(svc, CLERK, 5) == 5
    _tick(svc, 40)  # the next minute has begun: all five still lie within the last 60 s
    assert access.take_allowance(svc, CLERK, 5) == 0
    _tick(svc, 30)  # half of the last minute has slid out: about half the allowance is back
    assert access.take_allowance(svc, CLERK, 5) == 2
    _tick(svc, 18)  # 48 s in: a fifth of the last minute's five still count, and this minute's two
    assert access.take_allowance(svc, CLERK, 5) == 2
    _tick(svc, 120)  # two minutes later: all of it
    assert access.take_allowance(svc, CLERK, 9) == 5


def test_a_whole_answer_may_overdraw_and_delays_the_next(svc: Services) -> None:
    assert access.take_allowance(svc, CLERK, 4) == 4
    assert access.take_allowance(svc, Actor("an.tran", "clerk"), 4) == 4
    assert access.take_allowance(svc, Actor("an.tran", "clerk"), 3) == 1  # the last one, given
    assert access.take_allowance(svc, CLERK, 7, partial=False) == 7  # one left: counted whole
    with pytest.raises(TooMany):
        access.count_lookup(svc, CLERK)


@pytest.mark.parametrize("role", ["console", "system"])
def test_the_archive_machines_console_and_its_flows_are_not_limited(svc: Services, role: str) -> None:
    machine = Actor("root", role)  # type: ignore[arg-type]
    assert access.take_allowance(svc, machine, 1000) == 1000
    for code in ("X-1", "X-2", "X-3", "X-4"):
        access.note_unknown(svc, machine, code)
    access.check_not_guessing(svc, machine)


def test_people_are_told_apart_by_number_then_old_id_then_name_and_birth() -> None:
    assert access.person_key(Person(role="a", name="X", personal_number=NUMBER, old_id="230987654")) == NUMBER
    assert access.person_key(Person(role="a", name="X", old_id="230987654")) == "230987654"
    assert access.person_key(Person(role="a", name="Trần Thị Lan", birth_year=1978)) == "tran thi lan|1978"
    same = [Person(role="a", name="TRẦN THỊ LAN", birth_year=1978), Person(role="b", name="Tran Thi Lan",
                                                                          birth_year=1978)]
    assert len(access.people_in(same)) == 1
    assert len(access.people_in([*same, Person(role="c", name="Tran Thi Lan", birth_year=1979)])) == 2


def _archived(svc: Services) -> str:
    data = files()
    manifest = manifest_for(data)
    svc.archive.store(manifest, data)
    return manifest.result_code


def test_codes_asked_in_vain_stop_record_reads_and_alert_the_archivists_once(svc: Services) -> None:
    code = _archived(svc)
    for asked in ("000.00.00.H49-261122-0002-KQ1", "000.00.00.H49-261122-0003-KQ1"):
        with pytest.raises(NotFound):
            access.reach(svc, CLERK, asked)
    with pytest.raises(TooMany) as refused:  # the third in vain reaches the hour's limit
        access.reach(svc, CLERK, "000.00.00.H49-261122-0004-KQ1")
    assert refused.value.code == "too_many_unknown_codes" and refused.value.retry_after_s == 3600
    with pytest.raises(TooMany):
        access.reach(svc, CLERK, code)  # even a code that exists, for the rest of the hour
    assert access.reach(svc, Actor("an.tran", "clerk"), code).result_code == code  # another account may
    alerts = [json.loads(line) for line in svc.audit.lines() if '"access.alert"' in line]
    assert len(alerts) == 1 and alerts[0]["actor"] == CLERK.identity
    assert (alerts[0]["record"], alerts[0]["purpose"], alerts[0]["details"]) == (
        None, "Cảnh báo truy cập bất thường",
        {"reason": "unknown_codes", "count": 3, "last_asked": "000.00.00.H49-261122-0004-KQ1", "role": "clerk"})
    assert refused.value.message.startswith("Đã hỏi 3 mã kết quả không có trong kho")
    _tick(svc, 3601)  # an hour on, the count has expired
    assert access.reach(svc, CLERK, code).result_code == code


def test_a_citizen_reaches_only_records_that_name_them_and_others_count_as_unknown(svc: Services) -> None:
    code = _archived(svc)
    assert access.reach(svc, Actor("cd", "citizen", personal_number=NUMBER), code).result_code == code
    stranger = Actor("other", "citizen", personal_number="001099000002")
    for _ in range(2):
        with pytest.raises(NotFound) as hidden:
            access.reach(svc, stranger, code)
        assert "Không có hồ sơ" in hidden.value.message  # the same answer as for a code that does not exist
    with pytest.raises(TooMany):
        access.reach(svc, stranger, code)


def test_a_clerk_fetches_copies_only_of_what_their_own_lookups_returned(svc: Services,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(Refused) as refused:
        access.check_copy_grant(svc, CLERK, "A-KQ1")
    assert refused.value.code == "not_looked_up"
    access.grant_copies(svc, CLERK, ["A-KQ1", "B-KQ1"], seconds=60)
    access.check_copy_grant(svc, CLERK, "A-KQ1")
    with pytest.raises(Refused):
        access.check_copy_grant(svc, Actor("an.tran", "clerk"), "A-KQ1")  # not theirs
    access.check_copy_grant(svc, Actor("ra.soat", "reviewer"), "A-KQ1")  # grants concern clerks only
    access.grant_copies(svc, Actor("ra.soat", "reviewer"), ["C-KQ1"], seconds=60)
    with pytest.raises(Refused):
        access.check_copy_grant(svc, CLERK, "C-KQ1")
    later = access.time.time() + 61
    monkeypatch.setattr(access.time, "time", lambda: later)
    with pytest.raises(Refused):
        access.check_copy_grant(svc, CLERK, "A-KQ1")  # the grant has ended
