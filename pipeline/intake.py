"""Open a scan file: say what it is from its bytes (never its name), check it, and hand out its pages one by one.

Accepted: PNG, JPEG, TIFF (multi-page) and PDF. A PDF with a text layer is born-digital: its text is read as it is
and nothing is OCR'd. Anything empty, unreadable, truncated, encrypted, too large or of another kind raises
`RejectedInput`, whose Vietnamese and English reasons go to the quarantine beside the file.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
from PIL import Image, ImageFile, UnidentifiedImageError

from archive.objects import os_error_vi
from context.settings import Settings
from domain.records import TextLayerCheck
from ocr.resolution import SCREEN_DEFAULTS
from pdf.render import RenderTimeout, render_page
from pipeline.text_layer import judge_text_layer

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
    scan_dpi: int | None = None  # the scan's own pixel density when the page was rendered at `dpi` from a lower one
    dpi_stated: bool = True  # False: the file gave no density or a screen default (72, 96): `dpi` is assumed
    fax: bool = False  # CCITT-compressed or at a fax's resolution: received by fax, not scanned from the paper

    @property
    def true_dpi(self) -> int:
        """The resolution the paper was scanned at: what the 200 dpi minimum is judged on."""
        return self.scan_dpi if self.scan_dpi is not None else self.dpi


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
        if self.media_type == "application/pdf":
            yield from _pdf_pages(self.path, self.settings, self.deadline)
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
    text_pages, verdict = None, None
    deadline = time.monotonic() + settings.max_seconds_per_file
    if media_type == "application/pdf":
        page_count, text_pages, verdict = _inspect_pdf(path, settings, deadline)
    else:
        page_count = _inspect_image(path)
    if page_count > settings.max_pages:
        raise RejectedInput("too_many_pages", f"Tệp có {page_count} trang, vượt giới hạn {settings.max_pages} trang.",
                            f"{page_count} pages, over the {settings.max_pages}-page limit")
    return SourceDocument(path, sha256 or file_sha256(path), size, media_type, page_count, text_pages, settings,
                          deadline, verdict)


def check_deadline(deadline: float, settings: Settings) -> None:
    if time.monotonic() > deadline:
        limit = settings.max_seconds_per_file
        raise RejectedInput("too_slow", f"Xử lý tệp vượt quá giới hạn {limit} giây; tệp có thể chứa nội dung bất "
                            "thường (nhiều lệnh vẽ, ảnh quá lớn). Kiểm tra tệp rồi quét hoặc xuất lại.",
                            f"processing exceeded the {limit} s per-file limit")


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


def _dpi(im: Image.Image, settings: Settings) -> tuple[int, bool]:
    """The density the image states, and whether it states one: none, or the 72 or 96 that cameras and editors write
    for any picture, means the default is assumed until the page's text tells (`ocr.resolution`)."""
    dpi = im.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError):
        value = 0
    if value < 50 or value in SCREEN_DEFAULTS:
        return settings.default_dpi, False
    return value, True


FAX_COMPRESSIONS = ("group3", "group4", "tiff_ccitt")  # how Pillow names CCITT fax coding in a TIFF


def _fax_density(dpi: object) -> bool:
    """A fax's resolution: 204 dots per inch across by 196 (fine) or 98 (standard) down."""
    try:
        x, y = (float(v) for v in dpi)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return False
    return abs(x - 204) <= 2 and (abs(y - 196) <= 2 or abs(y - 98) <= 2)


def _square_pixels(image: Image.Image, dpi: object) -> Image.Image:
    """The image with square pixels: a fax sent at standard resolution is 204 by 98 dpi, half as tall as the
    paper; stretched to its horizontal density it reads as a page again. Others come back as they are."""
    try:
        x, y = (float(v) for v in dpi)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return image
    if x <= 0 or y <= 0 or abs(x - y) <= 0.1 * x:
        return image
    source = image.convert("L") if image.mode == "1" else image
    return source.resize((image.width, round(image.height * x / y)), Image.Resampling.BICUBIC)


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
                dpi, stated = _dpi(im, settings)
                page = _normalise_mode(frame)
                squared = _square_pixels(page, im.info.get("dpi"))
                if squared is not page:  # a fax at standard resolution: its own bytes are not what is shown
                    page, jpeg = squared, None
                fax = im.info.get("compression") in FAX_COMPRESSIONS or _fax_density(im.info.get("dpi"))
                yield SourcePage(page, dpi, jpeg, lossless, dpi_stated=stated, fax=fax)
    except RejectedInput:
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise _corrupt(e) from e


