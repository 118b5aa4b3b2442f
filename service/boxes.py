"""The scanning station as the digitisation lead sees it: boxes done (from the stacks' reports in the archive), in
progress and waiting (from the station's folder, when one is configured), with pages per box, blank backs dropped
and splits a person must check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archive.stacks import REPORT, STACKS, read_report
from context.services import Services
from domain.actor import Actor
from domain.paper import LABELS
from service.permissions import require

UNDESCRIBED = "(chưa có mô tả hộp)"


@dataclass
class BoxLine:
    label: str  # "Phông …, Mục lục 3, Hộp 12": what the descriptions of its files say
    files: int = 0  # stack files split
    pages: int = 0
    documents: int = 0
    blanks: int = 0
    flagged: int = 0  # split points a person must check
    gaps: int = 0  # files whose pages disagree with their description's page count


@dataclass
class StationView:
    done: list[BoxLine] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)  # file names being split now
    waiting: list[str] = field(default_factory=list)  # file names not yet taken
    folder: str = ""


def box_label(description: dict[str, object] | None) -> str:
    if not description:
        return UNDESCRIBED
    parts = [f"{LABELS[k]} {description[k]}" for k in ("fonds", "inventory", "box") if description.get(k)]
    return ", ".join(parts) or UNDESCRIBED


def station_view(services: Services, actor: Actor, folder: Path | None = None) -> StationView:
    """Boxes done, with their figures, and the station folder's files in progress and waiting."""
    require(actor, "batch_status")
    boxes: dict[str, BoxLine] = {}
    objects = services.archive.objects
    for key in objects.keys(STACKS):
        if not key.endswith("/" + REPORT):
            continue
        report = read_report(objects, key.removeprefix(STACKS).split("/", 1)[0])
        if report is None:
            continue
        description = report.get("description")
        label = box_label(description if isinstance(description, dict) else None)
        line = boxes.setdefault(label, BoxLine(label))
        line.files += 1
        line.pages += int(report.get("pages") or 0)
        documents, blanks = report.get("documents"), report.get("blanks")
        line.documents += len(documents) if isinstance(documents, list) else 0
        line.blanks += len(blanks) if isinstance(blanks, list) else 0
        line.flagged += int(report.get("doubts") or 0)
        line.gaps += 1 if report.get("gap") else 0
    view = StationView(sorted(boxes.values(), key=lambda b: b.label), folder=str(folder or ""))
    if folder is not None and folder.is_dir():
        from service.station import CLAIMS, scans  # the station's own listing (it loads the pipeline)

        claims = folder / CLAIMS
        view.in_progress = sorted(p.name for p in claims.glob("*/*")) if claims.is_dir() else []
        view.waiting = [p.name for p in scans(folder)]
    return view
