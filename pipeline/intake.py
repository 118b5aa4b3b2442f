"""Open a scan file: say what it is from its bytes (never its name), check it, and hand out its pages one by one.

Accepted: PNG, JPEG, TIFF (multi-page) and PDF. A PDF with a text layer is born-digital: its text is read as it is
and nothing is OCR'd. Anything empty, unreadable, truncated, encrypted, too large or of another kind raises
`RejectedInput`, whose Vietnamese and English reasons go to the quarantine beside the file.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
from PIL import Image, ImageFile, UnidentifiedImageError

from archive.objects import os_error_vi
from pipeline.config import Settings

MIN_SIDE_PX = 400  # smaller than a page scanned at even 100 dpi: a thumbnail or an icon, not a scan
RENDER_DPI = 300
TEXT_LAYER_MIN_CHARS = 30  # fewer characters on every page than this: a scanner's stray marks, not a text layer

Image.MAX_IMAGE_PIXELS = None  # the limit is ours (settings.max_pixels), checked before decoding
ImageFile.LOAD_TRUNCATED_IMAGES = False


class RejectedInput(Exception):
    """A file that cannot be digitised, with the reason in Vietnamese (for clerks) and English (for logs)."""

    def __init__(self, code: str, vietnamese: str, english: str) -> None:
        super().__init__(english)
        self.code = code
        self.vietnamese = vietnamese
        self.english = english


@dataclass(frozen=True)
class SourcePage:
    image: Image.Image  # decoded; mode 1, L or RGB
    dpi: int
    jpeg: bytes | None = None  # the page's own JPEG stream, embeddable unchanged if the page needs no turning
    lossless: bool = False  # the source kept every pixel: re-encode losslessly


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    sha256: str
    size: int
    media_type: str
    page_count: int
    text_pages: tuple[str, ...] | None  # born-digital PDF: the text of each page, read from its text layer
    settings: Settings

    @property
    def born_digital(self) -> bool:
        return self.text_pages is not None

    def pages(self) -> Iterator[SourcePage]:
        """Decode pages one at a time, so a 300-page TIFF never sits in memory whole."""
        if self.media_type == "application/pdf":
            yield from _pdf_pages(self.path, self.settings)
        else:
            yield from _image_pages(self.path, self.media_type, self.settings)


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
        raise RejectedInput("unreadable", f"Không đọc được tệp: {os_error_vi(e)}.", f"cannot read file: {e}") from e
    return h.hexdigest()


def open_document(path: Path, settings: Settings, sha256: str | None = None) -> SourceDocument:
    """Check a file enough to accept it into the pipeline; page pixels are decoded later, page by page."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(2048)
    except OSError as e:
        raise RejectedInput("unreadable", f"Không đọc được tệp: {os_error_vi(e)}.", f"cannot read file: {e}") from e
    if size == 0:
        raise RejectedInput("empty", "Tệp rỗng (0 byte), không có nội dung để số hóa.", "empty file (0 bytes)")
    if size > settings.max_file_bytes:
        mb = settings.max_file_bytes // (1024 * 1024)
        raise RejectedInput("too_large", f"Tệp lớn hơn giới hạn {mb} MB.", f"file larger than the {mb} MB limit")
    media_type = sniff(head)
    if media_type is None:
        raise RejectedInput("unsupported", "Không phải tệp ảnh quét hay PDF (chỉ nhận PNG, JPEG, TIFF, PDF).",
                            "not a scan: content is not PNG, JPEG, TIFF or PDF, whatever the file name says")
    text_pages = None
    if media_type == "application/pdf":
        page_count, text_pages = _inspect_pdf(path)
    else:
        page_count = _inspect_image(path)
    if page_count > settings.max_pages:
        raise RejectedInput("too_many_pages", f"Tệp có {page_count} trang, vượt giới hạn {settings.max_pages} trang.",
                            f"{page_count} pages, over the {settings.max_pages}-page limit")
    return SourceDocument(path, sha256 or file_sha256(path), size, media_type, page_count, text_pages, settings)


def _corrupt(e: Exception) -> RejectedInput:
    return RejectedInput("corrupt", "Tệp ảnh bị hỏng hoặc bị cắt cụt, không giải mã được.",
                         f"corrupt or truncated image: {e}")


def _inspect_image(path: Path) -> int:
    try:
        with Image.open(path) as im:
            return int(getattr(im, "n_frames", 1))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise _corrupt(e) from e


