"""The e-copy's two signatures, and a verifier that says HỢP LỆ only when pyHanko's whole verdict does."""

import io
from datetime import datetime
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from archive.base import SIGNED_PDF
from context.services import Services, open_services
from context.settings import Settings, load_settings
from domain.records import Manifest
from pipeline.process import ACCEPTED, digitise
from service.verification import verify_copy
from signing.identity import verification_roots
from signing.qr import QrFacts, parse_qr, read_qr
from signing.revisions import unsigned_original
from signing.verification_report import report_vi
from signing.verify import load_certificates, verify_pdf
from tests.conftest import OPERATOR, SAMPLES
from tests.signing.conftest import CODE, PROCEDURE, blank_pdf, sign, signer_for


def roots(settings: Settings) -> list[Path]:
    return verification_roots(settings.signing)


def signed_copy(settings: Settings) -> bytes:
    return sign(signer_for(settings)).data


def pyhanko_verdicts(data: bytes, settings: Settings) -> list[bool]:
    context = ValidationContext(trust_roots=load_certificates(roots(settings)))
    return [validate_pdf_signature(s, context).bottom_line
            for s in PdfFileReader(io.BytesIO(data)).embedded_regular_signatures]


def test_an_untouched_copy_carries_both_signatures_and_is_valid(settings: Settings) -> None:
    signed = signed_copy(settings)
    reader = PdfFileReader(io.BytesIO(signed))
    agency, officer = reader.embedded_regular_signatures
    assert agency.field_name.startswith("SohoaAgency") and officer.field_name.startswith("SohoaOfficer")
    assert agency.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert agency.docmdp_level is not None  # the agency's is a certification signature
    assert pyhanko_verdicts(signed, settings) == [True, True]
    report = verify_pdf(signed, roots(settings))
    assert report.ok
    text = report_vi(report)
    assert text.startswith("Kết luận: HỢP LỆ")
    assert "Chữ ký của cơ quan" in text and "Chữ ký của người số hóa" in text
    assert "Mức chữ ký: B-B" in text and "do người ký tự khai" in text
    assert settings.signing.revocation_fetch and {s.revocation for s in report.regular} == {"no_source"}
    assert "đã kiểm tra" not in text  # the development certificates name no OCSP or CRL: nothing was checked


def test_a_flipped_byte_is_not_valid(settings: Settings) -> None:
    signed = bytearray(signed_copy(settings))
    index = signed.index(b"stream\n") + 40  # inside the first stream's data: the file still parses
    signed[index] ^= 0x01
    report = verify_pdf(bytes(signed), roots(settings))
    assert not report.ok
    assert "KHÔNG HỢP LỆ" in report_vi(report)
    assert any("nội dung đã ký bị thay đổi" in p for s in report.signatures for p in s.problems)
    assert not any("chứng thư gốc" in p for s in report.signatures for p in s.problems)  # its root is trusted


