"""Dossier numbers: each record holds one number of its agency's day sequence, reserved with write-once objects so
that no number is burnt by a crash or taken twice by concurrent workers, and audited for gaps."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from archive.layout import CLAIMS
from archive.objects import ArchiveError, ObjectExists, ObjectStore
from domain.codes import MAX_SEQUENCE
from domain.records import Manifest


@dataclass
class DossierNumbers:
    """What `RecordArchive.dossier_numbers` finds (dossier codes, Vietnamese-readable)."""
    reserved: int = 0
    unused: list[str] = field(default_factory=list)  # reserved, held by no record: a gap in the day's sequence
    unfinished: list[str] = field(default_factory=list)  # held by a record whose write is not complete yet
    double: list[str] = field(default_factory=list)  # one record (content hash) holding several numbers


class DossierNumbering:
    """The dossier-number part of `archive.base.RecordArchive`."""

    objects: ObjectStore

    def _complete_versions(self, content_hash: str) -> list[int]:
        raise NotImplementedError

    def manifests(self, on_damaged: Callable[[Any], None] | None = None) -> Iterator[Manifest]:
        raise NotImplementedError

    def reserve_sequence(self, prefix: str, content_hash: str, prefer: int | None = None) -> tuple[str, int]:
        """The dossier number of a record: (prefix, sequence). One number per record, reused by every later attempt
        (a rerun after a crash or a full disk, a concurrent worker on the same file), so no number is burnt.

        The record first claims a number (dossiers/by-record/<hash> names it), then takes it (the write-once key
        dossiers/<prefix>/<seq> holds the hash). Both writes are write-once, and writing the same bytes again is
        no conflict: whoever finds a claim takes its number with the same bytes, so two workers on one original
        end with one number, and a crash between the writes is finished by the next try. A claim whose number
        another record took in the meantime is withdrawn and made again. `prefer`: the number an interrupted write
        already used (its files name it), claimed again if its claim was lost."""
        if "/" in prefix:
            raise ValueError(f"not a dossier prefix: {prefix!r}")
        claim_key = f"{CLAIMS}{content_hash}"
        for _ in range(MAX_SEQUENCE):
            claim = self.dossier_claim(content_hash)
            if claim is None:
                free = prefer if prefer is not None else self._free_sequence(prefix)
                prefer = None  # tried once: if another record holds it, a free number is chosen next
                if free is None:
                    break
                claim = (prefix, free)
                try:
                    self.objects.put(claim_key, f"{prefix}/{free:04d}".encode("ascii"), {"record": content_hash})
                except ObjectExists:
                    continue  # a concurrent worker on the same original claimed first: take its number
            number_key = f"dossiers/{claim[0]}/{claim[1]:04d}"
            try:
                self.objects.put(number_key, content_hash.encode("ascii"), {"record": content_hash})
                return claim
            except ObjectExists:  # another record took that number first: withdraw this claim, choose again
                if self.dossier_claim(content_hash) == claim:
                    with suppress(ArchiveError, KeyError):
                        self.objects.delete(claim_key)
        raise ArchiveError(f"all {MAX_SEQUENCE} dossier numbers of {prefix} are taken", "archive.numbers_exhausted",
                           count=MAX_SEQUENCE, prefix=prefix)

    def _free_sequence(self, prefix: str) -> int | None:
        """The smallest number of the prefix no record has taken (one given back is taken again)."""
        taken = {int(k.rsplit("/", 1)[1]) for k in self.objects.keys(f"dossiers/{prefix}/")
                 if k.rsplit("/", 1)[1].isdigit()}
        return next((n for n in range(1, MAX_SEQUENCE + 1) if n not in taken), None)

    def dossier_claim(self, content_hash: str) -> tuple[str, int] | None:
        """The dossier number a record holds, if it reserved one."""
        try:
            raw = self.objects.get(f"{CLAIMS}{content_hash}").decode("ascii")
        except KeyError:
            return None
        prefix, _, number = raw.strip().rpartition("/")
        return (prefix, int(number)) if prefix and number.isdigit() else None

    def dossier_numbers(self, used: Mapping[str, str] | None = None) -> DossierNumbers:
        """Every reserved dossier number against the records using them: numbers no record uses (gaps in the
        sequence a citizen or an inspector would ask about), numbers of records still being written, and records
        holding more than one number. `used`: dossier code -> content hash of every current record, when the caller
        has already walked the manifests (else they are walked here)."""
        if used is None:
            used = {m.dossier_code: m.content_hash for m in self.manifests(on_damaged=lambda e: None)}
        report = DossierNumbers()
        holdings: dict[str, list[str]] = {}
        for key in self.objects.keys("dossiers/"):
            prefix, _, number = key[len("dossiers/"):].rpartition("/")
            if key.startswith(CLAIMS) or not number.isdigit():
                continue
            report.reserved += 1
            code = f"{prefix}-{number}"
            try:
                holder = self.objects.get(key).decode("ascii").strip()
            except (KeyError, UnicodeDecodeError):
                report.unused.append(code)
                continue
            holdings.setdefault(holder, []).append(code)
            if used.get(code) == holder:
                continue
            if self.dossier_claim(holder) == (prefix, int(number)) and not self._complete_versions(holder):
                report.unfinished.append(code)  # its record is still being written (or waits for a rerun)
            else:
                report.unused.append(code)
        report.double = [f"{holder[:12]}…: {', '.join(codes)}" for holder, codes in sorted(holdings.items())
                         if len(codes) > 1]
        return report
