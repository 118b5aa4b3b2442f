"""Commands that run or keep the service: `sohoa serve` (portal and HTTP API), `sohoa clients` (API keys of other
systems) and `sohoa reindex` (a new index from the archive, or the outbox replayed)."""

from __future__ import annotations

import argparse
import os
import time
from typing import TYPE_CHECKING, Any

from rich.console import Console

from cli.common import CommandError

if TYPE_CHECKING:  # annotations only: a command's modules load when it runs, not for the parser
    from context.settings import Settings

if TYPE_CHECKING:
    from indexer.rebuild import DrainReport




def cmd_serve(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    import uvicorn

    from context.services import open_services
    from flows import configure_prefect
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
    from context.services import open_services
    from service.clients import add_client, list_clients, revoke_client

    services = open_services(settings)
    if args.action == "add":
        if not args.name:
            raise CommandError("client_name_required")
        client, key = add_client(services, args.by, args.name, args.role)
        console.print(f"Đã cấp khóa API cho {client.name} (mã {client.id}, vai trò {client.role}). Khóa chỉ hiện một "
                      "lần này; hệ thống gửi nó trong tiêu đề Authorization: Bearer …", highlight=False)
        print(key)
    elif args.action == "revoke":
        if not args.client:
            raise CommandError("client_required")
        revoke_client(services, args.by, args.client)
        console.print(f"Đã thu hồi khóa API {args.client}.")
    else:
        for c in list_clients(services, args.by):
            state = f"thu hồi {c.revoked_at}" if c.revoked_at else "đang dùng"
            console.print(f"{c.id}  {c.name}  {c.role}  cấp {c.created_at} bởi {c.created_by}  {state}",
                          highlight=False)
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from context.services import open_services
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




def register(sub: Any, common: argparse.ArgumentParser) -> None:
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
