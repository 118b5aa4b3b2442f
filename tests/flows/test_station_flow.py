"""The station as a scheduled flow: one look into the scanners' folder takes every file that has not changed for a
while (by its own time: a run remembers nothing) and files it with its receipt; a file still being written waits;
a full disk fails the run with the reason, the file put back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from domain.actor import Actor
from pipeline.outcomes import ACCEPTED, STOPPED, DocumentResult
from pipeline.stack import StackResult
from service import station as station_module


@pytest.fixture
def digitised(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    done: list[str] = []

    def digitise_stack(path: Path, services: Any, by: Actor, description: Any) -> StackResult:
        done.append(path.name)
        outcome = STOPPED if path.stem == "day" else ACCEPTED
        return StackResult(path.name, pages=1, split=False,
                           documents=[DocumentResult(str(path), outcome, 1, reason="Ổ đĩa đầy.")])

    monkeypatch.setattr(station_module, "digitise_stack", digitise_stack)
    return done


def test_a_scheduled_look_takes_what_is_settled_and_leaves_what_is_being_written(tmp_path: Path,
                                                                                   digitised: list[str]) -> None:
    from flows.station import station_flow

    folder = tmp_path / "may-quet"
    folder.mkdir()
    for name in ("cu.pdf", "moi.pdf"):
        (folder / name).write_bytes(b"%PDF")
    os.utime(folder / "cu.pdf", (1_000_000, 1_000_000))
    summary = station_flow(str(folder), "nguyen.van.a", str(tmp_path / "data"))
    assert summary == {"files": ["cu.pdf"], "documents": 1} and digitised == ["cu.pdf"]
    assert (folder / "done" / "cu.pdf").exists() and (folder / "moi.pdf").exists()


def test_a_run_that_meets_a_full_disk_fails_and_puts_the_file_back(tmp_path: Path, digitised: list[str]) -> None:
    from flows.station import StationStopped, station_flow

    folder = tmp_path / "may-quet"
    folder.mkdir()
    (folder / "day.pdf").write_bytes(b"%PDF")
    os.utime(folder / "day.pdf", (1_000_000, 1_000_000))
    with pytest.raises(StationStopped, match="Ổ đĩa đầy"):
        station_flow(str(folder), "nguyen.van.a", str(tmp_path / "data"))
    assert (folder / "day.pdf").exists()
