"""Stacks as a scanner with an automatic feeder makes them: documents of one or several pages one after another in one
file, duplex blank backs after some sheets, with or without separator sheets before each document; and the truth of
where each document's pages are.

Documents come from two generators: `generate` (the set the split rules were written against) and `variety`
(other wordings, hand-filled forms: the held-out set the benchmark measures on). A continuation page is body text
only, as the later pages of real decisions are (articles, a list of recipients)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image

from context.settings import Settings
from domain.paper import ArchivalDescription
from pdf.separator_sheet import separator_sheet
from pipeline.intake import SourcePage
from pipeline.stack import look_at
from pipeline.stack_split import StackPlanner
from sample_scans import generate as g
from sample_scans import variety

LIGHT = g.Damage("light", yellow=0.5, skew_deg=0.8, noise=3, blur=0.4)
CONTINUATION = [
    "Điều {n}. Các cơ quan, đơn vị có liên quan chịu trách nhiệm tổ chức thực hiện, kiểm tra, giám sát việc thực "
    "hiện theo đúng quy định của pháp luật hiện hành và báo cáo kết quả về cơ quan cấp trên.",
    "Trong quá trình thực hiện, nếu có vướng mắc phát sinh, các cơ quan, tổ chức và cá nhân phản ánh kịp thời để "
    "được hướng dẫn, giải quyết theo thẩm quyền.",
    "Hồ sơ lưu tại bộ phận một cửa gồm: tờ khai, bản sao giấy tờ tùy thân, giấy tờ chứng minh nơi cư trú và các "
    "giấy tờ khác theo quy định.",
]


@dataclass
class StackTruth:
    documents: list[tuple[int, int]] = field(default_factory=list)  # 1-based first and last page of each document
    blanks: list[int] = field(default_factory=list)  # 1-based
    separators: list[int] = field(default_factory=list)  # 1-based
    types: list[str] = field(default_factory=list)


def continuation_page(rng: random.Random) -> Image.Image:
    page = g.Page()
    y = 300
    for n in range(rng.randint(2, 4)):
        y = page.paragraph(rng.choice(CONTINUATION).format(n=n + 4), y, indent=120) + 20
    g.recipients(page, y + 60, ["Như trên", "Lưu: VT"])
    return page.image


def blank_back(rng: np.random.Generator, show_through: Image.Image | None) -> Image.Image:
    """The empty back of a sheet: paper grain, and the front's print faintly through it."""
    paper = np.full((g.A4[1], g.A4[0], 3), 247.0, dtype=np.float32)
    if show_through is not None:
        mirrored = np.asarray(show_through.convert("RGB").transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                              dtype=np.float32)
        paper -= (255.0 - mirrored) * 0.07
    return g.damage(Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8)), LIGHT, rng)


def separator_image(description: ArchivalDescription | None) -> Image.Image:
    doc = pypdfium2.PdfDocument(separator_sheet(description))
    try:
        image: Image.Image = doc[0].render(scale=g.DPI / 72).to_pil().convert("RGB")
        return image
    finally:
        doc.close()


def documents(rng: random.Random, count: int, held_out: bool) -> list[tuple[str, list[Image.Image]]]:
    """`count` documents of one to three pages: (type, pages)."""
    out = []
    written: dict[str, Callable[[random.Random], g.Document]] = {
        "khai_sinh": g.khai_sinh, "ket_hon": g.ket_hon, "khai_tu": g.khai_tu,
        "tinh_trang_hon_nhan": g.tinh_trang_hon_nhan, "ho_kinh_doanh": g.ho_kinh_doanh,
        "giay_phep_xay_dung": lambda r: g.giay_phep_xay_dung(r, two_pages=r.random() < 0.5),
        "quyet_dinh": lambda r: g.quyet_dinh(r, two_pages=r.random() < 0.5)}
    for _ in range(count):
        if held_out:
            name = rng.choice(sorted(variety.TYPES))
            made = variety.TYPES[name](rng, rng.choice(variety.WORDINGS))
            pages = [p.image for p in made.document.pages]
        else:
            name = rng.choice(sorted(written))
            pages = [p.image for p in written[name](rng).pages]
        if rng.random() < 0.3:
            pages.append(continuation_page(rng))
        out.append((name, pages))
    return out


def build_stack(seed: int, count: int, *, separators: bool, duplex: bool, held_out: bool = True,
                description: ArchivalDescription | None = None) -> tuple[list[Image.Image], StackTruth]:
    """The pages of one stack, damaged as scanned, and its truth."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    pages: list[Image.Image] = []
    truth = StackTruth()
    sheet = separator_image(description) if separators else None
    for type_id, drawn in documents(rng, count, held_out):
        if sheet is not None:
            pages.append(g.damage(sheet, LIGHT, np_rng))
            truth.separators.append(len(pages))
            if duplex:
                pages.append(blank_back(np_rng, None))
                truth.blanks.append(len(pages))
        first = len(pages) + 1
        for image in drawn:
            pages.append(g.damage(image, LIGHT, np_rng))
            if duplex and rng.random() < 0.7:  # printed on one side: the back comes through the feeder blank
                pages.append(blank_back(np_rng, image))
                truth.blanks.append(len(pages))
        last = max(i for i in range(first, len(pages) + 1) if i not in truth.blanks)
        truth.documents.append((first, last))
        truth.types.append(type_id)
    return pages, truth


def encode_stack(pages: list[Image.Image], fmt: str = "pdf", quality: int = 75) -> bytes:
    """As a feeder scanner writes them: an image-only PDF of JPEG pages, or a multi-page JPEG TIFF."""
    return g.encode(pages, fmt, quality)


REAL_DOCUMENTS = ("241_qd.pdf", "209-QDCT.signed.pdf", "210-QDCT.signed.pdf", "275-STTTT-CNTT_PhuTho.pdf",
                  "QD383STP18-02-2025.pdf", "308qd2025.signed.pdf", "349Q20.02.2025_11h25p24_signed.pdf")


def split_ranges(pages: list[Image.Image], dpi: int, settings: Settings) -> tuple[dict[tuple[int, int], bool],
                                                                             StackPlanner]:
    """Where `pipeline.stack` would split these pages, looked at as it looks at a stack's (no document digitised):
    each document's first and last page (1-based) -> whether a person is asked about it; and the planner."""
    planner = StackPlanner()
    parts = [part for i, image in enumerate(pages)
             for part in planner.add(look_at(SourcePage(image, dpi), i, settings))]
    parts += planner.finish()
    return {(p.first_page, p.last_page): bool(p.doubts) for p in parts}, planner


def real_stack(folder: Path, dpi: int = 200) -> tuple[list[Image.Image], StackTruth]:
    """The real published documents of `../shared/real-scans` one after another, drawn grey at `dpi` as a feeder
    scanner would give them (their text layers left behind): each file is one document."""
    pages: list[Image.Image] = []
    truth = StackTruth()
    for name in REAL_DOCUMENTS:
        doc = pypdfium2.PdfDocument(str(folder / name))
        try:
            first = len(pages) + 1
            pages += [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
        finally:
            doc.close()
        truth.documents.append((first, len(pages)))
        truth.types.append(name)
    return pages, truth
