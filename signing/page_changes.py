"""What changed on the pages after a signature, in words a clerk understands ("trang 1 bị sửa").

pyHanko's verdict says a change is not allowed; this says where it is, by comparing each page of the signed
revision with the same page of the whole file: its content streams and the resources they draw.
"""

from __future__ import annotations

import hashlib
import io

import pikepdf


def _page_digest(page: pikepdf.Page) -> str:
    h = hashlib.sha256()
    for stream in _streams(page.obj.get("/Contents")):
        h.update(stream.read_raw_bytes())
    resources = page.obj.get("/Resources")
    if isinstance(resources, pikepdf.Dictionary):
        for kind in ("/XObject", "/Font"):
            table = resources.get(kind)
            if isinstance(table, pikepdf.Dictionary):
                for name in sorted(table.keys()):
                    obj = table[name]
                    h.update(name.encode())
                    h.update(obj.read_raw_bytes() if isinstance(obj, pikepdf.Stream) else repr(obj).encode())
    for box in ("/MediaBox", "/CropBox", "/Rotate"):
        h.update(repr(page.obj.get(box)).encode())
    return h.hexdigest()


def _streams(contents: object) -> list[pikepdf.Stream]:
    if isinstance(contents, pikepdf.Stream):
        return [contents]
    if isinstance(contents, pikepdf.Array):
        return [c for c in contents if isinstance(c, pikepdf.Stream)]
    return []


def changed_pages(data: bytes, signed_end: int) -> list[str]:
    """Vietnamese descriptions of page changes between the first `signed_end` bytes and the whole file."""
    try:
        with pikepdf.open(io.BytesIO(data[:signed_end])) as before, pikepdf.open(io.BytesIO(data)) as after:
            old = [_page_digest(p) for p in before.pages]
            new = [_page_digest(p) for p in after.pages]
    except (pikepdf.PdfError, ValueError):
        return []
    out = [f"trang {i} bị sửa" for i, (a, b) in enumerate(zip(old, new, strict=False), 1) if a != b]
    if len(new) > len(old):
        out.append(f"thêm {len(new) - len(old)} trang (từ trang {len(old) + 1})")
    elif len(new) < len(old):
        out.append(f"bỏ {len(old) - len(new)} trang")
    return out
