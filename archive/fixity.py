"""Fixity: re-read every object the archive holds, recompute its SHA-256 and compare with what vouches for it.

What vouches for what:
- a record's files: the hash in its manifest;
- a manifest: the hash stored with it when it was written (write-once object metadata) and, when the audit log is
  given, the hash in the log's `record.write` event, which an edit of the manifest cannot also rewrite;
- result-code pointers, dossier reservations, audit segments, disposition papers: the hash stored with them.

Reports what an archivist must act on: objects missing, objects whose content changed, manifests that are damaged
(that record only: the check goes on), pointers to nothing, writes that never got their manifest, and any object or
file under the archive that nothing accounts for. `sample` checks a random subset of records (a nightly run over a
large archive); every object is checked when it is None.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from archive.base import BY_CAPTURE, CAPTURES, MANIFEST, Attestations, DamagedManifest, RecordArchive
from archive.objects import sha256_hex
from domain.records import Manifest

_RECORD_KEY = re.compile(r"^records/([0-9a-f]{64})/")
_VERSION_KEY = re.compile(r"^records/[0-9a-f]{64}/v(\d+)/[^/]+$")
# Prefixes whose objects carry their own hash and nothing else to check against.
SELF_HASHED = ("dossiers/", "audit/", "dispositions/", "captures/", "stacks/",
               # working state shared by the machines of one archive: the index outbox, ingest batches, workers'
               # tickets for the chunks of lost workers
               "outbox/", "batches/", "batch-results/", "workers/")


@dataclass(frozen=True)
class Finding:
    result_code: str | None
    key: str
    problem: str  # "missing" | "changed" | "damaged" | "dangling" | "unexpected" | "incomplete"
    detail: str = ""  # Vietnamese, when the problem needs a word more


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
                 hashes: Iterable[str] | None = None, attested: Attestations | None = None) -> FixityReport:
    """Check records (all, `hashes`, or a `sample` of them); a full run checks every other object as well."""
    started = time.perf_counter()
    chosen = list(hashes) if hashes is not None else record_hashes(archive)
    full = hashes is None and (sample is None or sample >= len(chosen))
    if sample is not None and sample < len(chosen):
        chosen = (rng or random.Random()).sample(chosen, sample)
    report = FixityReport()
    codes: dict[str, str] = {}  # result code -> content hash, from every manifest that passed
    damaged: set[str] = set()  # content hashes with a damaged manifest: their pointers cannot be judged
    for content_hash in sorted(chosen):
        if not _check_record(archive, content_hash, report, codes, attested):
            damaged.add(content_hash)
    if full:
        _check_others(archive, report, codes, damaged)
    report.seconds = time.perf_counter() - started
    return report


def _check_record(archive: RecordArchive, content_hash: str, report: FixityReport, codes: dict[str, str],
                  attested: Attestations | None) -> bool:
    """False when a manifest of the record is damaged."""
    stored = set(archive.record_keys(content_hash))
    report.records += 1
    versions = sorted({int(m.group(1)) for k in stored if (m := _VERSION_KEY.match(k)) and k.endswith("/" + MANIFEST)})
    if not versions:
        report.findings.extend(Finding(None, key, "incomplete") for key in sorted(stored))
        return True
    intact = True
    expected: set[str] = set()
    code: str | None = None
    for version in versions:
        prefix = archive.version_prefix(content_hash, version)
        expected.add(prefix + MANIFEST)
        try:
            manifest = archive._load(content_hash, version, attested)
        except DamagedManifest as e:
            info = archive.objects.stat(e.key)  # the code the object was written under, if its metadata survives
            report.findings.append(Finding((info.metadata.get("result-code") if info else None) or code, e.key,
                                           "damaged", e.reason))
            intact = False
            expected.update(k for k in stored if k.startswith(prefix))  # unverifiable, but not strays
            continue
        code = manifest.result_code
        codes[manifest.result_code] = content_hash
        _check_files(archive, manifest, prefix, expected, report)
    report.findings.extend(Finding(code, key, "unexpected") for key in sorted(stored - expected))
    return intact


def _check_files(archive: RecordArchive, manifest: Manifest, prefix: str, expected: set[str],
                 report: FixityReport) -> None:
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
    pointer = f"results/{manifest.result_code}"
    if archive.objects.stat(pointer) is None:
        report.findings.append(Finding(manifest.result_code, pointer, "missing"))


def _check_others(archive: RecordArchive, report: FixityReport, codes: dict[str, str], damaged: set[str]) -> None:
    """Everything outside records/: pointers lead to a record that bears their code, a capture's pointer to its link
    and a link to a record; the rest matches its own stored hash; anything else, and any file the store cannot
    account for, is unexpected."""
    objects = archive.objects
    records = set(codes.values())
    for key in objects.keys(""):
        if key.startswith("records/"):
            if not _RECORD_KEY.match(key):
                report.findings.append(Finding(None, key, "unexpected"))
            continue
        known = key.startswith("results/") or key.startswith(SELF_HASHED)
        if not known:
            report.findings.append(Finding(None, key, "unexpected"))
            continue
        try:
            data = objects.get(key)
        except KeyError:
            continue  # removed while we walked (a disposal)
        info = objects.stat(key)
        report.objects += 1
        report.bytes += len(data)
        if info is None or info.sha256 != sha256_hex(data):
            report.findings.append(Finding(None, key, "changed", "không khớp mã băm lưu khi ghi"))
            continue
        if key.startswith("results/"):
            code, target = key.removeprefix("results/"), data.decode("ascii", "replace").strip()
            if target in damaged:
                _name_damaged(report, target, code)
            elif codes.get(code) != target:
                report.findings.append(Finding(code, key, "dangling", "mã kết quả không trỏ tới hồ sơ mang mã đó"))
        elif key.startswith(BY_CAPTURE):
            record = data.decode("ascii", "replace").strip()
            if record not in damaged and objects.stat(f"{CAPTURES}{record}/{key.removeprefix(BY_CAPTURE)}") is None:
                report.findings.append(Finding(None, key, "dangling", "bản chụp trỏ tới một liên kết không có"))
        elif key.startswith(CAPTURES):
            record = key.removeprefix(CAPTURES).split("/", 1)[0]
            if record not in records and record not in damaged:
                report.findings.append(Finding(None, key, "dangling", "liên kết bản chụp tới một hồ sơ không có"))
    strays = getattr(objects, "strays", None)
    if callable(strays):
        report.findings.extend(Finding(None, path, "unexpected", "tệp không phải đối tượng của kho")
                               for path in strays())


def _name_damaged(report: FixityReport, content_hash: str, code: str) -> None:
    """A damaged manifest whose object kept no metadata (a version written around the archive, on S3) is named by
    the result code that points at its record."""
    prefix = f"records/{content_hash}/"
    report.findings = [replace(f, result_code=code) if f.problem == "damaged" and f.result_code is None
                       and f.key.startswith(prefix) else f for f in report.findings]
