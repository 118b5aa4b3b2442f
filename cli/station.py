"""`sohoa watch` and `sohoa separator`: the scanning station. A watched folder the scanners write into, each file split
into its documents and filed under done/ or quarantine/ with a receipt; and the separator sheet put before each
document of a box (carrying the box's description when given one)."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from cli.common import CommandError

if TYPE_CHECKING:  # annotations only: a command's modules load when it runs, not for the parser
    from context.settings import Settings


def cmd_watch(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import services_for
    from domain.actor import Actor
    from domain.paper import DescriptionError
    from service.station import DONE, QUARANTINE, Station
    from signing.identity import SigningKeyError

    folders = [Path(f) for f in args.folders]
    if missing := [str(f) for f in folders if not f.is_dir()]:
        raise CommandError("no_folder", folder=", ".join(missing))
    operator = Actor(args.operator or os.environ.get("SOHOA_OPERATOR") or args.by.identity, "operator")
    services = services_for(str(settings.data_dir))
    try:  # the keys are opened before any file is taken: a wrong PIN stops here with nothing moved
        services.signer_for(operator)
    except SigningKeyError as e:
        console.print(f"[red]Ký số:[/red] {e.vietnamese}")
        return 2
    stations = [Station(folder, services, operator, settle_s=args.settle) for folder in folders]  # one a scanner
    for station in stations:
        for path in station.take_back_abandoned():
            console.print(f"Nhận lại tệp đang xử lý dở từ lần chạy trước: {path.name}")
    console.print(f"Theo dõi {', '.join(map(str, folders))} (mỗi {args.interval:g} giây); tệp xong chuyển vào "
                  f"{DONE}/, tệp lỗi vào {QUARANTINE}/ của thư mục đó. Dừng bằng Ctrl+C.")
    try:
        while True:
            results, refused = [], False
            for station in stations:
                try:
                    results += station.poll()
                except DescriptionError as e:  # this folder's description is wrong: the others go on
                    console.print(f"[red]Mô tả hồ sơ giấy ({station.folder}):[/red] {e.vietnamese}")
                    refused = True
            for result in results:
                docs = len(result.documents)
                console.print(f"{result.source}: {docs} văn bản, {len(result.blanks)} trang trắng bỏ qua, "
                              f"{result.doubts} ranh giới cần kiểm tra ({result.seconds:.0f} giây)")
                if result.stopped is not None:
                    console.print(f"[red]Dừng:[/red] {result.stopped.reason}")
                    return 3
            if args.once and refused:
                return 2  # its files stay where they are until the description is put right
            if args.once and not any(station.seen for station in stations):
                return 0
            time.sleep(args.interval)
    except KeyboardInterrupt:
        console.print("Đã dừng theo dõi.")
        return 0


def cmd_separator(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from domain.paper import DescriptionError, read_description
    from pdf.separator_sheet import separator_sheet

    description = None
    if args.paper:
        path = Path(args.paper)
        try:
            description = read_description(path.name, path.read_bytes())
        except OSError as e:
            raise CommandError("unreadable_file", path=path, reason=e.strerror) from e
        except DescriptionError as e:
            raise CommandError("refused", reason=e.vietnamese) from e
    out = Path(args.out)
    out.write_bytes(separator_sheet(description, copies=args.copies))
    console.print(f"Đã tạo {args.copies} tờ phân cách: {out}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("watch", parents=[common], help="digitise what scanners drop into a folder, splitting stacks")
    p.add_argument("folders", nargs="+", metavar="folder", help="one folder per scanner (or one they share)")
    p.add_argument("--operator", help="the digitising officer who signs (default: $SOHOA_OPERATOR, else the actor)")
    p.add_argument("--interval", type=float, default=10.0, help="seconds between looks at the folder (default 10)")
    p.add_argument("--settle", type=float, default=5.0, help="seconds a file must stay unchanged before it is taken")
    p.add_argument("--once", action="store_true", help="stop when the folder has nothing left to take")
    p.set_defaults(run=cmd_watch)

    p = sub.add_parser("separator", parents=[common], help="print separator sheets (PDF) to put before documents")
    p.add_argument("-o", "--out", default="to-phan-cach.pdf", help="the PDF to write (default: to-phan-cach.pdf)")
    p.add_argument("--paper", help="paper.toml or paper.csv: the box's description, carried in the QR code")
    p.add_argument("--copies", type=int, default=1, choices=range(1, 501), metavar="1..500")
    p.set_defaults(run=cmd_separator)