def _inspect_pdf(path: Path, settings: Settings,
                 deadline: float) -> tuple[int, tuple[str, ...] | None, TextLayerCheck | None]:
    """The page count; each page's text and the verdict on it when the PDF has a text layer."""
    try:
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
            if count <= settings.max_pages:
                for index, page in enumerate(pdf.pages):  # before pdfplumber or a renderer parses a bomb
                    check_page_limits(page, index, settings)
    except pikepdf.PasswordError as e:
        raise RejectedInput("encrypted", "PDF có mật khẩu hoặc bị mã hóa; cần bản không mã hóa để số hóa.",
                            "encrypted or password-protected PDF") from e
    except pikepdf.PdfError as e:
        raise RejectedInput("corrupt_pdf", "Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {e}") from e
    if count == 0:
        raise RejectedInput("no_pages", "Tệp PDF không có trang nào.", "PDF has no pages")
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
        raise RejectedInput("corrupt_pdf", "Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {e}") from e
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


_OPERATOR = re.compile(rb"(?<![A-Za-z0-9/#_.\-])(?:[A-Za-z]{1,2}\*?|'|\")(?![A-Za-z0-9_])")
_DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do(?![A-Za-z0-9_])")
_DCT = (pikepdf.Name.DCTDecode, pikepdf.Array([pikepdf.Name.DCTDecode]))
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
            raise RejectedInput("corrupt_pdf", "Tệp PDF bị hỏng, không đọc được.", f"corrupt content: {e}") from e
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


def _images(page: pikepdf.Page) -> Iterator[pikepdf.Stream]:
    try:
        yield from (img for img in page.get_images(recursive=True).values() if isinstance(img, pikepdf.Stream))
    except (TypeError, ValueError, pikepdf.PdfError):
        return


def check_page_limits(page: pikepdf.Page, index: int, settings: Settings) -> None:
    """Refuse a page before anything parses or renders it: images declared larger than the pixel limit, and
    drawing instructions (decoded, forms included) beyond the size and operator limits."""
    for image in _images(page):
        try:
            width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        except (TypeError, ValueError):
            continue
        if width * height > settings.max_pixels:
            mp = settings.max_pixels // 1_000_000
            raise RejectedInput("too_many_pixels", f"Trang {index + 1} chứa ảnh {width}×{height} điểm ảnh, vượt giới "
                                f"hạn {mp} megapixel.", f"page {index + 1}: image {width}x{height} over {mp} MP")
    try:
        _DrawingCost(settings.max_content_bytes, settings.max_content_operators).of_page(page)
    except (_TooComplex, RecursionError):
        mb = settings.max_content_bytes / (1024 * 1024)
        raise RejectedInput("too_complex", f"Trang {index + 1} chứa quá nhiều lệnh vẽ (giới hạn {mb:g} MB, "
                            f"{settings.max_content_operators} lệnh mỗi trang): không phải bản quét hay văn bản "
                            "thông thường.", f"page {index + 1}: content over {mb:g} MB or "
                            f"{settings.max_content_operators} operators") from None


def _pdf_pages(path: Path, settings: Settings, deadline: float = float("inf")) -> Iterator[SourcePage]:
    """Each page's own image when the page is a single scanned image, else the page rendered at 300 dpi."""
    with pikepdf.open(path) as pdf:
        doc = pypdfium2.PdfDocument(str(path))
        try:
            for index, page in enumerate(pdf.pages):
                check_deadline(deadline, settings)
                check_page_limits(page, index, settings)  # again: the file may have changed since it was opened
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
                page_deadline = min(deadline, time.monotonic() + settings.max_seconds_per_page)
                try:
                    rendered = render_page(doc[index], RENDER_DPI / 72, page_deadline)
                except RenderTimeout as e:
                    raise RejectedInput("too_slow", f"Trang {index + 1} không dựng được hình trong giới hạn thời gian "
                                        f"({settings.max_seconds_per_page} giây mỗi trang, "
                                        f"{settings.max_seconds_per_file} giây mỗi tệp).",
                                        f"page {index + 1}: {e}") from e
                yield SourcePage(_normalise_mode(rendered), RENDER_DPI, None, True, _scan_dpi(page),
                                 fax=_fax_image(page))
        finally:
            doc.close()


def _scan_dpi(page: pikepdf.Page) -> int | None:
    """The pixel density of a page that is one scanned image (whatever its filter: JPEG written as an array,
    JPEG 2000, CCITT…), from the image's pixels over the page's size; None for other pages."""
    images = list(_images(page))
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
    images = list(_images(page))
    if len(images) != 1:
        return False
    found = images[0].get("/Filter")
    filters = list(found) if isinstance(found, pikepdf.Array) else [found]
    return pikepdf.Name.CCITTFaxDecode in filters


def _single_jpeg(page: pikepdf.Page) -> tuple[Image.Image, bytes] | None:
    """The page's only image, if it is an upright JPEG: embedding it again loses nothing."""
    images = list(page.get_images(recursive=True).values())  # images inside forms count too
    if len(images) != 1 or int(page.obj.get("/Rotate", 0)) % 360:
        return None
    raw = images[0]
    if raw.get("/Filter") not in _DCT or raw.get("/SMask") is not None:
        return None
    data = raw.read_raw_bytes()
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, SyntaxError, ValueError) as e:
        raise _corrupt(e) from e
    return image, data
