"""What the agency signs is inert: a born-digital PDF's JavaScript, actions, attachments and forms are removed
before signing, the manifest says so, the original stays archived as it came, and verify flags a copy holding any.
An ordinary web link runs nothing: it is kept, listed in the manifest and named by verify; a signed decision that
carries one is signed whole, its own signatures intact."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from archive.base import ORIGINAL, SIGNED_PDF
from context.services import open_services
from context.settings import load_settings
from ocr.fingerprint import SAME_PAPER, likeness, page_fingerprint
from pdf.active_content import Sanitised, active_content, strip_active_content, web_links
from pipeline.process import ACCEPTED, digitise
from tests.conftest import OPERATOR, SAMPLES
from tests.reliability.conftest import Archive

BORN_DIGITAL = "khai_sinh_01.png"  # its signed PDF has a text layer: read as born-digital when it comes back


def born_digital(archive: Archive, target: Path, *, active: bool) -> Path:
    """A PDF with a text layer (the archive's own signed copy, rewritten, so its old signatures no longer hold),
    carrying every kind of active content an attacker would add when `active`."""
    services = open_services(load_settings(archive.data))
    manifest = services.archive.manifest(archive.codes[BORN_DIGITAL])
    assert manifest is not None
    target.write_bytes(services.archive.read(manifest, SIGNED_PDF))
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        del pdf.Root["/AcroForm"]
        page = pdf.pages[0]
        del page.obj["/Annots"]
        if active:
            script = Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String("app.launchURL('http://x.example')"))
            pdf.Root.OpenAction = pdf.make_indirect(script)
            pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), pdf.make_indirect(script)])))
            pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not a document")
            links = [Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 100, 100],
                                A=Dictionary(S=Name.URI, URI=String("http://phishing.example/"))),
                     Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 100, 100, 200],
                                A=Dictionary(S=Name.Launch, F=String("cmd.exe")))]
            widget = Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("ho_ten"),
                                Rect=[200, 200, 300, 220], AA=Dictionary(K=script))
            page.obj.Annots = Array([pdf.make_indirect(a) for a in (*links, widget)])
            pdf.Root.AcroForm = Dictionary(Fields=Array([page.obj.Annots[2]]))
            page.obj.AA = Dictionary(O=script)
        pdf.save(target)
    return target


def test_javascript_attachments_actions_and_forms_are_removed_before_signing(archive: Archive,
                                                                              tmp_path: Path) -> None:
    scan = born_digital(archive, tmp_path / "quyet-dinh-co-ma-doc.pdf", active=True)
    assert {"mã JavaScript", "tệp đính kèm"} <= set(active_content(scan.read_bytes()))
    # Another office's archive: in this one the e-copy would be linked to its record as a second capture.
    office = Archive(tmp_path / "another-office", {}, {})
    services = open_services(load_settings(office.data))
    result = digitise(scan, services, OPERATOR)
    assert result.outcome == ACCEPTED, result.reason
    manifest = services.archive.manifest(result.result_code or "")
    assert manifest is not None and manifest.pages[0].source == "text_layer"
    signed = services.archive.read(manifest, SIGNED_PDF)
    assert active_content(signed) == []
    assert b"payload.exe" not in signed and b"cmd.exe" not in signed
    assert b"http://phishing.example/" in signed and manifest.links == ["http://phishing.example/"]  # a link: kept
    removed = " ".join(manifest.removed_content)
    for what in ("OpenAction", "JavaScript", "tệp đính kèm", "biểu mẫu", "chương trình", "hành động gắn với trang"):
        assert what in removed, what
    assert "địa chỉ web" not in removed
    assert services.archive.read(manifest, ORIGINAL) == scan.read_bytes()  # the original, untouched, kept

    copy = tmp_path / "ban-sao.pdf"
    copy.write_bytes(signed)
    status, out = office.cli("verify", str(copy), "--json")
    assert status == 0 and json.loads(out)["ok"]
    assert any("http://phishing.example/" in n for n in json.loads(out)["notes"])  # the reader is told where it leads
    status, out = office.cli("verify", str(scan), "--json")
    assert status == 1 and any("nội dung chủ động" in p for p in json.loads(out)["problems"])


def test_a_born_digital_pdf_without_active_content_is_signed_as_it_came(archive: Archive, tmp_path: Path) -> None:
    scan = born_digital(archive, tmp_path / "sach.pdf", active=False)
    assert strip_active_content(scan.read_bytes()).removed == ()
    services = open_services(load_settings(tmp_path / "another-office"))
    result = digitise(scan, services, OPERATOR)
    assert result.outcome == ACCEPTED, result.reason
    manifest = services.archive.manifest(result.result_code or "")
    assert manifest is not None and manifest.removed_content == []
    assert services.archive.read(manifest, SIGNED_PDF).startswith(scan.read_bytes())  # signed by incremental update
    verdict = manifest.text_layer
    assert verdict is not None and verdict.trusted and (verdict.ocr_agreement or 0) >= 0.9
    # its page drawn and fingerprinted, though never OCR'd: a photo or a scan of the paper will be known
    paper = np.asarray(Image.open(SAMPLES / BORN_DIGITAL).convert("L"))
    assert likeness(manifest.pages[0].fingerprint, page_fingerprint(paper)) >= SAME_PAPER


def test_signature_fields_are_kept_and_a_script_on_one_is_not(archive: Archive, tmp_path: Path) -> None:
    services = open_services(load_settings(archive.data))
    manifest = services.archive.manifest(archive.codes[BORN_DIGITAL])
    assert manifest is not None
    signed = services.archive.read(manifest, SIGNED_PDF)
    assert strip_active_content(signed) == Sanitised(signed, ())  # signed as it is: its signatures stay valid
    target = tmp_path / "scripted-signature.pdf"
    target.write_bytes(signed)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        field = pdf.Root.AcroForm.Fields[0]
        field.AA = Dictionary(K=Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")))
        pdf.save(target)
    cleaned = strip_active_content(target.read_bytes())
    assert any("biểu mẫu" in r for r in cleaned.removed) and active_content(cleaned.data) == []


def test_a_signed_decision_with_a_web_link_is_signed_whole(archive: Archive, tmp_path: Path) -> None:
    """A city's decision, signed twice, with an ordinary web link: nothing to remove, so nothing is rewritten and
    the signatures it came with stay valid; a link opened by itself when the file opens is still removed."""
    services = open_services(load_settings(archive.data))
    manifest = services.archive.manifest(archive.codes[BORN_DIGITAL])
    assert manifest is not None
    linked = tmp_path / "linked.pdf"
    linked.write_bytes(services.archive.read(manifest, SIGNED_PDF))
    with pikepdf.open(linked, allow_overwriting_input=True) as pdf:
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 100, 20],
                          A=Dictionary(S=Name.URI, URI=String("https://dichvucong.gov.vn/")))
        pdf.pages[0].obj.Annots = Array([*pdf.pages[0].obj.get("/Annots", Array()), pdf.make_indirect(link)])
        pdf.save(linked)
    data = linked.read_bytes()
    assert strip_active_content(data) == Sanitised(data, ())  # kept byte for byte
    assert active_content(data) == [] and web_links(data) == ["https://dichvucong.gov.vn/"]
    with pikepdf.open(linked, allow_overwriting_input=True) as pdf:
        pdf.Root.OpenAction = Dictionary(S=Name.URI, URI=String("https://tracker.example/"))
        pdf.save(linked)
    cleaned = strip_active_content(linked.read_bytes())
    assert any("OpenAction" in r for r in cleaned.removed) and b"tracker.example" not in cleaned.data


REAL_SCANS = Path(__file__).resolve().parents[3] / "shared" / "real-scans"


@pytest.mark.skipif(not REAL_SCANS.is_dir(), reason=f"the real-scans development set is not at {REAL_SCANS}")
def test_a_real_signed_decision_keeps_its_signature_and_is_countersigned(tmp_path: Path) -> None:
    """A published e-signed decision (Word to PDF, hybrid cross-reference): nothing active, nothing stripped."""
    scan = REAL_SCANS / "1.Q-CongbodanhmucTTHC51.pdf"
    services = open_services(load_settings(tmp_path / "data"))
    result = digitise(scan, services, OPERATOR)
    assert result.outcome == ACCEPTED, result.reason
    manifest = services.archive.manifest(result.result_code or "")
    assert manifest is not None and manifest.removed_content == []
    assert services.archive.read(manifest, SIGNED_PDF).startswith(scan.read_bytes())  # theirs stays, ours added


@pytest.mark.skipif(not REAL_SCANS.is_dir(), reason=f"the real-scans development set is not at {REAL_SCANS}")
@pytest.mark.parametrize("name", ["308qd2025.signed.pdf", "349Q20.02.2025_11h25p24_signed.pdf"])
def test_another_programs_ocr_layer_is_not_taken_as_born_digital_text(name: str, tmp_path: Path) -> None:
    from pipeline.intake import open_document

    document = open_document(REAL_SCANS / name, load_settings(tmp_path / "data"))
    assert not document.born_digital  # "UY BAN MAN DAN…": its pages are OCR'd instead
    assert next(iter(document.pages())).true_dpi >= 150  # and its pages decode, stray header bytes and all


def test_stray_bytes_before_the_header_are_dropped_for_signing_and_listed(archive: Archive, tmp_path: Path) -> None:
    clean = born_digital(archive, tmp_path / "clean.pdf", active=False)
    scan = tmp_path / "with-junk.pdf"
    scan.write_bytes(b"\x00\xffjunk-from-a-scanner" + clean.read_bytes())
    services = open_services(load_settings(tmp_path / "another-office"))  # here it would be a second capture
    result = digitise(scan, services, OPERATOR)
    assert result.outcome == ACCEPTED, result.reason
    manifest = services.archive.manifest(result.result_code or "")
    assert manifest is not None and manifest.removed_content == ["21 byte không thuộc tệp PDF đứng trước phần đầu %PDF"]
    assert services.archive.read(manifest, SIGNED_PDF).startswith(clean.read_bytes())
    assert services.archive.read(manifest, ORIGINAL) == scan.read_bytes()
