"""`sohoa signatures status|upgrade|renew`: the archivist's view and upkeep of the archive's signatures.

    sohoa signatures status [--horizon-days N]   records by signature level; upgrades owed; proofs expiring soon
    sohoa signatures upgrade [--limit N]         bring records signed below their level up to it (TSA was down)
    sohoa signatures renew [--horizon-days N]    new document timestamps before the last ones' certificates expire

Each change is a new record version and an audit-log event; what could not be done is listed with the reason and
makes the command end with status 1.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:  # annotations only: a command's modules load when it runs, not for the parser
    from context.services import Services
    from context.settings import Settings

if TYPE_CHECKING:  # service.signature_upkeep loads pyHanko: imported when one of these commands runs, not by all
    from service.signature_upkeep import UpkeepReport


def cmd_status(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from archive.base import SIGNED_PDF
    from context.services import open_services
    from service.signature_upkeep import expiring, pending_upgrade

    services = open_services(settings)
    horizon = args.horizon_days if args.horizon_days is not None else settings.signing.renew_horizon_days
    manifests = [m for m in services.archive.manifests() if SIGNED_PDF in m.files]
    levels = Counter(m.signature.level for m in manifests)
    owed = [m for m in manifests if pending_upgrade(m)]
    soon = expiring(services, horizon_days=horizon)
    services.log(args.by, "signatures.status", None, "Báo cáo tình trạng chữ ký số", records=len(manifests),
                 upgrades_owed=len(owed), expiring=len(soon))
    if args.json:
        print(json.dumps({"records": len(manifests), "levels": dict(levels),
                          "upgrades_owed": [{"result_code": m.result_code, "level": m.signature.level,
                                             "target_level": m.signature.target_level} for m in owed],
                          "expiring": [{"result_code": m.result_code, "what": what} for m, what in soon]},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"Chữ ký số trong kho lưu trữ: {len(manifests)} hồ sơ")
    for level in ("B-B", "B-T", "B-LT", "B-LTA"):
        print(f"  Mức {level}: {levels.get(level, 0)}")
    print(f"Chưa đạt mức cấu hình ({settings.signing.level}), cần chạy `sohoa signatures upgrade`: {len(owed)}")
    for m in owed:
        print(f"  {m.result_code}: {m.signature.level} → {m.signature.target_level}")
    print(f"Bằng chứng hết hạn trong {horizon} ngày tới, cần chạy `sohoa signatures renew`: {len(soon)}")
    for m, what in soon:
        print(f"  {m.result_code}: {what}")
    return 0


def _report(report: UpkeepReport, args: argparse.Namespace, title: str) -> int:
    from service.signature_upkeep import FAILED

    if args.json:
        print(json.dumps({"checked": report.checked, "done": [asdict(u) for u in report.done]},
                         ensure_ascii=False, indent=2))
    else:
        done = [u for u in report.done if u.action != FAILED]
        print(f"{title}: đã xét {report.checked} hồ sơ; đã thực hiện {len(done)}; không thực hiện được "
              f"{len(report.failed)}")
        for u in report.done:
            mark = "LỖI" if u.action == FAILED else f"v{u.version}"
            print(f"  [{mark}] {u.result_code}: {u.reason} ({u.level_before} → {u.level_after})")
    return 1 if report.failed else 0


def _upkeep(settings: Settings, console: Console, args: argparse.Namespace, title: str,
            run: Callable[[Services], UpkeepReport]) -> int:
    from context.services import open_services
    from signing.ltv import UpkeepError

    try:
        report = run(open_services(settings))
    except UpkeepError as e:  # no timestamp authority configured: nothing can be done for any record
        console.print(f"[red]Ký số:[/red] {e.vietnamese}")
        return 2
    return _report(report, args, title)


def cmd_upgrade(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from service.signature_upkeep import upgrade_records

    return _upkeep(settings, console, args, "Nâng cấp chữ ký", lambda s: upgrade_records(s, args.by, limit=args.limit))


def cmd_renew(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from service.signature_upkeep import renew_records

    return _upkeep(settings, console, args, "Gia hạn dấu thời gian lưu trữ",
                   lambda s: renew_records(s, args.by, horizon_days=args.horizon_days))


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("signatures", help="the archive's signatures: status, upgrade, renewal")
    signatures = p.add_subparsers(dest="signatures_command", required=True)
    a = signatures.add_parser("status", parents=[common], help="records by level; upgrades owed; proofs expiring")
    a.add_argument("--horizon-days", type=int, help="expiring within N days (default: [signing] renew_horizon_days)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_status)
    a = signatures.add_parser("upgrade", parents=[common], help="bring records signed below their level up to it")
    a.add_argument("--limit", type=int, help="at most this many records")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_upgrade)
    a = signatures.add_parser("renew", parents=[common], help="add document timestamps before proofs expire")
    a.add_argument("--horizon-days", type=int, help="renew what expires within N days (default: settings)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_renew)
