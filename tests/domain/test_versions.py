"""Every new version of a record says who made it and why, and a person's correction stays known as one through
the versions after it (signature upkeep, a longer retention), so a later capture of the same paper keeps it."""

import json

from domain.records import Manifest
from tests.archive.records import files, manifest_for


def _reloaded(manifest: Manifest) -> Manifest:
    return Manifest.model_validate_json(manifest.to_json())  # as the archive hands it back


def test_an_upkeep_version_after_a_correction_names_who_upgraded_it_not_the_reviewer() -> None:
    first = _reloaded(manifest_for(files()))
    corrected = _reloaded(first.next_version(by="ra.soat", reason="Đối chiếu bản giấy", corrected_by="ra.soat"))
    upgraded = _reloaded(corrected.next_version(by="system:signatures", reason="Nâng cấp chữ ký lên B-LTA"))
    assert (upgraded.version, upgraded.changed_by, upgraded.change_reason) == (
        3, "system:signatures", "Nâng cấp chữ ký lên B-LTA")
    assert upgraded.corrected_by == "ra.soat" and upgraded.fields_corrected


def test_a_longer_retention_is_no_correction() -> None:
    first = _reloaded(manifest_for(files()))
    kept = _reloaded(first.next_version(by="luu.tru", reason="Vụ việc đang giải quyết"))
    assert kept.changed_by == "luu.tru" and not kept.fields_corrected


def test_a_correction_written_before_corrected_by_existed_is_carried_as_one() -> None:
    old = json.loads(manifest_for(files(), version=2).to_json())
    old.pop("corrected_by")
    old |= {"changed_by": "ra.soat", "change_reason": "Đối chiếu bản giấy"}
    legacy = Manifest.model_validate(old)
    assert legacy.fields_corrected
    upgraded = _reloaded(legacy.next_version(by="system:signatures", reason="Gia hạn dấu thời gian"))
    assert (upgraded.changed_by, upgraded.corrected_by, upgraded.fields_corrected) == (
        "system:signatures", "ra.soat", True)


def test_a_legacy_version_nobody_corrected_carries_no_corrector_forward() -> None:
    old = json.loads(manifest_for(files(), version=1).to_json())
    old.pop("corrected_by")
    legacy = Manifest.model_validate(old)
    later = _reloaded(legacy.next_version(by="system:signatures", reason="Gia hạn dấu thời gian"))
    assert (later.corrected_by, later.fields_corrected) == ("", False)
    kept = _reloaded(_reloaded(manifest_for(files())).next_version(by="luu.tru", reason="Vụ việc"))
    assert kept.corrected_by == ""  # the field is written, empty, on every version made now


def test_a_manifest_is_stored_as_indented_json_under_its_schema_name() -> None:
    text = manifest_for(files()).to_json()
    assert text.endswith("}\n") and text.startswith('{\n  "schema": ')
    assert '"schema_id"' not in text and json.loads(text)["schema"] == manifest_for(files()).schema_id