def forged_by_pyhanko(signed: bytes) -> bytes:
    """A page edit appended as an incremental update with pyHanko's own writer."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    font = generic.DictionaryObject({generic.NameObject("/Type"): generic.NameObject("/Font"),
                                     generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                                     generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")})
    stream = generic.StreamObject(stream_data=b"BT /FX 40 Tf 100 500 Td (GIA MAO) Tj ET")
    resources = generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject(
        {generic.NameObject("/FX"): writer.add_object(font)})})
    writer.add_stream_to_page(0, writer.add_object(stream), resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def forged_by_hand(signed: bytes) -> bytes:
    """A new content stream for page 1 and a new xref section after %%EOF, written byte by byte."""
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        page = pdf.pages[0].obj
        page_id, page_gen = page.objgen
        size = int(pdf.trailer.Size)
        root_id = pdf.Root.objgen[0]
        contents = page.Contents
        old = [c.objgen for c in contents] if isinstance(contents, pikepdf.Array) else [contents.objgen]
        entries = {str(k): page[k] for k in page if k != "/Contents"}
        page_dict = "<< " + " ".join(f"{k} {v.unparse().decode('latin-1')}" for k, v in entries.items())
    prev = int(signed[signed.rindex(b"startxref") + 9:].split()[0])
    new_id = size
    refs = " ".join(f"{i} {g} R" for i, g in old) + f" {new_id} 0 R"
    page_dict += f" /Contents [{refs}] >>"
    body = b"BT /FX 40 Tf 100 500 Td (GIA MAO) Tj ET"
    out = bytearray(signed)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    offsets[new_id] = len(out)
    out += f"{new_id} 0 obj\n<< /Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream\nendobj\n"
    offsets[page_id] = len(out)
    out += f"{page_id} {page_gen} obj\n{page_dict}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += b"xref\n"
    for obj_id in sorted(offsets):
        out += f"{obj_id} 1\n{offsets[obj_id]:010d} {page_gen if obj_id == page_id else 0:05d} n \n".encode()
    out += (f"trailer\n<< /Size {new_id + 1} /Root {root_id} 0 R /Prev {prev} >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def rendered_text_shows_forgery(data: bytes) -> bool:
    doc = pypdfium2.PdfDocument(data)
    return "GIA MAO" in doc[0].get_textpage().get_text_range()


def test_a_page_edit_appended_with_pyhankos_writer_is_not_valid(settings: Settings) -> None:
    forged = forged_by_pyhanko(signed_copy(settings))
    assert rendered_text_shows_forgery(forged)
    assert pyhanko_verdicts(forged, settings) == [False, False]
    report = verify_pdf(forged, roots(settings))
    assert not report.ok
    assert all(s.intact and not s.ok for s in report.regular)  # the signed bytes are intact: only the update lies
    assert any("trang 1 bị sửa sau khi ký" in p for s in report.regular for p in s.problems)
    assert report_vi(report).startswith("Kết luận: KHÔNG HỢP LỆ")


def test_a_page_edit_appended_by_hand_is_not_valid(settings: Settings) -> None:
    forged = forged_by_hand(signed_copy(settings))
    assert rendered_text_shows_forgery(forged)
    report = verify_pdf(forged, roots(settings))
    assert not report.ok
    assert any("trang 1 bị sửa sau khi ký" in p for s in report.regular for p in s.problems)


def test_a_page_added_after_signing_is_not_valid(settings: Settings) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_copy(settings)))
    page = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
        generic.NameObject("/Contents"): writer.add_object(generic.StreamObject(stream_data=b"0 0 m 100 100 l S")),
        generic.NameObject("/Resources"): generic.DictionaryObject(),
    })
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), roots(settings))
    assert not report.ok
    assert any("thêm 1 trang" in p for s in report.regular for p in s.problems)


def test_a_third_signature_after_the_lock_is_not_valid(settings: Settings, tmp_path: Path) -> None:
    """Once the second signature locks the document, even a signature by a trusted key breaks it."""
    signed = signed_copy(settings)
    p12 = settings.keys_dir / "dev-agency.p12"
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=None)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    out = io.BytesIO()
    PdfSigner(PdfSignatureMetadata(field_name="Extra"), signer=signer,
              new_field_spec=SigFieldSpec("Extra", box=(100, 100, 200, 150))).sign_pdf(writer, output=out)
    report = verify_pdf(out.getvalue(), roots(settings))
    assert not report.ok
    officer = next(s for s in report.regular if s.role == "officer")
    assert not officer.ok


def test_a_signature_by_an_untrusted_key_is_not_valid(settings: Settings, tmp_path: Path) -> None:
    stranger = load_settings(tmp_path / "stranger")
    signed = signed_copy(stranger)  # a well-formed copy, signed by someone this data directory does not trust
    report = verify_pdf(signed, roots(settings))
    assert not report.ok
    assert all(s.intact and not s.trusted for s in report.regular)
    assert any("không có trong danh sách chứng thư gốc tin cậy" in p for s in report.regular for p in s.problems)
    assert all(s.chain_top.startswith("sohoa Development Root CA") for s in report.regular)  # where its chain ends


def test_the_stamps_and_the_qr_code_are_where_the_rules_put_them(settings: Settings) -> None:
    signed = signed_copy(settings)
    doc = pypdfium2.PdfDocument(signed)
    doc.init_forms()
    image = doc[0].render(scale=1, may_draw_forms=True).to_pil().convert("L")
    width, height = image.size
    top = [(x, y) for x in range(0, width, 2) for y in range(0, height // 8, 2) if image.getpixel((x, y)) < 128]
    assert any(x > width / 2 for x, _ in top), "the agency's stamp, top right"
    assert any(x < width / 4 for x, _ in top), "the officer's stamp and QR code, top left"
    agency = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures[0]
    appearance = bytes(agency.sig_field["/AP"]["/N"].data)
    assert b"Tj" in appearance or b"TJ" in appearance  # text
    assert b"/XObject" not in bytes(str(agency.sig_field["/AP"]["/N"].get("/Resources", {})), "ascii")  # no image
    text = read_qr(signed)
    assert text is not None and text.startswith(f"https://sohoa.example.gov.vn/xac-minh/{CODE}?v=1&")
    assert parse_qr(text, CODE).procedure_code == PROCEDURE


def _inked_page() -> bytes:
    """An A4 scan inked to its edges: the issuing body's header top left, the national motto top right."""
    from PIL import ImageDraw

    from pdf.pdfa import PdfPage, build_pdfa, encode_image
    from signing.sign import PYHANKO_PRODUCER

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    for x0 in (40, 1500):
        draw.rectangle((x0, 20, x0 + 900, 320), fill=0)
        draw.rectangle((x0 + 60, 80, x0 + 840, 260), fill=200)
    draw.rectangle((300, 1500, 2200, 1600), fill=60)
    return build_pdfa([PdfPage(encode_image(image), 300)], title="t", created=datetime(2026, 12, 7),
                      creator="sohoa test", producer=PYHANKO_PRODUCER)


