"""`sohoa ingest`: digitise a folder of scans through the Prefect flow, here or on the workers (--submit), with
a progress bar and a Vietnamese summary (JSON with --json)."""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from cli.common import CommandError

if TYPE_CHECKING:  # annotations only: a command's modules load when it runs, not for the parser
    from context.settings import Settings

if TYPE_CHECKING:
    from flows.ingest import ScanList




def cmd_ingest(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.table import Table

    from archive.objects import ArchiveError
    from context.services import services_for
    from domain.actor import Actor
    from flows import configure_prefect
    folder = Path(args.folder)
    if not folder.is_dir():
        raise CommandError("no_folder", folder=folder)
    configure_prefect(settings.prefect_home)  # in the data directory: two never share a run database
    from flows.batch_runner import ingest_runner
    from flows.ingest import list_scans  # after configure_prefect: Prefect reads its settings on import
    from pipeline.process import (
        ACCEPTED,
        ALREADY_ARCHIVED,
        DUPLICATE_CAPTURE,
        NOT_PROCESSED,
        QUARANTINED,
        STOPPED,
        DocumentResult,
    )
    from service.batches import open_batch, run_batch
    from signing.identity import SigningKeyError
    from signing.settings import SigningSettingsError

    operator = Actor(args.operator or os.environ.get("SOHOA_OPERATOR") or args.by.identity, "operator")
    if args.submit:  # the workers sign: the keys are theirs, not this machine's
        from cli.workers import submit_folder

        listing = list_scans(folder)
        _report_skipped(console, listing)
        return submit_folder(settings, console, folder, listing.scans, operator, args.chunk_files, args.json)
    try:  # the keys are opened once, before any file: a wrong PIN stops here with nothing written
        services_for(str(settings.data_dir)).signer_for(operator)
    except (SigningKeyError, SigningSettingsError) as e:
        console.print(f"[red]Ký số:[/red] {getattr(e, 'vietnamese', e)}")
        return 2
    listing = list_scans(folder)
    scans, others = listing.scans, listing.others
    workers = args.workers or settings.workers
    console.print(f"Số hóa {len(scans)} tệp trong {folder} ({workers} luồng xử lý song song); "
                  f"dữ liệu tại {settings.data_dir}")
    _report_skipped(console, listing)
    started = time.perf_counter()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TimeRemainingColumn(), console=console, transient=False, disable=args.json)
    bar = progress.add_task("Đang số hóa", total=len(scans))
    stopped: list[DocumentResult] = []

    batch = open_batch(services_for(str(settings.data_dir)), operator, folder.resolve(), scans)

    def on_result(result: DocumentResult) -> None:
        progress.advance(bar)
        if result.outcome == QUARANTINED:
            progress.console.print(f"[red]Cách ly[/red] {Path(result.source).name}: {result.reason}")
        elif result.outcome == STOPPED:
            if not stopped:
                progress.console.print(f"[red]Dừng lô:[/red] {result.reason}")
            stopped.append(result)

    with progress:
        run = ingest_runner(settings.data_dir, workers, operator)
        results = run_batch(batch, scans, run, on_result) if scans else []
    if not scans:
        batch.finished()
    elapsed = time.perf_counter() - started
    counts = {k: sum(r.outcome == k for r in results)
              for k in (ACCEPTED, ALREADY_ARCHIVED, DUPLICATE_CAPTURE, QUARANTINED, STOPPED, NOT_PROCESSED)}
    pages = sum(r.pages for r in results if r.outcome == ACCEPTED)
    busy = sum(r.seconds for r in results)
    try:
        waiting = len(services_for(str(settings.data_dir)).outbox)
    except ArchiveError:
        waiting = -1
    summary = {
        "batch": batch.batch.id, "files": len(scans), "accepted": counts[ACCEPTED],
        "already_archived": counts[ALREADY_ARCHIVED],
        "duplicate_captures": [{"file": r.source, "record": r.result_code, "reason": r.reason}
                               for r in results if r.outcome == DUPLICATE_CAPTURE],
        "replaced_captures": [{"file": r.source, "record": r.result_code, "reason": r.reason}
                              for r in results if r.outcome == ACCEPTED and r.reason],
        "quarantined": counts[QUARANTINED], "needs_review": sum(r.needs_review for r in results
                                                                if r.outcome == ACCEPTED),
        "needs_rescan": sum(r.needs_rescan for r in results if r.outcome == ACCEPTED),
        "not_processed": counts[STOPPED] + counts[NOT_PROCESSED],
        "stopped_because": stopped[0].reason if stopped else None,
        "skipped_not_scans": len(others), "skipped_links": [str(p) for p in listing.links],
        "unreadable_folders": [str(p) for p, _ in listing.unreadable],
        "pages": pages, "elapsed_s": round(elapsed, 1),
        "pages_per_min": round(pages / elapsed * 60, 1) if elapsed and pages else 0.0,
        "document_seconds": round(busy, 1), "data_dir": str(settings.data_dir),
        "waiting_for_index": waiting,
    }
    status = 3 if stopped else 0  # the archive could not take more: what is done is kept, the rest waits
    if args.json:
        print(json.dumps({"summary": summary, "documents": [asdict(r) for r in results]}, ensure_ascii=False,
                         indent=2))
        return status
    table = Table(title="Kết quả số hóa", show_header=False)
    table.add_row("Đã tiếp nhận và lưu trữ", str(summary["accepted"]))
    table.add_row("  trong đó cần rà soát", str(summary["needs_review"]))
    table.add_row("  trong đó cần quét lại (dưới 200 dpi, bản fax)", str(summary["needs_rescan"]))
    table.add_row("Đã có trong kho (bỏ qua)", str(summary["already_archived"]))
    table.add_row("Bản chụp khác của giấy tờ đã lưu (đã liên kết)", str(counts[DUPLICATE_CAPTURE]))
    table.add_row("Bị cách ly", str(summary["quarantined"]))
    if stopped:
        table.add_row("Chưa xử lý (lô dừng)", str(summary["not_processed"]))
    table.add_row("Số trang đã số hóa", str(pages))
    table.add_row("Thời gian", f"{elapsed:.1f} giây")
    table.add_row("Tốc độ", f"{summary['pages_per_min']} trang/phút")
    console.print(table)
    if counts[QUARANTINED]:
        console.print(f"Tệp bị cách ly và lý do: {settings.quarantine_dir}")
    for r in results:
        if r.outcome == DUPLICATE_CAPTURE:
            console.print(f"[yellow]Không tạo hồ sơ mới cho[/yellow] {Path(r.source).name}: {r.reason}")
        elif r.outcome == ACCEPTED and r.reason:  # the fuller capture of a paper: the record's next version
            console.print(f"[yellow]Thay bản đã lưu bằng[/yellow] {Path(r.source).name} ({r.result_code}): {r.reason}")
    if waiting > 0:
        console.print(f"[yellow]{waiting} hồ sơ đã lưu trữ nhưng chỉ mục tra cứu chưa nhận "
                      "(máy chủ chỉ mục không trả lời); khi chỉ mục hoạt động lại, chạy: sohoa reindex --pending")
    if stopped:
        console.print(f"[red]Lô đã dừng:[/red] {stopped[0].reason} {summary['not_processed']} tệp chưa được xử lý; "
                      "các hồ sơ đã lưu trữ được giữ nguyên. Khắc phục rồi chạy lại cùng lệnh: tệp đã lưu trữ sẽ "
                      "được bỏ qua, tệp còn lại được số hóa tiếp.")
    if listing.unreadable:
        console.print(f"[yellow]{len(listing.unreadable)} thư mục không đọc được; cấp quyền đọc rồi chạy lại.")
    return status


