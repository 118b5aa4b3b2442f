"""The committed sample set is what the generator makes, and the generator is deterministic."""

import importlib.util
import sys
from pathlib import Path

import numpy as np

from context.settings import Settings
from pipeline.intake import open_document
from tests.conftest import SAMPLES

spec = importlib.util.spec_from_file_location("sample_scans_generate", SAMPLES / "generate.py")
assert spec and spec.loader
generate = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = generate  # dataclasses look their module up while the class is being made
spec.loader.exec_module(generate)

CHOSEN = {"khai_sinh_01", "ket_hon_02_upside_down", "quyet_dinh_01"}


def test_the_set_covers_every_type_format_and_damage_the_issue_asks_for() -> None:
    names = {s.name: s for s in generate.SAMPLES}
    assert len(names) >= 14
    types = [s.name.rsplit("_0", 1)[0] for s in generate.SAMPLES]
    assert all(types.count(t) >= 2 for t in set(types)) and len(set(types)) == 7
    assert {s.fmt for s in generate.SAMPLES} == {"png", "jpeg", "tiff", "pdf"}
    assert any(s.damage.rotate == 180 for s in generate.SAMPLES)
    assert sum(p.stat().st_size for p in SAMPLES.iterdir()) < 10 * 1024 * 1024


def pages(path: Path, settings: Settings) -> list[np.ndarray]:
    return [np.asarray(p.image.convert("L"), np.int16) for p in open_document(path, settings).pages()]


def test_regenerating_gives_the_committed_truth_and_the_same_images(tmp_path: Path, settings: Settings) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    generate.generate(first, 2026, only=CHOSEN)
    generate.generate(second, 2026, only=CHOSEN)
    for name in CHOSEN:
        truth = next(first.glob(f"{name}.json"))
        assert truth.read_text("utf-8") == (SAMPLES / truth.name).read_text("utf-8")
        [scan] = [p for p in first.glob(f"{name}.*") if p.suffix != ".json"]
        assert scan.read_bytes() == (second / scan.name).read_bytes()  # same seed, same bytes
        # Codec versions may change bytes; they must not change what the pages look like.
        made, committed = pages(scan, settings), pages(SAMPLES / scan.name, settings)
        assert len(made) == len(committed)
        assert all(np.abs(a - b).mean() < 1.0 for a, b in zip(made, committed, strict=True))


def test_a_value_too_long_for_its_table_cell_wraps_inside_the_table() -> None:
    # A date in words in a ruled table: a person reads it within its cell, so the page must hold it there.
    from sample_scans.forms import _column_table
    from sample_scans.variety import Form

    long_value = "ngày mười chín tháng năm năm một nghìn chín trăm tám mươi lăm"
    for draw in (lambda page: page.table([("Ngày, tháng, năm sinh", long_value)], 300),
                 lambda page: _column_table(page, 300, [("STT", "1"), ("Họ và tên người được xác nhận", "HÀ THU"),
                                                        ("Ngày, tháng, năm sinh", long_value), ("Số CCCD", "0"*12)])):
        page = Form()
        draw(page)
        ink = np.asarray(page.image.convert("L")) < 128
        assert not ink[:, page.right + 4 :].any()  # nothing beyond the table's right rule
