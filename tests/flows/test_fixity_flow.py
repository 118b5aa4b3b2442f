"""The nightly fixity flow runs through Prefect, logs its outcome, and fails the run when something changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.filesystem import FilesystemObjects
from context.services import open_services, services_for
from context.settings import load_settings
from tests.archive.records import files, manifest_for
from tests.conftest import run_cli


def test_the_flow_checks_every_record_and_fails_on_a_changed_one(tmp_path: Path) -> None:
    from flows.fixity import FixityFailed, fixity_flow

    data = tmp_path / "data"
    archive = open_services(load_settings(data)).archive
    for i in range(3):
        content = files(f"scan-{i}".encode())
        archive.store(manifest_for(content, f"000.00.00.H49-261122-{i + 1:04d}-KQ1"), content)
    summary = fixity_flow(str(data))
    assert (summary["records"], summary["objects"], summary["findings"]) == (3, 9, [])

    victim = next(iter(archive.manifests()))
    path = FilesystemObjects(data / "archive").path(f"records/{victim.content_hash}/v1/ocr.txt")
    path.chmod(0o644)
    path.write_bytes(b"changed")
    with pytest.raises(FixityFailed):
        fixity_flow(str(data), sample=3)
    services_for.cache_clear()
    events = [json.loads(line) for line in run_cli("audit", "export-log", "--data-dir", data)[1].splitlines()]
    checks = [e for e in events if e["action"] == "fixity.check"]
    assert len(checks) == 2 and checks[-1]["details"]["findings"][0]["result_code"] == victim.result_code
