"""Two processes over overlapping folders make each record once, with one dossier number each; a write cut short
at any point is finished by the next run, with its audit event, and nothing left half done."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from archive.audit_log import WRITE
from archive.base import MANIFEST
from archive.objects import sha256_hex
from context.services import open_services
from context.settings import load_settings
from pipeline.process import ACCEPTED, ALREADY_ARCHIVED, digitise
from tests.conftest import OPERATOR, REPO, SAMPLES, run_cli
from tests.reliability.conftest import Archive

# Digitise the files named on the command line, in order, in this process; print the outcomes as JSON.
WORKER = """
import json, sys
from pathlib import Path
from context.settings import load_settings
from domain.actor import Actor
from pipeline.process import digitise
from context.services import open_services
OPERATOR = Actor("tests", "operator")
services = open_services(load_settings(Path(sys.argv[1])))
print(json.dumps([(Path(p).name, digitise(Path(p), services, OPERATOR).outcome) for p in sys.argv[2:]]))
"""
SHARED = ["khai_sinh_01.png", "quyet_dinh_01.pdf", "ket_hon_01.jpg"]
ONLY_A = ["khai_tu_01.png"]
ONLY_B = ["tinh_trang_hon_nhan_01.jpg"]


def test_two_processes_over_overlapping_folders_make_each_record_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin", "OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(REPO), "HOME": str(tmp_path),
           "SOHOA_OCR_CACHE": os.environ.get("SOHOA_OCR_CACHE", "")}
    runs = [subprocess.Popen([sys.executable, "-c", WORKER, str(data), *(str(SAMPLES / n) for n in names)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
            for names in (SHARED + ONLY_A, SHARED + ONLY_B)]  # same order: they meet on the same file at once
    outcomes: list[tuple[str, str]] = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-2000:]
        outcomes += [tuple(o) for o in json.loads(out.strip().splitlines()[-1])]
    by_file: dict[str, Counter[str]] = {}
    for name, outcome in outcomes:
        by_file.setdefault(name, Counter())[outcome] += 1
    for name in SHARED:
        assert by_file[name] == Counter({ACCEPTED: 1, ALREADY_ARCHIVED: 1}), (name, by_file[name])
    for name in ONLY_A + ONLY_B:
        assert by_file[name] == Counter({ACCEPTED: 1}), (name, by_file[name])
    services = open_services(load_settings(data))
    manifests = list(services.archive.manifests())
    assert len(manifests) == 5 and len({m.content_hash for m in manifests}) == 5
    assert len({m.dossier_code for m in manifests}) == 5
    numbers = services.archive.dossier_numbers()
    assert (numbers.reserved, numbers.unused, numbers.unfinished, numbers.double) == (5, [], [], [])
    assert not (data / "quarantine").exists() or list((data / "quarantine").iterdir()) == []
    assert run_cli("audit", "fixity", "--data-dir", data)[0] == 0
    assert run_cli("audit", "verify-log", "--data-dir", data)[0] == 0


def _record_pieces(archive: Archive, scan: str) -> dict[str, list[Path]]:
    """What a crash can leave missing, as the files to delete (the manifest is always lost: the write was cut)."""
    version = archive.record_dir(scan)
    code = archive.codes[scan]
    prefix, _, number = code.removesuffix("-KQ1").rpartition("-")
    original = next(version.glob("original.*"))
    return {
        "manifest only": [],
        "signed copy": [version / "signed.pdf", version / ".signed.pdf.meta"],
        "signed copy's metadata": [version / ".signed.pdf.meta"],
        "original's metadata": [version / f".{original.name}.meta"],
        "text": [version / "ocr.txt", version / ".ocr.txt.meta"],
        "every file's metadata": [version / f".{p.name}.meta" for p in version.iterdir() if not p.name.startswith(".")
                                  and p.name != MANIFEST],
        "result pointer": [archive.root / "results" / code, archive.root / "results" / f".{code}.meta"],
        "dossier number": [archive.root / "dossiers" / prefix / number],
        "dossier claim": [archive.root / "dossiers" / "by-record" / archive.hashes[scan]],
    }


@pytest.mark.parametrize("lost", ["manifest only", "signed copy", "signed copy's metadata", "original's metadata",
                                  "text", "every file's metadata", "result pointer", "dossier number",
                                  "dossier claim"])
def test_a_write_cut_short_is_finished_by_the_next_run(archive: Archive, lost: str) -> None:
    scan = "khai_sinh_01.png"
    version = archive.record_dir(scan)
    for path in [version / MANIFEST, version / f".{MANIFEST}.meta", *_record_pieces(archive, scan)[lost]]:
        path.unlink()
    services = open_services(load_settings(archive.data))
    assert list(services.archive.incomplete()) == [archive.hashes[scan]]

    result = digitise(SAMPLES / scan, services, OPERATOR)  # the batch is run again
    assert result.outcome == ACCEPTED, result.reason
    assert result.result_code == archive.codes[scan]  # the same codes: nothing new reserved
    assert list(services.archive.incomplete()) == []
    manifest = services.archive.manifest(archive.codes[scan])
    assert manifest is not None
    digest = sha256_hex((version / MANIFEST).read_bytes())
    writes = [json.loads(line) for line in services.audit.lines() if f'"{WRITE}"' in line]
    assert any(e["details"]["manifest_sha256"] == digest for e in writes)  # the write has its event
    numbers = services.archive.dossier_numbers()
    assert (numbers.reserved, numbers.unused, numbers.unfinished, numbers.double) == (2, [], [], [])
    status, out = archive.cli("audit", "fixity")
    assert status == 0, out
    assert not list((archive.data / "quarantine").glob("*")) if (archive.data / "quarantine").exists() else True
    shutil.rmtree(archive.data / "index")  # the index is rebuilt from the archive alone, this record included
    assert archive.cli("reindex")[0] == 0
    assert services.index.get(archive.codes[scan]) is not None
