"""Keeps credentials that travel in addresses out of the web server's access log: a single sign-on's `code` and
`state` (an unused code, read from a log, signs its reader in), a download link's `signature`. The path and the
other parameters stay, so the log still says who asked for what."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode

SECRET_PARAMETERS = frozenset({"code", "state", "session_state", "signature", "token", "access_token", "id_token"})
ACCESS_LOGGER = "uvicorn.access"


def redacted(full_path: str) -> str:
    """The address with the values of secret parameters replaced by ***."""
    path, mark, query = full_path.partition("?")
    if not mark:
        return full_path
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(key in SECRET_PARAMETERS for key, _ in pairs):
        return full_path
    return f"{path}?" + urlencode([(k, "***" if k in SECRET_PARAMETERS else v) for k, v in pairs], safe="*")


class RedactSecrets(logging.Filter):
    """uvicorn logs each request as (client, method, full path, HTTP version, status): the path is rewritten."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redacted(args[2]), *args[3:])
        return True


def redact_access_log() -> None:
    """Put the filter on uvicorn's access logger once per process (logging configuration keeps a logger's
    filters, so it holds whether uvicorn configures logging before or after)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