def _check_size(width: int, height: int, settings: Settings) -> None:
    if width * height > settings.max_pixels:
        mp = settings.max_pixels // 1_000_000
        raise RejectedInput("too_many_pixels", f"Ảnh {width}×{height} điểm ảnh vượt giới hạn {mp} megapixel.",
                            f"image {width}x{height} exceeds {mp} megapixels")
    if min(width, height) < MIN_SIDE_PX:
        raise RejectedInput("too_small", f"Ảnh chỉ {width}×{height} điểm ảnh, quá nhỏ để là bản quét một trang.",
                            f"image {width}x{height} px is too small to be a page scan")


def _normalise_mode(im: Image.Image) -> Image.Image:
    if im.mode in ("1", "L", "RGB"):
        return im
    if im.mode in ("I;16", "I;16B", "I", "F"):
        return im.point(lambda v: v / 256).convert("L")
    if im.mode in ("LA", "La"):
        return im.convert("L")
    return im.convert("RGB")


def _dpi(im: Image.Image, settings: Settings) -> int:
    dpi = im.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError):
        value = 0
    return value if value >= 50 else settings.default_dpi


def _image_pages(path: Path, media_type: str, settings: Settings) -> Iterator[SourcePage]:
    try:
        with Image.open(path) as im:
            for index in range(int(getattr(im, "n_frames", 1))):
                im.seek(index)
                _check_size(im.width, im.height, settings)
                frame = im.copy()
                frame.load()
                jpeg = path.read_bytes() if media_type == "image/jpeg" else None
                lossless = media_type == "image/png" or (media_type == "image/tiff"
                                                         and im.info.get("compression") != "jpeg")
                yield SourcePage(_normalise_mode(frame), _dpi(im, settings), jpeg, lossless)
    except RejectedInput:
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise _corrupt(e) from e


def _inspect_pdf(path: Path) -> tuple[int, tuple[str, ...] | None]:
    try:
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
    except pikepdf.PasswordError as e:
        raise RejectedInput("encrypted", "PDF có mật khẩu hoặc bị mã hóa; cần bản không mã hóa để số hóa.",
                            "encrypted or password-protected PDF") from e
    except pikepdf.PdfError as e:
        raise RejectedInput("corrupt_pdf", "Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {e}") from e
    if count == 0:
        raise RejectedInput("no_pages", "Tệp PDF không có trang nào.", "PDF has no pages")
    try:
        with pdfplumber.open(path) as doc:
            texts = tuple(page.extract_text() or "" for page in doc.pages)
    except Exception as e:  # pdfminer raises many unrelated types on damaged files
        raise RejectedInput("corrupt_pdf", "Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {e}") from e
    if any(len(t.strip()) >= TEXT_LAYER_MIN_CHARS for t in texts):
        return count, texts
    return count, None


def _pdf_pages(path: Path, settings: Settings) -> Iterator[SourcePage]:
    """Each page's own image when the page is a single scanned image, else the page rendered at 300 dpi."""
    with pikepdf.open(path) as pdf:
        doc = pypdfium2.PdfDocument(str(path))
        try:
            for index, page in enumerate(pdf.pages):
                single = _single_jpeg(page)
                if single is not None:
                    image, data = single
                    width_in = float(page.mediabox[2] - page.mediabox[0]) / 72
                    dpi = round(image.width / width_in) if width_in > 0 else settings.default_dpi
                    _check_size(image.width, image.height, settings)
                    yield SourcePage(_normalise_mode(image), dpi, data, False)
                    continue
                box = page.mediabox  # checked before rendering: a PDF can declare a page of any size
                _check_size(round(float(box[2] - box[0]) * RENDER_DPI / 72),
                            round(float(box[3] - box[1]) * RENDER_DPI / 72), settings)
                rendered = doc[index].render(scale=RENDER_DPI / 72).to_pil()
                yield SourcePage(_normalise_mode(rendered), RENDER_DPI, None, True)
        finally:
            doc.close()


def _single_jpeg(page: pikepdf.Page) -> tuple[Image.Image, bytes] | None:
    """The page's only image, if it is an upright JPEG: embedding it again loses nothing."""
    images = list(page.get_images(recursive=True).values())  # images inside forms count too
    if len(images) != 1 or int(page.obj.get("/Rotate", 0)) % 360:
        return None
    raw = images[0]
    if raw.get("/Filter") != pikepdf.Name.DCTDecode or raw.get("/SMask") is not None:
        return None
    data = raw.read_raw_bytes()
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, SyntaxError, ValueError) as e:
        raise _corrupt(e) from e
    return image, data
