"""Limits on a PDF page's content, checked before it is drawn or read: too many drawing operators, too much
compressed content, images past the pixel limit (PDF bombs) are refused with a reason instead of hanging a worker."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

import pikepdf

from context.settings import Settings
from pipeline.source_pages import RejectedInput

_OPERATOR = re.compile(rb"(?<![A-Za-z0-9/#_.\-])(?:[A-Za-z]{1,2}\*?|'|\")(?![A-Za-z0-9_])")


_DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do(?![A-Za-z0-9_])")


DCT = (pikepdf.Name.DCTDecode, pikepdf.Array([pikepdf.Name.DCTDecode]))


_FLATE = (pikepdf.Name.FlateDecode, pikepdf.Array([pikepdf.Name.FlateDecode]))


def _decoded(stream: pikepdf.Stream, cap: int) -> bytes:
    """A stream's decoded bytes, at most cap + 1 of them: a flate bomb is never inflated whole."""
    flt = stream.get("/Filter")
    if flt is None:
        return bytes(stream.read_raw_bytes()[:cap + 1])
    if flt in _FLATE and stream.get("/DecodeParms") is None:
        inflater = zlib.decompressobj()
        try:
            return inflater.decompress(stream.read_raw_bytes(), cap + 1)
        except zlib.error as e:
            raise RejectedInput("corrupt_pdf", f"corrupt content: {e}") from e
    return bytes(stream.read_bytes()[:cap + 1])


class _TooComplex(Exception):
    pass


class _DrawingCost:
    """Operators a page executes when drawn, forms expanded as often as they are drawn (a form that draws a form
    ten times, ten levels deep, is a billion operators in 5 KB), and decoded bytes of the streams involved."""

    def __init__(self, max_bytes: int, max_operators: int) -> None:
        self.max_bytes, self.max_operators = max_bytes, max_operators
        self.bytes = 0
        self._forms: dict[tuple[int, int], int] = {}

    def of_page(self, page: pikepdf.Page) -> int:
        contents = page.obj.get("/Contents")
        streams = [contents] if isinstance(contents, pikepdf.Stream) else \
            [c for c in contents if isinstance(c, pikepdf.Stream)] if isinstance(contents, pikepdf.Array) else []
        data = b"\n".join(self._read(c) for c in streams)
        return self._count(data, page.obj.get("/Resources"), frozenset())

    def _read(self, stream: pikepdf.Stream) -> bytes:
        data = _decoded(stream, self.max_bytes - self.bytes)
        self.bytes += len(data)
        if self.bytes > self.max_bytes:
            raise _TooComplex
        return data

    def _count(self, data: bytes, resources: object, drawing: frozenset[tuple[int, int]]) -> int:
        operators = len(_OPERATOR.findall(data))
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            return self._checked(operators)
        for name in _DRAW.findall(data):
            form = xobjects.get("/" + name.decode("latin-1"))
            if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != pikepdf.Name.Form:
                continue
            key = form.objgen
            if key in drawing:  # a form that draws itself
                raise _TooComplex
            if key not in self._forms:
                self._forms[key] = self._count(self._read(form), form.get("/Resources", resources), drawing | {key})
            operators = self._checked(operators + self._forms[key])
        return self._checked(operators)

    def _checked(self, operators: int) -> int:
        if operators > self.max_operators:
            raise _TooComplex
        return operators


def page_images(page: pikepdf.Page) -> Iterator[pikepdf.Stream]:
    try:
        yield from (img for img in page.get_images(recursive=True).values() if isinstance(img, pikepdf.Stream))
    except (TypeError, ValueError, pikepdf.PdfError):
        return


def check_page_limits(page: pikepdf.Page, index: int, settings: Settings) -> None:
    """Refuse a page before anything parses or renders it: images declared larger than the pixel limit, and
    drawing instructions (decoded, forms included) beyond the size and operator limits."""
    for image in page_images(page):
        try:
            width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        except (TypeError, ValueError):
            continue
        if width * height > settings.max_pixels:
            mp = settings.max_pixels // 1_000_000
            raise RejectedInput("too_many_pixels", f"page {index + 1}: image {width}x{height} over {mp} MP",
                                says="too_many_pixels_on_page", page=index + 1, width=width, height=height, mp=mp)
    try:
        _DrawingCost(settings.max_content_bytes, settings.max_content_operators).of_page(page)
    except (_TooComplex, RecursionError):
        mb = settings.max_content_bytes / (1024 * 1024)
        raise RejectedInput("too_complex", f"page {index + 1}: content over {mb:g} MB or "
                            f"{settings.max_content_operators} operators", page=index + 1, mb=f"{mb:g}",
                            operators=settings.max_content_operators) from None
