"""A reviewer's correction: a new version beside the old one, signed again, indexed, attributed; refused to others."""

import json
from pathlib import Path
from typing import Any

import pytest

from archive.base import SIGNED_PDF
from archive.fixity import check_fixity
from context.services import Services
from domain.actor import Actor
from domain.records import Person
from indexer.base import RecordQuery
from service.corrections import Changes, correct_record
from service.errors import InvalidRequest, NotFound, Refused
from service.verification import verify_copy
from tests.conftest import run_cli

REVIEWER = Actor("reviewer.01", "reviewer", "Lê Văn Rà")



def birth_certificate(services: Services) -> str:
    return next(m.result_code for m in services.archive.manifests() if m.classification.type_id == "khai_sinh")


def test_a_correction_is_a_new_signed_indexed_version_and_the_old_one_stays(services: Services) -> None:
    code = birth_certificate(services)
    before = services.archive.manifest(code)
    assert before is not None
    person = Person(role="registrant", name="NGUYỄN VĂN NGHĨA", personal_number="001215912779")
    after = correct_record(services, REVIEWER, code, Changes(fields={"number": "256/2015"}, persons=[person]),
                           "Số ghi tay đọc sai; đối chiếu sổ đăng ký")
    assert (after.version, after.changed_by, after.fields.number) == (before.version + 1, "reviewer.01", "256/2015")
    assert after.review == [] and after.persons == [person]
    versions = services.archive.versions(before.content_hash)
    assert [v.version for v in versions] == [before.version, after.version]
    assert versions[0].fields.number == before.fields.number  # the earlier version is kept as it was
    signed = services.archive.read(after, SIGNED_PDF)
    report, qr_code = verify_copy(signed, services.settings, services.archive)
    assert report.ok and qr_code == code, report.problems
    assert services.archive.read(versions[0], SIGNED_PDF) != signed
    hits = services.index.find(RecordQuery(number="256/2015"))
    assert [h.result_code for h in hits] == [code] and not hits[0].needs_review
    assert code not in [h.result_code for h in services.index.review_queue(limit=100)]
    write = [json.loads(line) for line in services.audit.lines()][-1]
    assert (write["actor"], write["action"], write["record"]) == ("reviewer.01", "record.write", code)
    assert write["details"]["change"] == "correction" and write["details"]["changed"] == ["number", "persons"]
    assert check_fixity(services.archive).ok


def test_a_corrected_type_changes_the_procedure_the_qr_code_names(services: Services) -> None:
    code = birth_certificate(services)
    after = correct_record(services, REVIEWER, code, Changes(type_id="khai_tu"), "Nhầm loại giấy tờ")
    assert after.classification.type_id == "khai_tu"
    assert after.procedure_code == services.settings.catalogue.get("khai_tu").procedure_code
    report, _ = verify_copy(services.archive.read(after, SIGNED_PDF), services.settings, services.archive)
    assert report.ok, report.problems  # the QR code's procedure matches the corrected record


@pytest.mark.parametrize(("actor", "changes", "reason", "error", "code"), [
    (Actor("clerk.01", "clerk"), Changes(fields={"number": "1"}), "x", Refused, "role_not_allowed"),
    (Actor("c", "citizen", personal_number="001215912779"), Changes(fields={"number": "1"}), "x", Refused,
     "role_not_allowed"),
    (REVIEWER, Changes(fields={"number": "1"}), "  ", InvalidRequest, "reason_required"),
    (REVIEWER, Changes(fields={"colour": "1"}), "x", InvalidRequest, "unknown_field"),
    (REVIEWER, Changes(type_id="giay_phep_lai_xe"), "x", InvalidRequest, "unknown_type"),
    (REVIEWER, Changes(), "x", InvalidRequest, "nothing_to_change"),
])
def test_a_correction_is_refused_to_others_and_without_a_reason(services: Services, actor: Actor, changes: Changes,
                                                                reason: str, error: type, code: str) -> None:
    target = birth_certificate(services)
    lines = len(list(services.audit.lines()))
    with pytest.raises(error) as refused:
        correct_record(services, actor, target, changes, reason)
    assert refused.value.code == code
    assert len(list(services.audit.lines())) == lines
    manifest = services.archive.manifest(target)
    assert manifest is not None and manifest.version == 1


def test_an_unknown_record_is_not_found(services: Services) -> None:
    with pytest.raises(NotFound):
        correct_record(services, REVIEWER, "000.00.00.H49-261203-9999-KQ1", Changes(fields={"number": "1"}), "x")


def test_the_command_line_corrects_a_record(services: Services) -> None:
    code = birth_certificate(services)
    status, out = run_cli("correct", code, "--data-dir", services.settings.data_dir, "--actor", "reviewer.02",
                          "--reason", "Ngày cấp đọc sai", "--issue-date", "12/07/2015", "--person",
                          "role=registrant;name=NGUYỄN VĂN NGHĨA;dob=29/05/2015;personal_number=001215912779",
                          "--json")
    assert status == 0, out
    manifest = json.loads(out)
    assert manifest["version"] == 2 and manifest["fields"]["issue_date"] == "2015-07-12"
    assert manifest["persons"][0]["dob"] == "2015-05-29" and manifest["changed_by"] == "reviewer.02"


def test_a_reviewer_without_a_signing_key_is_told_so_and_nothing_is_written(services: Services,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from signing.settings import SigningSettings, SigningSettingsError

    def no_officer(self: SigningSettings, login: str, name: str = "") -> None:
        raise SigningSettingsError(f"no digitising officer is configured for operator {login!r}")

    code = birth_certificate(services)
    monkeypatch.setattr(SigningSettings, "officer", no_officer)  # a production key set-up without this login
    lines = len(list(services.audit.lines()))
    with pytest.raises(InvalidRequest) as refused:
        correct_record(services, REVIEWER, code, Changes(fields={"number": "1"}), "Đối chiếu bản giấy")
    assert refused.value.code == "no_officer_key" and "signing.officers.reviewer.01" in refused.value.message
    manifest = services.archive.manifest(code)
    assert manifest is not None and manifest.version == 1 and len(list(services.audit.lines())) == lines


def test_a_b_lta_record_is_corrected_into_a_version_that_verifies_at_b_lta(
        pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The level the regulation recommends: its document timestamp is sohoa's own, not a foreign signature."""
    from context.services import open_services
    from context.settings import load_settings
    from tests.signing.conftest import ingest_one, pki_settings

    data = tmp_path / "data"
    pki_settings(data, pki, monkeypatch, level="B-LTA", tsa="tsa2")
    code = ingest_one(data, "khai_sinh_01.png", tmp_path)
    services = open_services(load_settings(data))
    first = services.archive.manifest(code)
    assert first is not None and first.signature is not None and first.signature.level == "B-LTA"
    status, out = run_cli("correct", code, "--data-dir", data, "--actor", "reviewer.02", "--reason",
                          "Ngày cấp đọc sai", "--issue-date", "12/07/2015", "--json")
    assert status == 0, out
    after = services.archive.manifest(code)
    assert after is not None and after.version == 2 and after.signature is not None
    assert after.signature.level == "B-LTA"
    report, qr_code = verify_copy(services.archive.read(after, SIGNED_PDF), services.settings, services.archive)
    assert report.ok and qr_code == code, report.problems
    assert [s.level for s in report.regular] == ["B-LTA", "B-LTA"]  # the old signatures are not carried over
