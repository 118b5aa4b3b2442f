"""The verifier on one copy signed once for the module (the development identity, B-B, no network): what it says of
the copy as signed, of a byte changed in it, of a key this archive does not trust, and of what is no signed PDF.
Fast enough for the quick loop and the mutation run; tests/signing/test_sign_verify.py covers the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from context.settings import Settings, load_settings
from signing.identity import verification_roots
from signing.signature_roles import claims_sohoa_fields, field_role
from signing.verification_report import NotVerifiable, VerificationReport, report_vi
from signing.verify import pdf_part, verify_pdf
from tests.signing.conftest import blank_pdf, sign, signer_for


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, bytes]:
    settings = load_settings(tmp_path_factory.mktemp("verify") / "data")
    return settings, sign(signer_for(settings)).data


@pytest.fixture(scope="module")
def verdict(signed: tuple[Settings, bytes]) -> VerificationReport:
    settings, data = signed
    return verify_pdf(data, verification_roots(settings.signing))


def test_the_copy_as_signed_carries_the_agencys_and_the_officers_signatures_and_is_valid(
        verdict: VerificationReport) -> None:
    assert verdict.ok and verdict.problems == []
    agency, officer = verdict.regular
    assert (agency.role, officer.role) == ("agency", "officer")
    for s in (agency, officer):
        assert (s.ok, s.intact, s.valid, s.trusted, s.changes_allowed, s.kind) == (True,) * 5 + ("signature",)
        assert s.level == "B-B" and s.time_source == "signer" and s.signed_at is not None
        assert s.revocation == "no_source"  # the development identity names no CRL or OCSP responder
        assert len(s.certificate_sha256) == 64 and s.chain_top.startswith("sohoa Development Root CA")
        assert s.problems == ()
    assert (agency.modification, officer.modification) == ("form_filling", "none")  # the officer's signs last
    assert (agency.covers_whole_file, officer.covers_whole_file) == (False, True)
    assert agency.certified  # the agency's certification signature locks the document
    assert agency.signer != officer.signer
    text = report_vi(verdict)
    assert text.startswith("Kết luận: HỢP LỆ") and "Chữ ký của cơ quan (1/2): HỢP LỆ" in text


def test_a_changed_byte_breaks_both_signatures_and_says_so(signed: tuple[Settings, bytes]) -> None:
    settings, data = signed
    changed = bytearray(data)
    changed[changed.index(b"stream\n") + 40] ^= 0x01  # inside the first stream: the file still parses
    report = verify_pdf(bytes(changed), verification_roots(settings.signing))
    assert not report.ok and report.regular and not any(s.ok or s.intact for s in report.regular)
    assert all(any("nội dung đã ký bị thay đổi" in p for p in s.problems) for s in report.regular)
    assert report_vi(report).startswith("Kết luận: KHÔNG HỢP LỆ")


def test_a_key_this_archive_does_not_trust_is_intact_but_not_trusted(signed: tuple[Settings, bytes],
                                                                    tmp_path: Path) -> None:
    _, data = signed
    stranger = load_settings(tmp_path / "stranger")  # another development root
    report = verify_pdf(data, verification_roots(stranger.signing))
    assert not report.ok
    assert all(s.intact and s.valid and not s.trusted for s in report.regular)
    assert all(any("không có trong danh sách chứng thư gốc tin cậy" in p for p in s.problems) for s in report.regular)


def test_what_is_not_a_signed_pdf_is_said_in_words(signed: tuple[Settings, bytes]) -> None:
    settings, _ = signed
    roots = verification_roots(settings.signing)
    with pytest.raises(NotVerifiable) as unreadable:
        verify_pdf(b"not a pdf at all", roots)
    assert unreadable.value.code == "unreadable_pdf" and str(unreadable.value).startswith("cannot read the PDF: ")
    assert unreadable.value.vietnamese.startswith("Không đọc được tệp PDF: ")
    unsigned = verify_pdf(blank_pdf(), roots)
    assert not unsigned.ok and unsigned.signatures == []
    assert report_vi(unsigned) == "KHÔNG HỢP LỆ: tệp không có chữ ký số nào."


def test_sohoas_own_fields_are_known_by_name_and_bytes_around_the_pdf_are_told_apart(
        signed: tuple[Settings, bytes]) -> None:
    _, data = signed
    assert claims_sohoa_fields(data) and not claims_sohoa_fields(blank_pdf())
    assert field_role("SohoaAgency") == "agency" and field_role("SohoaOfficer-2") == "officer"
    assert field_role("Signature1") == "other"
    assert pdf_part(b"junk\n" + data) == (data, 5, 0)  # what the signatures can cover, and what stands around it
    assert pdf_part(data + b"tail") == (data, 0, 4)
    assert pdf_part(data.replace(b"%%EOF\n", b"%%EOF\r\n")[-20:])[2] == 0  # the line end belongs to the file
