"""What the verifier says of copies signed through the test PKI (kept a day, tests/signing/long_term_copies.py): each
level as it is, the same copies four years on when their certificates have expired, archive timestamps that prove
or do not, a byte changed after the signatures, signatures that cannot be checked, and a responder that does not
answer. Fast enough for the quick loop and the mutation run."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import cms
from pyhanko.pdf_utils.reader import PdfFileReader

from domain.dates import VIETNAM
from signing.identity import certificate_sha256
from signing.signature_roles import vietnam_time
from signing.verification_report import SignatureReport, VerificationReport, report_vi
from signing.verify import verify_pdf
from tests.signing.long_term_copies import LongTermCopies, long_term_copies

LATER = timedelta(days=4 * 365)  # past the signers' three-year certificates, within "tsa2"'s forty years
ROOT = "sohoa Test Root CA — sohoa test PKI"
AGENCY = "Ủy ban nhân dân xã Ia Kênh — sohoa test PKI"
OFFICER = "Nguyễn Thị Hồng Nhung — sohoa test PKI"
SEVEN_HOURS = timedelta(hours=7)


@pytest.fixture(scope="module")
def copies() -> Iterator[LongTermCopies]:
    logging.disable(logging.CRITICAL)  # pyHanko logs a tampered file's diff failures with their tracebacks
    try:
        yield long_term_copies()
    finally:
        logging.disable(logging.NOTSET)


def verify(copies: LongTermCopies, data: bytes, *, later: bool = False, **kwargs: object) -> VerificationReport:
    at = datetime.now(UTC) + LATER if later else None
    return verify_pdf(data, copies.roots, at=at, **kwargs)  # type: ignore[arg-type]


def stamps(report: VerificationReport) -> list[SignatureReport]:
    return [s for s in report.signatures if s.kind == "document_timestamp"]


def said(report: VerificationReport) -> list[str]:
    return [p for s in report.signatures for p in s.problems]


def test_a_b_lta_copy_names_each_signature_its_level_and_the_archive_timestamp_over_them(
        copies: LongTermCopies) -> None:
    report = verify(copies, copies.read("lta"))
    assert report.ok and report.problems == [] and said(report) == []
    agency, officer = report.regular
    assert [s.kind for s in report.signatures] == ["signature", "signature", "document_timestamp"]
    assert (agency.role, agency.signer, agency.certified, agency.modification) == ("agency", AGENCY, True,
                                                                                   "form_filling")
    assert (officer.role, officer.signer, officer.certified, officer.modification) == ("officer", OFFICER, True,
                                                                                      "lta_updates")  # under the lock
    for s in (agency, officer):
        assert (s.ok, s.intact, s.valid, s.trusted, s.changes_allowed, s.trust_judged) == (True,) * 6
        assert (s.level, s.revocation, s.time_source, s.long_term) == ("B-LTA", "good", "tsa", False)
        assert (s.issuer, s.chain_top, s.algorithm) == (ROOT, ROOT, "sha256/sha256_ecdsa")
        assert s.signed_at is not None and s.signed_at.utcoffset() == SEVEN_HOURS
        assert not s.covers_whole_file  # later revisions: the officer's signature, revocation data, the stamp
    (stamp,) = stamps(report)
    assert (stamp.role, stamp.ok, stamp.intact, stamp.valid, stamp.trusted) == ("archive", True, True, True, True)
    assert (stamp.modification, stamp.changes_allowed, stamp.certified) == ("none", True, False)
    assert (stamp.signer, stamp.issuer) == ("sohoa Test TSA 2 — sohoa test PKI", ROOT)
    assert (stamp.algorithm, stamp.time_source, stamp.level, stamp.revocation) == ("sha256", "tsa", "", "not_checked")
    assert stamp.problems == () and len(stamp.certificate_sha256) == 64
    assert stamp.signed_at is not None and stamp.signed_at.utcoffset() == SEVEN_HOURS
    assert agency.signed_at is not None and agency.signed_at <= stamp.signed_at
    assert stamp.certificate_sha256 not in (agency.certificate_sha256, officer.certificate_sha256)
    text = report_vi(report)
    assert text.startswith("Kết luận: HỢP LỆ") and "B-LTA" in text


def test_four_years_on_the_b_lta_copy_holds_at_the_time_its_archive_timestamp_proves(copies: LongTermCopies) -> None:
    report = verify(copies, copies.read("lta"), later=True)
    assert report.ok, said(report)
    for s in report.regular:
        assert (s.ok, s.trusted, s.long_term, s.level, s.revocation) == (True, True, True, "B-LTA", "good")
    assert [s.ok for s in stamps(report)] == [True]


def test_an_archive_timestamp_whose_own_certificate_expired_proves_nothing(copies: LongTermCopies) -> None:
    assert verify(copies, copies.read("lta_short")).ok  # today it holds
    report = verify(copies, copies.read("lta_short"), later=True)
    assert not report.ok
    (stamp,) = stamps(report)
    assert (stamp.ok, stamp.intact, stamp.valid, stamp.trusted) == (False, True, True, False)
    assert stamp.problems == (f"Dấu thời gian tài liệu '{stamp.field}' do nơi không tin cậy cấp, hoặc chứng thư của "
                              "nơi cấp đã hết hạn hay bị thu hồi mà không có dấu thời gian mới hơn bảo đảm.",)
    ended = _not_after(copies, "lta_short")
    for s, who in zip(report.regular, ("của cơ quan", "của người số hóa"), strict=True):
        assert (s.ok, s.trusted, s.long_term, s.level, s.revocation) == (False, False, False, "B-B", "not_checked")
        assert s.problems[0] == (f"Chữ ký {who}: chứng thư số đã hết hạn ngày {ended} và tệp không chứng minh được "
                                 "chữ ký có trước ngày đó (dấu thời gian lưu trữ của tệp không hợp lệ).")


def _not_after(copies: LongTermCopies, name: str) -> str:
    sig = PdfFileReader(io.BytesIO(copies.read(name))).embedded_regular_signatures[0]
    return f"{sig.signer_cert.not_valid_after.astimezone(VIETNAM):%d/%m/%Y}"


@pytest.mark.parametrize(("name", "level", "revocation"), [("lt", "B-LT", "good"), ("bt", "B-T", "not_carried")])
def test_without_an_archive_timestamp_a_copy_holds_until_its_certificates_expire(
        copies: LongTermCopies, name: str, level: str, revocation: str) -> None:
    now = verify(copies, copies.read(name))
    assert now.ok and stamps(now) == []
    assert [(s.level, s.revocation, s.time_source, s.long_term) for s in now.regular] == [
        (level, revocation, "tsa", False)] * 2
    later = verify(copies, copies.read(name), later=True)
    assert not later.ok
    ended = _not_after(copies, name)
    for s, who in zip(later.regular, ("của cơ quan", "của người số hóa"), strict=True):
        assert (s.ok, s.intact, s.valid, s.trusted, s.long_term) == (False, True, True, False, False)
        assert s.problems[0] == (f"Chữ ký {who}: chứng thư số đã hết hạn ngày {ended} và tệp không chứng minh được "
                                 "chữ ký có trước ngày đó (thiếu dấu thời gian lưu trữ).")


def test_a_signature_by_an_expired_certificate_names_its_holder_and_the_day_it_ended(copies: LongTermCopies) -> None:
    report = verify(copies, copies.read("expired"))
    (s,) = report.regular
    assert not report.ok and (s.role, s.field, s.signer, s.issuer) == ("other", "Sig", "Chứng thư đã hết hạn — "
                                                                      "sohoa test PKI", ROOT)
    assert (s.level, s.time_source, s.revocation, s.certified) == ("B-B", "signer", "not_checked", False)
    assert s.problems == (f"Chữ ký của Chứng thư đã hết hạn — sohoa test PKI (trường 'Sig'): chứng thư số đã hết hạn "
                          f"ngày {_not_after(copies, 'expired')} và tệp không chứng minh được chữ ký có trước ngày đó "
                          "(thiếu dấu thời gian lưu trữ).",)


def test_a_byte_changed_after_the_signatures_breaks_the_archive_timestamp_and_the_lock(copies: LongTermCopies) -> None:
    data = copies.read("lta")
    officer = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[1]
    changed = bytearray(data)
    changed[data.index(b"stream", officer.byte_range[2] + officer.byte_range[3]) + 60] ^= 0x01
    report = verify(copies, bytes(changed))
    assert not report.ok
    (stamp,) = stamps(report)
    assert (stamp.ok, stamp.intact) == (False, False)
    assert stamp.problems == (f"Dấu thời gian tài liệu '{stamp.field}' không khớp với nội dung tệp.",)
    for s, who in zip(report.regular, ("của cơ quan", "của người số hóa"), strict=True):
        assert (s.ok, s.intact, s.valid, s.modification, s.changes_allowed) == (False, True, True, "other", False)
        assert s.problems == (f"Chữ ký {who}: tệp bị thay đổi theo cách chữ ký không cho phép sau khi ký.",)


def _with_officer_cms(data: bytes, change: Callable[[cms.ContentInfo], None]) -> bytes:
    """The copy with the officer's signature container changed in place (same length, zero-padded as signed)."""
    sig = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[1]
    container = cms.ContentInfo.load(bytes(sig.pkcs7_content))
    change(container)
    new_hex = container.dump(force=True).hex().encode()
    start, room = sig.byte_range[1] + 1, sig.byte_range[2] - sig.byte_range[1] - 2
    assert len(new_hex) <= room
    return data[:start] + new_hex + b"0" * (room - len(new_hex)) + data[start + room:]


