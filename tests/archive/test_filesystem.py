import hashlib
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from archive.base import OCR_TEXT, ORIGINAL, SIGNED_PDF, AlreadyArchived, ArchiveError
from archive.filesystem import FilesystemArchive
from pipeline.records import (
    Classification,
    DocumentFields,
    FileEntry,
    Manifest,
    Person,
    Retention,
    SignatureInfo,
)


def manifest_for(files: dict[str, bytes], code: str = "000.00.00.H49-261122-0001-KQ1") -> Manifest:
    names = {ORIGINAL: "original.png", SIGNED_PDF: "signed.pdf", OCR_TEXT: "ocr.txt"}
    return Manifest(
        result_code=code, dossier_code=code.rsplit("-", 1)[0], content_hash=hashlib.sha256(files[ORIGINAL]).hexdigest(),
        source_name="scan.png",
        classification=Classification(type_id="khai_sinh", type_name="Giấy khai sinh", confidence=1.0,
                                      needs_review=False),
        fields=DocumentFields(number="12", issue_date=date(2017, 2, 8)),
        persons=[Person(role="registrant", name="NGUYỄN VĂN A", personal_number="064217000001")],
        retention=Retention(class_id="ho_tich", label="Vĩnh viễn", years=0, retain_until=None),
        files={role: FileEntry(name=names[role], sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                               media_type="x") for role, data in files.items()},
        pages=[], pdf_profile="PDF/A-2b",
        signature=SignatureInfo(signer="s", certificate_sha256="0" * 64, issuer="i", signed_at=datetime.now(UTC),
                                algorithm="sha256/ecdsa", development_identity=True),
        tools={}, ingested_at=datetime.now(UTC))


def files(seed: bytes = b"scan") -> dict[str, bytes]:
    return {ORIGINAL: seed * 100, SIGNED_PDF: b"%PDF-" + seed, OCR_TEXT: "GIẤY KHAI SINH".encode()}


def test_a_record_is_stored_whole_and_found_by_hash_and_result_code(tmp_path: Path) -> None:
    archive = FilesystemArchive(tmp_path)
    data = files()
    manifest = manifest_for(data)
    location = archive.store(manifest, data)
    assert Path(location).is_dir()
    assert archive.find(manifest.content_hash) == manifest
    assert archive.manifest(manifest.result_code) == manifest
    assert archive.read(manifest, OCR_TEXT) == data[OCR_TEXT]
    assert [m.result_code for m in archive.manifests()] == [manifest.result_code]
    assert not any((tmp_path / ".staging").iterdir())
    assert all(not (p.stat().st_mode & 0o222) for p in Path(location).iterdir())  # read-only


def test_the_same_original_is_never_stored_twice(tmp_path: Path) -> None:
    archive = FilesystemArchive(tmp_path)
    data = files()
    archive.store(manifest_for(data), data)
    with pytest.raises(AlreadyArchived):
        archive.store(manifest_for(data, "000.00.00.H49-261122-0002-KQ1"), data)
    assert len(list(archive.manifests())) == 1
    assert archive.manifest("000.00.00.H49-261122-0002-KQ1") is None


def test_content_not_matching_the_manifest_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    archive = FilesystemArchive(tmp_path)
    data = files()
    manifest = manifest_for(data)
    with pytest.raises(ArchiveError):
        archive.store(manifest, {**data, SIGNED_PDF: b"something else"})
    assert archive.find(manifest.content_hash) is None
    assert not any((tmp_path / ".staging").iterdir())


def test_a_file_changed_on_disk_is_detected_on_read(tmp_path: Path) -> None:
    archive = FilesystemArchive(tmp_path)
    data = files()
    manifest = manifest_for(data)
    location = Path(archive.store(manifest, data))
    text = location / "ocr.txt"
    text.chmod(0o644)
    text.write_text("sửa đổi", encoding="utf-8")
    with pytest.raises(ArchiveError, match="does not match"):
        archive.read(manifest, OCR_TEXT)


def test_concurrent_workers_get_distinct_sequence_numbers(tmp_path: Path) -> None:
    archive = FilesystemArchive(tmp_path)
    got: list[int] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for _ in range(25):
            seq = archive.reserve_sequence("000.00.00.H49-261122", f"{n:064x}")
            with lock:
                got.append(seq)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 101))
    assert archive.reserve_sequence("000.00.00.H49-261123", "0" * 64) == 1  # a new day starts again at 1
