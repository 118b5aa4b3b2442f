"""The watched folder: a file is taken once it stops growing, by one watcher only, filed under done/ or quarantine/
with a Vietnamese receipt; a claim left by a crash is taken back; a full disk puts the file back and stops."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from domain.actor import Actor
from domain.paper import ArchivalDescription
from pipeline.outcomes import ACCEPTED, QUARANTINED, STOPPED, DocumentResult
from pipeline.stack import StackResult
from service import station as station_module
from service.permissions import Refused
from service.station import CLAIMS, Station

OPERATOR = Actor("tests", "operator")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def processed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, ArchivalDescription | None]]:
    """What the stations digitised: a stand-in for the pipeline (its own tests are in tests/pipeline)."""
    done: list[tuple[Path, ArchivalDescription | None]] = []

    def digitise_stack(path: Path, services: object, by: Actor, description: ArchivalDescription | None) -> StackResult:
        done.append((path, description))
        outcome = {"hong": QUARANTINED, "day": STOPPED}.get(path.stem, ACCEPTED)
        return StackResult(path.name, "ab" * 32, 4, [
            DocumentResult(f"{path.name} (trang 1–2)", ACCEPTED, 2, "000.00.00.H49-261207-0001-KQ1", "Giấy khai sinh"),
            DocumentResult(f"{path.name} (trang 4–4)", outcome, 1, reason="Tệp PDF bị hỏng, không đọc được.")],
            blanks=[3], doubts=1, description=description)

    monkeypatch.setattr(station_module, "digitise_stack", digitise_stack)
    return done


def settled_poll(watcher: Station, clock: Clock) -> list[StackResult]:
    """A first look at the folder, then another once its files have had time to settle: what the second takes."""
    watcher.poll()
    clock.now += 10
    return watcher.poll()


def station(folder: Path, clock: Clock, owner: str = "") -> Station:
    made = Station(folder, services=None, by=OPERATOR, settle_s=5, clock=clock)  # type: ignore[arg-type]
    if owner:
        made.owner = owner
    return made


def test_a_file_is_taken_only_once_it_has_stopped_growing(tmp_path: Path, processed: list) -> None:
    clock = Clock()
    watcher = station(tmp_path, clock)
    scan = tmp_path / "hop-12.pdf"
    scan.write_bytes(b"%PDF-1.4 part")
    assert watcher.poll() == []  # just seen
    clock.now += 3
    scan.write_bytes(b"%PDF-1.4 part, and more")  # the scanner is still writing
    clock.now += 3
    assert watcher.poll() == []  # changed since: watched again from now
    clock.now += 6
    [result] = watcher.poll()
    assert [p.name for p, _ in processed] == ["hop-12.pdf"] and result.source == "hop-12.pdf"
    assert not scan.exists() and (tmp_path / "done" / "hop-12.pdf").read_bytes() == b"%PDF-1.4 part, and more"
    receipt = (tmp_path / "done" / "hop-12.pdf.bien-nhan.txt").read_text(encoding="utf-8")
    assert "Số trang: 4; văn bản: 2; trang trắng bỏ qua: 1; tờ phân cách: 0; ranh giới cần kiểm tra: 1." in receipt
    assert "- (trang 1–2): đã số hóa — 000.00.00.H49-261207-0001-KQ1 (Giấy khai sinh)" in receipt


def test_two_watchers_of_one_folder_never_take_the_same_file(tmp_path: Path, processed: list) -> None:
    clock = Clock()
    first, second = station(tmp_path, clock, "may-1-101"), station(tmp_path, clock, "may-2-202")
    (tmp_path / "a.pdf").write_bytes(b"a")
    first.ready(), second.ready()
    clock.now += 10
    both_ready = first.ready(), second.ready()
    assert both_ready[0] == both_ready[1] == [tmp_path / "a.pdf"]
    claimed = first.claim(tmp_path / "a.pdf")
    assert claimed == tmp_path / CLAIMS / "may-1-101" / "a.pdf"
    assert second.claim(tmp_path / "a.pdf") is None  # the rename lost: not processed twice
    assert second.poll() == [] and processed == []


def test_a_file_that_failed_goes_to_quarantine_and_a_full_disk_puts_it_back(tmp_path: Path, processed: list) -> None:
    clock = Clock()
    watcher = station(tmp_path, clock)
    (tmp_path / "hong.tif").write_bytes(b"II*\x00")
    (tmp_path / "day.pdf").write_bytes(b"%PDF")
    watcher.poll()
    clock.now += 10
    results = watcher.poll()
    assert [r.source for r in results] == ["hong.tif", "day.pdf"]  # oldest first; the full disk ends the pass
    assert (tmp_path / "day.pdf").exists() and not (tmp_path / "done").exists()  # back, for the next run
    assert (tmp_path / "quarantine" / "hong.tif").exists()
    assert "cách ly" in (tmp_path / "quarantine" / "hong.tif.bien-nhan.txt").read_text(encoding="utf-8")


def test_a_claim_left_by_a_crash_is_taken_back_and_a_live_one_is_left(tmp_path: Path) -> None:
    host = socket.gethostname()
    dead, alive = tmp_path / CLAIMS / f"{host}-999999999", tmp_path / CLAIMS / f"{host}-{os.getpid()}"
    for owner, name in ((dead, "x.pdf"), (alive, "y.pdf"), (tmp_path / CLAIMS / "may-khac-1", "z.pdf")):
        owner.mkdir(parents=True)
        (owner / name).write_bytes(b"%PDF")
    assert station(tmp_path, Clock()).take_back_abandoned() == [tmp_path / "x.pdf"]
    assert not dead.exists() and (alive / "y.pdf").exists()  # a live process's, and another machine's, stay


def test_the_box_description_beside_the_scans_goes_with_every_file(tmp_path: Path, processed: list) -> None:
    (tmp_path / "paper.toml").write_text('fonds = "UBND xã Ia Kênh"\nbox = "12"\n', encoding="utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    clock = Clock()
    settled_poll(station(tmp_path, clock), clock)
    assert processed[0][1] == ArchivalDescription(fonds="UBND xã Ia Kênh", box="12")
    receipt = (tmp_path / "done" / "a.pdf.bien-nhan.txt").read_text(encoding="utf-8")
    assert "Hồ sơ giấy: Phông UBND xã Ia Kênh; Hộp 12" in receipt


def test_only_a_digitising_role_may_run_a_station(tmp_path: Path) -> None:
    with pytest.raises(Refused):
        Station(tmp_path, services=None, by=Actor("ai-do", "clerk"))  # type: ignore[arg-type]


def test_a_scheduled_run_takes_what_has_not_changed_for_a_while_by_its_own_time(tmp_path: Path,
                                                                                processed: list) -> None:
    old, new = tmp_path / "cu.pdf", tmp_path / "moi.pdf"
    for path in (old, new):
        path.write_bytes(b"%PDF")
    os.utime(old, (1_000_000, 1_000_000))
    watcher = station(tmp_path, Clock())
    assert watcher.settled(wall=lambda: 1_000_000 + 6) == [old]  # the other one was written just now
    assert [r.source for r in watcher.poll_settled()] == ["cu.pdf"]


def test_a_stack_with_fewer_pages_than_its_description_says_is_flagged_on_the_receipt() -> None:
    result = StackResult("hop-12.pdf", "ab" * 32, 10, blanks=[2, 6], separators=[1],
                         description=ArchivalDescription(box="12", page_count=10), expected_pages=10)
    assert result.paper_pages == 8 and result.gap == -2  # the separator and its blank back are not paper
    assert "CẦN KIỂM TRA: mô tả hồ sơ ghi 10 trang, đã quét 8 trang (thiếu 2 trang)." in \
        station_module.receipt(result, "hop-12.pdf")
    assert StackResult("a.pdf", pages=4).gap is None


def test_a_file_of_one_document_is_named_as_the_scanner_named_it(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def digitise_stack(path: Path, services: object, by: Actor, description: object) -> StackResult:
        document = DocumentResult(str(path), ACCEPTED, 1, "000.00.00.H49-261207-0002-KQ1")
        return StackResult(str(path), documents=[document], split=False)

    monkeypatch.setattr(station_module, "digitise_stack", digitise_stack)
    (tmp_path / "ks.png").write_bytes(b"\x89PNG")
    clock = Clock()
    [result] = settled_poll(station(tmp_path, clock), clock)
    assert result.source == "ks.png" and result.documents[0].source == "ks.png"
    receipt = (tmp_path / "done" / "ks.png.bien-nhan.txt").read_text(encoding="utf-8")
    assert receipt == "Tệp: ks.png\n- ks.png: đã số hóa — 000.00.00.H49-261207-0002-KQ1\n"


def test_a_description_that_cannot_be_read_stops_the_pass_before_any_file_is_taken(tmp_path: Path,
                                                                                   processed: list) -> None:
    from domain.paper import DescriptionError

    (tmp_path / "paper.toml").write_text('hop = "12"\n', encoding="utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    clock = Clock()
    with pytest.raises(DescriptionError):
        settled_poll(station(tmp_path, clock), clock)
    assert (tmp_path / "a.pdf").exists() and processed == []  # left where the scanner put it


def test_sheets_are_reconciled_as_one_side_or_both_were_scanned() -> None:
    sheets = ArchivalDescription(box="12", sheets="1-4")
    for pages, disagree in ((4, False), (8, False), (7, True)):
        result = StackResult("hop.pdf", pages=pages, description=sheets, expected_sheets=4)
        assert result.sheets_disagree is disagree
    text = station_module.receipt(StackResult("hop.pdf", pages=7, expected_sheets=4), "hop.pdf")
    assert "CẦN KIỂM TRA: mô tả hồ sơ ghi 4 tờ, đã quét 7 trang (không khớp 4 trang quét một mặt hay 8 trang" in text


def test_a_separator_whose_description_failed_is_on_the_receipt() -> None:
    result = StackResult("hop.pdf", pages=6, unread_separators=[(4, "separator: không có mục hop (...)")])
    assert ("CẦN KIỂM TRA: tờ phân cách ở trang 4 mang mô tả hồ sơ giấy không đọc được (separator: không có mục hop "
            "(...)); các văn bản sau nó giữ mô tả trước đó.") in station_module.receipt(result, "hop.pdf")
