"""Where the two visible stamps go on page 1 (NĐ 30/2020 Phụ lục I): in a band above the page's content, or in
blank corners of a page that arrived signed and cannot grow; the page's own boxes and inherited attributes read as a
PDF reader would."""

from __future__ import annotations

import math
from typing import Any

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.settings import Role

MM = 72 / 25.4


AGENCY_BOX = (80 * MM, 15 * MM)


OFFICER_BOX = (90 * MM, 24 * MM)


MARGIN = 4 * MM


A4_POINTS = (595.28, 841.89)


Box = tuple[int, int, int, int]


def stamp_boxes(writer: IncrementalPdfFileWriter, data: bytes) -> dict[Role, Box]:
    """Where each stamp goes on page 1: the officer's top left, the agency's top right.

    A file with no signature of its own gets a band above its original (page 1's canvas grown upwards, in this
    update); one that arrived signed keeps its page as it is, and the stamps go where it is blank."""
    officer, agency = OFFICER_BOX, AGENCY_BOX
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    x0, _, x1, y1 = _visible_box(page)
    side_by_side = officer[0] + agency[0] + 3 * MARGIN <= x1 - x0
    band = math.ceil((max(officer[1], agency[1]) if side_by_side else officer[1] + agency[1] + MARGIN) + 2 * MARGIN)
    if writer.prev.embedded_signatures:
        rotated = int(_inherited(page, "/Rotate") or 0) % 360 != 0  # blank places are measured upright only
        found = None if rotated else blank_corners(data, officer, agency)
        if found is not None:
            return {"officer": found[0], "agency": found[1]}
        top = y1  # nowhere blank enough: the top corners, as before
    else:
        top = y1 + band
        _grow_upwards(writer, page, top)
    officer_box = (x0 + MARGIN, top - MARGIN - officer[1], x0 + MARGIN + officer[0], top - MARGIN)
    agency_top = top - MARGIN if side_by_side else officer_box[1] - MARGIN
    agency_box = (x1 - MARGIN - agency[0], agency_top - agency[1], x1 - MARGIN, agency_top)
    return {"officer": _rounded(officer_box), "agency": _rounded(agency_box)}


def _rounded(box: tuple[float, float, float, float]) -> Box:
    return round(box[0]), round(box[1]), round(box[2]), round(box[3])


def _inherited(page: Any, key: str) -> Any:
    node = page
    while node is not None:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None  # get() leaves an indirect reference as it is
    return None


def _visible_box(page: Any) -> tuple[float, float, float, float]:
    """Page 1's visible area: its CropBox within its MediaBox (both may be inherited through the page tree)."""
    media = _inherited(page, "/MediaBox")
    mx0, my0, mx1, my1 = (float(v) for v in media) if media is not None else (0.0, 0.0, *A4_POINTS)
    crop = _inherited(page, "/CropBox")
    if crop is None:
        return min(mx0, mx1), min(my0, my1), max(mx0, mx1), max(my0, my1)
    cx0, cy0, cx1, cy1 = (float(v) for v in crop)
    return (max(min(cx0, cx1), min(mx0, mx1)), max(min(cy0, cy1), min(my0, my1)),
            min(max(cx0, cx1), max(mx0, mx1)), min(max(cy0, cy1), max(my0, my1)))


def _grow_upwards(writer: IncrementalPdfFileWriter, page: Any, top: float) -> None:
    """Page 1's canvas (MediaBox, and CropBox if it has one) reaches up to `top`; nothing drawn moves."""
    from pyhanko.pdf_utils.generic import ArrayObject, FloatObject

    for key in ("/MediaBox", "/CropBox"):
        box = _inherited(page, key)
        if box is None:
            continue
        x0, y0, x1, y1 = (float(v) for v in box)
        page[key] = ArrayObject([FloatObject(min(x0, x1)), FloatObject(min(y0, y1)), FloatObject(max(x0, x1)),
                                 FloatObject(max(top, y0, y1))])
    if "/MediaBox" not in page:  # inherited nowhere: the default A4 made explicit
        page["/MediaBox"] = ArrayObject([FloatObject(0), FloatObject(0), FloatObject(A4_POINTS[0]),
                                         FloatObject(top)])
    writer.update_container(page)


def blank_corners(data: bytes, officer: tuple[float, float], agency: tuple[float, float]
                  ) -> tuple[Box, Box] | None:
    """Boxes for the two stamps where page 1 is blank (white, nothing drawn), as near its top as there is room:
    the officer's on the left half, the agency's on the right. None when the page has no such place."""
    import numpy as np
    import pypdfium2

    scale = 36 / 72  # half a point per pixel is fine enough to see ink, coarse enough to be quick
    doc = pypdfium2.PdfDocument(data)
    try:
        page = doc[0]
        left, _, _, top = page.get_bbox()
        image = np.asarray(page.render(scale=scale, may_draw_forms=True, rotation=0).to_pil().convert("L"))
    finally:
        doc.close()
    ink = (image < 235).astype(np.int32)
    summed = np.pad(ink.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    rows, cols = ink.shape
    margin = int(MARGIN * scale)

    def place(size: tuple[float, float], x_from: int, x_to: int, right_aligned: bool) -> Box | None:
        w, h = int(size[0] * scale) + 1, int(size[1] * scale) + 1
        xs = range(x_to - w, x_from - 1, -4) if right_aligned else range(x_from, x_to - w + 1, 4)
        for y in range(margin, rows - h - margin, 4):  # from the top down
            for x in xs:
                if summed[y + h, x + w] - summed[y, x + w] - summed[y + h, x] + summed[y, x] == 0:
                    px0, py1 = left + x / scale, top - y / scale
                    return _rounded((px0, py1 - size[1], px0 + size[0], py1))
        return None

    officer_box = place(officer, margin, cols // 2, right_aligned=False)
    agency_box = place(agency, cols // 2, cols - margin, right_aligned=True)
    if officer_box is None or agency_box is None:
        return None
    return officer_box, agency_box
