"""A stack that cannot be split to the end: a page that fails sends the stack to quarantine with its reason (the
documents before it stay archived); an archive gone stops the batch; a file of one document is a file like any
other (its own original, no stack stored). The pages' looks are stood in for: reading is tested elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from archive.objects import ArchiveUnavailable
from archive.stacks import STACKS
from context.services import open_services
from domain.actor import Actor
from pipeline import stack as stack_module
from pipeline.outcomes import ACCEPTED, QUARANTINED, STOPPED, DocumentResult
from pipeline.stack import digitise_stack
from pipeline.stack_split import PageLook

OPERATOR = Actor("tests", "operator")


def two_pages(path: Path) -> Path:
    frames = [Image.new("L", (620, 877), 255), Image.new("L", (620, 877), 250)]
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:], dpi=(75, 75))
    return path


def test_a_page_that_fails_sends_the_stack_to_quarantine_with_its_reason(settings: Any, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def look_at(page: object, index: int, services: object) -> PageLook:
        if index == 1:
            raise RuntimeError("tesseract crashed")
        return PageLook(index, first="strong")

    monkeypatch.setattr(stack_module, "look_at", look_at)
    result = digitise_stack(two_pages(tmp_path / "hop.tif"), open_services(settings), OPERATOR)
    [refused] = result.documents
    assert refused.outcome == QUARANTINED
    assert refused.reason == ("Không đọc được phần còn lại của tệp nhiều văn bản: Lỗi khi xử lý tệp: tesseract "
                              "crashed. Các văn bản đã tách trước trang này vẫn được lưu.")
    [copy] = [p for p in settings.quarantine_dir.iterdir() if p.suffix == ".tif"]
    assert copy.read_bytes() == (tmp_path / "hop.tif").read_bytes()


def test_an_archive_gone_stops_the_batch_and_quarantines_nothing(settings: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def look_at(page: object, index: int, services: object) -> PageLook:
        raise ArchiveUnavailable("MinIO unreachable", "archive.unreachable", endpoint="minio:9000", reason="refused")

    monkeypatch.setattr(stack_module, "look_at", look_at)
    result = digitise_stack(two_pages(tmp_path / "hop.tif"), open_services(settings), OPERATOR)
    assert [(d.outcome, d.reason) for d in result.documents] == [
        (STOPPED, "Không kết nối được kho lưu trữ MinIO tại minio:9000: refused")]
    assert result.stopped is not None and not settings.quarantine_dir.exists()


def test_a_file_of_one_document_is_digitised_as_any_file(settings: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from domain.paper import ArchivalDescription, PaperOrigin

    whole: list[tuple[Path, object]] = []
    monkeypatch.setattr(stack_module, "look_at", lambda page, index, services: PageLook(
        index, first="strong" if index == 0 else "none"))
    monkeypatch.setattr(stack_module, "digitise", lambda path, services, by, paper: whole.append(
        (path, paper)) or DocumentResult(str(path), ACCEPTED, 2, "000.00.00.H49-261207-0001-KQ1"))
    services = open_services(settings)
    box = ArchivalDescription(box="12")
    result = digitise_stack(two_pages(tmp_path / "qd.tif"), services, OPERATOR, box)
    assert whole == [(tmp_path / "qd.tif", PaperOrigin(description=box))] and not result.split  # its box kept
    assert list(services.archive.objects.keys(STACKS)) == []  # no stack stored for it


def test_a_reviewer_gets_a_documents_pages_and_one_on_either_side_of_a_tiff_or_pdf(tmp_path: Path) -> None:
    import io

    import pikepdf

    from pdf.page_range import page_range

    frames = [Image.new("L", (500, 700), 40 * i) for i in range(5)]
    frames[0].save(tmp_path / "s.tif", "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    cut = Image.open(io.BytesIO(page_range((tmp_path / "s.tif").read_bytes(), "image/tiff", [2, 3, 4, 9])))
    assert cut.n_frames == 3 and cut.getpixel((0, 0)) == 40  # page 2 first; page 9 is past the end
    pdf = pikepdf.new()
    for _ in range(4):
        pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    assert len(pikepdf.open(io.BytesIO(page_range(buffer.getvalue(), "application/pdf", [1, 2]))).pages) == 2
    assert page_range(b"\xff\xd8\xff", "image/jpeg", [1]) == b"\xff\xd8\xff"


def test_a_long_document_is_read_again_from_the_file_not_held_whole(settings: Any, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.intake import SourceDocument

    frames = [Image.new("L", (620, 877), 255 - 10 * i) for i in range(5)]
    frames[0].save(tmp_path / "so.tif", "TIFF", save_all=True, append_images=frames[1:], dpi=(75, 75))
    parts: list[SourceDocument] = []
    monkeypatch.setattr(stack_module, "HOLD_PAGES", 2)
    monkeypatch.setattr(stack_module, "look_at", lambda page, index, services: PageLook(
        index, first="strong" if index in (0, 4) else "none"))
    monkeypatch.setattr(stack_module, "digitise_part", lambda part, services, by: parts.append(part) or DocumentResult(
        str(part.path), ACCEPTED, part.page_count, f"000.00.00.H49-261207-000{len(parts)}-KQ1"))
    result = digitise_stack(tmp_path / "so.tif", open_services(settings), OPERATOR)
    assert [d.source for d in result.documents] == ["so.tif (trang 1–4)", "so.tif (trang 5–5)"]
    long, short = parts
    assert long.held is None and long.only == frozenset({0, 1, 2, 3}) and long.is_part  # let go past two pages
    assert [p.image.getpixel((0, 0)) for p in long.pages()] == [255, 245, 235, 225]  # read again, in order
    assert short.held is not None and len(short.held) == 1 and short.only is None
