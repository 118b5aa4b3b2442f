"""The pages of a PDF: whether its text layer is worth reading (pdfplumber, judged by `pipeline.text_layer`), and
each page as an image, its own JPEG kept when it can be embedded unchanged, or drawn by pdfium within the limits."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
from PIL import Image

from context.settings import Settings
from domain.records import TextLayerCheck
from pdf.render import RenderTimeout, render_page
from pipeline.pdf_guards import DCT, check_page_limits, page_images
from pipeline.source_pages import (
    MIN_SIDE_PX,
    RejectedInput,
    SourcePage,
    check_deadline,
    check_size,
    corrupt_image,
    normalise_mode,
)
from pipeline.text_layer import judge_text_layer

RENDER_DPI = 300


TEXT_LAYER_MIN_CHARS = 30  # fewer characters on every page than this: a scanner's stray marks, not a text layer


def inspect_pdf(path: Path, settings: Settings,
                 deadline: float) -> tuple[int, tuple[str, ...] | None, TextLayerCheck | None]:
    """The page count; each page's text and the verdict on it when the PDF has a text layer."""
    try:
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
            if count <= settings.max_pages:
                for index, page in enumerate(pdf.pages):  # before pdfplumber or a renderer parses a bomb
                    check_page_limits(page, index, settings)
    except pikepdf.PasswordError as e:
        raise RejectedInput("encrypted", "encrypted or password-protected PDF") from e
    except pikepdf.PdfError as e:
        raise RejectedInput("corrupt_pdf", f"corrupt PDF: {e}") from e
    if count == 0:
        raise RejectedInput("no_pages", "PDF has no pages")
    if count > settings.max_pages:
        return count, None, None  # refused by the caller for its page count
    has_text = _pages_with_characters(path, count)
    if not any(has_text):
        return count, None, None  # a scan: pdfminer would parse every drawing operator of every page for nothing
    try:
        texts = []
        with pdfplumber.open(path) as doc:
            for index, text_page in enumerate(doc.pages):
                check_deadline(deadline, settings)
                texts.append((text_page.extract_text() or "") if has_text[index] else "")
    except RejectedInput:
        raise
    except Exception as e:  # pdfminer raises many unrelated types on damaged files
        raise RejectedInput("corrupt_pdf", f"corrupt PDF: {e}") from e
    if not any(len(t.strip()) >= TEXT_LAYER_MIN_CHARS for t in texts):
        return count, None, None
    verdict = judge_text_layer(path, texts, language=settings.ocr_language, deadline=deadline,
                               timeout_s=settings.max_seconds_per_page)
    return count, tuple(texts) if verdict.trusted else None, verdict


def _pages_with_characters(path: Path, count: int) -> list[bool]:
    """Which pages hold any text object, asked of pdfium (native, and fast on a page of 30 000 drawn lines where
    pdfminer takes seconds); every page when pdfium cannot tell, so that pdfplumber decides."""
    try:
        doc = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return [True] * count
    try:
        found = []
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            found.append(textpage.count_chars() > 0)
            textpage.close()
            page.close()
        return found if len(found) == count else [True] * count
    except pypdfium2.PdfiumError:
        return [True] * count
    finally:
        doc.close()


def read_pdf_pages(path: Path, settings: Settings, deadline: float = float("inf"), *,
                   lazy: bool = False, only: frozenset[int] | None = None) -> Iterator[SourcePage]:
    """Each page's own image when the page is a single scanned image, else the page rendered at 300 dpi. `lazy`: a
    page's own JPEG is decoded when its pixels are first needed, not before (a stack's blank back never is: it is
    glanced at from its JPEG, decoded small); a JPEG that cannot be decoded then fails at that point. `only`: the
    0-based pages wanted (a long document of a stack, read again), the others skipped undecoded."""
    with pikepdf.open(path) as pdf:
        doc = pypdfium2.PdfDocument(str(path))
        try:
            for index, page in enumerate(pdf.pages):
                if only is not None and index not in only:
                    continue
                check_deadline(deadline, settings)
                check_page_limits(page, index, settings)  # again: the file may have changed since it was opened
                single = _single_jpeg(page, lazy)
                if single is not None:
                    image, data = single
                    width_in = float(page.mediabox[2] - page.mediabox[0]) / 72
                    dpi = round(image.width / width_in) if width_in > 0 else settings.default_dpi
                    check_size(image.width, image.height, settings)
                    yield SourcePage(normalise_mode(image), dpi, data, False)
                    continue
                box = page.mediabox  # checked before rendering: a PDF can declare a page of any size
                check_size(round(float(box[2] - box[0]) * RENDER_DPI / 72),
                            round(float(box[3] - box[1]) * RENDER_DPI / 72), settings)
                page_deadline = min(deadline, time.monotonic() + settings.max_seconds_per_page)
                try:
                    rendered = render_page(doc[index], RENDER_DPI / 72, page_deadline)
                except RenderTimeout as e:
                    raise RejectedInput("too_slow", f"page {index + 1}: {e}", says="too_slow_render", page=index + 1,
                                        page_limit=settings.max_seconds_per_page,
                                        file_limit=settings.max_seconds_per_file) from e
                yield SourcePage(normalise_mode(rendered), RENDER_DPI, None, True, _scan_dpi(page),
                                 fax=_fax_image(page))
        finally:
            doc.close()


def _scan_dpi(page: pikepdf.Page) -> int | None:
    """The pixel density of a page that is one scanned image (whatever its filter: JPEG written as an array,
    JPEG 2000, CCITT…), from the image's pixels over the page's size; None for other pages."""
    images = list(page_images(page))
    if len(images) != 1:
        return None
    try:
        width, height = int(images[0].get("/Width", 0)), int(images[0].get("/Height", 0))
        box = page.mediabox
        long_in = max(abs(float(box[2] - box[0])), abs(float(box[3] - box[1]))) / 72
    except (TypeError, ValueError):
        return None
    if long_in <= 0 or min(width, height) < MIN_SIDE_PX:
        return None  # a logo or a stamp, not a scan of the page
    return round(max(width, height) / long_in)


def _fax_image(page: pikepdf.Page) -> bool:
    """Whether the page is one image coded as a fax is (CCITT)."""
    images = list(page_images(page))
    if len(images) != 1:
        return False
    found = images[0].get("/Filter")
    filters = list(found) if isinstance(found, pikepdf.Array) else [found]
    return pikepdf.Name.CCITTFaxDecode in filters


def _single_jpeg(page: pikepdf.Page, lazy: bool = False) -> tuple[Image.Image, bytes] | None:
    """The page's only image, if it is an upright JPEG: embedding it again loses nothing."""
    images = list(page.get_images(recursive=True).values())  # images inside forms count too
    if len(images) != 1 or int(page.obj.get("/Rotate", 0)) % 360:
        return None
    raw = images[0]
    if raw.get("/Filter") not in DCT or raw.get("/SMask") is not None:
        return None
    data = raw.read_raw_bytes()
    try:
        image = Image.open(io.BytesIO(data))  # its header read: size and mode known
        if not lazy:
            image.load()
    except (OSError, SyntaxError, ValueError) as e:
        raise corrupt_image(e) from e
    return image, data
