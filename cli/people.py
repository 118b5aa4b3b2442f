"""Commands for people and desks: local staff accounts (`sohoa users`), the intake check at the one-stop desk
(`sohoa intake`) and ingest batches (`sohoa batches`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console

from cli.common import CommandError, day_arg

if TYPE_CHECKING:  # annotations only: a command's modules load when it runs, not for the parser
    from context.settings import Settings

STATUS_VI = {"held": "ĐÃ CÓ, CÒN HIỆU LỰC — không phải nộp", "expired": "ĐÃ CÓ NHƯNG HẾT HIỆU LỰC — phải nộp bản mới",
             "needs_review": "ĐÃ CÓ, CẦN RÀ SOÁT trước khi dùng", "not_held": "CHƯA CÓ — phải nộp"}


def cmd_users(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.accounts import add_user, disable_user, list_users, reset_user, unlock_user
    services = open_services(settings)
    if args.action == "list":
        for u in list_users(services, args.by):
            state = f"khóa {u.disabled_at}" if u.disabled_at else "đang dùng"
            console.print(f"{u.username}  {u.name}  {u.role}  tạo {u.created_at} bởi {u.created_by}  {state}",
                          highlight=False)
        return 0
    if not args.username:
        raise CommandError("username_required")
    if args.action == "add":
        if not args.name:
            raise CommandError("name_required")
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
        account, first = add_user(services, args.by, args.username, args.name, args.role, password)
        console.print(f"Đã tạo tài khoản {account.username} ({account.name}, vai trò {account.role}).",
                      highlight=False)
        if password is None:
            console.print("Mật khẩu ban đầu (chỉ hiện một lần; người dùng phải đổi khi đăng nhập lần đầu):")
            print(first)
    elif args.action == "disable":
        disable_user(services, args.by, args.username)
        console.print(f"Đã khóa tài khoản {args.username}; các phiên đăng nhập của tài khoản đã kết thúc.")
    elif args.action == "unlock":
        unlock_user(services, args.by, args.username)
        console.print(f"Đã mở khóa đăng nhập của {args.username}; mật khẩu giữ nguyên.")
    else:
        password = reset_user(services, args.by, args.username)
        console.print(f"Đã đặt lại mật khẩu của {args.username} (chỉ hiện một lần; phải đổi khi đăng nhập):")
        print(password)
    return 0


def cmd_intake(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.intake import intake_check
    from service.lookup import person_query
    query, _ = person_query(citizen=args.citizen, old_id=args.old_id, name=args.name,
                            dob=day_arg(args.dob, "ngày sinh"))
    answer = intake_check(open_services(settings), args.by, query, args.procedure, args.purpose or "",
                          appointment=day_arg(args.appointment, "ngày hẹn"), dossier_code=args.dossier)
    if args.json:
        print(json.dumps(answer.as_json(), ensure_ascii=False, indent=2))
        return 0
    out = answer.as_json()
    console.print(f"Thủ tục {answer.procedure.code} — {answer.procedure.name}; xét hiệu lực ngày "
                  f"{answer.appointment:%d/%m/%Y}.", highlight=False)
    for p in answer.papers:
        extra = " (chỉ khi cần)" if p.paper.optional else ""
        console.print(f"  {p.paper.name}{extra}: {STATUS_VI[p.status]}", highlight=False)
        if p.document:
            console.print(f"      mã kết quả {p.document.result_code}" + (f"; bản sao: {p.link}" if p.link else ""),
                          highlight=False, soft_wrap=True)
    console.print(f"Công dân không phải nộp {out['need_not_bring']} trong {out['required']} giấy tờ bắt buộc."
                  + (f" Đã ghi nhận cho hồ sơ {answer.dossier_code}." if answer.dossier_code else
                     " (Ghi --dossier <mã hồ sơ> để ghi nhận việc tái sử dụng.)"), highlight=False)
    return 0


def cmd_batches(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.batches import batch_status, list_batches
    services = open_services(settings)
    batches = [batch_status(services, args.by, args.batch)] if args.batch else list_batches(services, args.by)
    if args.json:
        print(json.dumps([b.as_json() for b in batches], ensure_ascii=False, indent=2))
        return 0
    if not batches:
        console.print("Chưa có lô số hóa nào.")
    for b in batches:
        accepted = b.outcomes.get("accepted", 0)
        console.print(f"{b.id}  {b.state}  {b.done}/{b.files} tệp  {accepted} hồ sơ mới, {b.pages} trang, "
                      f"{len(b.quarantined)} cách ly  gửi bởi {b.submitted_by} lúc {b.submitted_at}  {b.folder}",
                      highlight=False, soft_wrap=True)
        for q in b.quarantined if args.batch else ():
            console.print(f"    cách ly {q['file']}: {q['reason']}", highlight=False, soft_wrap=True)
    return 0


def cmd_labels(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.labels import list_learned, remove_learned
    services = open_services(settings)
    if args.action == "remove":
        if not args.label:
            raise CommandError("label_required")
        gone = remove_learned(services, args.by, args.label)
        console.print(f"Đã gỡ nhãn đã học {gone.id} ({gone.label!r}, loại {gone.type_id}).", highlight=False)
        return 0
    learned = list_learned(services, args.by)
    if not learned:
        console.print("Chưa học được nhãn nào từ các lần hiệu đính.")
    for x in learned:
        console.print(f"{x.id}  {x.type_id}  {x.kind}  {x.label!r}  học từ {x.learned_from} (hiệu đính bởi "
                      f"{x.learned_by}, {x.learned_at})", highlight=False, soft_wrap=True)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    from domain.actor import STAFF_ROLES
    p = sub.add_parser("users", parents=[common], help="local staff accounts: add, disable, reset, unlock, list")
    p.add_argument("action", choices=["add", "disable", "reset", "unlock", "list"])
    p.add_argument("username", nargs="?")
    p.add_argument("--name", help="the person's full name (add)")
    p.add_argument("--role", default="clerk", choices=STAFF_ROLES, help="what they may do (add; default clerk)")
    p.add_argument("--password-stdin", action="store_true", help="read the first password from standard input "
                                                                 "instead of making a one-time one (add)")
    p.set_defaults(run=cmd_users)

    p = sub.add_parser("intake", parents=[common], help="which required papers an applicant need not bring")
    p.add_argument("--procedure", required=True, help="the procedure's code, e.g. 1.000894")
    p.add_argument("--citizen", help="12-digit personal number (or a 9-digit old ID)")
    p.add_argument("--cmnd", "--old-id", dest="old_id")
    p.add_argument("--name")
    p.add_argument("--dob")
    p.add_argument("--appointment", help="the day validity is judged on (default today)")
    p.add_argument("--dossier", help="the new dossier's code: records the reuse against it")
    p.add_argument("--purpose", help="why, required (kept in the audit log)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_intake)

    p = sub.add_parser("labels", parents=[common], help="label wordings learned from corrections: list, remove")
    p.add_argument("action", choices=["list", "remove"])
    p.add_argument("label", nargs="?", help="the learned label's id (remove)")
    p.set_defaults(run=cmd_labels)

    p = sub.add_parser("batches", parents=[common], help="ingest batches and their progress")
    p.add_argument("batch", nargs="?", help="one batch's id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_batches)