def _render(data: bytes) -> Image.Image:
    doc = pypdfium2.PdfDocument(data)
    doc.init_forms()
    return doc[0].render(scale=1, may_draw_forms=True).to_pil().convert("L")


def test_the_stamps_never_cover_the_original(settings: Settings) -> None:
    """A certified copy reproduces the whole original: the stamps go in a band above it, and every pixel of the
    original renders as before."""
    from PIL import ImageChops

    original = _inked_page()
    signed = sign(signer_for(settings), original).data
    assert verify_pdf(signed, roots(settings)).ok
    before, after = _render(original), _render(signed)
    assert after.width == before.width and after.height > before.height + 80  # the band: ~32 mm
    band = after.height - before.height
    diff = ImageChops.difference(before, after.crop((0, band, after.width, after.height)))
    assert diff.getbbox() is None or max(diff.getdata()) <= 8, diff.getbbox()  # the original, untouched
    assert min(after.crop((0, 0, after.width, band)).getdata()) < 128  # the stamps are drawn, in the band
    assert read_qr(signed) is not None
    assert unsigned_original(signed) == original  # the band is part of sohoa's signing, not of the original


def test_a_file_that_arrived_signed_gets_its_stamps_where_its_page_is_blank(settings: Settings) -> None:
    from PIL import ImageChops

    arrived = io.BytesIO()
    signer_for(settings)  # makes the development identity
    signer = signers.SimpleSigner.load_pkcs12(str(settings.signing.keys_dir / "dev-agency.p12"), passphrase=None)
    assert signer is not None
    PdfSigner(PdfSignatureMetadata(field_name="ChuKyGoc"), signer=signer).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(_inked_page())), output=arrived)
    signed = sign(signer_for(settings), arrived.getvalue()).data
    report = verify_pdf(signed, roots(settings))
    assert all(s.intact for s in report.regular), report  # the arrived signature still covers its file
    before, after = _render(arrived.getvalue()), _render(signed)
    assert before.size == after.size  # its page cannot change
    inked = before.point(lambda v: 255 if v < 250 else 0)  # where the original has anything drawn
    changed = ImageChops.difference(before, after).point(lambda v: 255 if v > 8 else 0)
    assert ImageChops.multiply(inked, changed).getbbox() is None  # no stamp over any of it
    assert ImageChops.difference(before, after).getbbox() is not None  # the stamps are there, on blank paper


def test_a_b_b_signature_reserves_room_near_its_size(settings: Settings) -> None:
    """Each later signature and every verification parses the earlier reserves digit by digit: a reserve five times
    the signature's size cost a tenth of signing time."""
    signed = signed_copy(settings)
    for signature in PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures:
        size = len(signature.signed_data.dump()) + 64  # the ContentInfo around it
        assert size < len(signature.pkcs7_content) <= max(2048, 2 * size)
    assert all(pyhanko_verdicts(signed, settings))


