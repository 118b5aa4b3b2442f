"""The `sohoa` command line. What it prints for people is Vietnamese; --json output has English keys.

    sohoa ingest <folder>            digitise a folder of scans through the Prefect flow (--submit: to the workers)
    sohoa worker                     take chunks and upkeep runs from a Prefect server until stopped
    sohoa lookup --citizen <number>  a person's reusable documents (or --cmnd, --name with --dob, --code, --number;
                                     filters --type --issuer --issued-from/--issued-to --valid-on --only-valid)
    sohoa verify <signed.pdf>        check a copy's signature
    sohoa show <result code>         print a record's manifest
    sohoa search <words>             full-text search, diacritics ignored
    sohoa review                     records waiting for a person to check them
    sohoa serve [--port 8470]        the portal and the HTTP API;  sohoa clients add|revoke|list   its callers' keys
    sohoa correct <code> --reason …  a reviewer's correction (--type, --number, --issue-date, --issuer, --person)
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
import getpass
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from archive.objects import ArchiveError, os_error_vi
from cli.archive import register as register_archive_commands
from cli.common import CommandError, day_arg
from cli.people import register as register_people_commands
from cli.signatures import register as register_signature_commands
from cli.workers import register as register_worker_commands
from domain.actor import Actor
from domain.catalogue import ConfigError
from domain.records import Person
from flows import configure_prefect
from indexer.base import Filters, Hit, IndexUnavailable, RecordQuery
from pipeline.config import Settings, load_settings
from pipeline.services import PRIVATE_UMASK, open_services, services_for
from service.errors import NotFound, ServiceError
from service.lookup import (
    EXPIRED,
    NEEDS_REVIEW,
    REUSABLE,
    LookupAnswer,
    filters_for,
    hit_json,
    lookup,
    matches,
    person_query,
    reuse_status,
    search,
)

if TYPE_CHECKING:
    from flows.ingest import ScanList
    from indexer.rebuild import DrainReport


UsageError = CommandError  # a mistake in how the command was called


# --- ingest -----------------------------------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"Không có thư mục {folder}")
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


# --- lookup -----------------------------------------------------------------------------------------------------


def _day(text: str, what: str) -> date:
    day = day_arg(text, what)
    if day is None:
        raise UsageError(f"Cần {what}")
    return day


def _filters(args: argparse.Namespace, settings: Settings) -> Filters:
    return filters_for(
        settings,
        type_ids=tuple(args.type or ()),
        issuer=args.issuer or None,
        issued_from=_day(args.issued_from, "ngày cấp từ") if args.issued_from else None,
        issued_to=_day(args.issued_to, "ngày cấp đến") if args.issued_to else None,
        valid_on=_valid_on(args) if args.only_valid else None,
    )


def _valid_on(args: argparse.Namespace) -> date:
    return _day(args.valid_on, "ngày xét hiệu lực") if args.valid_on else date.today()


_REUSE_TEXT = {REUSABLE: ("green", "DÙNG ĐƯỢC"), EXPIRED: ("red", "HẾT HIỆU LỰC"),
               NEEDS_REVIEW: ("yellow", "CẦN RÀ SOÁT")}


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
                if focus is None or matches(person, focus):
                    rows.append(("Vai trò", f"{catalogue.role_name(person.role)}: {person.name or 'không rõ tên'}"))
            rows += [("Mã kết quả", hit.result_code), ("Bản sao số", f"sohoa link {hit.result_code}"),
                     ("Nơi lưu", hit.location)]
            for label_, value in rows:
                console.print(f"     {label_ + ':':<13}{value}", highlight=False, soft_wrap=True)
        console.print()


def _who(query: RecordQuery) -> str:
    if query.name and query.dob:
        return f"{query.name}, sinh {query.dob:%d/%m/%Y}"
    if query.code:
        return f"mã {query.code}"
    if query.number:
        return f"số/ký hiệu {query.number}"
    return query.personal_number or query.old_id or ""


def _warn_pending(answer: LookupAnswer, console: Console) -> None:
    if answer.pending:
        console.print(f"[yellow]Lưu ý:[/yellow] {answer.pending} hồ sơ đã lưu trữ nhưng chưa vào chỉ mục tra cứu nên "
                      "có thể chưa hiện ở đây; quản trị viên chạy: sohoa reindex --pending")


def cmd_lookup(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    query, warnings = person_query(citizen=args.citizen, old_id=args.old_id, name=args.name,
                                   dob=_day(args.dob, "ngày sinh") if args.dob else None, code=args.code,
                                   number=args.number, filters=_filters(args, settings))
    for warning in warnings:
        console.print(f"[yellow]Cảnh báo:[/yellow] {warning}")
    on = _valid_on(args)
    answer = lookup(open_services(settings), args.by, query, args.purpose, on=on, warnings=warnings)
    _warn_pending(answer, console)
    if args.json:
        print(json.dumps(answer.as_json(), ensure_ascii=False, indent=2))
        return 0
    hits, who = answer.hits, _who(query)
    if not hits:
        console.print(f"Không tìm thấy giấy tờ nào đã số hóa của {who}.")
        return 0
    usable = sum(reuse_status(h, on)[0] == REUSABLE for h in hits)
    console.print(f"Giấy tờ đã số hóa của {who}: {len(hits)}; dùng được ngày {on:%d/%m/%Y}: {usable}. Công dân "
                  "không phải nộp lại giấy tờ được đánh dấu DÙNG ĐƯỢC.\n", highlight=False)
    _print_hits(hits, on, console, settings, focus=query)
    return 0


# --- verify, show, search, review, reindex ----------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from service.records import verification_json, verify_upload
    from signing.verify import NotVerifiable, report_vi

    path = Path(args.pdf)
    if not path.is_file():
        raise UsageError(f"Không có tệp {path}")
    at = None
    day = day_arg(args.at, "ngày kiểm tra")  # 01/06/2031 or 2031-06-01, as the help says
    if day is not None:
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    try:
        report, code = verify_upload(open_services(settings), args.by, path.read_bytes(), path.name, at=at,
                                     fetch=False if args.offline else None)
    except NotVerifiable as e:
        console.print(str(e))
        return 1
    if args.json:
        answer = verification_json(report, code, at=at)
        del answer["report_vi"]
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        print(report_vi(report, at=at))
    return 0 if report.ok else 1


def cmd_show(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from service.records import show

    manifest = show(open_services(settings), args.by, args.result_code, args.purpose)
    print(manifest.to_json(), end="")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    on = _valid_on(args)
    answer = search(open_services(settings), args.by, " ".join(args.words), args.purpose,
                    filters=_filters(args, settings), limit=args.limit, on=on)
    _warn_pending(answer, console)
    if args.json:
        print(json.dumps([hit_json(h, on) for h in answer.hits], ensure_ascii=False, indent=2))
    elif answer.hits:
        console.print(f"Kết quả tìm kiếm «{' '.join(args.words)}»: {len(answer.hits)} hồ sơ\n")
        _print_hits(answer.hits, on, console, settings)
    else:
        console.print("Không tìm thấy.")
    return 0


def cmd_review(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from service.records import review_queue

    rows = [(item.hit, item.reasons) for item in review_queue(open_services(settings), args.by, limit=args.limit)]
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


def _person(text: str) -> Person:
    """--person "role=registrant;name=NGUYỄN VĂN A;dob=29/05/2015;personal_number=001215912779" """
    values: dict[str, Any] = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in Person.model_fields or key == "problems":
            raise UsageError(f"Không hiểu --person {text!r}: dùng role=…;name=…;dob=…;personal_number=…;old_id=…;sex=…")
        values[key] = _day(value, "ngày sinh") if key == "dob" else value.strip() or None
    if not values.get("role"):
        raise UsageError(f"--person cần role=… (vai trò của người trong giấy tờ): {text!r}")
    return Person(**values)


def cmd_correct(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from service.corrections import Changes, correct_record

    fields: dict[str, Any] = {}
    if args.number is not None:
        fields["number"] = args.number.strip() or None
    if args.issue_date is not None:
        fields["issue_date"] = _day(args.issue_date, "ngày cấp")
    if args.issuer is not None:
        fields["issuer"] = args.issuer.strip() or None
    persons = [_person(p) for p in args.person] if args.person else None
    manifest = correct_record(open_services(settings), args.by, args.result_code,
                              Changes(type_id=args.type, fields=fields, persons=persons), args.reason)
    if args.json:
        print(manifest.to_json(), end="")
    else:
        console.print(f"Đã lưu hồ sơ {manifest.result_code} phiên bản {manifest.version} (bản sao số đã ký lại, chỉ "
                      f"mục đã cập nhật; các phiên bản trước vẫn được giữ). Lý do: {manifest.change_reason}",
                      highlight=False)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    import uvicorn

    from service.auth_settings import load_auth_settings

    configure_prefect(settings.prefect_home)  # batches sent to the API run the Prefect flow in this process
    console.print(f"sohoa phục vụ cổng thông tin tại http://{args.host}:{args.port}/ (API: /v1, tài liệu: /docs); "
                  f"dữ liệu tại {settings.data_dir}; {args.workers} tiến trình", highlight=False)
    proxies = load_auth_settings(settings).trusted_proxies
    options: dict[str, Any] = {"host": args.host, "port": args.port, "log_level": args.log_level,
                               "timeout_graceful_shutdown": 10,  # X-Forwarded-For from the trusted proxies alone:
                               "proxy_headers": bool(proxies), "forwarded_allow_ips": ",".join(proxies) or None}
    if args.workers > 1:  # each worker process builds its own app from the data directory named here
        os.environ["SOHOA_DATA_DIR"] = str(settings.data_dir)
        uvicorn.run("portal.api:app_from_environment", factory=True, workers=args.workers, **options)
    else:
        from portal.api import create_app

        uvicorn.run(create_app(open_services(settings)), **options)
    return 0


def cmd_clients(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from service.clients import add_client, list_clients, revoke_client

    services = open_services(settings)
    if args.action == "add":
        if not args.name:
            raise UsageError("Cần --name: tên hệ thống gọi API")
        client, key = add_client(services, args.by, args.name, args.role)
        console.print(f"Đã cấp khóa API cho {client.name} (mã {client.id}, vai trò {client.role}). Khóa chỉ hiện một "
                      "lần này; hệ thống gửi nó trong tiêu đề Authorization: Bearer …", highlight=False)
        print(key)
    elif args.action == "revoke":
        if not args.client:
            raise UsageError("Cần mã hệ thống gọi API cần thu hồi")
        revoke_client(services, args.by, args.client)
        console.print(f"Đã thu hồi khóa API {args.client}.")
    else:
        for c in list_clients(services, args.by):
            state = f"thu hồi {c.revoked_at}" if c.revoked_at else "đang dùng"
            console.print(f"{c.id}  {c.name}  {c.role}  cấp {c.created_at} bởi {c.created_by}  {state}",
                          highlight=False)
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
        services.log(args.by, "index.rebuild", None, "Lập lại chỉ mục tra cứu từ kho lưu trữ", indexed=report.indexed,
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
        services.log(args.by, "index.pending", None, "Đưa hồ sơ chờ vào chỉ mục tra cứu", done=drained.done,
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
    p.add_argument("--submit", action="store_true", help="send the folder, in chunks, to the workers of the Prefect "
                                                         "server (PREFECT_API_URL) and return at once")
    p.add_argument("--chunk-files", type=int, help="files per chunk with --submit (default: [workers] chunk_files)")
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

    p = sub.add_parser("correct", parents=[common], help="a reviewer's correction: stored as a new version, "
                                                          "signed again and indexed")
    p.add_argument("result_code")
    p.add_argument("--reason", required=True, help="why (kept with the new version and in the audit log)")
    p.add_argument("--type", help="the right document type id")
    p.add_argument("--number", help="the right số/ký hiệu (empty: none)")
    p.add_argument("--issue-date", help="the right issue date (dd/mm/yyyy or YYYY-MM-DD)")
    p.add_argument("--issuer", help="the right issuing body")
    p.add_argument("--person", action="append", help='the people, all of them, one per --person: '
                                                     '"role=registrant;name=…;dob=…;personal_number=…"')
    p.add_argument("--json", action="store_true", help="print the new manifest")
    p.set_defaults(run=cmd_correct)

    p = sub.add_parser("serve", parents=[common], help="the portal's pages and the HTTP API for one-stop-shop systems")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8470)
    p.add_argument("--workers", type=int, default=1, help="server processes (each answers requests; default 1)")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("clients", parents=[common], help="API keys of other systems: add, revoke, list")
    p.add_argument("action", choices=["add", "revoke", "list"])
    p.add_argument("client", nargs="?", help="the client id (revoke)")
    p.add_argument("--name", help="the calling system, e.g. \"Một cửa điện tử tỉnh Gia Lai\" (add)")
    p.add_argument("--role", default="clerk", choices=["clerk", "reviewer", "archivist"],
                   help="what its calls may do (add; default clerk)")
    p.set_defaults(run=cmd_clients)

    p = sub.add_parser("reindex", parents=[common], help="build a new index from the archive and switch to it")
    p.add_argument("--pending", action="store_true", help="only index the records waiting in the outbox")
    p.set_defaults(run=cmd_reindex)
    register_archive_commands(sub, common)
    register_signature_commands(sub, common)
    register_people_commands(sub, common)
    register_worker_commands(sub, common)
    return parser


PERSONAL_READS = ("lookup", "search", "show", "intake")  # commands that read personal data
CLI_HINTS = {"purpose_required": '--purpose "…"', "name_needs_dob": "--name cùng --dob",
             "no_query": "--citizen, --cmnd, --name cùng --dob, --code hoặc --number"}  # how to say it here


def _require_accountability(args: argparse.Namespace) -> None:
    """Reads of personal data name who reads (an account, not the machine's login); the use cases ask the purpose."""
    if getattr(args, "command", None) in PERSONAL_READS and not (args.actor or os.environ.get("SOHOA_ACTOR")):
        raise UsageError("Cần ghi rõ người tra cứu: --actor <tài khoản> (hoặc biến SOHOA_ACTOR); mỗi lần đọc dữ liệu "
                         "cá nhân được ghi vào nhật ký kiểm toán với tên người đọc.")


def actor_of(args: argparse.Namespace) -> Actor:
    """Whoever runs the command on the archive machine: --actor, else SOHOA_ACTOR, else their login."""
    return Actor(args.actor or os.environ.get("SOHOA_ACTOR") or getpass.getuser(), "console")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.umask(PRIVATE_UMASK)  # the data directory holds personal data: folders 0750, files 0640, keys 0600
    console = Console(stderr=bool(getattr(args, "json", False)))
    return _run(args, console)


def _run(args: argparse.Namespace, console: Console) -> int:
    try:
        _require_accountability(args)
        args.by = actor_of(args)
        settings = load_settings(args.data_dir)
        return int(args.run(args, settings, console))
    except NotFound as e:
        console.print(e.message)
        return 1
    except ServiceError as e:
        hint = CLI_HINTS.get(e.code)
        console.print(f"[red]Lỗi:[/red] {e.message}" + (f" Ghi bằng: {hint}" if hint else ""))
        return 2
    except (ConfigError, CommandError) as e:
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
