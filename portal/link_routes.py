"""The embedded archive's download links, answered by the portal itself (`/o/…`): a person who asked for a signed
copy follows the short-lived link in the same browser. A link that is wrong or has expired gets a page saying so."""

from __future__ import annotations

import time
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response

from archive.filesystem import FilesystemObjects
from archive.link_server import answer_link
from portal.pages import message_page, services_of

router = APIRouter(include_in_schema=False)


@router.get("/o/{key:path}")
def linked_object(request: Request, key: str) -> Response:
    objects = services_of(request).archive.objects
    if not isinstance(objects, FilesystemObjects):  # MinIO's presigned links go to MinIO, never here
        return message_page(request, 404, "Không tìm thấy", "Địa chỉ này không phải một liên kết tải của hệ thống.")
    answer = answer_link(objects, key, parse_qs(request.url.query), time.time())
    status = int(answer.status.split()[0])
    if status != 200:
        return message_page(request, status, "Không tải được tệp", answer.body.decode("utf-8"))
    name = key.rsplit("/", 1)[-1]  # the record's content hash names its folder; the file keeps its own name
    return Response(answer.body, status_code=200, headers={**dict(answer.headers),
                                                           "Content-Disposition": f'attachment; filename="{name}"'})