def _drop_signed_attribute(name: str) -> Callable[[cms.ContentInfo], None]:
    def change(container: cms.ContentInfo) -> None:
        info = container["content"]["signer_infos"][0]
        info["signed_attrs"] = cms.CMSAttributes([a for a in info["signed_attrs"] if a["type"].native != name])
    return change


def _no_certificates(container: cms.ContentInfo) -> None:
    container["content"]["certificates"] = cms.CertificateSet([])


def _unknown_algorithm(container: cms.ContentInfo) -> None:
    container["content"]["signer_infos"][0]["signature_algorithm"]["algorithm"] = "1.2.3.4"


def test_a_signature_that_cannot_be_checked_is_said_so_and_the_other_still_judged(copies: LongTermCopies) -> None:
    report = verify(copies, _with_officer_cms(copies.read("lta"), _drop_signed_attribute("message_digest")))
    agency, officer = report.regular
    assert agency.ok and not report.ok
    assert (officer.role, officer.ok, officer.intact, officer.valid, officer.trusted) == ("officer",) + (False,) * 4
    assert (officer.modification, officer.changes_allowed, officer.certified, officer.covers_whole_file) == (
        "other", False, False, False)
    assert (officer.signer, officer.issuer, officer.chain_top) == (OFFICER, ROOT, ROOT)
    assert (officer.algorithm, officer.signed_at, officer.time_source, officer.level, officer.revocation) == (
        "", None, "signer", "", "not_checked")
    assert not officer.trust_judged and len(officer.certificate_sha256) == 64
    assert officer.problems == ("Chữ ký của người số hóa không kiểm tra được: Message digest not found in signature, "
                                "or multiple message digest attributes present.",)