def _report_skipped(console: Console, listing: ScanList) -> None:
    """What the folder holds that is not digitised, and why."""
    others = listing.others
    if others:
        console.print(f"[dim]Bỏ qua {len(others)} tệp không phải ảnh quét hay PDF "
                      f"({', '.join(sorted({p.suffix or p.name for p in others}))}).[/dim]")
    for link in listing.links:
        console.print(f"[yellow]Bỏ qua liên kết tượng trưng (không theo liên kết ra ngoài thư mục):[/yellow] {link}")
    for path, why in listing.unreadable:
        console.print(f"[red]Không đọc được thư mục[/red] {path}: {why}; các tệp trong đó chưa được số hóa.")




def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ingest", parents=[common], help="digitise a folder of scans")
    p.add_argument("folder")
    p.add_argument("--workers", type=int, help="documents processed at once (default: settings, SOHOA_WORKERS)")
    p.add_argument("--operator", help="the digitising officer who signs this batch (default: $SOHOA_OPERATOR, "
                                      "else the actor); their key is [signing.officers.<operator>]")
    p.add_argument("--json", action="store_true", help="print the summary and per-file results as JSON")
    p.add_argument("--submit", action="store_true", help="send the folder, in chunks, to the workers of the Prefect "
                                                         "server (PREFECT_API_URL) and return at once")
    p.add_argument("--chunk-files", type=int, help="files per chunk with --submit (default: [workers] chunk_files)")
    p.set_defaults(run=cmd_ingest)
