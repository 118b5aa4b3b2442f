"""The scanning station's watched folder: scanners drop files into a shared folder; each file is taken once it has
stopped growing, split into documents and digitised (`pipeline.stack`), then moved to `done/` or `quarantine/` beside
a short Vietnamese receipt (`<file>.bien-nhan.txt`).

Polling, not file-system events: a network share (SMB, NFS) sends none. A file is claimed by renaming it into
`.dang-xu-ly/<host>-<process>/`, its name kept; a rename succeeds for one watcher only, so two
watchers sharing the folder never take the same file. A claim left by a process of this host that is no longer alive
(a crash, a restart) is taken back when the watcher starts; the documents it had archived are found by their hashes
and not stored twice."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from context.services import Services
from domain.actor import Actor
from domain.messages import say
from domain.paper import ArchivalDescription, read_description
from pipeline.outcomes import ACCEPTED, ALREADY_ARCHIVED, DUPLICATE_CAPTURE, QUARANTINED, STOPPED
from pipeline.stack import StackResult, digitise_stack
from service.batches import process_alive
from service.permissions import require

DONE = "done"
QUARANTINE = "quarantine"
CLAIMS = ".dang-xu-ly"  # files being processed, under the name of who took them
RECEIPT = ".bien-nhan.txt"
DESCRIPTIONS = ("paper.toml", "paper.csv")  # the box's description, beside its scans
SETTLE_S = 5.0  # a file unchanged this long has stopped growing (the scanner has finished writing it)
SCAN_SUFFIXES = (".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg")


@dataclass
class Seen:
    size: int
    mtime_ns: int
    since: float  # monotonic time it was first seen at this size and time


@dataclass
class Station:
    folder: Path
    services: Services
    by: Actor
    settle_s: float = SETTLE_S
    clock: Callable[[], float] = time.monotonic
    seen: dict[str, Seen] = field(default_factory=dict)
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")

    def __post_init__(self) -> None:
        require(self.by, "submit_batch")  # the digitising officer whose key signs what the station archives

    def ready(self) -> list[Path]:
        """The scans that have stopped growing, oldest first; the others are watched until they do."""
        now, out, present = self.clock(), [], set()
        for path in scans(self.folder):
            try:
                info = path.stat()
            except OSError:
                continue
            present.add(path.name)
            before = self.seen.get(path.name)
            if before is None or (before.size, before.mtime_ns) != (info.st_size, info.st_mtime_ns):
                self.seen[path.name] = Seen(info.st_size, info.st_mtime_ns, now)
            elif now - before.since >= self.settle_s and info.st_size > 0:
                out.append((info.st_mtime_ns, path))
        self.seen = {k: v for k, v in self.seen.items() if k in present}
        return [p for _, p in sorted(out)]

    def settled(self, wall: Callable[[], float] = time.time) -> list[Path]:
        """The scans not modified for `settle_s` by their own modification time, oldest first: what a run with no
        memory of earlier looks (a scheduled flow) can take."""
        out = []
        for path in scans(self.folder):
            try:
                info = path.stat()
            except OSError:
                continue
            if info.st_size > 0 and wall() - info.st_mtime >= self.settle_s:
                out.append((info.st_mtime_ns, path))
        return [p for _, p in sorted(out)]

    def claim(self, path: Path) -> Path | None:
        """Take the file for this watcher; None when another took it first."""
        claims = self.folder / CLAIMS / self.owner
        claims.mkdir(parents=True, exist_ok=True)
        target = claims / path.name
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        self.seen.pop(path.name, None)
        return target

    def take_back_abandoned(self) -> list[Path]:
        """Claims of this host's processes that are gone, back into the folder (to be taken again)."""
        host = socket.gethostname()
        back = []
        for owner in sorted((self.folder / CLAIMS).iterdir()) if (self.folder / CLAIMS).is_dir() else []:
            owner_host, _, pid = owner.name.rpartition("-")
            if owner_host != host or not pid.isdigit() or process_alive(host, int(pid)):
                continue
            for claimed in sorted(owner.iterdir()):
                target = self.folder / claimed.name
                if not target.exists():
                    os.rename(claimed, target)
                    back.append(target)
            if not any(owner.iterdir()):
                owner.rmdir()
        return back

    def process(self, claimed: Path, description: ArchivalDescription | None = None) -> StackResult:
        """Digitise a claimed file, then file it under done/ or quarantine/ with its receipt; a file that met a
        condition stopping all work (a full disk) goes back into the folder for the next run."""
        name = claimed.name
        result = digitise_stack(claimed, self.services, self.by, description)
        result.source = name  # as the scanner named it, not where it waited while processed
        for document in result.documents:
            document.source = document.source.replace(str(claimed), name)
        if result.stopped is not None:
            os.rename(claimed, self.folder / name)
            return result
        where = self.folder / (QUARANTINE if any(d.outcome == QUARANTINED for d in result.documents) else DONE)
        where.mkdir(exist_ok=True)
        target = _free_name(where / name)
        (target.parent / (target.name + RECEIPT)).write_text(receipt(result, name), encoding="utf-8")
        os.rename(claimed, target)
        return result

    def description(self) -> ArchivalDescription | None:
        for name in DESCRIPTIONS:
            path = self.folder / name
            if path.is_file():
                return read_description(name, path.read_bytes())
        return None

    def poll(self) -> list[StackResult]:
        """One pass: every file ready is claimed and processed in turn; stops at a file that stops all work."""
        return self._take(self.ready())

    def poll_settled(self) -> list[StackResult]:
        """One pass over the files `settled` finds (no earlier look needed)."""
        return self._take(self.settled())

    def _take(self, paths: list[Path]) -> list[StackResult]:
        """Claim and process `paths` in turn. The box's description is read first: one that cannot be read
        (DescriptionError) stops the pass before any file is taken."""
        results = []
        description = self.description() if paths else None
        for path in paths:
            claimed = self.claim(path)
            if claimed is None:
                continue
            result = self.process(claimed, description)
            results.append(result)
            if result.stopped is not None:
                break
        return results