def test_the_development_identity_makes_one_officer_per_operator(settings: Settings) -> None:
    first = signer_for(settings, "nva")
    again = signer_for(settings, "nva")
    other = signer_for(settings, "ttb")
    cert = first._signatories["officer"].key.certificate
    assert cert.dump() == again._signatories["officer"].key.certificate.dump()
    assert cert.dump() != other._signatories["officer"].key.certificate.dump()
    assert (settings.keys_dir / "NOT-FOR-PRODUCTION.txt").is_file()
    assert "nva (DEV)" in cert.subject.native["common_name"]


def _stamp_lines(signed: bytes) -> list[str]:
    """The lines the stamps draw, as their marked-content spans give them (/ActualText)."""
    lines = []
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        for annot in pdf.pages[0].get("/Annots", []):
            if "/AP" not in annot:
                continue
            for operands, operator in pikepdf.parse_content_stream(annot.AP.N):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/ActualText" in operands[1]:
                    lines.append(str(operands[1].ActualText))
    return lines


def _stamp_text(signed: bytes) -> str:
    """Every character the stamps' fonts map back to Unicode (their ToUnicode CMaps)."""
    import re

    chars = []
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        for annot in pdf.pages[0].get("/Annots", []):
            todo = [annot.AP.N]
            while todo:
                xobject = todo.pop()
                resources = xobject.get("/Resources", {})
                todo.extend(resources.get("/XObject", {}).values())
                for font in resources.get("/Font", {}).values():
                    cmap = font.ToUnicode.read_bytes().decode("ascii")
                    for block in re.findall(r"beginbfchar\n(.*?)endbfchar", cmap, re.S):
                        chars += [chr(int(u, 16)) for u in re.findall(r"<[0-9a-f]+> <([0-9a-f]+)>", block)]
                    for block in re.findall(r"beginbfrange\n(.*?)endbfrange", cmap, re.S):
                        for listed in re.findall(r"\[([^\]]*)\]", block):
                            chars += [chr(int(u, 16)) for u in re.findall(r"<([0-9a-f]+)>", listed)]
    return "".join(chars)


def test_every_letter_of_the_stamps_has_its_glyph(settings: Settings) -> None:
    """The stamp font is cut down once per signer: a letter it lacked would be drawn as an empty box."""
    text = _stamp_text(signed_copy(settings))
    for word in ("Ủy ban nhân dân tỉnh Quảng Ninh", "Người số hóa", "Thời gian ký", "Mã kết quả", CODE, "nvb"):
        assert set(word) - {" "} <= set(text), word


def test_with_the_officer_first_the_agencys_signature_still_locks_the_document(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "settings.toml").write_text('[signing]\norder = ["officer", "agency"]\n', encoding="utf-8")
    settings = load_settings(data_dir)
    signed = signed_copy(settings)
    first, second = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures
    assert first.field_name.startswith("SohoaOfficer") and second.field_name.startswith("SohoaAgency")
    assert verify_pdf(signed, roots(settings)).ok
    forged = verify_pdf(forged_by_pyhanko(signed), roots(settings))
    assert not forged.ok and all(not s.ok for s in forged.regular)


