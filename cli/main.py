"""The `sohoa` command line. What it prints for people is Vietnamese; --json output has English keys.

    sohoa ingest <folder>            digitise a folder of scans through the Prefect flow (--submit: to the workers)
    sohoa watch <folder>             the scanning station: take what scanners drop, split stacks into documents
    sohoa separator [-o FILE]        separator sheets to put before documents (--paper: the box's description)
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
    sohoa users|intake|batches|labels        staff accounts, the desk's intake check, batches, learned labels

One module per command group registers its commands here: ingest.py, records.py (lookup, verify, show, search,
review, correct), server.py (serve, clients, reindex), archive.py, signatures.py, people.py, workers.py,
station.py (watch, separator).

Every subcommand takes --data-dir (else SOHOA_DATA_DIR, else ~/.local/share/sohoa) and --actor (else SOHOA_ACTOR,
else the login name): lookups, reads, links, holds and dispositions are written to the audit log under that name.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from rich.console import Console

from cli.archive import register as register_archive_commands
from cli.common import CommandError
from cli.ingest import register as register_ingest_commands
from cli.people import register as register_people_commands
from cli.records import register as register_record_commands
from cli.server import register as register_server_commands
from cli.signatures import register as register_signature_commands
from cli.station import register as register_station_commands
from cli.workers import register as register_worker_commands
from domain.actor import Actor


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="data directory (default: $SOHOA_DATA_DIR or ~/.local/share/sohoa)")
    common.add_argument("--actor", help="who is acting, for the audit log (default: $SOHOA_ACTOR, else the login)")
    parser = argparse.ArgumentParser(prog="sohoa", description="Số hóa kết quả giải quyết thủ tục hành chính.")
    sub = parser.add_subparsers(dest="command", required=True)

    for register in (register_ingest_commands, register_record_commands, register_server_commands,
                     register_archive_commands, register_signature_commands, register_people_commands,
                     register_worker_commands, register_station_commands):
        register(sub, common)
    return parser


PERSONAL_READS = ("lookup", "search", "show", "intake")  # commands that read personal data
CLI_HINTS = {"purpose_required": '--purpose "…"', "name_needs_dob": "--name cùng --dob",
             "no_query": "--citizen, --cmnd, --name cùng --dob, --code hoặc --number"}  # how to say it here


def _require_accountability(args: argparse.Namespace) -> None:
    """Reads of personal data name who reads (an account, not the machine's login); the use cases ask the purpose."""
    if getattr(args, "command", None) in PERSONAL_READS and not (args.actor or os.environ.get("SOHOA_ACTOR")):
        raise CommandError("actor_required")


def actor_of(args: argparse.Namespace) -> Actor:
    """Whoever runs the command on the archive machine: --actor, else SOHOA_ACTOR, else their login."""
    return Actor(args.actor or os.environ.get("SOHOA_ACTOR") or getpass.getuser(), "console")


def main(argv: Sequence[str] | None = None) -> int:
    from context import PRIVATE_UMASK

    args = build_parser().parse_args(argv)
    os.umask(PRIVATE_UMASK)  # the data directory holds personal data: folders 0750, files 0640, keys 0600
    console = Console(stderr=bool(getattr(args, "json", False)))
    return _run(args, console)


def _run(args: argparse.Namespace, console: Console) -> int:
    from archive.objects import ArchiveError, os_error_vi  # loaded for the command, not for the parser
    from context.settings import load_settings
    from domain.catalogue import ConfigError
    from domain.messages import vietnamese
    from indexer.base import IndexUnavailable
    from service.errors import NotFound, ServiceError

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
        console.print(f"[red]Kho lưu trữ:[/red] {vietnamese(e)}")
        return 3
    except IndexUnavailable as e:
        console.print(f"[red]Chỉ mục tra cứu:[/red] {vietnamese(e)}")
        return 4
    except OSError as e:  # the data directory itself: unreadable, full, read-only
        where = f" {e.filename}" if e.filename else ""
        console.print(f"[red]Không truy cập được{where}:[/red] {os_error_vi(e)}.")
        return 3


if __name__ == "__main__":
    sys.exit(main())
