"""One record per paper: a rescan or a render of a paper already archived is linked to its record, never archived
as a second one; another paper of the same printed form is a record of its own."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2
import pytest
from PIL import Image

from archive.fixity import check_fixity
from context.services import Services, open_services
from context.settings import load_settings
from indexer.base import IndexUnavailable
from ocr.chosen_engine import read_image
from pipeline.process import ACCEPTED, ALREADY_ARCHIVED, DUPLICATE_CAPTURE, digitise
from sample_scans.captures import rescanned
from tests.conftest import OPERATOR, SAMPLES, run_cli


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    data = tmp_path_factory.mktemp("duplicates") / "data"
    services = open_services(load_settings(data))
    codes = {}
    for name in ("khai_sinh_01.png", "quyet_dinh_01.pdf"):
        result = digitise(SAMPLES / name, services, OPERATOR)
        assert result.outcome == ACCEPTED and result.result_code
        codes[name] = result.result_code
    return data, codes


def services_of(data: Path) -> Services:
    return open_services(load_settings(data))


def test_a_rescan_is_linked_to_the_archived_record(archived: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    data, codes = archived
    page = np.asarray(Image.open(SAMPLES / "khai_sinh_01.png").convert("L"))
    rescan = tmp_path / "khai_sinh_quet_lai.jpg"
    Image.fromarray(rescanned(page, 0.75, 55, 1)).save(rescan, dpi=(225, 225))
    services = services_of(data)
    before = services.index.count()

    result = digitise(rescan, services, OPERATOR)

    assert result.outcome == DUPLICATE_CAPTURE
    assert result.result_code == codes["khai_sinh_01.png"]
    assert result.reason and "ảnh các trang giống nhau" in result.reason
    assert services.index.count() == before
    assert sum(1 for _ in services.archive.manifests()) == before
    link = services.archive.capture_link(result_code_hash(rescan))
    assert link is not None and link.result_code == codes["khai_sinh_01.png"] and link.source_name == rescan.name
    events = [e for e in map(json.loads, services.audit.lines()) if e["action"] == "record.capture_link"]
    assert events and events[-1]["record"] == codes["khai_sinh_01.png"]

    again = digitise(rescan, services, OPERATOR)  # a rerun of the batch: known at once, not read again
    assert again.outcome == DUPLICATE_CAPTURE and again.result_code == codes["khai_sinh_01.png"]
    assert "ocr" not in again.stages


def test_a_render_of_a_born_digital_pdf_is_linked_by_number_date_and_text(
        archived: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    data, codes = archived
    doc = pypdfium2.PdfDocument(str(SAMPLES / "quyet_dinh_01.pdf"))
    render = tmp_path / "quyet_dinh_trang_1.png"
    doc[0].render(scale=300 / 72).to_pil().convert("L").save(render, dpi=(300, 300))
    doc.close()

    result = digitise(render, services_of(data), OPERATOR)

    assert result.outcome == DUPLICATE_CAPTURE
    assert result.result_code == codes["quyet_dinh_01.pdf"]
    assert result.reason and "cùng số 2471/QĐ-UBND ngày 16/09/2021" in result.reason


def test_a_rescan_of_a_paper_whose_number_cannot_be_read_is_found_by_its_words_and_its_look(tmp_path: Path) -> None:
    doc = pypdfium2.PdfDocument(str(SAMPLES / "quyet_dinh_01.pdf"))
    page = np.array(doc[0].render(scale=300 / 72).to_pil().convert("L"))
    doc.close()
    for word in read_image(page, dpi=300).words:  # the số and the personal number unreadable, as handwriting reads
        if "2471" in word.text or sum(c.isdigit() for c in word.text) >= 9:
            page[word.top - 4:word.top + word.height + 4, word.left - 4:word.left + word.width + 4] = 40
    first, second = tmp_path / "quyet_dinh_ban_quet.png", tmp_path / "quyet_dinh_quet_lai.jpg"
    Image.fromarray(page).save(first, dpi=(300, 300))
    Image.fromarray(rescanned(page, 0.8, 70, 3)).save(second, dpi=(240, 240))
    services = services_of(tmp_path / "data")
    archived = digitise(first, services, OPERATOR)
    assert archived.outcome == ACCEPTED and archived.result_code

    result = digitise(second, services, OPERATOR)

    assert result.outcome == DUPLICATE_CAPTURE, result.reason
    assert result.result_code == archived.result_code
    assert result.reason and "ảnh các trang giống nhau" in result.reason and "nội dung chữ trùng" in result.reason
    assert "cùng số" not in result.reason  # found by neither a number nor a person


def test_two_captures_of_one_paper_read_at_the_same_moment_make_one_record(tmp_path: Path) -> None:
    page = np.asarray(Image.open(SAMPLES / "ket_hon_01.jpg").convert("L"))
    first, second = tmp_path / "ket_hon.png", tmp_path / "ket_hon_lan_2.png"
    Image.fromarray(page).save(first, dpi=(300, 300))
    fed_twice = page.copy()
    fed_twice[0, 0] = 255 - fed_twice[0, 0]  # another file, the same read: both finish reading together
    Image.fromarray(fed_twice).save(second, dpi=(300, 300))
    services = services_of(tmp_path / "data")

    with ThreadPoolExecutor(2) as pool:  # two workers of one batch, as the ingest flow runs them
        results = list(pool.map(lambda p: digitise(p, services, OPERATOR), [first, second]))

    assert sorted(r.outcome for r in results) == [ACCEPTED, DUPLICATE_CAPTURE], [r.reason for r in results]
    accepted = next(r for r in results if r.outcome == ACCEPTED)
    assert next(r for r in results if r.outcome == DUPLICATE_CAPTURE).result_code == accepted.result_code
    assert services.index.count() == 1


def test_another_paper_of_the_same_form_is_a_record_of_its_own(archived: tuple[Path, dict[str, str]]) -> None:
    data, _ = archived
    result = digitise(SAMPLES / "khai_sinh_02.jpg", services_of(data), OPERATOR)
    assert result.outcome == ACCEPTED


def test_a_capture_is_known_by_its_file_before_any_reading(archived: tuple[Path, dict[str, str]]) -> None:
    data, codes = archived
    result = digitise(SAMPLES / "khai_sinh_01.png", services_of(data), OPERATOR)
    assert result.outcome == ALREADY_ARCHIVED and result.result_code == codes["khai_sinh_01.png"]


def test_links_are_kept_with_the_record_and_pass_fixity(archived: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    data, codes = archived
    services = services_of(data)
    page = np.asarray(Image.open(SAMPLES / "khai_sinh_01.png").convert("L"))
    rescan = tmp_path / "ban_quet_khac.jpg"
    Image.fromarray(rescanned(page, 0.8, 70, 7)).save(rescan, dpi=(240, 240))
    assert digitise(rescan, services, OPERATOR).outcome == DUPLICATE_CAPTURE
    manifest = services.archive.manifest(codes["khai_sinh_01.png"])
    assert manifest is not None

    services.archive.set_legal_hold(manifest, True)  # a hold covers the links too: none can be deleted under it
    try:
        objects = services.archive.objects
        links = list(objects.keys(f"captures/{manifest.content_hash}/"))
        keys = [*links, *(f"captures/by-capture/{k.rsplit('/', 1)[1]}" for k in links)]
        held = {k: objects.stat(k).legal_hold for k in keys}  # type: ignore[union-attr]
        assert held and all(held.values()), held
    finally:
        services.archive.set_legal_hold(manifest, False)
    report = check_fixity(services.archive)
    assert not [f for f in report.findings if f.key.startswith("captures/")]


def test_the_operator_sees_linked_captures_in_the_summary(archived: tuple[Path, dict[str, str]],
                                                           tmp_path: Path) -> None:
    data, codes = archived
    folder = tmp_path / "lo"
    folder.mkdir()
    page = np.asarray(Image.open(SAMPLES / "khai_sinh_01.png").convert("L"))
    Image.fromarray(rescanned(page, 0.7, 50, 3)).save(folder / "chup_lai.jpg", dpi=(210, 210))
    status, out = run_cli("ingest", folder, "--data-dir", data)
    assert status == 0
    assert "Bản chụp khác của giấy tờ đã lưu (đã liên kết)" in out
    assert "chup_lai.jpg" in out and codes["khai_sinh_01.png"] in out


def test_an_index_that_cannot_be_asked_leaves_the_capture_flagged(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    services = open_services(load_settings(tmp_path / "data"))

    def down(*_: Any, **__: Any) -> Any:
        raise IndexUnavailable("Không kết nối được máy chủ tìm kiếm")

    monkeypatch.setattr(services.index, "find", down)
    result = digitise(SAMPLES / "khai_sinh_01.png", services, OPERATOR)
    assert result.outcome == ACCEPTED and result.needs_review
    manifest = services.archive.manifest(result.result_code or "")
    assert manifest is not None
    assert [n.code for n in manifest.review] == ["duplicate_unchecked"]


def result_code_hash(path: Path) -> str:
    from pipeline.intake import file_sha256

    return file_sha256(path)


def test_the_archives_own_e_copy_handed_back_is_linked(archived: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """A citizen's signed e-copy brought to a desk and put in a batch is not the paper a second time."""
    from archive.base import SIGNED_PDF

    data, codes = archived
    services = services_of(data)
    manifest = services.archive.manifest(codes["khai_sinh_01.png"])
    assert manifest is not None
    copy = tmp_path / "ban_sao_dien_tu.pdf"
    copy.write_bytes(services.archive.read(manifest, SIGNED_PDF))
    result = digitise(copy, services, OPERATOR)
    assert result.outcome == DUPLICATE_CAPTURE and result.result_code == codes["khai_sinh_01.png"]


def test_two_papers_of_one_form_about_two_people_are_never_one_paper() -> None:
    """Forms of one generation look alike and share most words; with no number, date or ID read surely on either,
    the people named tell them apart. A name misread by a letter or two between captures is still one person."""
    from domain.records import Person
    from pipeline.duplicates import Reading, _contradiction
    from pipeline.fields import Extracted

    def reading(name: str) -> Reading:
        return Reading("x", "khai_sinh", Extracted(persons=[Person(role="registrant", name=name)]), [], "")

    assert _contradiction(reading("TRẦN THỊ HOA"), reading("LÊ VĂN BÌNH"))
    assert not _contradiction(reading("NGUYỄN VĂN NGHĨA"), reading("NGUYÊN VĂN NGHIA"))  # marks: one person
    assert not _contradiction(reading("HOÀNG MINH PHÚC"), reading("OÀNG MINH PHÚC"))  # a fax lost a letter