def test_a_signature_carrying_no_certificate_is_reported_not_raised(copies: LongTermCopies) -> None:
    report = verify(copies, _with_officer_cms(copies.read("lta"), _no_certificates))
    officer = report.regular[1]
    assert not report.ok and (officer.signer, officer.issuer, officer.certificate_sha256) == ("", "", "")
    lines = report_vi(report).splitlines()
    assert "  Người ký: không rõ (chữ ký không kèm chứng thư số)" in lines
    assert "  Cơ quan cấp chứng thư: không rõ" in lines
    assert officer.problems[0].startswith("Chữ ký của người số hóa không kiểm tra được: ")
    by_certificate = verify(copies, _with_officer_cms(copies.read("lta"), _no_certificates), roles={})
    stranger = by_certificate.regular[1]  # no certificate to know it by: nobody's, named by its field
    assert stranger.role == "other"
    assert stranger.problems[0].startswith(f"Chữ ký '{stranger.field}' không kiểm tra được: ")


def test_a_signature_value_made_with_another_algorithm_does_not_fit_its_certificate(copies: LongTermCopies) -> None:
    report = verify(copies, _with_officer_cms(copies.read("lta"), _unknown_algorithm))
    officer = report.regular[1]
    assert (officer.ok, officer.intact, officer.valid, officer.trust_judged) == (False, True, False, False)
    assert officer.problems == ("Chữ ký của người số hóa: giá trị chữ ký không khớp với chứng thư số.",)


