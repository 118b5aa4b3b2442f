"""One contract, every object store: the embedded filesystem store, the MinIO backend against a real S3 server with
Object Lock (SeaweedFS), and a live MinIO."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta

import pytest

from archive.base import MANIFEST, OCR_TEXT, ORIGINAL, SIGNED_PDF, AlreadyArchived, ArchiveError, RecordArchive
from archive.objects import COMPLIANCE, GOVERNANCE, Lock, ObjectExists, ObjectStore, RetentionViolation
from domain.messages import vietnamese
from tests.archive.conftest import backend_of
from tests.archive.records import files, manifest_for

CODE = "000.00.00.H49-261122-0001-KQ1"


def stored(archive: RecordArchive, seed: bytes = b"scan", code: str = CODE, **kw: object) -> tuple:  # type: ignore[type-arg]
    data = files(seed)
    manifest = manifest_for(data, code, **kw)  # type: ignore[arg-type]
    archive.store(manifest, data)
    return manifest, data


def soon(seconds: float = 2.0) -> Lock:
    return Lock(COMPLIANCE, datetime.now(UTC) + timedelta(seconds=seconds))


def test_a_record_is_stored_whole_and_read_back_by_hash_and_result_code(archive: RecordArchive) -> None:
    manifest, data = stored(archive)
    assert archive.find(manifest.content_hash) == manifest
    assert archive.manifest(CODE) == manifest
    assert [m.result_code for m in archive.manifests()] == [CODE]
    for role in (ORIGINAL, SIGNED_PDF, OCR_TEXT):
        assert archive.read(manifest, role) == data[role]
    info = archive.objects.stat(f"records/{manifest.content_hash}/v1/signed.pdf")
    assert info is not None
    assert info.metadata["result-code"] == CODE and info.metadata["document-type"] == "khai_sinh"
    assert info.sha256 == manifest.files[SIGNED_PDF].sha256
    assert info.lock is not None and info.lock.mode == COMPLIANCE and info.lock.permanent


def test_the_same_original_is_never_stored_twice(archive: RecordArchive) -> None:
    _, data = stored(archive)
    with pytest.raises(AlreadyArchived):
        archive.store(manifest_for(data, "000.00.00.H49-261122-0002-KQ1"), data)
    assert len(list(archive.manifests())) == 1


def test_content_not_matching_its_manifest_is_refused_and_nothing_is_visible(archive: RecordArchive) -> None:
    data = files()
    manifest = manifest_for(data)
    with pytest.raises(ArchiveError):
        archive.store(manifest, {**data, SIGNED_PDF: b"something else"})
    assert archive.find(manifest.content_hash) is None
    assert archive.record_keys(manifest.content_hash) == []


def test_objects_are_written_once(objects: ObjectStore) -> None:
    objects.put("results/X-KQ1", b"a" * 64, {"role": "test"})
    objects.put("results/X-KQ1", b"a" * 64, {"role": "test"})  # the same bytes again: a harmless re-run
    with pytest.raises(ObjectExists):
        objects.put("results/X-KQ1", b"b" * 64, {"role": "test"})
    assert objects.get("results/X-KQ1") == b"a" * 64
    with pytest.raises(KeyError):
        objects.get("results/none")
    assert objects.stat("results/none") is None


def test_an_object_is_copied_inside_the_store_under_the_same_write_once_rule(objects: ObjectStore) -> None:
    objects.put("results/X-KQ1", b"a" * 64, {"role": "test"}, None, "text/plain")
    objects.copy("results/X-KQ1", "results/X-KQ2", {"role": "copy"}, soon(60), "text/plain")
    objects.copy("results/X-KQ1", "results/X-KQ2", {"role": "copy"}, soon(60), "text/plain")  # a re-run: no-op
    assert objects.get("results/X-KQ2") == b"a" * 64
    info = objects.stat("results/X-KQ2")
    assert info is not None and info.sha256 == objects.stat("results/X-KQ1").sha256  # type: ignore[union-attr]
    assert info.metadata["role"] == "copy" and info.lock is not None and info.lock.mode == COMPLIANCE
    objects.put("results/X-KQ3", b"b" * 64, {"role": "test"})
    with pytest.raises(ObjectExists):
        objects.copy("results/X-KQ1", "results/X-KQ3", {"role": "copy"})  # never over other bytes
    assert objects.get("results/X-KQ3") == b"b" * 64
    with pytest.raises(KeyError):
        objects.copy("results/none", "results/X-KQ4", {"role": "copy"})


class NoReads:
    """An object store that hands out manifests only: the files a version writes come from the caller or a copy."""

    def __init__(self, inner: ObjectStore) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def get(self, key: str) -> bytes:
        if key.endswith("/" + MANIFEST):
            return self.inner.get(key)  # the version before says what it holds
        raise AssertionError(f"{key} was read back to be written again")


def test_a_next_version_copies_its_unchanged_files_inside_the_store_and_says_who_made_it(
        objects: ObjectStore) -> None:
    v1, data = stored(RecordArchive(objects))
    archive = RecordArchive(NoReads(objects))  # type: ignore[arg-type]
    text = data[OCR_TEXT] + " (đã sửa)".encode()
    v2 = archive.next_version(v1, by="reviewer-1", reason="Sửa số giấy tờ", files={OCR_TEXT: text},
                              fields=v1.fields.model_copy(update={"number": "12/2017"}))
    assert (v2.version, v2.changed_by, v2.change_reason, v2.fields.number) == (2, "reviewer-1", "Sửa số giấy tờ",
                                                                               "12/2017")
    v3 = archive.next_version(v2, by="archivist-1", reason="Gia hạn lưu trữ")  # no file changes at all
    assert v3.changed_by == "archivist-1" and v3.files == v2.files
    back = RecordArchive(objects)
    assert back.manifest(CODE) == v3
    assert back.read(v3, OCR_TEXT) == text and back.read(v3, ORIGINAL) == data[ORIGINAL]
    assert back.read(v3, SIGNED_PDF) == data[SIGNED_PDF] and back.read(v1, OCR_TEXT) == data[OCR_TEXT]
    for role in v3.files:  # each version's objects are its own, locked as that version is
        assert objects.stat(RecordArchive.version_prefix(v3.content_hash, 3) + v3.files[role].name) is not None


def test_a_next_version_missing_a_changed_file_is_refused(archive: RecordArchive) -> None:
    v1, _ = stored(archive)
    changed = v1.next_version(by="x", reason="y", files={**v1.files, OCR_TEXT: v1.files[ORIGINAL]})
    with pytest.raises(ArchiveError):
        archive.store(changed, {})  # the text's entry changed but no bytes came: not copied, refused
    assert archive.manifest(CODE) == v1


class CrashBeforeManifest(Exception):
    pass


class CrashingStore:
    """An object store that dies just before a manifest is written, as a killed worker would."""

    def __init__(self, inner: ObjectStore) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def put(self, key: str, *args: object, **kw: object) -> None:
        if key.endswith("/" + MANIFEST):
            raise CrashBeforeManifest(key)
        self.inner.put(key, *args, **kw)  # type: ignore[arg-type]


def test_a_record_interrupted_before_its_manifest_is_invisible_and_a_rerun_completes_it(
        archive: RecordArchive, request: pytest.FixtureRequest) -> None:
    data = files()
    manifest = manifest_for(data)
    with pytest.raises(CrashBeforeManifest):
        RecordArchive(CrashingStore(archive.objects)).store(manifest, data)  # type: ignore[arg-type]
    assert archive.find(manifest.content_hash) is None
    assert archive.manifest(CODE) is None  # the result code already points at it, but it does not exist yet
    assert list(archive.manifests()) == []
    assert list(archive.incomplete()) == [manifest.content_hash]
    partial = archive.partial(manifest.content_hash)
    assert partial is not None and partial.result_code == CODE and partial.files == data

    archive.store(manifest, data)  # the re-run
    assert archive.manifest(CODE) == manifest
    assert list(archive.incomplete()) == []
    keys = archive.record_keys(manifest.content_hash)
    assert sorted(k.rsplit("/", 1)[1] for k in keys) == ["manifest.json", "ocr.txt", "original.png", "signed.pdf"]
    if backend_of(request) != "filesystem":  # no second S3 version of any object either
        client, bucket = archive.objects.client, archive.objects.bucket  # type: ignore[attr-defined]
        versions = [o.object_name for o in client.list_objects(bucket, prefix="records/", include_version=True,
                                                               recursive=True)]
        assert sorted(versions) == sorted(keys)


def test_retention_refuses_early_deletion(archive: RecordArchive) -> None:
    manifest, data = stored(archive)
    with pytest.raises(RetentionViolation) as refused:
        archive.dispose(manifest)
    assert "còn trong thời hạn lưu trữ (vĩnh viễn)" in vietnamese(refused.value)  # what the archivist reads
    for key in archive.record_keys(manifest.content_hash):
        with pytest.raises(RetentionViolation):
            archive.objects.delete(key)
    assert archive.read(manifest, ORIGINAL) == data[ORIGINAL]


def test_a_record_past_its_retention_can_be_disposed_of(archive: RecordArchive) -> None:
    data = files()
    manifest = manifest_for(data, retain_until=date.today())
    lock = soon(3)  # long enough for every object to be written before it passes (a retention in the past is refused)
    archive.store(manifest, data, lock=lock)
    with pytest.raises(RetentionViolation):
        archive.dispose(manifest)
    time.sleep(max(0.0, (lock.retain_until - datetime.now(UTC)).total_seconds()) + 0.2)
    assert archive.dispose(manifest) == 5  # four objects and the result-code pointer
    assert archive.find(manifest.content_hash) is None
    assert archive.manifest(CODE) is None
    assert archive.record_keys(manifest.content_hash) == []


def test_a_legal_hold_blocks_deletion_until_lifted(archive: RecordArchive) -> None:
    data = files()
    manifest = manifest_for(data, retain_until=date.today())
    lock = soon(3)  # long enough for every object to be written before it passes (a retention in the past is refused)
    archive.store(manifest, data, lock=lock)
    archive.set_legal_hold(manifest, True)
    assert archive.lock_state(manifest).legal_hold
    time.sleep(max(0.0, (lock.retain_until - datetime.now(UTC)).total_seconds()) + 0.2)  # retention over, hold not
    with pytest.raises(RetentionViolation) as refused:
        archive.dispose(manifest)
    assert vietnamese(refused.value).endswith("đang bị phong tỏa: không thể tiêu hủy.")
    with pytest.raises(RetentionViolation):
        archive.objects.delete(f"records/{manifest.content_hash}/v1/signed.pdf")
    archive.set_legal_hold(manifest, False)
    assert not archive.lock_state(manifest).legal_hold
    archive.dispose(manifest)
    assert archive.find(manifest.content_hash) is None


def test_retention_can_be_extended_but_never_shortened_or_downgraded(archive: RecordArchive) -> None:
    data = files()
    manifest = manifest_for(data, retain_until=date(2040, 12, 31), mode="GOVERNANCE")
    archive.store(manifest, data)
    later = Lock(GOVERNANCE, datetime(2050, 12, 31, 23, 59, 59, tzinfo=UTC))
    archive.extend_retention(manifest, later)
    state = archive.lock_state(manifest)
    assert state.lock is not None and state.lock.retain_until == later.retain_until
    with pytest.raises(RetentionViolation, match="shortened"):
        archive.extend_retention(manifest, Lock(GOVERNANCE, datetime(2045, 1, 1, tzinfo=UTC)))
    archive.extend_retention(manifest, Lock(COMPLIANCE, later.retain_until))  # GOVERNANCE -> COMPLIANCE is allowed
    with pytest.raises(RetentionViolation, match="downgraded"):
        archive.extend_retention(manifest, Lock(GOVERNANCE, datetime(2060, 1, 1, tzinfo=UTC)))
    state = archive.lock_state(manifest)
    assert state.lock is not None and state.lock.mode == COMPLIANCE


def test_the_server_itself_refuses_to_shorten_compliance_retention(archive: RecordArchive,
                                                                   request: pytest.FixtureRequest) -> None:
    if backend_of(request) == "filesystem":
        pytest.skip("the filesystem store has no server behind it: its own check is tested above")
    from minio.commonconfig import COMPLIANCE as MC
    from minio.error import S3Error
    from minio.retention import Retention

    manifest, _ = stored(archive)
    key = f"records/{manifest.content_hash}/v1/signed.pdf"
    objects = archive.objects
    version = objects.stat(key).version_id  # type: ignore[union-attr]
    with pytest.raises(S3Error) as refused:  # around our own check, straight to the server, the version named
        objects.client.set_object_retention(  # type: ignore[attr-defined]
            objects.bucket, key, Retention(MC, datetime.now(UTC) + timedelta(days=1)),  # type: ignore[attr-defined]
            version_id=version)
    assert refused.value.code == "AccessDenied"
    with pytest.raises(S3Error):  # nor may the version locked be deleted, by name
        objects.client.remove_object(objects.bucket, key, version_id=version)  # type: ignore[attr-defined]


def test_a_corrected_record_is_a_new_version_and_the_old_one_stays(archive: RecordArchive) -> None:
    v1, data = stored(archive)
    corrected = data | {OCR_TEXT: data[OCR_TEXT] + " (đã sửa)".encode()}
    v2 = manifest_for(corrected, version=2, number="12/2017").model_copy(
        update={"change_reason": "Sửa số giấy tờ theo bản gốc"})
    with pytest.raises(ArchiveError):
        archive.store(manifest_for(corrected, version=3), corrected)  # version 2 must come first
    archive.store(v2, corrected)
    assert archive.find(v1.content_hash) == v2
    assert archive.manifest(CODE) == v2
    assert [m.version for m in archive.versions(v1.content_hash)] == [1, 2]
    assert archive.read(v1, OCR_TEXT) == data[OCR_TEXT]  # the first version is still there, unchanged
    assert archive.read(v2, OCR_TEXT) == corrected[OCR_TEXT]
    assert [m.version for m in archive.manifests()] == [2]
    with pytest.raises(ArchiveError):
        archive.store(v2, corrected)  # a version is written once


def test_a_download_link_fetches_the_exact_bytes_over_http(archive: RecordArchive) -> None:
    manifest, data = stored(archive)
    url = archive.download_url(manifest, SIGNED_PDF, seconds=900)
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == data[SIGNED_PDF]


def test_an_expired_or_altered_download_link_is_refused(archive: RecordArchive, request: pytest.FixtureRequest) -> None:
    manifest, _ = stored(archive)
    expired = archive.download_url(manifest, SIGNED_PDF, seconds=1)
    altered = archive.download_url(manifest, SIGNED_PDF, seconds=900).replace("signed.pdf", "original.png")
    time.sleep(2.1)
    for url in (expired, altered):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(url, timeout=10)
        assert e.value.code == 403


def test_concurrent_workers_get_distinct_dossier_numbers(archive: RecordArchive) -> None:
    got: list[int] = []
    mutex = threading.Lock()

    def worker(n: int) -> None:
        for i in range(6):
            prefix, seq = archive.reserve_sequence("000.00.00.H49-261122", f"{n:032x}{i:032x}")
            assert prefix == "000.00.00.H49-261122"
            with mutex:
                got.append(seq)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 25))
    assert archive.reserve_sequence("000.00.00.H49-261123", "f" * 64) == ("000.00.00.H49-261123", 1)  # a new day


def test_a_record_keeps_one_dossier_number_across_retries_and_concurrent_workers(archive: RecordArchive) -> None:
    """Repeated and concurrent work on the same original burns no number: every try gets the first one's."""
    got: list[tuple[str, int]] = []
    mutex = threading.Lock()

    def worker() -> None:
        for h in ("a" * 64, "b" * 64, "c" * 64):
            claim = archive.reserve_sequence("000.00.00.H49-261122", h)
            with mutex:
                got.append(claim)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 12 and len(set(got)) == 3  # three records, three numbers, whoever asked
    assert sorted(n for _, n in set(got)) == [1, 2, 3]
    first = got[0] if got[0] == archive.dossier_claim("a" * 64) else archive.dossier_claim("a" * 64)
    assert first in set(got)
    assert archive.reserve_sequence("000.00.00.H49-261123", "a" * 64) == first  # a rerun the next day: the same
    numbers = archive.dossier_numbers()
    assert numbers.reserved == 3 and numbers.double == [] and len(numbers.unfinished) == 3 and numbers.unused == []
