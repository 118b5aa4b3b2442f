"""Open a scan file: say what it is from its bytes (never its name), check it, and hand out its pages one by one.

Accepted: PNG, JPEG, TIFF (multi-page) and PDF. A PDF with a text layer is born-digital: its text is read as it is
and nothing is OCR'd. Anything empty, unreadable, truncated, encrypted, too large or of another kind raises
`RejectedInput`, whose Vietnamese and English reasons go to the quarantine beside the file.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from PIL import Image

from archive.objects import os_error_vi
from context.settings import Settings
from domain.paper import PaperOrigin
from domain.records import Note, TextLayerCheck
from pdf.render import RenderTimeout, render_page
from pipeline.pdf_pages import inspect_pdf, read_pdf_pages
from pipeline.source_pages import RejectedInput, SourcePage, check_deadline, image_pages, inspect_image

__all__ = ["RejectedInput", "SourceDocument", "SourcePage", "file_sha256", "open_document", "sniff"]


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    sha256: str
    size: int
    media_type: str
    page_count: int
    text_pages: tuple[str, ...] | None  # born-digital PDF: the text of each page, read from its text layer
    settings: Settings
    deadline: float = float("inf")  # time.monotonic() past which the file is given up (settings.max_seconds_per_file)
    text_layer: TextLayerCheck | None = None  # the verdict on a PDF's text layer, when it had one
    # a document split out of a stack (`pipeline.stack`): its pages, decoded already, and where they came from
    held: tuple[SourcePage, ...] | None = None
    paper: PaperOrigin | None = None  # where the paper sits (the batch's description), and the stack's pages
    doubts: tuple[Note, ...] = ()  # what a person must confirm about it before anything else (a doubtful split)
    lazy: bool = False  # a PDF's page images decoded when first needed (`pdf_pages.read_pdf_pages`): for stacks
    only: frozenset[int] | None = None  # the file's pages that are this document's (a long document of a stack)

    @property
    def name(self) -> str:
        """The file's name as it arrived; for a document of a stack, the stack's name and its pages."""
        stack = self.paper.stack if self.paper else None
        if stack is None:
            return self.path.name
        return f"{stack.name} (trang {stack.first_page}–{stack.last_page})"

    @property
    def is_part(self) -> bool:
        """A document split out of a stack: its original is the stack's, archived once (`pipeline.stack`)."""
        return self.paper is not None and self.paper.stack is not None

    def check_time(self) -> None:
        """Called between pages: a file that takes longer than its limit goes to quarantine, the batch goes on."""
        check_deadline(self.deadline, self.settings)

    @property
    def born_digital(self) -> bool:
        return self.text_pages is not None

    def drawn(self, width_px: int) -> Iterator[Image.Image | None]:
        """Each page of a PDF drawn `width_px` wide (grey), as a person sees it; None for a page not drawn within
        the page time limit; nothing when pdfium cannot open the file (the fingerprints are then left empty). For a
        born-digital PDF, whose pages are otherwise never drawn."""
        try:
            doc = pypdfium2.PdfDocument(str(self.path))
        except pypdfium2.PdfiumError:
            return
        try:
            for index in range(len(doc)):
                deadline = min(self.deadline, time.monotonic() + self.settings.max_seconds_per_page)
                try:
                    page = doc[index]
                except pypdfium2.PdfiumError:
                    yield None
                    continue
                try:
                    drawn = render_page(page, width_px / max(page.get_width(), 1.0), deadline).convert("L")
                except (RenderTimeout, pypdfium2.PdfiumError):
                    drawn = None
                finally:
                    page.close()
                yield drawn
        finally:
            doc.close()

    def pages(self) -> Iterator[SourcePage]:
        """Decode pages one at a time, so a 300-page TIFF never sits in memory whole."""
        if self.held is not None:
            yield from self.held
        elif self.media_type == "application/pdf":
            yield from read_pdf_pages(self.path, self.settings, self.deadline, lazy=self.lazy, only=self.only)
        else:
            yield from image_pages(self.path, self.media_type, self.settings, self.only)


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    return None


def file_sha256(path: Path) -> str:
    """SHA-256 of the file: what identifies a document, so it is computed before anything else is done."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError as e:
        raise RejectedInput("unreadable", f"cannot read file: {e}", reason=os_error_vi(e)) from e
    return h.hexdigest()


def open_document(path: Path, settings: Settings, sha256: str | None = None) -> SourceDocument:
    """Check a file enough to accept it into the pipeline; page pixels are decoded later, page by page."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(2048)
    except OSError as e:
        raise RejectedInput("unreadable", f"cannot read file: {e}", reason=os_error_vi(e)) from e
    if size == 0:
        raise RejectedInput("empty", "empty file (0 bytes)")
    if size > settings.max_file_bytes:
        mb = settings.max_file_bytes // (1024 * 1024)
        raise RejectedInput("too_large", f"file larger than the {mb} MB limit", mb=mb)
    media_type = sniff(head)
    if media_type is None:
        raise RejectedInput("unsupported", "not a scan: content is not PNG, JPEG, TIFF or PDF, whatever the file "
                            "name says")
    text_pages, verdict = None, None
    deadline = time.monotonic() + settings.max_seconds_per_file
    if media_type == "application/pdf":
        page_count, text_pages, verdict = inspect_pdf(path, settings, deadline)
    else:
        page_count = inspect_image(path)
    if page_count > settings.max_pages:
        raise RejectedInput("too_many_pages", f"{page_count} pages, over the {settings.max_pages}-page limit",
                            pages=page_count, limit=settings.max_pages)
    return SourceDocument(path, sha256 or file_sha256(path), size, media_type, page_count, text_pages, settings,
                          deadline, verdict)
