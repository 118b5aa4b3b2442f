"""What a use case refuses, with a stable English code for programs and a Vietnamese sentence for people.

The sentence is the catalogue's (`domain/messages_use_cases.py`, `service.<code>`), filled with the values the error
carries; `says` names another sentence of the same code where one code is said in more than one way."""

from __future__ import annotations

from domain.messages import say


class ServiceError(Exception):
    """Base of every refusal a use case makes; `code` never changes between releases, `message` may."""

    status = 400  # what an HTTP face answers with

    def __init__(self, code: str, *, says: str = "", **values: object) -> None:
        self.code = code
        self.values = values
        self.message = say(f"service.{says or code}", **values)
        super().__init__(self.message)


class InvalidRequest(ServiceError):
    """The request itself is wrong: a malformed number, a missing purpose, an unknown document type."""


class NotFound(ServiceError):
    status = 404


class Refused(ServiceError):
    """The actor may not do this (their role, or a citizen asking for another citizen's record)."""

    status = 403


class NotAuthenticated(ServiceError):
    """No valid credential came with the call."""

    status = 401


class TooMany(ServiceError):
    """Too many attempts or lookups in too short a time; the caller may try again after `retry_after_s`."""

    status = 429

    def __init__(self, code: str, *, retry_after_s: int, says: str = "", **values: object) -> None:
        super().__init__(code, says=says, **values)
        self.retry_after_s = retry_after_s