def test_roles_come_from_the_archived_certificates_not_the_field_names(copies: LongTermCopies) -> None:
    data = copies.read("lta")
    agency_cert, officer_cert = (s.signer_cert for s in PdfFileReader(io.BytesIO(data)).embedded_regular_signatures)
    known = {certificate_sha256(agency_cert): "agency", certificate_sha256(officer_cert): "officer"}
    assert [s.role for s in verify(copies, data, roles=known).regular] == ["agency", "officer"]
    only_agency = {certificate_sha256(agency_cert): "agency"}
    assert [s.role for s in verify(copies, data, roles=only_agency).regular] == ["agency", "other"]
    swapped = {certificate_sha256(agency_cert): "officer", certificate_sha256(officer_cert): "agency"}
    assert [s.role for s in verify(copies, data, roles=swapped).regular] == ["officer", "agency"]


def test_a_responder_that_does_not_answer_is_said_as_such_not_as_an_untrusted_chain(copies: LongTermCopies) -> None:
    """Asked to fetch (the default at a desk) where the certificate's OCSP responder cannot be reached: a B-T copy
    carries no revocation data, so its signatures cannot be judged; the chain is right and the report says so."""
    lta = verify(copies, copies.read("lta"), fetch=True)
    assert lta.ok  # what the file carries holds without the responder
    bt = verify(copies, copies.read("bt"), fetch=True)
    assert not bt.ok
    for s, who in zip(bt.regular, ("của cơ quan", "của người số hóa"), strict=True):
        assert (s.intact, s.valid, s.trusted, s.revocation) == (True, True, False, "not_checked")
        assert s.problems[0] == (f"Chữ ký {who}: không kiểm tra được tình trạng thu hồi của chứng thư số (nơi cấp "
                                 "không trả lời và tệp không kèm dữ liệu kiểm tra chứng thư); chuỗi chứng thư tới "
                                 "chứng thư gốc tin cậy là đúng.")


def _block(s: SignatureReport, heading: str, when: str, *, trusted: str = "có",
           revocation: str = "chưa bị thu hồi (đã kiểm tra)", level: str = "B-LTA (lưu trữ dài hạn)",
           intact: str = "có", locked: str = "có") -> list[str]:
    return [heading, f"  Người ký: {s.signer}", f"  Cơ quan cấp chứng thư: {s.issuer}",
            f"  Chuỗi chứng thư lên tới: {s.chain_top}", f"  Thời điểm ký: {when}",
            f"  Toàn vẹn (nội dung không bị sửa sau khi ký): {intact}",
            f"  Tin cậy (chứng thư số do nơi được tin cậy cấp, còn hiệu lực): {trusted}",
            f"  Tình trạng thu hồi: {revocation}", f"  Mức chữ ký: {level}",
            f"  Khóa tài liệu (không cho sửa sau khi ký): {locked}",
            f"  Dấu vân tay chứng thư (SHA-256): {s.certificate_sha256}"]


def _at(s: SignatureReport) -> str:
    assert s.signed_at is not None
    return vietnam_time(s.signed_at)


