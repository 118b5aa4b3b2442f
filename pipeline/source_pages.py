"""A scan's pages as the pipeline takes them (`SourcePage`), the refusal that sends a file to quarantine with its
reasons (`RejectedInput`), and the checks every page passes whatever its format: size, density, fax, square pixels;
the pages of image files (PNG, JPEG, TIFF)."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError

from context.settings import Settings
from domain.messages import say
from ocr.page_finder import even_light, find_page, flatten
from ocr.preprocess import to_grey
from ocr.resolution import SCREEN_DEFAULTS

GLANCE_WIDTH = 640  # pixels across a page is glanced at (`SourcePage.glance`)
MIN_SIDE_PX = 400  # smaller than a page scanned at even 100 dpi: a thumbnail or an icon, not a scan

Image.MAX_IMAGE_PIXELS = None  # the limit is ours (settings.max_pixels), checked before decoding
ImageFile.LOAD_TRUNCATED_IMAGES = False


class RejectedInput(Exception):
    """A file that cannot be digitised: `code` is what the quarantine records (stable), the English is for the
    logs, and the Vietnamese the clerk reads is the catalogue's sentence `intake.<says or code>` (domain.messages)
    with the values given."""

    def __init__(self, code: str, english: str, *, says: str | None = None, **values: object) -> None:
        super().__init__(english)
        self.code = code
        self.english = english
        self.values = values
        self.vietnamese = say(f"intake.{says or code}", **values)


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

    @cached_property
    def glance(self) -> np.ndarray:
        """The page as it came, in grey, about GLANCE_WIDTH pixels across: enough to tell a blank back or a
        separator sheet, at a fraction of the full page's cost (a page's own JPEG is decoded small, not whole)."""
        if self.jpeg is not None:
            with Image.open(io.BytesIO(self.jpeg)) as small:
                small.draft("L", (max(1, small.width // 4), max(1, small.height // 4)))
                image = small.convert("L")
        else:
            image = self.image.convert("L") if self.image.mode in ("1", "RGB") else self.image
        factor = max(1, image.width // GLANCE_WIDTH)
        return to_grey(np.asarray(image.reduce(factor) if factor > 1 else image))

    @cached_property
    def prepared(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The pixels the page is read from, and the sheet found in them when it is a photo of a page on a desk
        (then flattened and evenly lit). Kept once made: a stack's page is looked at, then read with its document."""
        image = self.image.convert("L") if self.image.mode == "1" else self.image
        pixels = np.asarray(image)
        sheet = find_page(to_grey(pixels))
        if sheet is not None:
            pixels = even_light(flatten(pixels, sheet))
        return pixels, sheet


def check_deadline(deadline: float, settings: Settings) -> None:
    if time.monotonic() > deadline:
        limit = settings.max_seconds_per_file
        raise RejectedInput("too_slow", f"processing exceeded the {limit} s per-file limit", says="too_slow_file",
                            limit=limit)


def corrupt_image(e: Exception) -> RejectedInput:
    return RejectedInput("corrupt", f"corrupt or truncated image: {e}")


def inspect_image(path: Path) -> int:
    try:
        with Image.open(path) as im:
            return int(getattr(im, "n_frames", 1))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise corrupt_image(e) from e


def check_size(width: int, height: int, settings: Settings) -> None:
    if width * height > settings.max_pixels:
        mp = settings.max_pixels // 1_000_000
        raise RejectedInput("too_many_pixels", f"image {width}x{height} exceeds {mp} megapixels", width=width,
                            height=height, mp=mp)
    if min(width, height) < MIN_SIDE_PX:
        raise RejectedInput("too_small", f"image {width}x{height} px is too small to be a page scan", width=width,
                            height=height)


def normalise_mode(im: Image.Image) -> Image.Image:
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


def image_pages(path: Path, media_type: str, settings: Settings,
                only: frozenset[int] | None = None) -> Iterator[SourcePage]:
    """Each frame decoded in turn; `only`: the 0-based frames wanted, the others skipped."""
    try:
        with Image.open(path) as im:
            for index in range(int(getattr(im, "n_frames", 1))):
                if only is not None and index not in only:
                    continue
                im.seek(index)
                check_size(im.width, im.height, settings)
                frame = im.copy()
                frame.load()
                jpeg = path.read_bytes() if media_type == "image/jpeg" else None
                lossless = media_type == "image/png" or (media_type == "image/tiff"
                                                         and im.info.get("compression") != "jpeg")
                dpi, stated = _dpi(im, settings)
                page = normalise_mode(frame)
                squared = _square_pixels(page, im.info.get("dpi"))
                if squared is not page:  # a fax at standard resolution: its own bytes are not what is shown
                    page, jpeg = squared, None
                fax = im.info.get("compression") in FAX_COMPRESSIONS or _fax_density(im.info.get("dpi"))
                yield SourcePage(page, dpi, jpeg, lossless, dpi_stated=stated, fax=fax)
    except RejectedInput:
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise corrupt_image(e) from e
