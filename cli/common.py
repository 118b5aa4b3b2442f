"""What every command module shares: the refusal shown to the person at the keyboard, and reading a day they typed."""

from __future__ import annotations

from datetime import date

from domain.dates import parse_day


class CommandError(Exception):
    """A mistake in the command's arguments or a refusal, said in Vietnamese."""


def day_arg(text: str | None, what: str) -> date | None:
    """The day typed (dd/mm/yyyy or YYYY-MM-DD), None when nothing was typed; CommandError when it is no day."""
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        raise CommandError(f"Không hiểu {what} {text!r} (dùng dd/mm/yyyy hoặc YYYY-MM-DD)")
    return day