def test_the_report_a_clerk_reads_gives_each_signature_and_the_archive_timestamp_its_lines(
        copies: LongTermCopies) -> None:
    report = verify(copies, copies.read("lta"))
    agency, officer = report.regular
    (stamp,) = stamps(report)
    tsa = "máy chủ cấp dấu thời gian"
    assert report_vi(report).splitlines() == [
        "Kết luận: HỢP LỆ",
        *_block(agency, "Chữ ký của cơ quan (1/2): HỢP LỆ", f"{_at(agency)} ({tsa})"),
        *_block(officer, "Chữ ký của người số hóa (2/2): HỢP LỆ", f"{_at(officer)} ({tsa})"),
        f"Dấu thời gian lưu trữ: HỢP LỆ — {_at(stamp)}, cấp bởi sohoa Test TSA 2 — sohoa test PKI"]
    expired = verify(copies, copies.read("lta_short"), later=True)
    lines = report_vi(expired).splitlines()
    (old_stamp,) = stamps(expired)
    assert lines[0] == "Kết luận: KHÔNG HỢP LỆ" and lines[1:6] == [f"  - {p}" for p in said(expired)]
    assert lines[6:17] == _block(expired.regular[0], "Chữ ký của cơ quan (1/2): KHÔNG HỢP LỆ",
                                 f"{_at(expired.regular[0])} ({tsa})", trusted="KHÔNG", revocation="không kiểm tra",
                                 level="B-B (chỉ chữ ký)")
    assert lines[-1] == (f"Dấu thời gian lưu trữ: KHÔNG HỢP LỆ — {_at(old_stamp)}, cấp bởi sohoa Test TSA — sohoa test "
                         "PKI")


def test_the_report_says_who_signed_outside_sohoas_fields_and_what_could_not_be_checked(
        copies: LongTermCopies) -> None:
    stranger = verify(copies, copies.read("expired"))
    (s,) = stranger.regular
    assert report_vi(stranger).splitlines()[2:] == _block(
        s, "Chữ ký số (1/1): KHÔNG HỢP LỆ", f"{_at(s)} (do người ký tự khai, chưa được xác thực)",
        trusted="KHÔNG", revocation="không kiểm tra", level="B-B (chỉ chữ ký)", locked="KHÔNG")
    broken = verify(copies, _with_officer_cms(copies.read("lta"), _drop_signed_attribute("message_digest")))
    officer = broken.regular[1]
    assert report_vi(broken).splitlines()[14:25] == _block(
        officer, "Chữ ký của người số hóa (2/2): KHÔNG HỢP LỆ",
        "không rõ (do người ký tự khai, chưa được xác thực)", intact="KHÔNG",
        trusted="không xét (chữ ký không còn nguyên vẹn)", revocation="không kiểm tra", level="không xác định",
        locked="KHÔNG")


def test_a_chain_carried_without_its_root_names_the_highest_issuer_and_says_it_is_not_in_the_file(
        copies: LongTermCopies) -> None:
    def signer_only(container: cms.ContentInfo) -> None:
        signed = container["content"]
        signer = signed["signer_infos"][0]["sid"].chosen["serial_number"].native
        signed["certificates"] = cms.CertificateSet(
            [c for c in signed["certificates"] if c.chosen.serial_number == signer])

    report = verify(copies, _with_officer_cms(copies.read("lta"), signer_only))
    officer = report.regular[1]
    assert officer.chain_top == f"{ROOT} (không kèm trong tệp)"
    assert officer.signer == OFFICER and officer.intact and officer.valid


def test_a_revoked_certificate_is_said_revoked_with_the_moment_from_the_revocation_data_the_file_carries(
        copies: LongTermCopies) -> None:
    report = verify(copies, copies.read("revoked"))
    (s,) = report.regular
    assert not report.ok and (s.revocation, s.trusted, s.intact, s.valid, s.level) == ("revoked", False, True, True,
                                                                                      "B-B")
    (problem,) = s.problems
    assert re.fullmatch(r"Chữ ký của Chứng thư đã thu hồi — sohoa test PKI \(trường 'Sig'\): chứng thư số đã bị thu "
                        r"hồi từ \d\d/\d\d/\d{4} \d\d:\d\d:\d\d\.", problem), problem
    assert "  Tình trạng thu hồi: ĐÃ BỊ THU HỒI" in report_vi(report).splitlines()


def test_a_copy_presents_itself_as_sohoas_only_by_sohoas_field_names(copies: LongTermCopies) -> None:
    from signing.signature_roles import claims_sohoa_fields

    assert claims_sohoa_fields(copies.read("lta"))
    assert not claims_sohoa_fields(copies.read("expired"))  # signed in a field called "Sig"
    assert not claims_sohoa_fields(b"%PDF-1.7 nothing else")
