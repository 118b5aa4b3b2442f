"""The lead's view of the station: boxes done with their figures (from the stacks' reports), files being split and
files waiting in the scanners' folder; only those who run digitisation see it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from archive.objects import Lock
from archive.stacks import store_report
from context.services import open_services
from domain.actor import Actor
from service.boxes import UNDESCRIBED, station_view
from service.permissions import Refused
from service.station import CLAIMS

LEAD = Actor("truong-nhom", "operator")


def test_boxes_done_are_added_up_and_the_folder_shows_what_is_under_way(settings: Any, tmp_path: Path) -> None:
    services = open_services(settings)
    lock = Lock("GOVERNANCE", datetime.now(UTC) + timedelta(days=1))
    box = {"fonds": "UBND xã Ia Kênh", "inventory": "3", "box": "12", "file": "7"}
    for sha, pages, doubts, gap in (("a" * 64, 20, 1, 0), ("b" * 64, 10, 0, -2)):
        store_report(services.archive.objects, sha, {"pages": pages, "documents": [{}, {}, {}], "blanks": [2, 4],
                                                     "doubts": doubts, "gap": gap, "description": box}, lock)
    store_report(services.archive.objects, "c" * 64, {"pages": 4, "documents": [{}], "blanks": [],
                                                      "doubts": 0, "description": None}, lock)
    folder = tmp_path / "may-quet"
    (folder / CLAIMS / "may-1-7").mkdir(parents=True)
    (folder / CLAIMS / "may-1-7" / "hop-13.pdf").write_bytes(b"%PDF")
    (folder / "hop-14.pdf").write_bytes(b"%PDF")
    (folder / "paper.toml").write_text('box = "14"\n', encoding="utf-8")
    view = station_view(services, LEAD, folder)
    [undescribed, box_12] = view.done
    assert (box_12.label, box_12.files, box_12.pages, box_12.documents, box_12.blanks, box_12.flagged, box_12.gaps) \
        == ("Phông UBND xã Ia Kênh, Mục lục 3, Hộp 12", 2, 30, 6, 4, 1, 1)
    assert (undescribed.label, undescribed.pages) == (UNDESCRIBED, 4)
    assert (view.in_progress, view.waiting) == (["hop-13.pdf"], ["hop-14.pdf"])


def test_a_clerk_does_not_see_the_station(settings: Any) -> None:
    with pytest.raises(Refused):
        station_view(open_services(settings), Actor("thu.nguyen", "clerk"))
