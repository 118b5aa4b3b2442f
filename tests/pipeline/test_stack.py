"""A stack through the scanning station, for real (Tesseract, signatures, the archive): a box's documents with
separator sheets and duplex blank backs become one record each, pointing into the stack, which is archived once;
the box's description is in every record; the same stack dropped again stores nothing twice."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from archive.fixity import check_fixity
from archive.stacks import STACKS, read_report
from context.services import Services, open_services
from context.settings import load_settings
from domain.paper import ArchivalDescription
from pipeline.outcomes import ACCEPTED, ALREADY_ARCHIVED
from sample_scans.stacks import build_stack, encode_stack
from service.archivist import catalogue_lines, export_transfer
from service.lookup import filters_for, search
from service.records import review_scan
from service.station import Station
from tests.conftest import OPERATOR

archivist_reader = OPERATOR.__class__("luu-tru", "archivist")
BOX = ArchivalDescription(fonds="UBND xã Ia Kênh", inventory="3", box="12", retention="Vĩnh viễn")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, object]:
    pages, truth = build_stack(41, 3, separators=True, duplex=True,
                               description=ArchivalDescription(file="7", sheets="1-6"))
    return encode_stack(pages), truth


@pytest.mark.slow
def test_a_stack_becomes_one_record_per_document_each_pointing_into_it(tmp_path: Path, stack: tuple) -> None:
    data, truth = stack
    inbox = tmp_path / "may-quet-1"
    inbox.mkdir()
    (inbox / "paper.toml").write_text('fonds = "UBND xã Ia Kênh"\ninventory = "3"\nbox = "12"\n'
                                      'retention = "Vĩnh viễn"\n', encoding="utf-8")
    (inbox / "hop-12.pdf").write_bytes(data)
    services: Services = open_services(load_settings(tmp_path / "data"))
    watcher = Station(inbox, services, OPERATOR, settle_s=0)
    watcher.poll()
    [result] = watcher.poll()
    assert [(d.outcome, d.source) for d in result.documents] == [
        (ACCEPTED, f"hop-12.pdf (trang {first}–{last})") for first, last in truth.documents]
    assert result.blanks == truth.blanks and result.separators == truth.separators and result.doubts == 0
    for document, (first, last) in zip(result.documents, truth.documents, strict=True):
        manifest = services.archive.manifest(document.result_code or "")
        assert manifest is not None and manifest.paper is not None and manifest.paper.stack is not None
        assert (manifest.paper.stack.first_page, manifest.paper.stack.last_page) == (first, last)
        assert manifest.paper.description == BOX.merged(ArchivalDescription(file="7", sheets="1-6"))
        assert "original" not in manifest.files and len(manifest.pages) == len(manifest.paper.stack.pages)
    stack_keys = list(services.archive.objects.keys(STACKS))
    assert len(stack_keys) == 2  # the stack as it came, once, and its report
    report = read_report(services.archive.objects, result.sha256 or "")
    assert report is not None and [d["result_code"] for d in report["documents"]] == [
        d.result_code for d in result.documents]
    receipt = (inbox / "done" / "hop-12.pdf.bien-nhan.txt").read_text(encoding="utf-8")
    assert f"văn bản: {len(truth.documents)}; trang trắng bỏ qua: {len(truth.blanks)}" in receipt
    assert "Phông UBND xã Ia Kênh; Mục lục 3; Hộp 12; Hồ sơ số 7" in receipt
    reviewer = OPERATOR.__class__("reviewer", "reviewer")
    manifest, scan, media_type = review_scan(services, reviewer, result.documents[1].result_code or "")
    first, last = truth.documents[1]
    assert media_type == "application/pdf"  # the reviewer reads its pages of the stack, and one on either side
    assert len(pikepdf.open(io.BytesIO(scan)).pages) == last - first + 3
    assert check_fixity(services.archive).findings == []  # the stack's objects are accounted for
    found = search(services, archivist_reader, "", "Kiểm kê hộp 12",
                   filters=filters_for(services.settings, inventory="3", box="12"))
    assert sorted(h.result_code or "" for h in found.hits) == sorted(d.result_code or "" for d in result.documents)
    archivist = OPERATOR.__class__("luu-tru", "archivist")
    [line] = [c for c in catalogue_lines(services, archivist) if c.result_code == result.documents[0].result_code]
    first, last = truth.documents[0]
    assert (line.fonds, line.inventory, line.box, line.file, line.stack_pages) == (
        "UBND xã Ia Kênh", "3", "12", "7", f"hop-12.pdf: {first}–{last}")
    export_transfer(services, archivist, [result.documents[0].result_code or ""], tmp_path / "bag", "Chuyển giao")
    assert (tmp_path / "bag" / "data" / "stacks" / (result.sha256 or "") / "hop-12.pdf").read_bytes() == data

    (inbox / "hop-12-lai.pdf").write_bytes(data)  # the same file dropped again
    watcher.poll()
    [again] = watcher.poll()
    assert {d.outcome for d in again.documents} == {ALREADY_ARCHIVED}
    assert services.index.count() == len(truth.documents)
