"""Commands that read and change records: `sohoa lookup`, `verify`, `show`, `search`, `review` and `correct`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from cli.common import CommandError, day_arg
from domain.validity import EXPIRED, NEEDS_REVIEW, REUSABLE

if TYPE_CHECKING:  # annotations only: a command's modules load when it runs, not for the parser
    from context.settings import Settings
    from domain.records import Person
    from indexer.base import Filters, Hit, RecordQuery
    from service.lookup import LookupAnswer


def _day(text: str, what: str) -> date:
    day = day_arg(text, what)
    if day is None:
        raise CommandError("value_required", what=what)
    return day


def _filters(args: argparse.Namespace, settings: Settings) -> Filters:
    from service.lookup import filters_for
    return filters_for(
        settings,
        type_ids=tuple(args.type or ()),
        issuer=args.issuer or None,
        issued_from=_day(args.issued_from, "ngày cấp từ") if args.issued_from else None,
        issued_to=_day(args.issued_to, "ngày cấp đến") if args.issued_to else None,
        valid_on=_valid_on(args) if args.only_valid else None,
        fonds=args.fonds, inventory=args.inventory, box=args.box, file=args.file,
    )


def _valid_on(args: argparse.Namespace) -> date:
    return _day(args.valid_on, "ngày xét hiệu lực") if args.valid_on else date.today()


_REUSE_TEXT = {REUSABLE: ("green", "DÙNG ĐƯỢC"), EXPIRED: ("red", "HẾT HIỆU LỰC"),
               NEEDS_REVIEW: ("yellow", "CẦN RÀ SOÁT")}


def _print_hits(hits: Sequence[Hit], on: date, console: Console, settings: Settings,
                focus: RecordQuery | None = None) -> None:
    """Documents grouped by type (types with a reusable document first, each newest first); each marked reusable,
    expired or to be checked, with its result code and how to get its signed copy. Narrow enough for any terminal."""
    from service.lookup import matches, reuse_status
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
    from context.services import open_services
    from service.lookup import lookup, person_query, reuse_status
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


def cmd_verify(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.records import verification_json, verify_upload
    from signing.verification_report import NotVerifiable, report_vi

    path = Path(args.pdf)
    if not path.is_file():
        raise CommandError("no_file", path=path)
    at = None
    day = day_arg(args.at, "ngày kiểm tra")  # 01/06/2031 or 2031-06-01, as the help says
    if day is not None:
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    try:
        report, code = verify_upload(open_services(settings), args.by, path.read_bytes(), path.name, at=at,
                                     fetch=False if args.offline else None)
    except NotVerifiable as e:
        console.print(e.vietnamese)
        return 1
    if args.json:
        answer = verification_json(report, code, at=at)
        del answer["report_vi"]
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        print(report_vi(report, at=at))
    return 0 if report.ok else 1


def cmd_show(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.records import show

    manifest = show(open_services(settings), args.by, args.result_code, args.purpose)
    print(manifest.to_json(), end="")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
    from service.lookup import hit_json, search
    on = _valid_on(args)
    answer = search(open_services(settings), args.by, " ".join(args.words), args.purpose,
                    filters=_filters(args, settings), limit=args.limit, on=on)
    _warn_pending(answer, console)
    if args.json:
        print(json.dumps([hit_json(h, on) for h in answer.hits], ensure_ascii=False, indent=2))
    elif answer.hits:
        place = ", ".join(f"{label} {value}" for label, value in (("phông", args.fonds), ("mục lục", args.inventory),
                                                                   ("hộp", args.box), ("hồ sơ", args.file)) if value)
        asked = f"«{' '.join(args.words)}»" if args.words else place
        console.print(f"Kết quả tìm kiếm {asked}: {len(answer.hits)} hồ sơ\n")
        _print_hits(answer.hits, on, console, settings)
    else:
        console.print("Không tìm thấy.")
    return 0


def cmd_review(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from rich.table import Table

    from context.services import open_services
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
    from domain.records import Person
    values: dict[str, Any] = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in Person.model_fields or key == "problems":
            raise CommandError("bad_person", text=text)
        values[key] = _day(value, "ngày sinh") if key == "dob" else value.strip() or None
    if not values.get("role"):
        raise CommandError("person_role_required", text=text)
    return Person(**values)


def cmd_correct(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
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




def register(sub: Any, common: argparse.ArgumentParser) -> None:
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--type", action="append", help="only this document type id (repeatable)")
    filters.add_argument("--issuer", help="only documents issued by this body (case and diacritics ignored)")
    filters.add_argument("--issued-from", help="only documents issued on or after this day")
    filters.add_argument("--issued-to", help="only documents issued on or before this day")
    filters.add_argument("--valid-on", help="judge validity on this day (YYYY-MM-DD or dd/mm/yyyy; default today)")
    filters.add_argument("--only-valid", action="store_true", help="leave out documents not valid that day")
    filters.add_argument("--fonds", help="only records whose paper is in this fonds (phông)")
    filters.add_argument("--inventory", help="... in this inventory (mục lục)")
    filters.add_argument("--box", help="... in this box (hộp)")
    filters.add_argument("--file", help="... in this file (hồ sơ số)")

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

    p = sub.add_parser("search", parents=[common, filters], help="full-text search of names and document text "
                                                                "(or, with no words, --fonds/--inventory/--box/--file)")
    p.add_argument("words", nargs="*")
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