def scans(folder: Path) -> Iterator[Path]:
    """The scan files in the folder itself, by name: not hidden, not links, of a kind a scanner writes."""
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.startswith(".") or not path.is_file() or path.is_symlink():
            continue
        if path.suffix.lower() in SCAN_SUFFIXES:
            yield path


def _free_name(path: Path) -> Path:
    """`path`, or with a number added when a file of that name was filed there already (a rescan of the box)."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return candidate


OUTCOME_VI = {ACCEPTED: "đã số hóa", ALREADY_ARCHIVED: "đã có trong kho",
              DUPLICATE_CAPTURE: "bản chụp lại, đã liên kết", QUARANTINED: "cách ly", STOPPED: "chưa xử lý"}


def receipt(result: StackResult, name: str) -> str:
    """What became of a file, for the scanning team: its documents, their codes and pages, and what to check."""
    lines = [say("station.file", name=name)]
    if result.split:
        lines.append(say("station.figures", pages=result.pages, documents=len(result.documents),
                         blanks=len(result.blanks), separators=len(result.separators), doubts=result.doubts))
    if result.description is not None:
        lines.append(say("station.paper", place="; ".join(f"{label} {value}"
                                                           for label, value in result.description.words())))
    if result.gap:  # the description's page count and the pages scanned disagree: a page lost or fed twice
        lines.append(say("station.pages_missing" if result.gap < 0 else "station.pages_over",
                         expected=result.expected_pages, scanned=result.paper_pages, gap=abs(result.gap)))
    if result.sheets_disagree:
        sheets = result.expected_sheets or 0
        lines.append(say("station.sheets_disagree", sheets=sheets, scanned=result.paper_pages, both=2 * sheets))
    lines += [say("station.separator_unread", page=page, reason=why) for page, why in result.unread_separators]
    for d in result.documents:
        where = d.source.removeprefix(name).strip() or ""
        code = f" — {d.result_code}" if d.result_code else ""
        lines.append(f"- {where or name}: {OUTCOME_VI.get(d.outcome, d.outcome)}{code}"
                     + (f" ({d.type_name})" if d.type_name else "")
                     + ("; cần rà soát" if d.needs_review else "") + (f". {d.reason}" if d.reason else ""))
    return "\n".join(lines) + "\n"
