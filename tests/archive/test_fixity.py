"""Fixity on every object store: one changed byte, one lost file, one stray file are each reported exactly."""

from __future__ import annotations

import io
import os
import random

import pytest

from archive.base import RecordArchive
from archive.filesystem import FilesystemObjects
from archive.fixity import check_fixity
from tests.archive.conftest import backend_of
from tests.archive.records import files, manifest_for


def fill(archive: RecordArchive, n: int = 4) -> list:  # type: ignore[type-arg]
    manifests = []
    for i in range(n):
        data = files(f"scan-{i}".encode())
        manifest = manifest_for(data, f"000.00.00.H49-261122-{i + 1:04d}-KQ1")
        archive.store(manifest, data)
        manifests.append(manifest)
    return manifests


def tamper(archive: RecordArchive, key: str, request: pytest.FixtureRequest) -> None:
    """Flip one byte of a stored object behind the archive's back."""
    objects = archive.objects
    if backend_of(request) == "filesystem":
        assert isinstance(objects, FilesystemObjects)
        path = objects.path(key)
        path.chmod(0o644)
        data = bytearray(path.read_bytes())
        data[0] ^= 0x01
        path.write_bytes(bytes(data))
    else:  # a new S3 version written straight through the SDK: the backdoor a rogue administrator would use
        data = bytearray(objects.get(key))
        data[0] ^= 0x01
        objects.client.put_object(objects.bucket, key, io.BytesIO(bytes(data)), len(data))  # type: ignore[attr-defined]


def test_an_untouched_archive_passes(archive: RecordArchive) -> None:
    fill(archive)
    report = check_fixity(archive)
    assert report.ok and report.records == 4 and report.objects == 12 + 4  # the files, and the result-code pointers
    assert report.bytes == sum(sum(e.size for e in m.files.values()) + 64 for m in archive.manifests())


def test_one_flipped_byte_is_reported_for_exactly_that_record(archive: RecordArchive,
                                                             request: pytest.FixtureRequest) -> None:
    manifests = fill(archive)
    victim = manifests[2]
    key = f"records/{victim.content_hash}/v1/signed.pdf"
    tamper(archive, key, request)
    report = check_fixity(archive)
    assert [(f.result_code, f.key, f.problem) for f in report.findings] == [(victim.result_code, key, "changed")]


def test_missing_and_unexpected_objects_are_reported(archive: RecordArchive, request: pytest.FixtureRequest) -> None:
    manifests = fill(archive, 2)
    lost = f"records/{manifests[0].content_hash}/v1/ocr.txt"
    stray = f"records/{manifests[1].content_hash}/v1/extra.bin"
    if backend_of(request) == "filesystem":
        path = archive.objects.path(lost)  # type: ignore[attr-defined]
        os.remove(path)
    else:
        client, bucket = archive.objects.client, archive.objects.bucket  # type: ignore[attr-defined]
        client.remove_object(bucket, lost)  # an unversioned delete: leaves a delete marker, as S3 does
    archive.objects.put(stray, b"?", {})
    found = {(f.key, f.problem) for f in check_fixity(archive).findings}
    expected = {(lost, "missing"), (stray, "unexpected")}
    if backend_of(request) == "filesystem":  # the lost file's metadata stayed behind: a file of nothing
        sidecar = archive.objects.path(lost).with_name(".ocr.txt.meta")  # type: ignore[attr-defined]
        expected.add((str(sidecar.relative_to(archive.objects.root)), "unexpected"))  # type: ignore[attr-defined]
    assert found == expected


def test_a_sample_checks_only_that_many_records(archive: RecordArchive) -> None:
    fill(archive)
    report = check_fixity(archive, sample=2, rng=random.Random(1))
    assert report.records == 2 and report.objects == 6


def test_capture_links_pass_and_a_pointer_or_link_leading_nowhere_is_dangling(archive: RecordArchive) -> None:
    from datetime import datetime

    first, second = fill(archive, 2)
    rescan, lost = "ab" * 32, "cd" * 32
    archive.link_capture(rescan, first, "ảnh các trang giống nhau", datetime(2026, 12, 3))
    assert check_fixity(archive).ok  # a link and its pointer, kept with the record

    archive.objects.put(f"captures/by-capture/{lost}", second.content_hash.encode("ascii"), {}, None, "text/plain")
    archive.objects.put(f"captures/{'ef' * 32}/{lost}", b"{}", {}, None, "application/json")
    report = check_fixity(archive)

    assert sorted((f.key, f.problem) for f in report.findings) == [
        (f"captures/by-capture/{lost}", "dangling"), (f"captures/{'ef' * 32}/{lost}", "dangling")]


