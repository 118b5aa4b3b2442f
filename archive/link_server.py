"""Serves the embedded archive's download links, the filesystem stand-in for MinIO's presigned URLs.

A link names an object key, an expiry time and an HMAC over both made with the data directory's link key; this
server checks the three and sends the object's bytes. It never lists, writes or serves anything unsigned.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from archive.filesystem import FilesystemObjects, link_signature

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass(frozen=True)
class LinkAnswer:
    """What a download link gets: a status, its headers and its body."""

    status: str  # "200 OK", "403 Forbidden", "404 Not Found"
    headers: list[tuple[str, str]]
    body: bytes


def _refusal(status: str, message: str) -> LinkAnswer:
    body = message.encode("utf-8")
    return LinkAnswer(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
                      body)


def answer_link(objects: FilesystemObjects, key: str, query: dict[str, list[str]], now: float) -> LinkAnswer:
    """The object a link names, if its signature is right and it has not expired; a refusal in Vietnamese if not."""
    try:
        expires = int(query["expires"][0])
        signature = query["signature"][0]
    except (KeyError, ValueError, IndexError):
        return _refusal("403 Forbidden", "Liên kết tải không hợp lệ.")
    if not hmac.compare_digest(signature, link_signature(objects.link_secret, key, expires)):
        return _refusal("403 Forbidden", "Liên kết tải không hợp lệ.")
    if now > expires:
        return _refusal("403 Forbidden", "Liên kết tải đã hết hạn, hãy yêu cầu liên kết mới.")
    try:
        data = objects.get(key)
    except (KeyError, ValueError):
        return _refusal("404 Not Found", "Tệp không còn trong kho lưu trữ.")
    info = objects.stat(key)
    content_type = "application/pdf" if key.endswith(".pdf") else "application/octet-stream"
    headers = [("Content-Type", content_type), ("Content-Length", str(len(data))),
               ("Cache-Control", "private, no-store")]
    if info is not None and info.sha256:
        headers.append(("X-Content-SHA256", info.sha256))
    return LinkAnswer("200 OK", headers, data)


def download_app(objects: FilesystemObjects,
                 now: Callable[[], float] = time.time) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not path.startswith("/o/"):
            answer = _refusal("404 Not Found", "Không tìm thấy.")
        else:
            answer = answer_link(objects, unquote(path[len("/o/"):]), parse_qs(environ.get("QUERY_STRING", "")),
                                 now())
        start_response(answer.status, answer.headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [answer.body]

    return app


def serve(objects: FilesystemObjects, host: str, port: int) -> None:  # pragma: no cover - a long-running server
    from wsgiref.simple_server import make_server

    with make_server(host, port, download_app(objects)) as server:
        server.serve_forever()
