"""The split rules on real published documents (held out: no rule was written against them): seven decisions and
letters one after another, as a feeder would scan them with no separator sheets. Every first page is a strong one;
no later page is taken for a first page in silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from context.settings import load_settings
from pipeline.intake import SourcePage
from pipeline.stack import look_at
from pipeline.stack_split import StackPlanner
from sample_scans.stacks import real_stack
from tests.conftest import REPO

REAL_SCANS = REPO.parent / "shared" / "real-scans"
pytestmark = [pytest.mark.skipif(not REAL_SCANS.is_dir(), reason=f"the real-scans set is not at {REAL_SCANS}"),
              pytest.mark.slow]


def test_real_documents_split_where_they_begin_and_no_wrong_split_is_silent(tmp_path: Path) -> None:
    pages, truth = real_stack(REAL_SCANS)

    class Reader:  # what look_at needs of the services: the settings
        settings = load_settings(tmp_path / "data")

    planner = StackPlanner()
    parts = [part for i, image in enumerate(pages)
             for part in planner.add(look_at(SourcePage(image, 200), i, Reader()))]  # type: ignore[arg-type]
    parts += planner.finish()
    made = {(p.first_page, p.last_page): bool(p.doubts) for p in parts}
    right = set(truth.documents) & made.keys()
    assert len(right) >= len(truth.documents) - 1  # six of seven today: QD383's appendix page looks half a first page
    assert [span for span, doubted in made.items() if span not in truth.documents and not doubted] == []
    assert planner.blanks == []
