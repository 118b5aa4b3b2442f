"""A small archive digitised once through the real pipeline (a birth certificate with a personal number and a
decision), copied for each test that damages it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from context.services import open_services
from context.settings import load_settings
from pipeline.process import ACCEPTED, digitise
from tests.conftest import OPERATOR, SAMPLES, run_cli

SCANS = ("khai_sinh_01.png", "quyet_dinh_01.pdf")
CITIZEN = "001215912779"  # the birth certificate's registrant


@dataclass(frozen=True)
class Archive:
    data: Path
    codes: dict[str, str]  # result code by scan name
    hashes: dict[str, str]  # content hash by scan name

    @property
    def root(self) -> Path:
        return self.data / "archive"

    def record_dir(self, scan: str, version: int = 1) -> Path:
        h = self.hashes[scan]
        return self.root / "records" / h[:2] / h / f"v{version}"

    def cli(self, *args: str, actor: str = "archivist-01") -> tuple[int, str]:
        return run_cli(*args, "--data-dir", str(self.data), "--actor", actor)


@pytest.fixture(scope="package")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    data = tmp_path_factory.mktemp("reliability") / "data"
    services = open_services(load_settings(data))
    codes, hashes = {}, {}
    for name in SCANS:
        result = digitise(SAMPLES / name, services, OPERATOR)
        assert result.outcome == ACCEPTED and result.result_code, result
        codes[name] = result.result_code
        manifest = services.archive.manifest(result.result_code)
        assert manifest is not None
        hashes[name] = manifest.content_hash
    return Archive(data, codes, hashes)


@pytest.fixture
def archive(small_archive: Archive, tmp_path: Path) -> Iterator[Archive]:
    data = tmp_path / "data"
    shutil.copytree(small_archive.data, data, symlinks=True)
    yield Archive(data, small_archive.codes, small_archive.hashes)


def overwrite(path: Path, data: bytes) -> None:
    """Change a file behind the archive's back, as someone with a shell on the machine would."""
    path.chmod(0o644)
    path.write_bytes(data)
