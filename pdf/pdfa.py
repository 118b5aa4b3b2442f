"""Assemble a searchable PDF/A-2b: each page shows the scan in colour, with Tesseract's invisible text over it.

The page shows the scan stood upright and straightened on the same pixel grid Tesseract read, so the text layer
needs no transformation and its lines run level: text tools that group characters by baseline (pdfplumber, copy and
paste in viewers) read whole lines instead of fragments. A scan that needed neither a turn nor straightening keeps
its JPEG byte for byte. The untouched file is archived beside the PDF either way.
PDF/A-2b parts: XMP identification, an sRGB output intent, embedded fonts (Tesseract embeds its glyphless font),
no encryption, a document ID.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import pikepdf
from PIL import Image, ImageCms


@dataclass(frozen=True)
class EncodedImage:
    data: bytes
    width: int
    height: int
    filter: str  # "/DCTDecode" or "/FlateDecode"
    colour_space: str  # "/DeviceGray" or "/DeviceRGB"
    bits: int


@dataclass(frozen=True)
class PdfPage:
    image: EncodedImage
    dpi: float
    text_layer_pdf: bytes | None = None  # Tesseract's text-only PDF of this very image


def jpeg_components(data: bytes) -> int | None:
    """Colour components of a baseline or progressive JPEG, read from its SOF marker."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return data[i + 9]
        i += 2 + length
    return None


def encode_image(image: Image.Image, *, jpeg: bytes | None = None, lossless: bool = False) -> EncodedImage:
    """The page image as a PDF image stream: the original JPEG when given, else Flate (lossless) or JPEG q85."""
    components = jpeg_components(jpeg) if jpeg is not None else None
    if jpeg is not None and components in (1, 3):  # CMYK and others are re-encoded below
        space = "/DeviceGray" if components == 1 else "/DeviceRGB"
        return EncodedImage(jpeg, image.width, image.height, "/DCTDecode", space, 8)
    if image.mode == "1":
        return EncodedImage(zlib.compress(image.tobytes(), 6), image.width, image.height, "/FlateDecode",
                            "/DeviceGray", 1)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
    if lossless:
        return EncodedImage(zlib.compress(image.tobytes(), 6), image.width, image.height, "/FlateDecode", space, 8)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return EncodedImage(buf.getvalue(), image.width, image.height, "/DCTDecode", space, 8)


@cache
def srgb_profile() -> bytes:
    """LittleCMS's sRGB profile, declared ICC version 4.2: PDF/A-2 (through PDF 1.7) cites ICC.1:2004-10, which is
    4.2; LittleCMS writes 4.4, whose additions this profile does not use. Its profile ID is zero (not computed),
    so changing the header's version leaves no checksum to mend."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    if data[8] == 4 and not any(data[84:100]):  # bytes 8-9: major version, then minor and bug-fix nibbles
        data[9] = 0x20
    return bytes(data)


def _xmp(pdf: pikepdf.Pdf, title: str, created: datetime, creator: str, producer: str) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:  # also writes the same values into /Info
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        meta["xmp:CreatorTool"] = creator
        meta["pdf:Producer"] = producer
        meta["xmp:CreateDate"] = created.isoformat()
        meta["xmp:ModifyDate"] = created.isoformat()
        meta["xmp:MetadataDate"] = created.isoformat()


def build_pdfa(pages: Sequence[PdfPage], *, title: str, created: datetime, creator: str, producer: str) -> bytes:
    """PDF/A-2b bytes. `producer` must be what the next writer will claim (see pipeline.process)."""
    pdf = pikepdf.new()
    pdf.Root.Lang = pikepdf.String("vi-VN")
    icc = pdf.make_stream(srgb_profile(), N=3)
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier=pikepdf.String("sRGB"),
        Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=icc)])
    for page in pages:
        img = page.image
        width_pt, height_pt = img.width * 72 / page.dpi, img.height * 72 / page.dpi
        stream = pdf.make_stream(img.data, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=img.width,
                                 Height=img.height, ColorSpace=pikepdf.Name(img.colour_space),
                                 BitsPerComponent=img.bits, Filter=pikepdf.Name(img.filter))
        xobjects = pikepdf.Dictionary(Im0=stream)
        content = f"q {width_pt:.4f} 0 0 {height_pt:.4f} 0 0 cm /Im0 Do Q\n"
        if page.text_layer_pdf is not None:
            with pikepdf.open(io.BytesIO(page.text_layer_pdf)) as layer:
                xobjects.Txt0 = pdf.copy_foreign(layer.pages[0].as_form_xobject())
            content += "/Txt0 Do\n"
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=pikepdf.Array([0, 0, width_pt, height_pt]),
            Resources=pikepdf.Dictionary(XObject=xobjects), Contents=pdf.make_stream(content.encode("ascii")))))
    _xmp(pdf, title, created, creator, producer)
    out = io.BytesIO()
    pdf.save(out, min_version="1.7", fix_metadata_version=True, deterministic_id=True)
    return out.getvalue()
