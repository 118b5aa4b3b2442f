"""What every command module shares: the refusal shown to the person at the keyboard, and reading a day they typed."""

from __future__ import annotations

from datetime import date

from domain.dates import parse_day
from domain.messages import say


class CommandError(Exception):
    """A mistake in the command's arguments or a refusal: `code` with the values its catalogue sentence
    (`cli.<code>`) names; the message is that sentence, in Vietnamese."""

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.values = values
        super().__init__(say(f"cli.{code}", **values))


def day_arg(text: str | None, what: str) -> date | None:
    """The day typed (dd/mm/yyyy or YYYY-MM-DD), None when nothing was typed; CommandError when it is no day."""
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        raise CommandError("bad_day", what=what, text=text)
    return day
