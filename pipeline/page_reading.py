"""Every page of a document read: a born-digital PDF's text layer as it is; a scan's pages found (a photo's sheet
flattened), stood upright, OCR'd by the chosen engine, read again at a photo's true density, checked for hand-filled
words and their figures read a second time; each page's image encoded for the PDF/A and fingerprinted for
duplicates. What the later stages work from (`Reading`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from context.services import Services
from context.settings import Settings
from domain.records import DpiSource, PageInfo
from ocr.engine import OcrTimeout
from ocr.fingerprint import WORKING_WIDTH, frame_fingerprint, page_fingerprint
from ocr.ink import coloured_ink, inked_words, on_blanks, slanted_words
from ocr.page import PageReading, read_page
from ocr.preprocess import rotate_quarter, straighten, to_grey
from ocr.resolution import estimate_dpi
from pdf.pdfa import PdfPage, encode_image
from pipeline.intake import RejectedInput, SourceDocument
from pipeline.review import MIN_DPI
from pipeline.second_reading import FigureReading, second_readings
from pipeline.stopwatch import Stopwatch


@dataclass
class Reading:
    lines: list[str]
    pages: list[PageInfo]
    pdf_pages: list[PdfPage]  # empty for a born-digital PDF, which is signed as it came (made inert first)
    confidences: list[list[float]] | None = None  # per OCR line, each word's confidence; None for a text layer
    inked: list[list[bool]] | None = None  # per OCR line, whether each word was filled in by hand (ink or blank)
    line_pages: list[int] = field(default_factory=list)  # per line, the page it stands on
    second: dict[int, list[FigureReading]] = field(default_factory=dict)  # per line, figures read a second time

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


DPI_MISMATCH = 0.15  # a photo whose words show a density this far from the one assumed is read again at it


def read_document(source: SourceDocument, services: Services, watch: Stopwatch) -> Reading:
    """Text and page images of every page: read from the text layer of a born-digital PDF, else OCR'd."""
    if source.text_pages is not None:
        lines = [line for text in source.text_pages for line in text.splitlines()]
        with watch("duplicates"):  # drawn only for this: a render or photo of the page is then known
            prints = [(page_fingerprint(np.asarray(image)), frame_fingerprint(np.asarray(image)))
                      if image is not None else ("", "") for image in source.drawn(WORKING_WIDTH)]
        pages = [PageInfo(index=i, width=0, height=0, dpi=0, source="text_layer", words=len(t.split()),
                          fingerprint=prints[i][0] if i < len(prints) else "",
                          frame_fingerprint=prints[i][1] if i < len(prints) else "")
                 for i, t in enumerate(source.text_pages)]
        return Reading(lines, pages, [], line_pages=[i for i, t in enumerate(source.text_pages)
                                                     for _ in t.splitlines()])
    settings = services.settings
    confidences: list[list[float]] = []
    inked: list[list[bool]] = []
    reading = Reading([], [], [], confidences, inked)
    dpi_source: DpiSource
    for index, page in enumerate(source.pages()):
        source.check_time()
        with watch("preprocess"):
            pixels, sheet = page.prepared
        read_dpi = page.dpi  # the pixels' density as Tesseract is told it (a rendered page's, not its scan's)
        result = read_pixels(pixels, read_dpi, index, settings)
        dpi, dpi_source = page.true_dpi, "image"
        if not page.dpi_stated:  # a photo's "72 dpi": the size of its words tells the density
            estimate = estimate_dpi(result.ocr.words)
            dpi, dpi_source = (estimate, "estimated") if estimate else (dpi, "assumed")
            if estimate and estimate < MIN_DPI:  # read again as what it is: enlarged, if that reads better
                read_dpi = estimate
                result = read_pixels(pixels, read_dpi, index, settings)
            elif estimate and abs(estimate - read_dpi) > DPI_MISMATCH * read_dpi:  # told the wrong size of letters
                again = read_pixels(pixels, estimate, index, settings)
                if again.quality is not None and result.quality is not None and \
                        again.quality.score > result.quality.score:
                    result, read_dpi = again, estimate
        source.check_time()
        watch.add("preprocess", result.preprocess_s)
        watch.add("ocr", result.ocr_s)
        with watch("pdf"):
            if sheet is None and result.rotation == 0 and result.prepared.skew_deg == 0.0:  # as scanned, JPEG and all
                shown = pixels
                encoded = encode_image(page.image, jpeg=page.jpeg, lossless=page.lossless)
            else:
                shown = straighten(rotate_quarter(pixels, result.rotation), result.prepared)
                encoded = encode_image(Image.fromarray(shown), lossless=page.lossless)
        with watch("duplicates"):
            fingerprint = page_fingerprint(shown)  # of the page as a person reads it, whatever way it was scanned
            frame = frame_fingerprint(shown)
        with watch("extract"):
            ink = coloured_ink(shown)  # `shown` is on the grid Tesseract read, at the scan's own size
            grey = to_grey(shown) if ink is None else None  # a fax or grey copy: only the slant shows a hand
            page_inked = []
            for line in result.ocr.lines:  # in coloured ink (or leaning, on grey), or on a dotted blank: by hand
                coloured = (inked_words(ink, line.words, 1 / result.upscale) if grey is None
                            else slanted_words(grey, line.words, 1 / result.upscale))
                blank = on_blanks(line.words, result.prepared.blanks, 1 / result.upscale)
                page_inked.append([a or b for a, b in zip(coloured, blank, strict=True)])
        with watch("second_reading"):  # figures Tesseract was unsure of, read again by the second reader
            read_again = second_readings(shown, result.ocr.lines, result.upscale, page_inked, services.figure_reader,
                                    index, header_done=index > 0)
        first_line = len(reading.lines)
        reading.second.update({first_line + i: found for i, found in read_again.items()})
        inked.extend(page_inked)
        reading.line_pages.extend([index] * len(result.ocr.lines))
        reading.pdf_pages.append(PdfPage(encoded, read_dpi, result.ocr.text_layer_pdf))  # the layer's own size
        reading.lines.extend(line.text for line in result.ocr.lines)
        confidences.extend([w.confidence for w in line.words] for line in result.ocr.lines)
        reading.pages.append(PageInfo(index=index, width=encoded.width, height=encoded.height, dpi=dpi,
                                      dpi_source=dpi_source,
                                      source="ocr", rotation=result.rotation, skew_deg=result.prepared.skew_deg,
                                      osd_rotation=result.osd.rotate if result.osd else None,
                                      readings=result.tried if len(result.tried) > 1 else {},
                                      ocr_upscale=result.upscale, fax=page.fax,
                                      ocr_confidence=round(result.ocr.mean_confidence, 1),
                                      words=len(result.ocr.words), fingerprint=fingerprint,
                                      frame_fingerprint=frame,
                                      sheet=[[round(float(x)), round(float(y))] for x, y in sheet]
                                      if sheet is not None else []))
    return reading


def read_pixels(pixels: np.ndarray, dpi: int, index: int, settings: Settings) -> PageReading:
    """One page's reading; a page past the time limit sends its file to quarantine."""
    try:
        return read_page(pixels, dpi=dpi, language=settings.ocr_language, flip_below=settings.flip_retry_confidence,
                         timeout_s=settings.max_seconds_per_page)
    except OcrTimeout as e:
        limit = settings.max_seconds_per_page
        raise RejectedInput("too_slow", f"page {index + 1}: {e}", says="too_slow_ocr", page=index + 1,
                            limit=limit) from e