def test_the_qr_code_must_name_the_archived_record_the_copy_is_of(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data")
    services = open_services(settings)
    result = digitise(SAMPLES / "ho_kinh_doanh_02.pdf", services, OPERATOR)
    assert result.outcome == ACCEPTED and result.result_code
    manifest = services.archive.manifest(result.result_code)
    assert manifest is not None
    report, code = verify_copy(services.archive.read(manifest, SIGNED_PDF), settings, services.archive)
    assert report.ok and code == manifest.result_code
    assert any("Mã QR khớp với hồ sơ" in n for n in report.notes)
    # A copy validly signed by the same keys, whose QR code names that record, but which is not its signed copy.
    other = signer_for(settings).sign(blank_pdf(), result_code=manifest.result_code,
                                      procedure_code=manifest.procedure_code, reason="không phải bản sao này").data
    report, _ = verify_copy(other, settings, services.archive)
    assert not report.ok
    assert any("không phải bản đã ký của hồ sơ đó" in p for p in report.problems)
    assert not any("khớp" in n for n in report.notes)  # no line says otherwise than the verdict
    # The record's own copy with a byte flipped: its signatures fail, and the QR is not said to match.
    genuine = bytearray(services.archive.read(manifest, SIGNED_PDF))
    genuine[len(genuine) // 3] ^= 0x01
    report, _ = verify_copy(bytes(genuine), settings, services.archive)
    assert not report.ok and not any("khớp" in n for n in report.notes)
    wrong_procedure = signer_for(settings).sign(blank_pdf(), result_code=manifest.result_code,
                                                procedure_code="9.999999", reason="sai thủ tục").data
    report, _ = verify_copy(wrong_procedure, settings, services.archive)
    assert any("Mã thủ tục trong mã QR (9.999999) khác với hồ sơ" in p for p in report.problems)
    unknown = signer_for(settings).sign(blank_pdf(), result_code="000.00.00.H49-200101-0001-KQ1",
                                        procedure_code=PROCEDURE, reason="không có trong kho").data
    report, _ = verify_copy(unknown, settings, services.archive)  # this archive's agency code: never issued here
    assert settings.agency_code == "000.00.00.H49"
    assert not report.ok and any("kho chưa từng cấp hồ sơ đó" in p for p in report.problems)
    elsewhere = signer_for(settings).sign(blank_pdf(), result_code="000.00.00.G01-200101-0001-KQ1",
                                          procedure_code=PROCEDURE, reason="hồ sơ nơi khác").data
    report, _ = verify_copy(elsewhere, settings, services.archive)
    assert any("của cơ quan khác" in n for n in report.notes) and not report.record
    assert {s.role for s in report.regular} == {"other"}  # nothing tells whose they are: field names prove nothing


def archived(tmp_path: Path, sample: str) -> tuple[Settings, Services, Manifest]:
    """A sample scan digitised into a fresh default archive: its settings, services and record."""
    settings = load_settings(tmp_path / "data")
    services = open_services(settings)
    result = digitise(SAMPLES / sample, services, OPERATOR)
    manifest = services.archive.manifest(result.result_code or "")
    assert manifest is not None
    return settings, services, manifest


def test_the_report_shows_the_record_as_the_archive_holds_it(tmp_path: Path) -> None:
    settings, services, manifest = archived(tmp_path, "khai_sinh_01.png")
    assert manifest.fields.number
    report, _ = verify_copy(services.archive.read(manifest, SIGNED_PDF), settings, services.archive)
    assert report.ok
    facts = dict(report.record)
    assert facts["Loại giấy tờ"] == manifest.classification.type_name
    assert facts["Số, ký hiệu"] == manifest.fields.number
    assert manifest.fields.issue_date and facts["Ngày cấp"] == f"{manifest.fields.issue_date:%d/%m/%Y}"
    holder = next(p for p in manifest.persons if p.role == "registrant")
    shown = next(v for k, v in report.record if holder.name and holder.name.split()[0].capitalize() in v)
    assert holder.name and holder.name not in shown and "…" in shown  # masked: "Nguyễn V… N…"
    assert "Hiệu lực hôm nay" in facts
    text = report_vi(report)
    assert text.startswith("Kết luận: HỢP LỆ") and "Hồ sơ trong kho lưu trữ" in text
    assert {s.role for s in report.regular} == {"agency", "officer"}  # told by the record's certificates


def test_a_signature_in_a_field_named_like_the_agencys_is_not_the_agencys(tmp_path: Path) -> None:
    """A forger with a certificate the system trusts signs a copy naming an archived record, in sohoa-named fields."""
    settings, services, manifest = archived(tmp_path, "ho_kinh_doanh_02.pdf")
    forger = signer_for(settings, operator="ke.gia.mao")  # trusted: issued by the same development CA
    forged = forger.sign(blank_pdf(), result_code=manifest.result_code, procedure_code=manifest.procedure_code,
                         reason="giả mạo").data
    report, _ = verify_copy(forged, settings, services.archive)
    assert not report.ok
    officer = [s for s in report.regular if s.field.startswith("SohoaOfficer")]
    assert officer and all(s.role == "other" for s in officer)
    assert "Chữ ký của người số hóa" not in report_vi(report)


def test_bytes_outside_the_pdf_are_refused_in_words_not_a_traceback(settings: Settings) -> None:
    signed = signed_copy(settings)
    for forged, where in ((b"junk before the header\n" + signed, "trước phần đầu %PDF-"),
                          (signed + b"<script>appended</script>", "sau dấu kết thúc %%EOF cuối cùng")):
        report, _ = verify_copy(forged, settings, None)
        assert not report.ok
        assert any(where in p and "không thuộc phần nào được ký" in p for p in report.problems)
    report, _ = verify_copy(signed, settings, None)  # the copy as issued, its own line end kept
    assert report.ok and not any("byte" in p for p in report.problems)


def test_verify_at_a_day_takes_both_forms_the_help_shows(tmp_path: Path) -> None:
    import subprocess
    import sys

    settings = load_settings(tmp_path / "data")
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(signed_copy(settings))
    for day in ("2031-06-01", "01/06/2031"):
        run = subprocess.run([sys.executable, "-m", "cli.main", "verify", str(copy), "--at", day, "--offline",
                              "--data-dir", str(tmp_path / "data")], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parents[2], check=False)
        assert "Traceback" not in run.stderr + run.stdout
        assert "Kết luận:" in run.stdout and "01/06/2031" in run.stdout, run.stdout + run.stderr  # judged then
    run = subprocess.run([sys.executable, "-m", "cli.main", "verify", str(copy), "--at", "2031-13-01",
                          "--data-dir", str(tmp_path / "data")], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=False)
    assert run.returncode != 0 and "dd/mm/yyyy hoặc YYYY-MM-DD" in run.stdout + run.stderr


def test_a_development_key_says_so_in_its_stamps_and_follows_the_agency_name(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from signing.sign import DEVELOPMENT_MARK

    settings = load_settings(data_dir)
    with caplog.at_level("WARNING", logger="signing.sign"):
        signed = sign(signer_for(settings)).data
    assert any("placeholder" in r.getMessage() for r in caplog.records)  # warned, not refused: no legal value
    assert _stamp_lines(signed).count(DEVELOPMENT_MARK) == 2  # both stamps, in the stamps themselves
    monkeypatch.setenv("SOHOA_AGENCY_NAME", "Ủy ban nhân dân xã Ia Kênh")
    renamed = load_settings(data_dir)
    report = verify_pdf(sign(signer_for(renamed)).data, roots(renamed))
    assert report.ok and report.regular[0].signer.startswith("Ủy ban nhân dân xã Ia Kênh (DEV)")
    assert verify_pdf(signed, roots(renamed)).ok  # the earlier identity's copies still verify


def test_the_qr_code_carries_the_fields_of_dieu_26_and_verify_reads_them_back(tmp_path: Path) -> None:
    settings, services, manifest = archived(tmp_path, "khai_sinh_01.png")
    text = read_qr(services.archive.read(manifest, SIGNED_PDF))
    assert text is not None
    qr = parse_qr(text, manifest.result_code)
    registrant = next(p for p in manifest.persons if p.role == "registrant")
    assert (qr.version, qr.dossier_code, qr.procedure_code) == (1, manifest.dossier_code, manifest.procedure_code)
    assert qr.applicant_id == registrant.personal_number and qr.document_name == manifest.classification.type_name
    assert qr.document_date == manifest.fields.issue_date and qr.permanent and qr.scope == "TQ"
    assert qr.system == "sohoa" and qr.issued_at is not None
    report, _ = verify_copy(services.archive.read(manifest, SIGNED_PDF), settings, services.archive)
    assert report.ok and any("Mã QR ghi (định dạng 1)" in n and "…" + registrant.personal_number[-4:] in n
                             for n in report.notes if registrant.personal_number)
    # A copy signed with the agency's keys whose QR code names the record but says another issue date and holder.
    lied = signer_for(settings).sign(blank_pdf(), result_code=manifest.result_code,
                                     procedure_code=manifest.procedure_code, reason="sai thông tin",
                                     qr=QrFacts(manifest.result_code, dossier_code=manifest.dossier_code,
                                                applicant_id="001099000001", document_name="Giấy khai sinh",
                                                document_date=datetime(1999, 1, 1).date(), permanent=True)).data
    report, _ = verify_copy(lied, settings, services.archive)
    assert not report.ok
    assert any("Ngày cấp trong mã QR (01/01/1999) khác với hồ sơ" in p for p in report.problems)
    assert any("không phải của người có tên trong hồ sơ" in p for p in report.problems)
