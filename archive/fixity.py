"""Fixity: re-read a record's objects, recompute their SHA-256 and compare with what the manifests say.

Reports what an archivist must act on: objects missing, objects whose content changed, objects nobody's manifest
names, and writes that never got their manifest. `sample` checks a random subset (a nightly run over a large
archive); every record is checked when it is None.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from archive.base import MANIFEST, RecordArchive
from archive.objects import sha256_hex

_RECORD_KEY = re.compile(r"^records/([0-9a-f]{64})/")


@dataclass(frozen=True)
class Finding:
    result_code: str | None
    key: str
    problem: str  # "missing" | "changed" | "unexpected" | "incomplete"


@dataclass
class FixityReport:
    records: int = 0
    objects: int = 0
    bytes: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def of(self, problem: str) -> list[Finding]:
        return [f for f in self.findings if f.problem == problem]

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0


def record_hashes(archive: RecordArchive) -> list[str]:
    seen: dict[str, None] = {}
    for key in archive.objects.keys("records/"):
        m = _RECORD_KEY.match(key)
        if m:
            seen[m.group(1)] = None
    return list(seen)


def check_fixity(archive: RecordArchive, sample: int | None = None, rng: random.Random | None = None,
                 hashes: Iterable[str] | None = None) -> FixityReport:
    started = time.perf_counter()
    chosen = list(hashes) if hashes is not None else record_hashes(archive)
    if sample is not None and sample < len(chosen):
        chosen = (rng or random.Random()).sample(chosen, sample)
    report = FixityReport()
    for content_hash in sorted(chosen):
        _check_record(archive, content_hash, report)
    report.seconds = time.perf_counter() - started
    return report


def _check_record(archive: RecordArchive, content_hash: str, report: FixityReport) -> None:
    stored = set(archive.record_keys(content_hash))
    versions = archive.versions(content_hash)
    report.records += 1
    if not versions:
        report.findings.extend(Finding(None, key, "incomplete") for key in sorted(stored))
        return
    expected: set[str] = set()
    for manifest in versions:
        prefix = archive.version_prefix(content_hash, manifest.version)
        expected.add(prefix + MANIFEST)
        for entry in manifest.files.values():
            key = prefix + entry.name
            expected.add(key)
            try:
                data = archive.objects.get(key)
            except KeyError:
                report.findings.append(Finding(manifest.result_code, key, "missing"))
                continue
            report.objects += 1
            report.bytes += len(data)
            if sha256_hex(data) != entry.sha256:
                report.findings.append(Finding(manifest.result_code, key, "changed"))
    code = versions[-1].result_code
    report.findings.extend(Finding(code, key, "unexpected") for key in sorted(stored - expected))
