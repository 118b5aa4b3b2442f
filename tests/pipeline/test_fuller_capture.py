"""Originals before renders: of two captures of one paper the fuller one is the record. A render of page 1 archived
first gives way to the whole file, which becomes the record's next version (the render kept as version 1); a render
that comes after the whole file is linked to it."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

from archive.base import ORIGINAL
from context.services import open_services
from context.settings import load_settings
from pipeline.intake import file_sha256
from pipeline.process import ACCEPTED, DUPLICATE_CAPTURE, digitise
from tests.conftest import OPERATOR, SAMPLES

WHOLE = SAMPLES / "quyet_dinh_01.pdf"  # two pages


def render_first_page(target: Path, quality: int = 80) -> Path:
    document = pypdfium2.PdfDocument(str(WHOLE))
    document[0].render(scale=200 / 72).to_pil().convert("RGB").save(target, dpi=(200, 200), quality=quality)
    document.close()
    return target


def test_the_whole_file_after_a_render_of_its_first_page_becomes_the_records_next_version(tmp_path: Path) -> None:
    services = open_services(load_settings(tmp_path / "data"))
    render = render_first_page(tmp_path / "trang1.jpg")
    first = digitise(render, services, OPERATOR)
    assert first.outcome == ACCEPTED and first.pages == 1
    whole = digitise(WHOLE, services, OPERATOR)
    assert whole.outcome == ACCEPTED and whole.result_code == first.result_code
    assert whole.reason is not None and "nhiều trang hơn (2 so với 1 trang)" in whole.reason
    manifest = services.archive.manifest(first.result_code or "")
    assert manifest is not None and manifest.version == 2 and len(manifest.pages) == 2
    assert services.archive.read(manifest, ORIGINAL) == WHOLE.read_bytes()
    assert manifest.change_reason and manifest.changed_by == OPERATOR.identity
    earlier = services.archive.versions(manifest.content_hash)[0]  # nothing deleted: the render stays version 1
    assert earlier.version == 1 and services.archive.read(earlier, ORIGINAL) == render.read_bytes()
    assert len(list(services.archive.manifests())) == 1  # one record for one paper
    again = digitise(WHOLE, services, OPERATOR)  # a rerun of the batch: known at once
    assert again.outcome == DUPLICATE_CAPTURE and again.result_code == first.result_code
    hit = services.index.get(first.result_code or "")
    assert hit is not None and hit.content_hash == manifest.content_hash

    # Now the whole file is the record: another render of its first page, made later, is linked to it.
    later = render_first_page(tmp_path / "trang1-lan2.jpg", quality=60)
    result = digitise(later, services, OPERATOR)
    assert result.outcome == DUPLICATE_CAPTURE and result.result_code == first.result_code
    link = services.archive.capture_link(file_sha256(later))
    assert link is not None and link.result_code == first.result_code
    still = services.archive.manifest(first.result_code or "")
    assert still is not None and still.version == 2


def test_which_capture_is_fuller() -> None:
    from domain.records import ArrivedSignature, PageInfo
    from pipeline.duplicates import fuller_capture
    from tests.archive.records import files, manifest_for

    def pages(n: int, dpi: int = 300, fax: bool = False) -> list[PageInfo]:
        return [PageInfo(index=i, width=2480, height=3508, dpi=dpi, source="ocr", fax=fax) for i in range(n)]

    render = manifest_for(files(b"render")).model_copy(update={"pages": pages(1, 200)})
    assert fuller_capture(pages(3), original=False, old=render) == "nhiều trang hơn (3 so với 1 trang)"
    assert fuller_capture(pages(1), original=False, old=render) is None  # as full: linked
    assert "bản gốc điện tử" in (fuller_capture(pages(1), original=True, old=render) or "")
    signed = render.model_copy(update={"arrived_signatures": [ArrivedSignature(field="Signature1", signer="UBND",
                                                                              intact=True)]})
    assert fuller_capture(pages(1), original=True, old=signed) is None  # the original is already the record
    low = render.model_copy(update={"pages": pages(1, 150)})
    assert "đạt chuẩn (300 dpi)" in (fuller_capture(pages(1), original=False, old=low) or "")
    faxed = render.model_copy(update={"pages": pages(1, 204, fax=True)})
    assert "bản fax" in (fuller_capture(pages(1), original=False, old=faxed) or "")
    assert fuller_capture(pages(1, 150), original=False, old=render) is None  # a poorer capture never replaces
