"""The archivist's commands: fixity and retention audits, the audit log, legal holds, disposition, transfer packages
and download links. Registered on the `sohoa` parser by cli.main; what they print for people is Vietnamese."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from archive.layout import OCR_TEXT, ORIGINAL, SIGNED_PDF
from cli.common import CommandError, day_arg

if TYPE_CHECKING:  # annotations only: a command's modules load when it runs, not for the parser
    from archive.audit_log import Verification
    from context.services import Services
    from context.settings import Settings
    from domain.records import Manifest

PROBLEMS_VI = {"missing": "mất tệp", "changed": "nội dung bị thay đổi", "unexpected": "tệp lạ không có trong manifest",
               "incomplete": "ghi dở, không có manifest", "damaged": "manifest hỏng hoặc bị sửa",
               "dangling": "con trỏ mã kết quả sai"}
ROLES = {"signed": SIGNED_PDF, "original": ORIGINAL, "text": OCR_TEXT}


def _record(services: Services, result_code: str) -> Manifest:
    manifest = services.archive.manifest(result_code)
    if manifest is None:
        raise CommandError("no_record", result_code=result_code)
    return manifest


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# --- sohoa audit ... --------------------------------------------------------------------------------------------


def cmd_fixity(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.audits import fixity_audit
    report = fixity_audit(open_services(settings), args.by, sample=args.sample, seed=args.seed)
    if args.json:
        _print_json({"ok": report.ok, "records": report.records, "objects": report.objects, "bytes": report.bytes,
                     "seconds": round(report.seconds, 3), "findings": [asdict(f) for f in report.findings]})
        return 0 if report.ok else 1
    console.print(f"Đã kiểm tra {report.records} hồ sơ, {report.objects} tệp, {report.bytes / 1e6:.1f} MB "
                  f"trong {report.seconds:.1f} giây.")
    if report.ok:
        console.print("[green]Toàn vẹn: mọi tệp khớp mã băm trong manifest, mọi manifest khớp mã băm lưu khi ghi và "
                      "nhật ký kiểm toán; không có tệp lạ.[/green]")
        return 0
    # One block per finding, never a table: codes and paths are read in full at any terminal width.
    console.print(f"[red]Phát hiện {len(report.findings)} vấn đề:[/red]")
    for f in report.findings:
        detail = f" ({f.detail})" if f.detail else ""
        console.print(f"- {PROBLEMS_VI[f.problem]}{detail}\n    Mã kết quả: {f.result_code or '—'}\n    Tệp: {f.key}",
                      highlight=False, soft_wrap=True)
    return 1


def cmd_retention(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from rich.table import Table

    from context.services import open_services
    from service.audits import retention_audit
    report = retention_audit(open_services(settings), args.by, due_within_days=args.days)
    if args.json:
        _print_json(report.as_json())
        return 0
    classes = settings.retention.classes
    table = Table(title=f"Hồ sơ theo loại giấy tờ và thời hạn lưu trữ (ngày {report.as_of})")
    for column in ("Loại giấy tờ", "Thời hạn lưu trữ", "Số hồ sơ"):
        table.add_column(column)
    for (type_id, class_id), n in sorted(report.counts.items()):
        name = settings.catalogue.get(type_id).name if type_id in {t.id for t in settings.catalogue.types} \
            else "Chưa phân loại"
        table.add_row(name, classes[class_id].label if class_id in classes else class_id, str(n))
    console.print(table)
    sections = [(f"Hết thời hạn lưu trữ trong {args.days} ngày tới", report.due),
                ("Đã hết thời hạn lưu trữ, chờ xét tiêu hủy", report.expired),
                ("Đang bị phong tỏa (legal hold)", report.held)]
    for title, lines in sections:
        console.print(f"{title}: {len(lines)}")
        for line in lines:
            console.print(f"   {line.result_code}  đến {line.retain_until}", highlight=False)
    console.print(f"Thiếu chữ ký số: {len(report.unsigned)}" + "".join(f"\n   {c}" for c in report.unsigned))
    console.print(f"Ghi dở (không có manifest): {len(report.incomplete)}"
                  + "".join(f"\n   {h}" for h in report.incomplete))
    if report.damaged:
        console.print(f"[red]Manifest hỏng hoặc bị sửa (chạy sohoa audit fixity): {len(report.damaged)}[/red]"
                      + "".join(f"\n   {d}" for d in report.damaged), highlight=False)
    if report.unlocked:
        console.print(f"Không có khóa lưu trữ: {len(report.unlocked)}" + "".join(f"\n   {c}" for c in report.unlocked))
    numbers = report.numbers
    console.print(f"Số hồ sơ đã cấp: {numbers.reserved}; không hồ sơ nào dùng (khoảng trống): {len(numbers.unused)}"
                  + "".join(f"\n   {c}" for c in numbers.unused), highlight=False)
    if numbers.unfinished:
        console.print(f"Số hồ sơ của hồ sơ đang ghi dở (chạy lại lệnh số hóa để hoàn tất): {len(numbers.unfinished)}"
                      + "".join(f"\n   {c}" for c in numbers.unfinished), highlight=False)
    if numbers.double:
        console.print(f"[red]Một hồ sơ giữ nhiều số: {len(numbers.double)}[/red]"
                      + "".join(f"\n   {c}" for c in numbers.double), highlight=False)
    return 0


def _show_verification(result: Verification, console: Console) -> int:
    if result.ok:
        console.print(f"[green]Nhật ký toàn vẹn:[/green] {result.events} sự kiện, hash cuối {result.head}")
        return 0
    console.print(f"[red]Nhật ký bị sửa đổi[/red] tại sự kiện thứ {result.position}: {result.reason} "
                  f"({result.events} sự kiện đầu còn nguyên vẹn).")
    return 1


def cmd_verify_log(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from archive.audit_log import verify_events
    from context.services import open_services
    from service.audits import log_check
    if args.file:
        path = Path(args.file)
        if not path.is_file():
            raise CommandError("no_file", path=path)
        with path.open(encoding="utf-8") as f:
            return _show_verification(verify_events(f), console)
    return _show_verification(log_check(open_services(settings), args.by), console)


def cmd_export_log(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    services = open_services(settings)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    try:
        for line in services.audit.lines():
            out.write(line + "\n")
    finally:
        if args.out:
            out.close()
    return 0


def cmd_access(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.audits import access_report
    report = access_report(open_services(settings), args.by, personal_number=args.citizen, record=args.record,
                           by=args.reader, since=day_arg(args.since, "ngày"), until=day_arg(args.until, "ngày"),
                           purpose=args.purpose or "")
    if args.json:
        _print_json(report.events)
        return 0
    console.print(f"{len(report.events)} lượt đọc dữ liệu cá nhân khớp điều kiện:")
    for e in report.events:
        found = len((e.get("details") or {}).get("results") or ())
        console.print(f"  {e['time']}  {e['actor']}  {e['action']}  {e.get('record') or ''}  ({found} kết quả)  "
                      f"mục đích: {e.get('purpose') or '—'}", highlight=False, soft_wrap=True)
    return 0


def cmd_reuse(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.audits import reuse_report
    report = reuse_report(open_services(settings), args.by)
    if args.json:
        _print_json(report.as_json())
        return 0
    console.print(f"{report.dossiers} hồ sơ tiếp nhận đã kiểm tra; {report.reused} trong {report.required} giấy tờ "
                  f"phải nộp công dân không phải nộp lại ({report.rate:.1%}; mục tiêu QĐ 468/QĐ-TTg: 80%).",
                  highlight=False)
    return 0


# --- legal hold, disposition ------------------------------------------------------------------------------------


def cmd_hold(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.archivist import set_legal_hold
    on = args.action == "set"
    manifest = set_legal_hold(open_services(settings), args.by, args.result_code, on, args.reason)
    console.print(f"{'Đã phong tỏa' if on else 'Đã gỡ phong tỏa'} hồ sơ {manifest.result_code}.")
    return 0


def cmd_retain(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.archivist import extend_retention
    until = None if args.permanent else day_arg(args.until, "ngày")
    manifest = extend_retention(open_services(settings), args.by, args.result_code, until, args.reason)
    kept = f"đến hết ngày {until:%d/%m/%Y}" if until else "vĩnh viễn"
    console.print(f"Đã gia hạn lưu trữ hồ sơ {manifest.result_code} {kept} (phiên bản {manifest.version}; mọi tệp "
                  "của mọi phiên bản được khóa tới ngày đó).", highlight=False)
    return 0


def cmd_dispose(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.archivist import approve_disposal, pending_disposals, refuse_disposal, request_disposal
    services = open_services(settings)
    if args.action == "list":
        pending = pending_disposals(services, args.by)
        if args.json:
            _print_json([asdict(r) for r in pending])
        elif not pending:
            console.print("Không có đề nghị tiêu hủy nào chờ phê duyệt.")
        for r in pending if not args.json else []:
            console.print(f"{r.id}  {r.result_code}  đề nghị bởi {r.requested_by} lúc {r.requested_at}: {r.reason}",
                          highlight=False)
        return 0
    if args.action == "request":
        if not args.target:
            raise CommandError("record_required")
        request = request_disposal(services, args.by, args.target, args.reason)
        console.print(f"Đã ghi đề nghị tiêu hủy {request.id} cho hồ sơ {request.result_code}. Một người khác "
                      f"phê duyệt bằng: sohoa dispose approve {request.id}")
        return 0
    if not args.target:
        raise CommandError("request_required")
    if args.action == "refuse":
        refused = refuse_disposal(services, args.by, args.target, args.reason)
        console.print(f"Đã từ chối đề nghị tiêu hủy {refused.id}; hồ sơ {refused.result_code} được giữ nguyên.")
        return 0
    done = approve_disposal(services, args.by, args.target, args.reason)
    console.print(f"Đã phê duyệt và tiêu hủy hồ sơ {done.result_code} ({done.objects_deleted} đối tượng).")
    return 0


# --- transfer package, download links ---------------------------------------------------------------------------


def cmd_export_bagit(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.archivist import export_transfer
    packed = export_transfer(open_services(settings), args.by, args.result_codes, Path(args.out), args.purpose)
    console.print(f"Đã đóng gói {packed} hồ sơ theo BagIt tại {args.out} (đã kiểm tra mã băm).")
    return 0


def cmd_link(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.records import download_link
    link = download_link(open_services(settings), args.by, args.result_code, ROLES[args.file], args.purpose,
                         minutes=args.minutes)
    if args.json:
        _print_json({"result_code": link.result_code, "url": link.url, "expires_in_s": link.expires_in_s})
    else:
        print(link.url)
        console.print(f"Liên kết dùng được trong {link.expires_in_s / 60:g} phút.", style="dim")
    return 0


def cmd_serve_downloads(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from archive.filesystem import FilesystemObjects
    from archive.link_server import serve
    from context.services import open_services

    objects = open_services(settings).archive.objects
    if not isinstance(objects, FilesystemObjects):
        raise CommandError("links_served_by_minio")
    console.print(f"Phục vụ liên kết tải tại http://{args.host}:{args.port} (Ctrl+C để dừng)")
    serve(objects, args.host, args.port)
    return 0


# --- arguments --------------------------------------------------------------------------------------------------


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", help="archivist's audits: fixity, retention, the audit log")
    audit = p.add_subparsers(dest="audit_command", required=True)
    a = audit.add_parser("fixity", parents=[common], help="re-read objects and compare their SHA-256 with manifests")
    a.add_argument("--sample", type=int, help="check this many records picked at random (default: all)")
    a.add_argument("--seed", type=int, help="random seed for --sample (to repeat a run)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_fixity)
    a = audit.add_parser("retention", parents=[common], help="holdings by type and class, due dates, holds, gaps")
    a.add_argument("--days", type=int, default=90, help="report records due for disposition within N days")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_retention)
    a = audit.add_parser("verify-log", parents=[common], help="check the audit log's hash chain")
    a.add_argument("--file", help="check an exported copy (JSON lines) instead of the archive's log")
    a.set_defaults(run=cmd_verify_log)
    a = audit.add_parser("access", parents=[common], help="reads of personal data: of a citizen, a record, by a reader")
    a.add_argument("--citizen", help="the personal number whose reads to list (a citizen's request to know)")
    a.add_argument("--record", help="a result code")
    a.add_argument("--reader", help="an account (actor) whose reads to list")
    a.add_argument("--since", help="from this day")
    a.add_argument("--until", help="to this day")
    a.add_argument("--purpose", help="why this report is made, required (kept in the audit log)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_access)
    a = audit.add_parser("reuse", parents=[common], help="papers citizens did not have to bring again")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_reuse)
    a = audit.add_parser("export-log", parents=[common], help="print the audit log as JSON lines")
    a.add_argument("--out", help="write to this file instead of standard output")
    a.set_defaults(run=cmd_export_log)

    p = sub.add_parser("hold", parents=[common], help="set or lift a legal hold on a record")
    p.add_argument("action", choices=["set", "lift"])
    p.add_argument("result_code")
    p.add_argument("--reason", required=True, help="why (kept in the audit log)")
    p.set_defaults(run=cmd_hold)

    p = sub.add_parser("retain", parents=[common], help="keep a record longer than its retention class says")
    p.add_argument("result_code")
    until = p.add_mutually_exclusive_group(required=True)
    until.add_argument("--until", help="the new last day (YYYY-MM-DD or dd/mm/yyyy), after the current one")
    until.add_argument("--permanent", action="store_true", help="keep it for good")
    p.add_argument("--reason", required=True, help="why (kept with the new version and in the audit log)")
    p.set_defaults(run=cmd_retain)

    p = sub.add_parser("dispose", parents=[common],
                       help="request, list, approve or refuse the disposition of a record")
    p.add_argument("action", choices=["request", "approve", "refuse", "list"])
    p.add_argument("target", nargs="?", help="result code (request) or request id (approve, refuse)")
    p.add_argument("--reason", default="Hết thời hạn lưu trữ", help="why (kept with the request and in the log)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_dispose)

    p = sub.add_parser("export", help="transfer packages")
    export = p.add_subparsers(dest="export_command", required=True)
    e = export.add_parser("bagit", parents=[common], help="pack records as a validated BagIt bag")
    e.add_argument("result_codes", nargs="+")
    e.add_argument("--out", required=True, help="folder to create for the bag")
    e.add_argument("--purpose", default="Chuyển giao vào lưu trữ lịch sử", help="why (kept in the audit log)")
    e.set_defaults(run=cmd_export_bagit)

    p = sub.add_parser("link", parents=[common], help="a short-lived download link for a record's file")
    p.add_argument("result_code")
    p.add_argument("--file", choices=sorted(ROLES), default="signed")
    p.add_argument("--minutes", type=float, help="how long the link works (default: settings, 15)")
    p.add_argument("--purpose", default="Cấp bản sao điện tử", help="why (kept in the audit log)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_link)

    p = sub.add_parser("serve-downloads", parents=[common], help="answer download links of the filesystem archive")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8470)
    p.set_defaults(run=cmd_serve_downloads)