def test_pointers_links_and_objects_outside_records_are_each_accounted_for(tmp_path: os.PathLike[str]) -> None:
    """What lies beside the records: a pointer to the wrong record, a capture pointer with no link, a link to no
    record, a changed reservation, a key nothing explains, and a file that is no object."""
    from pathlib import Path

    objects = FilesystemObjects(Path(tmp_path) / "archive")
    archive = RecordArchive(objects)
    first, second = fill(archive, 2)
    capture = "c" * 64
    objects.put(f"results/{first.result_code}-X", second.content_hash.encode("ascii"), {"role": "pointer"})
    objects.put(f"captures/by-capture/{capture}", first.content_hash.encode("ascii"), {"role": "capture-link"})
    objects.put(f"captures/{'d' * 64}/{'e' * 64}", b"{}", {"role": "capture-link"})
    objects.put("dossiers/000.00.00.H49-261122/9999", b"x" * 64, {"record": "x"})
    objects.put("junk/left-behind", b"?", {"role": "none"})
    objects.put(f"records/{first.content_hash[:10]}/oops", b"?", {"role": "none"})
    (Path(tmp_path) / "archive" / "stray.txt").write_text("not an object")
    path = objects.path("dossiers/000.00.00.H49-261122/9999")
    path.chmod(0o644)
    path.write_bytes(b"y" * 64)
    report = check_fixity(archive)
    found = sorted((f.key, f.problem, f.detail) for f in report.findings)
    assert found == sorted([
        (f"results/{first.result_code}-X", "dangling", "mã kết quả không trỏ tới hồ sơ mang mã đó"),
        (f"captures/by-capture/{capture}", "dangling", "bản chụp trỏ tới một liên kết không có"),
        (f"captures/{'d' * 64}/{'e' * 64}", "dangling", "liên kết bản chụp tới một hồ sơ không có"),
        ("dossiers/000.00.00.H49-261122/9999", "changed", "không khớp mã băm lưu khi ghi"),
        ("junk/left-behind", "unexpected", ""),
        (f"records/{first.content_hash[:10]}/oops", "unexpected", ""),
        ("stray.txt", "unexpected", ""),  # a file put there by hand reads as a key nothing explains
    ])
    assert not report.ok and len(report.of("dangling")) == 3 and report.of("missing") == []


def test_a_damaged_manifest_is_named_with_its_record_and_why_and_its_files_are_not_strays(
        archive: RecordArchive, request: pytest.FixtureRequest) -> None:
    """A manifest whose bytes changed cannot vouch for its files: fixity names the record it was written for (from
    the object's own metadata, else from the result code pointing at it), says why, checks the other records, and
    does not call that version's files strays."""
    manifests = fill(archive, 3)
    victim = manifests[1]
    key = f"records/{victim.content_hash}/v1/manifest.json"
    tamper(archive, key, request)
    report = check_fixity(archive)
    # named by the object's metadata, or (S3: a version written through the SDK keeps none) by its pointer
    assert [(f.result_code, f.key, f.problem, f.detail) for f in report.findings] == [
        (victim.result_code, key, "damaged", "không khớp mã băm lưu khi ghi (đã bị sửa)")]
    assert not report.ok and report.records == 3
    assert report.objects == 2 * 3 + 3  # the intact records' files and every pointer; none of the damaged one's files


def test_a_record_folder_without_any_manifest_is_incomplete(archive: RecordArchive) -> None:
    """What a write cut off before its manifest leaves behind: its files, each reported, under no result code."""
    (whole,) = fill(archive, 1)
    orphan = "f" * 64
    archive.objects.put(f"records/{orphan}/v1/signed.pdf", b"%PDF-", {})
    archive.objects.put(f"records/{orphan}/v1/ocr.txt", b"text", {})
    report = check_fixity(archive)
    assert [(f.result_code, f.key, f.problem) for f in report.findings] == [
        (None, f"records/{orphan}/v1/ocr.txt", "incomplete"), (None, f"records/{orphan}/v1/signed.pdf", "incomplete")]
    assert report.records == 2 and report.objects == 3 + 1  # the whole record's files and pointer
    assert whole.result_code not in {f.result_code for f in report.findings}


def test_a_lost_file_or_pointer_is_named_with_its_records_code(tmp_path: os.PathLike[str]) -> None:
    from pathlib import Path

    objects = FilesystemObjects(Path(tmp_path) / "archive")
    archive = RecordArchive(objects)
    first, second = fill(archive, 2)
    for key in (f"records/{first.content_hash}/v1/ocr.txt", f"results/{second.result_code}"):
        path = objects.path(key)
        path.chmod(0o644)
        path.unlink()
        path.with_name(f".{path.name}.meta").unlink(missing_ok=True)
    report = check_fixity(archive)
    assert sorted((f.result_code, f.key, f.problem) for f in report.findings) == sorted([
        (first.result_code, f"records/{first.content_hash}/v1/ocr.txt", "missing"),
        (second.result_code, f"results/{second.result_code}", "missing")])
    assert report.seconds >= 0 and report.records == 2


def test_only_a_run_over_every_record_looks_beyond_them(archive: RecordArchive) -> None:
    """A sample or a chosen few check those records; strays and dangling pointers are a whole run's to find."""
    manifests = fill(archive, 3)
    archive.objects.put("junk/left-behind", b"?", {"role": "none"})
    assert [f.key for f in check_fixity(archive, sample=3).findings] == ["junk/left-behind"]  # all three: whole
    assert check_fixity(archive, sample=2, rng=random.Random(2)).findings == []
    chosen = check_fixity(archive, hashes=[manifests[0].content_hash])
    assert chosen.records == 1 and chosen.findings == []


def test_a_pointer_to_another_record_is_named_by_the_code_it_claims(tmp_path: os.PathLike[str]) -> None:
    from pathlib import Path

    objects = FilesystemObjects(Path(tmp_path) / "archive")
    archive = RecordArchive(objects)
    first, second = fill(archive, 2)
    objects.put(f"results/{first.result_code}-X", second.content_hash.encode("ascii"), {"role": "pointer"})
    objects.put(f"results/{first.result_code}-Y", b"\xff\xfe garbage", {"role": "pointer"})  # not even ASCII
    objects.put(f"captures/by-capture/{'c' * 64}", b"\xff\xfe", {"role": "capture-link"})
    found = sorted((f.key, f.result_code, f.problem) for f in check_fixity(archive).findings)
    assert found == [(f"captures/by-capture/{'c' * 64}", None, "dangling"),
                     (f"results/{first.result_code}-X", f"{first.result_code}-X", "dangling"),
                     (f"results/{first.result_code}-Y", f"{first.result_code}-Y", "dangling")]
