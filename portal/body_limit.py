"""Request bodies bounded as they arrive, per route, before any handler reads them.

A declared Content-Length over the route's limit is refused at once; a chunked body (which declares none) is counted
as it is received and refused the moment it passes the limit, so neither is ever stored whole. Routes that take a
file have the file limit; the portal's batch upload has its own; every other body (forms, JSON) is small.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_OVERHEAD = 64 * 1024  # the multipart framing and the form's few fields around one file


class BodyLimit:
    """Pure ASGI middleware: `uploads` maps a POST path to its limit; anything else has `default`."""

    def __init__(self, app: ASGIApp, uploads: Mapping[str, int], default: int) -> None:
        self.app, self.uploads, self.default = app, dict(uploads), default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope["path"], self.default)
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(scope, receive, send, limit)
            return
        received, started, refused = 0, False, False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and not started:
                    # Answered here and now; the handler then sees the client gone, and its answer goes nowhere.
                    refused = True
                    await _refuse(scope, receive, send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except Exception:
            if not refused:  # a handler's error after the refusal is the refusal's doing: it was answered
                raise


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    message = f"Nội dung gửi lên lớn hơn giới hạn {size}."
    response: Response
    if scope["path"].startswith("/v1/"):
        response = JSONResponse({"error": "too_large", "message": message}, status_code=413,
                                headers={"Connection": "close"})
    else:  # a person's browser: a page in words, and the way back
        response = HTMLResponse(f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Tệp quá lớn</title>'
                                f'<p role="alert">{message}</p><p><a href="{escape(scope["path"])}">Quay lại</a></p>'
                                "</html>", status_code=413, headers={"Connection": "close"})
    await response(scope, receive, send)
