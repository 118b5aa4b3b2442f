"""The `sohoa` command line. What it prints for people is Vietnamese; --json output has English keys.

    sohoa ingest <folder>            digitise a folder of scans through the Prefect flow
    sohoa lookup --citizen <number>  a person's reusable documents (or --cmnd, --name with --dob, --code, --number;
                                     filters --type --issuer --issued-from/--issued-to --valid-on --only-valid)
    sohoa verify <signed.pdf>        check a copy's signature
    sohoa show <result code>         print a record's manifest
    sohoa search <words>             full-text search, diacritics ignored
    sohoa review                     records waiting for a person to check them
    sohoa reindex [--pending]        build a new index from the archive and switch to it (or: replay the outbox)
    sohoa audit fixity|retention|verify-log|export-log    the archivist's audits
    sohoa hold set|lift <code>       legal hold;  sohoa dispose request|approve|list   disposition
    sohoa export bagit <code>...     transfer package;  sohoa link <code>   a short-lived download link
    sohoa signatures status|upgrade|renew    signature levels, upgrades owed, timestamp renewal

Every subcommand takes --data-dir (else SOHOA_DATA_DIR, else ~/.local/share/sohoa) and --actor (else SOHOA_ACTOR,
else the login name): lookups, reads, links, holds and dispositions are written to the audit log under that name.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import OSA
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from archive.objects import ArchiveError, os_error_vi
from domain.catalogue import ConfigError
from domain.dates import parse_date
from domain.personal_number import PROBLEMS as NUMBER_PROBLEMS
from domain.personal_number import check_personal_number, is_old_id
from domain.validity import ValidityStatus, status_on
from flows import configure_prefect
from indexer.base import Filters, Hit, IndexUnavailable, RecordQuery
from indexer.document import IndexedPerson, name_key
from indexer.outbox import Outbox
from pipeline.cli_archive import CommandError
from pipeline.cli_archive import register as register_archive_commands
from pipeline.cli_signatures import register as register_signature_commands
from pipeline.config import Settings, load_settings
from pipeline.services import PRIVATE_UMASK, Services, open_services, services_for
from signing.identity import SigningKeyError
from signing.settings import SigningSettingsError

if TYPE_CHECKING:
    from indexer.rebuild import DrainReport


class UsageError(Exception):
    """A mistake in how the command was called; the message is Vietnamese."""


def log_access(services: Services, action: str, query: dict[str, Any], purpose: str, hits: Sequence[Hit]) -> None:
    """Personal data (NĐ 13/2023): every lookup is attributed to an actor and a purpose, in the audit log."""
    services.log(action, None, purpose, query=query, results=[h.result_code for h in hits])


# --- ingest -----------------------------------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"Không có thư mục {folder}")
    configure_prefect(settings.prefect_home)  # in the data directory: two never share a run database
    from flows.ingest import list_scans, run_ingest  # after configure_prefect: Prefect reads its settings on import
    from pipeline.process import (
        ACCEPTED,
        ALREADY_ARCHIVED,
        DUPLICATE_CAPTURE,
        NOT_PROCESSED,
        QUARANTINED,
        STOPPED,
        DocumentResult,
    )

    if args.operator:
        os.environ["SOHOA_OPERATOR"] = args.operator
    try:  # the keys are opened once, before any file: a wrong PIN stops here with nothing written
        services_for(str(settings.data_dir)).signer  # noqa: B018
    except (SigningKeyError, SigningSettingsError) as e:
        console.print(f"[red]Ký số:[/red] {getattr(e, 'vietnamese', e)}")
        return 2
    listing = list_scans(folder)
    scans, others = listing.scans, listing.others
    workers = args.workers or settings.workers
    console.print(f"Số hóa {len(scans)} tệp trong {folder} ({workers} luồng xử lý song song); "
                  f"dữ liệu tại {settings.data_dir}")
    if others:
        console.print(f"[dim]Bỏ qua {len(others)} tệp không phải ảnh quét hay PDF "
                      f"({', '.join(sorted({p.suffix or p.name for p in others}))}).[/dim]")
    for link in listing.links:
        console.print(f"[yellow]Bỏ qua liên kết tượng trưng (không theo liên kết ra ngoài thư mục):[/yellow] {link}")
    for path, why in listing.unreadable:
        console.print(f"[red]Không đọc được thư mục[/red] {path}: {why}; các tệp trong đó chưa được số hóa.")
    started = time.perf_counter()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TimeRemainingColumn(), console=console, transient=False, disable=args.json)
    bar = progress.add_task("Đang số hóa", total=len(scans))
    stopped: list[DocumentResult] = []

    def on_result(result: DocumentResult) -> None:
        progress.advance(bar)
        if result.outcome == QUARANTINED:
            progress.console.print(f"[red]Cách ly[/red] {Path(result.source).name}: {result.reason}")
        elif result.outcome == STOPPED:
            if not stopped:
                progress.console.print(f"[red]Dừng lô:[/red] {result.reason}")
            stopped.append(result)

    with progress:
        results = run_ingest(scans, settings.data_dir, workers, on_result) if scans else []
    elapsed = time.perf_counter() - started
    counts = {k: sum(r.outcome == k for r in results)
              for k in (ACCEPTED, ALREADY_ARCHIVED, DUPLICATE_CAPTURE, QUARANTINED, STOPPED, NOT_PROCESSED)}
    pages = sum(r.pages for r in results if r.outcome == ACCEPTED)
    busy = sum(r.seconds for r in results)
    try:
        waiting = len(Outbox(settings.outbox_dir))
    except OSError:
        waiting = -1
    summary = {
        "files": len(scans), "accepted": counts[ACCEPTED], "already_archived": counts[ALREADY_ARCHIVED],
        "duplicate_captures": [{"file": r.source, "record": r.result_code, "reason": r.reason}
                               for r in results if r.outcome == DUPLICATE_CAPTURE],
        "quarantined": counts[QUARANTINED], "needs_review": sum(r.needs_review for r in results
                                                                if r.outcome == ACCEPTED),
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


# --- lookup -----------------------------------------------------------------------------------------------------


def _day(text: str, what: str) -> date:
    day = parse_date(text) or _iso_date(text)
    if day is None:
        raise UsageError(f"Không hiểu {what} {text!r} (dùng dd/mm/yyyy hoặc YYYY-MM-DD)")
    return day


def _filters(args: argparse.Namespace, settings: Settings) -> Filters:
    known = {t.id for t in settings.catalogue.types}
    unknown = [t for t in args.type or () if t not in known]
    if unknown:
        raise UsageError(f"Không có loại giấy tờ {', '.join(unknown)}; các loại: {', '.join(sorted(known))}")
    return Filters(
        type_ids=tuple(args.type or ()),
        issuer=args.issuer or None,
        issued_from=_day(args.issued_from, "ngày cấp từ") if args.issued_from else None,
        issued_to=_day(args.issued_to, "ngày cấp đến") if args.issued_to else None,
        valid_on=_valid_on(args) if args.only_valid else None,
    )


def _valid_on(args: argparse.Namespace) -> date:
    return _day(args.valid_on, "ngày xét hiệu lực") if args.valid_on else date.today()


def _query(args: argparse.Namespace, filters: Filters, console: Console) -> RecordQuery:
    if args.citizen:
        number = args.citizen.strip()
        if is_old_id(number):
            return RecordQuery(old_id=number, filters=filters)
        check = check_personal_number(number)
        if "length" in check.problems:
            raise UsageError(f"Số định danh cá nhân phải có 12 chữ số (hoặc số CMND 9 chữ số): {number!r}")
        for problem in check.problems:
            console.print(f"[yellow]Cảnh báo:[/yellow] {NUMBER_PROBLEMS[problem]}")
        return RecordQuery(personal_number=number, filters=filters)
    if args.old_id:
        if not is_old_id(args.old_id.strip()):
            raise UsageError(f"Số CMND phải có 9 chữ số: {args.old_id!r}")
        return RecordQuery(old_id=args.old_id.strip(), filters=filters)
    if args.name or args.dob:
        if not (args.name and args.dob):
            raise UsageError("Tra cứu theo họ tên cần cả --name và --dob (ngày sinh)")
        return RecordQuery(name=args.name, dob=_day(args.dob, "ngày sinh"), filters=filters)
    if args.code:
        return RecordQuery(code=args.code, filters=filters)
    if args.number:
        return RecordQuery(number=args.number, filters=filters)
    raise UsageError("Cần một trong: --citizen <số định danh>, --cmnd <số CMND>, --name cùng --dob, "
                     "--code <mã hồ sơ hoặc mã kết quả>, --number <số/ký hiệu>")


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


REUSABLE, EXPIRED, NEEDS_REVIEW = "valid", "expired", "needs_review"
_REUSE_TEXT = {REUSABLE: ("green", "DÙNG ĐƯỢC"), EXPIRED: ("red", "HẾT HIỆU LỰC"),
               NEEDS_REVIEW: ("yellow", "CẦN RÀ SOÁT")}


def reuse_status(hit: Hit, on: date) -> tuple[str, ValidityStatus]:
    """What the clerk does with it: reuse it, ask for a new one (expired), or check it first (needs review)."""
    validity = status_on(on, until=hit.valid_until, rule=hit.validity_rule, issued=hit.issue_date)
    if validity.code == "expired":
        return EXPIRED, validity
    if hit.needs_review or validity.code == "unknown":
        return NEEDS_REVIEW, validity
    return REUSABLE, validity


def _hit_json(hit: Hit, on: date) -> dict[str, Any]:
    reuse, status = reuse_status(hit, on)
    return {
        "result_code": hit.result_code, "dossier_code": hit.dossier_code, "type_id": hit.type_id,
        "type": hit.type_name, "number": hit.number,
        "issue_date": hit.issue_date.isoformat() if hit.issue_date else None, "issuer": hit.issuer,
        "reuse": reuse,
        "validity": {"status": status.code, "text": status.text, "as_of": on.isoformat(),
                     "valid_until": hit.valid_until.isoformat() if hit.valid_until else None,
                     "rule": hit.validity_rule, "note": hit.validity_note},
        "location": hit.location, "needs_review": hit.needs_review,
        "signed_copy": f"sohoa link {hit.result_code}",
        "persons": [{"role": p.role, "name": p.name, "dob": p.dob.isoformat() if p.dob else None,
                     "personal_number": p.personal_number, "old_id": p.old_id} for p in hit.persons],
    }


def _print_hits(hits: Sequence[Hit], on: date, console: Console, settings: Settings,
                focus: RecordQuery | None = None) -> None:
    """Documents grouped by type (types with a reusable document first, each newest first); each marked reusable,
    expired or to be checked, with its result code and how to get its signed copy. Narrow enough for any terminal."""
    catalogue = settings.catalogue
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.type_name or "Chưa xác định loại giấy tờ", []).append(hit)
    reusable_first = sorted(groups.items(), key=lambda g: all(reuse_status(h, on)[0] != REUSABLE for h in g[1]))
    for type_name, members in reusable_first:
        console.print(f"[bold]{type_name}[/bold] ({len(members)})", highlight=False)
        for hit in members:
            reuse, status = reuse_status(hit, on)
            colour, label = _REUSE_TEXT[reuse]
            heading = f"  [{colour}]{label}[/{colour}]"
            if hit.number:
                heading += f" — số {hit.number}"
            console.print(heading, highlight=False, soft_wrap=True)
            rows = [
                ("Ngày cấp", f"{hit.issue_date:%d/%m/%Y}" if hit.issue_date else "không rõ"),
                ("Cơ quan cấp", hit.issuer or "không rõ"),
                ("Hiệu lực", status.text + (f" ({hit.validity_note})" if reuse == EXPIRED and hit.validity_note
                                            else "")),
            ]
            if hit.needs_review:
                rows.append(("Rà soát", "hồ sơ số hóa chưa được người kiểm tra xác nhận"))
            for person in hit.persons:
                if focus is None or _matches(person, focus):
                    rows.append(("Vai trò", f"{catalogue.role_name(person.role)}: {person.name or 'không rõ tên'}"))
            rows += [("Mã kết quả", hit.result_code), ("Bản sao số", f"sohoa link {hit.result_code}"),
                     ("Nơi lưu", hit.location)]
            for label_, value in rows:
                console.print(f"     {label_ + ':':<13}{value}", highlight=False, soft_wrap=True)
        console.print()


def _matches(person: IndexedPerson, query: RecordQuery) -> bool:
    if query.personal_number:
        return person.personal_number == query.personal_number
    if query.old_id:
        return person.old_id == query.old_id
    if query.name and query.dob:
        return bool(person.name_key and person.dob == query.dob
                    and OSA.distance(person.name_key, name_key(query.name), score_cutoff=1) <= 1)
    return True


def _who(query: RecordQuery) -> str:
    if query.name and query.dob:
        return f"{query.name}, sinh {query.dob:%d/%m/%Y}"
    if query.code:
        return f"mã {query.code}"
    if query.number:
        return f"số/ký hiệu {query.number}"
    return query.personal_number or query.old_id or ""


def _warn_pending(services: Services, console: Console) -> None:
    waiting = len(services.outbox)
    if waiting:
        console.print(f"[yellow]Lưu ý:[/yellow] {waiting} hồ sơ đã lưu trữ nhưng chưa vào chỉ mục tra cứu nên có "
                      "thể chưa hiện ở đây; quản trị viên chạy: sohoa reindex --pending")


def cmd_lookup(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    query = _query(args, _filters(args, settings), console)
    on = _valid_on(args)
    services = open_services(settings)
    hits = services.index.find(query)
    log_access(services, "lookup", _query_log(query), args.purpose, hits)
    _warn_pending(services, console)
    if args.json:
        print(json.dumps({"query": _query_log(query), "as_of": on.isoformat(),
                          "documents": [_hit_json(h, on) for h in hits]}, ensure_ascii=False, indent=2))
        return 0
    who = _who(query)
    if not hits:
        console.print(f"Không tìm thấy giấy tờ nào đã số hóa của {who}.")
        return 0
    usable = sum(reuse_status(h, on)[0] == REUSABLE for h in hits)
    console.print(f"Giấy tờ đã số hóa của {who}: {len(hits)}; dùng được ngày {on:%d/%m/%Y}: {usable}. Công dân "
                  "không phải nộp lại giấy tờ được đánh dấu DÙNG ĐƯỢC.\n", highlight=False)
    _print_hits(hits, on, console, settings, focus=query)
    return 0


def _query_log(query: RecordQuery) -> dict[str, Any]:
    """The query as the audit log keeps it: whom was looked up, and with which filters."""
    out: dict[str, Any] = {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(query).items()
                           if v and k not in ("filters", "limit")}
    filters = {k: list(v) if isinstance(v, tuple) else v.isoformat() if isinstance(v, date) else v
               for k, v in asdict(query.filters).items() if v}
    if filters:
        out["filters"] = filters
    return out


# --- verify, show, search, review, reindex ----------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from pipeline.verification import verify_copy
    from signing.verify import NotVerifiable, report_vi

    path = Path(args.pdf)
    if not path.is_file():
        raise UsageError(f"Không có tệp {path}")
    at = None
    if args.at:
        day = parse_date(args.at)
        if day is None:
            raise UsageError(f"Ngày không hợp lệ: {args.at}")
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    services = open_services(settings)
    try:
        report, code = verify_copy(path.read_bytes(), settings, services.archive, at=at,
                                   fetch=False if args.offline else None)
    except NotVerifiable as e:
        console.print(str(e))
        return 1
    services.log("copy.verify", code, "Xác minh bản sao điện tử", file=path.name, ok=report.ok)
    if args.json:
        print(json.dumps({"ok": report.ok, "result_code": code, "problems": report.problems, "notes": report.notes,
                          "signatures": [{**asdict(r), "signed_at": r.signed_at.isoformat() if r.signed_at else None}
                                         for r in report.signatures]}, ensure_ascii=False, indent=2))
    else:
        print(report_vi(report, at=at))
    return 0 if report.ok else 1


def cmd_show(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    services = open_services(settings)
    manifest = services.archive.manifest(args.result_code)
    if manifest is None:
        console.print(f"Không có hồ sơ với mã kết quả {args.result_code}")
        return 1
    services.log("record.read", manifest.result_code, args.purpose, part="manifest")
    print(manifest.to_json(), end="")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    on = _valid_on(args)
    query = RecordQuery(text=" ".join(args.words), filters=_filters(args, settings), limit=args.limit)
    services = open_services(settings)
    hits = services.index.find(query)
    log_access(services, "search", _query_log(query), args.purpose, hits)
    _warn_pending(services, console)
    if args.json:
        print(json.dumps([_hit_json(h, on) for h in hits], ensure_ascii=False, indent=2))
    elif hits:
        console.print(f"Kết quả tìm kiếm «{' '.join(args.words)}»: {len(hits)} hồ sơ\n")
        _print_hits(hits, on, console, settings)
    else:
        console.print("Không tìm thấy.")
    return 0


def cmd_review(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    services = open_services(settings)
    hits = services.index.review_queue(limit=args.limit)
    rows = []
    for hit in hits:
        manifest = services.archive.find(hit.content_hash)
        rows.append((hit, [n.message for n in manifest.review] if manifest else []))
    if args.json:
        print(json.dumps([{"result_code": h.result_code, "location": h.location, "reasons": r} for h, r in rows],
                         ensure_ascii=False, indent=2))
        return 0
    if not rows:
        console.print("Không có hồ sơ nào cần rà soát.")
        return 0
    table = Table(title=f"Hồ sơ cần rà soát ({len(rows)})", show_lines=True)
    table.add_column("Mã kết quả")
    table.add_column("Loại giấy tờ")
    table.add_column("Lý do")
    for hit, reasons in rows:
        table.add_row(hit.result_code, hit.type_name or "Chưa xác định", "\n".join(reasons))
    console.print(table)
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from indexer.rebuild import drain, rebuild

    started = time.perf_counter()
    services = open_services(settings)
    if args.pending:
        drained = drain(services)
    else:
        report = rebuild(services)
        drained = report.drained
        services.log("index.rebuild", None, "Lập lại chỉ mục tra cứu từ kho lưu trữ", indexed=report.indexed,
                     caught_up=report.caught_up, damaged=report.damaged, refused=report.refused,
                     backend=settings.index_backend)
        console.print(f"Đã lập chỉ mục mới từ kho lưu trữ và chuyển tra cứu sang chỉ mục đó: {report.indexed} hồ sơ "
                      f"({time.perf_counter() - started:.1f} giây); cập nhật thêm {report.caught_up} hồ sơ thay đổi "
                      "trong lúc lập.", highlight=False)
        for type_id, n in services.index.count_by_type().items():
            name = settings.catalogue.get(type_id).name if type_id in {t.id for t in settings.catalogue.types} \
                else "Chưa xác định loại"
            console.print(f"   {name}: {n}", highlight=False)
        if report.refused:
            console.print(f"[red]{len(report.refused)} hồ sơ KHÔNG được lập chỉ mục vì manifest hỏng hoặc bị sửa "
                          "(chạy sohoa audit fixity):[/red]" + "".join(f"\n   {r}" for r in report.refused),
                          highlight=False)
        if report.damaged:
            console.print(f"[yellow]{len(report.damaged)} hồ sơ có tệp văn bản OCR không khớp mã băm nên được lập "
                          f"chỉ mục không kèm văn bản:[/yellow] {', '.join(report.damaged)} (chạy sohoa audit fixity)")
    if drained.done or drained.left:
        services.log("index.pending", None, "Đưa hồ sơ chờ vào chỉ mục tra cứu", done=drained.done,
                     left=drained.left)
    _print_drain(drained, console)
    return 0 if not drained.left else 4


def _print_drain(drained: DrainReport, console: Console) -> None:
    if drained.done:
        console.print(f"Đã đưa {drained.done} hồ sơ chờ vào chỉ mục.")
    if drained.left:
        console.print(f"[red]Còn {drained.left} hồ sơ chờ lập chỉ mục:[/red] {drained.error}")
    elif not drained.done:
        console.print("Không có hồ sơ nào chờ lập chỉ mục.")


# --- arguments --------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="data directory (default: $SOHOA_DATA_DIR or ~/.local/share/sohoa)")
    common.add_argument("--actor", help="who is acting, for the audit log (default: $SOHOA_ACTOR, else the login)")
    parser = argparse.ArgumentParser(prog="sohoa", description="Số hóa kết quả giải quyết thủ tục hành chính.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="digitise a folder of scans")
    p.add_argument("folder")
    p.add_argument("--workers", type=int, help="documents processed at once (default: settings, SOHOA_WORKERS)")
    p.add_argument("--operator", help="the digitising officer who signs this batch (default: $SOHOA_OPERATOR, "
                                      "else the actor); their key is [signing.officers.<operator>]")
    p.add_argument("--json", action="store_true", help="print the summary and per-file results as JSON")
    p.set_defaults(run=cmd_ingest)

    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--type", action="append", help="only this document type id (repeatable)")
    filters.add_argument("--issuer", help="only documents issued by this body (case and diacritics ignored)")
    filters.add_argument("--issued-from", help="only documents issued on or after this day")
    filters.add_argument("--issued-to", help="only documents issued on or before this day")
    filters.add_argument("--valid-on", help="judge validity on this day (YYYY-MM-DD or dd/mm/yyyy; default today)")
    filters.add_argument("--only-valid", action="store_true", help="leave out documents not valid that day")

    p = sub.add_parser("lookup", parents=[common, filters], help="a citizen's reusable documents")
    p.add_argument("--citizen", help="12-digit personal number (a 9-digit old ID number also works)")
    p.add_argument("--cmnd", "--old-id", dest="old_id", help="9-digit old ID card number (CMND)")
    p.add_argument("--name", help="full name, with or without diacritics; one OCR error is tolerated (with --dob)")
    p.add_argument("--dob", help="date of birth dd/mm/yyyy or YYYY-MM-DD (with --name)")
    p.add_argument("--code", help="a result code or a dossier code")
    p.add_argument("--number", help="the document's số/ký hiệu (case, diacritics and spaces ignored)")
    p.add_argument("--purpose", help="why, required (kept in the audit log), e.g. \"Tiếp nhận hồ sơ 000.00...\"")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_lookup)

    p = sub.add_parser("verify", parents=[common], help="check the signatures and QR code of a signed e-copy")
    p.add_argument("pdf")
    p.add_argument("--at", help="judge as of this day (YYYY-MM-DD or dd/mm/yyyy; default now)")
    p.add_argument("--offline", action="store_true", help="do not fetch OCSP/CRL: use only what the file carries")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_verify)

    p = sub.add_parser("show", parents=[common], help="print a record's manifest")
    p.add_argument("result_code")
    p.add_argument("--purpose", default="Xem hồ sơ", help="why (kept in the audit log)")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("search", parents=[common, filters], help="full-text search of names and document text")
    p.add_argument("words", nargs="+")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--purpose", help="why, required (kept in the audit log)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("review", parents=[common], help="records waiting for a person to check them")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_review)

    p = sub.add_parser("reindex", parents=[common], help="build a new index from the archive and switch to it")
    p.add_argument("--pending", action="store_true", help="only index the records waiting in the outbox")
    p.set_defaults(run=cmd_reindex)
    register_archive_commands(sub, common)
    register_signature_commands(sub, common)
    return parser


PERSONAL_READS = {"lookup": True, "search": True, "show": False}  # command -> whether the law asks a purpose


def _require_accountability(args: argparse.Namespace) -> None:
    """Reads of personal data name who reads (an account, not the machine's login) and, for lookups, why."""
    command = getattr(args, "command", None)
    if command not in PERSONAL_READS:
        return
    if not (getattr(args, "actor", None) or os.environ.get("SOHOA_ACTOR")):
        raise UsageError("Cần ghi rõ người tra cứu: --actor <tài khoản> (hoặc biến SOHOA_ACTOR); mỗi lần đọc dữ liệu "
                         "cá nhân được ghi vào nhật ký kiểm toán với tên người đọc.")
    if PERSONAL_READS[command] and not (getattr(args, "purpose", None) or "").strip():
        raise UsageError("Cần ghi rõ mục đích tra cứu: --purpose \"…\" (ví dụ: \"Tiếp nhận hồ sơ cấp phép xây "
                         "dựng\"); mục đích được ghi vào nhật ký kiểm toán.")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.umask(PRIVATE_UMASK)  # the data directory holds personal data: folders 0750, files 0640, keys 0600
    console = Console(stderr=bool(getattr(args, "json", False)))
    previous = os.environ.get("SOHOA_ACTOR")
    if getattr(args, "actor", None):
        os.environ["SOHOA_ACTOR"] = args.actor  # the audit log names them, for this command only
    try:
        return _run(args, console)
    finally:
        if previous is None:
            os.environ.pop("SOHOA_ACTOR", None)
        else:
            os.environ["SOHOA_ACTOR"] = previous


def _run(args: argparse.Namespace, console: Console) -> int:
    try:
        _require_accountability(args)
        settings = load_settings(args.data_dir)
        return int(args.run(args, settings, console))
    except (UsageError, ConfigError, CommandError) as e:
        console.print(f"[red]Lỗi:[/red] {e}")
        return 2
    except ArchiveError as e:  # unreachable storage, a refused deletion: a sentence, not a stack trace
        console.print(f"[red]Kho lưu trữ:[/red] {e}")
        return 3
    except IndexUnavailable as e:
        console.print(f"[red]Chỉ mục tra cứu:[/red] {e}")
        return 4
    except OSError as e:  # the data directory itself: unreadable, full, read-only
        where = f" {e.filename}" if e.filename else ""
        console.print(f"[red]Không truy cập được{where}:[/red] {os_error_vi(e)}.")
        return 3


if __name__ == "__main__":
    sys.exit(main())
