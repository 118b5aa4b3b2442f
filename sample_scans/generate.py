"""Generate the synthetic sample scans and their ground truth.

Real archive scans cannot be published (they hold personal data), so the samples are drawn from scratch: official
header layout in Liberation Serif, labelled fields, a blue signature under a red round seal, then the damage real
scans show (yellowed paper, skew, noise, blur, JPEG artefacts, photocopying, pages turned over). Everything follows
from the seed, so running this again rewrites the same files.

    python sample_scans/generate.py [--out sample_scans] [--seed 2026]
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import random
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

DPI = 300
A4 = (2480, 3508)  # pixels at 300 dpi
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
}
INK = (20, 20, 20)
SEAL_RED = (205, 32, 42)
SIGNATURE_BLUE = (32, 52, 165)


def pt(size: float) -> int:
    """Points to pixels at the sample resolution."""
    return round(size * DPI / 72)


_font_cache: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(style: str, size: float) -> ImageFont.FreeTypeFont:
    key = (style, pt(size))
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(str(FONT_DIR / FONT_FILES[style]), key[1])
    return _font_cache[key]


class Page:
    """A white A4 page with a pen that records every line it writes, in reading order."""

    def __init__(self) -> None:
        self.image = Image.new("RGB", A4, (255, 255, 255))
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[str] = []
        self.left = 354  # 30 mm
        self.right = A4[0] - 236  # 20 mm

    def text(self, s: str, y: int, *, x: int | None = None, center: int | None = None, style: str = "regular",
             size: float = 13, record: bool = True) -> int:
        f = font(style, size)
        width = self.draw.textlength(s, font=f)
        if center is not None:
            x = round(center - width / 2)
        assert x is not None
        self.draw.text((x, y), s, font=f, fill=INK)
        if record:
            self.lines.append(s)
        return y + round(pt(size) * 1.45)

    def wrapped(self, s: str, width: float, *, style: str = "regular", size: float = 13) -> list[str]:
        """`s` cut into lines no wider than `width` pixels, between words (as a table cell wraps its text)."""
        f = font(style, size)
        out: list[str] = []
        for word in s.split():
            if out and self.draw.textlength(f"{out[-1]} {word}", font=f) <= width:
                out[-1] = f"{out[-1]} {word}"
            else:
                out.append(word)
        return out or [""]

    def underline(self, center: int, y: int, width: int) -> None:
        self.draw.line([(center - width // 2, y), (center + width // 2, y)], fill=INK, width=3)

    def paragraph(self, s: str, y: int, *, indent: int = 0, style: str = "regular", size: float = 13) -> int:
        """Justified-left text wrapped to the body width; each wrapped line is a line of the ground truth."""
        f = font(style, size)
        words = s.split()
        line: list[str] = []
        x0 = self.left + indent
        for word in words:
            trial = " ".join([*line, word])
            if line and self.draw.textlength(trial, font=f) > self.right - x0:
                y = self.text(" ".join(line), y, x=x0, style=style, size=size)
                line, x0 = [word], self.left
            else:
                line.append(word)
        if line:
            y = self.text(" ".join(line), y, x=x0, style=style, size=size)
        return y

    def labelled(self, pairs: list[tuple[str, str]], y: int, *, size: float = 13) -> int:
        """One line of 'Label: value' pairs, spaced across the body width."""
        return self.paragraph("   ".join(f"{label}: {value}" for label, value in pairs), y, size=size)


# ---------------------------------------------------------------------------------------------------------------
# People and places

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý"]
MIDDLE_F = ["Thị", "Ngọc", "Thị Hồng", "Thị Thu", "Thanh", "Thị Kim", "Mỹ"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Văn Đình", "Công"]
GIVEN_F = ["Nhung", "Lan", "Hương", "Mai", "Hạnh", "Thảo", "Trang", "Yến", "Ngân", "Phượng", "Duyên", "Điệp"]
GIVEN_M = ["Dũng", "Hùng", "Đạt", "Tuấn", "Khoa", "Phúc", "Sơn", "Thắng", "Đông", "Quyết", "Lực", "Nghĩa"]

# (commune, district, province, 3-digit birth-registration code of the province)
PLACES = [
    ("Ia Blang", "Chư Sê", "Gia Lai", "064"),
    ("Ia Pal", "Chư Sê", "Gia Lai", "064"),
    ("Tân An", "Đak Pơ", "Gia Lai", "064"),
    ("Hà Tam", "Đak Pơ", "Gia Lai", "064"),
]
BIRTH_PROVINCES = ["064", "064", "064", "052", "066", "087", "001", "079", "040"]
ETHNICITIES = ["Kinh", "Kinh", "Kinh", "Gia Rai", "Ba Na"]


@dataclass
class Person:
    name: str  # upper case, as printed
    sex: str  # "Nam" / "Nữ"
    dob: date
    personal_number: str | None
    old_id: str | None = None
    role: str = "subject"
    ethnicity: str = "Kinh"
    printed: tuple[str, ...] = ("name", "dob", "sex", "personal_number", "old_id")  # what the paper shows

    def truth(self) -> dict[str, str | None]:
        values = {"name": self.name, "sex": self.sex, "dob": self.dob.isoformat(),
                  "personal_number": self.personal_number, "old_id": self.old_id}
        return {"role": self.role, **{k: (v if k in self.printed else None) for k, v in values.items()}}


def upper_vi(s: str) -> str:
    return unicodedata.normalize("NFC", s.upper())


def make_personal_number(rng: random.Random, sex: str, dob: date) -> str:
    century = (dob.year // 100) - 19
    digit = century * 2 + (1 if sex == "Nữ" else 0)
    return f"{rng.choice(BIRTH_PROVINCES)}{digit}{dob.year % 100:02d}{rng.randrange(10**6):06d}"


def make_person(rng: random.Random, *, sex: str | None = None, born: tuple[int, int] = (1950, 2000),
                surname: str | None = None, role: str = "subject", old_id: bool = False) -> Person:
    sex = sex or rng.choice(["Nam", "Nữ"])
    middle, given = (MIDDLE_F, GIVEN_F) if sex == "Nữ" else (MIDDLE_M, GIVEN_M)
    name = f"{surname or rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}"
    dob = date(rng.randint(*born), 1, 1) + timedelta(days=rng.randrange(365))
    if old_id:
        return Person(upper_vi(name), sex, dob, None, old_id=f"23{rng.randrange(10**7):07d}", role=role,
                      ethnicity=rng.choice(ETHNICITIES))
    return Person(upper_vi(name), sex, dob, make_personal_number(rng, sex, dob), role=role,
                  ethnicity=rng.choice(ETHNICITIES))


def dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def long_date(d: date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def address(rng: random.Random, place: tuple[str, str, str, str]) -> str:
    return f"Thôn {rng.randint(1, 12)}, xã {place[0]}, huyện {place[1]}, tỉnh {place[2]}"


# ---------------------------------------------------------------------------------------------------------------
# Stamps and signatures


def seal(label_top: str, label_bottom: str, radius: int = 236) -> Image.Image:
    """A red round seal: two rings, the agency name around, a star in the middle; RGBA with soft ink."""
    size = radius * 2 + 20
    im = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(im)
    c = size // 2
    d.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=10)
    inner = radius - 78
    d.ellipse([c - inner, c - inner, c + inner, c + inner], outline=255, width=5)
    star = [(c + 70 * math.cos(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4),
             c + 70 * math.sin(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4)) for i in range(10)]
    d.polygon(star, fill=255)
    f = font("bold", 9)
    text = f"{label_top} * {label_bottom} *"
    ring = radius - 44
    step = 330 / len(text)
    for i, ch in enumerate(text):
        angle = -165 + i * step
        glyph = Image.new("L", (60, 60), 0)
        ImageDraw.Draw(glyph).text((30, 30), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-angle - 90, resample=Image.Resampling.BICUBIC)
        x = c + ring * math.cos(math.radians(angle)) - 30
        y = c + ring * math.sin(math.radians(angle)) - 30
        im.paste(255, (round(x), round(y)), glyph)
    rgba = Image.new("RGBA", (size, size), (*SEAL_RED, 0))
    rgba.putalpha(im.point(lambda v: int(v * 0.85)))
    return rgba


def signature(rng: random.Random, width: int = 420, height: int = 170) -> Image.Image:
    """A blue handwritten-looking scribble: a few smooth loops drawn with a pen of varying pressure."""
    im = Image.new("L", (width, height), 0)
    d = ImageDraw.Draw(im)
    t = np.linspace(0, 1, 400)
    xs = 20 + t * (width - 60) + 25 * np.sin(t * rng.uniform(14, 22))
    ys = height / 2 + rng.uniform(30, 50) * np.sin(t * rng.uniform(9, 15) + rng.uniform(0, 3)) * (1 - 0.5 * t)
    pts = list(zip(xs.tolist(), ys.tolist(), strict=True))
    for a, b in itertools.pairwise(pts):
        d.line([a, b], fill=255, width=rng.choice([4, 5, 6]))
    d.line([(30, height - 30), (width - 40, height - 45)], fill=255, width=4)
    rgba = Image.new("RGBA", (width, height), (*SIGNATURE_BLUE, 0))
    rgba.putalpha(im)
    return rgba


def multiply(page: Image.Image, ink: Image.Image, xy: tuple[int, int]) -> None:
    """Lay coloured ink over the page the way ink on paper behaves: it darkens and never lightens."""
    x, y = xy
    box = (x, y, x + ink.width, y + ink.height)
    region = np.asarray(page.crop(box), dtype=np.float32) / 255
    rgba = np.asarray(ink, dtype=np.float32) / 255
    alpha = rgba[..., 3:4]
    out = region * (1 - alpha + alpha * rgba[..., :3])
    page.paste(Image.fromarray((out * 255).round().astype(np.uint8)), box)


# ---------------------------------------------------------------------------------------------------------------
# Document layouts


@dataclass
class Issuer:
    lines: list[str]  # left header, top to bottom, upper case
    place: str  # place name on the date line
    signer_title: list[str]
    seal_top: str
    seal_bottom: str

    @property
    def name(self) -> str:
        return " ".join(self.lines)


def commune_issuer(place: tuple[str, str, str, str]) -> Issuer:
    return Issuer(["ỦY BAN NHÂN DÂN", upper_vi(f"xã {place[0]}")], place[0], ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
                  upper_vi(f"ủy ban nhân dân xã {place[0]}"), upper_vi(f"huyện {place[1]}"))


def district_issuer(place: tuple[str, str, str, str], office: str | None = None) -> Issuer:
    lines = ["ỦY BAN NHÂN DÂN", upper_vi(f"huyện {place[1]}")]
    title = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    if office:
        lines = [upper_vi(f"UBND huyện {place[1]}"), upper_vi(office)]  # real headers abbreviate here
        title = ["TRƯỞNG PHÒNG"]
    return Issuer(lines, place[1], title, upper_vi(f"ủy ban nhân dân huyện {place[1]}"), upper_vi(f"tỉnh {place[2]}"))


def province_issuer(province: str) -> Issuer:
    return Issuer(["ỦY BAN NHÂN DÂN", upper_vi(f"tỉnh {province}")], province, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
                  upper_vi("ủy ban nhân dân"), upper_vi(f"tỉnh {province}"))


def header(page: Page, issuer: Issuer, number_lines: list[str], issued: date, *, date_in_header: bool = True) -> int:
    """The two-column official header: issuing body and number on the left, national motto and date right."""
    left_c, right_c = 740, 1700
    y = 220
    for i, line in enumerate(issuer.lines):
        y = page.text(line, y, center=left_c, style="bold" if i == len(issuer.lines) - 1 else "regular", size=13)
    page.underline(left_c, y + 4, 300)
    y += 40
    for line in number_lines:
        y = page.text(line, y, center=left_c, size=13)
    yr = 220
    yr = page.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", yr, center=right_c, style="bold", size=12)
    yr = page.text("Độc lập - Tự do - Hạnh phúc", yr, center=right_c, style="bold", size=13)
    page.underline(right_c, yr + 4, 560)
    yr += 40
    if date_in_header:
        yr = page.text(f"{issuer.place}, {long_date(issued)}", yr, center=right_c, style="italic", size=13)
    return max(y, yr) + 90


def title(page: Page, lines: list[str], y: int, size: float = 15) -> int:
    for i, line in enumerate(lines):
        y = page.text(line, y, center=A4[0] // 2, style="bold" if i == 0 else "italic", size=size if i == 0 else 13)
    return y + 50


def signature_block(page: Page, rng: random.Random, issuer: Issuer, signer: str, y: int, *,
                    date_line: str | None = None) -> int:
    center = 1700
    if date_line:
        y = page.text(date_line, y, center=center, style="italic", size=13)
    for line in issuer.signer_title:
        y = page.text(line, y, center=center, style="bold", size=13)
    sig = signature(rng)
    sig_xy = (center - sig.width // 2 + rng.randint(-40, 40), y + 40)
    multiply(page.image, sig, sig_xy)
    st = seal(issuer.seal_top, issuer.seal_bottom)
    # The seal is struck over the left third of the signature and the title, as officials do.
    multiply(page.image, st, (sig_xy[0] - st.width // 2 + 40, y - 150 + rng.randint(-30, 30)))
    y += 300
    y = page.text(signer, y, center=center, style="bold", size=13)
    return y


def recipients(page: Page, y: int, lines: list[str]) -> None:
    yy = page.text("Nơi nhận:", y, x=page.left, style="bold", size=11)
    for line in lines:
        yy = page.text(f"- {line};", yy, x=page.left, size=10)


@dataclass
class Document:
    doc_type: str
    pages: list[Page]
    number: str
    issued: date
    issuer: Issuer
    persons: list[Person]
    extra: dict[str, str] = field(default_factory=dict)


def khai_sinh(rng: random.Random) -> Document:
    place = rng.choice(PLACES)
    issuer = commune_issuer(place)
    child = make_person(rng, born=(2008, 2019), role="registrant")
    issued = child.dob + timedelta(days=rng.randint(3, 50))
    mother = make_person(rng, sex="Nữ", born=(child.dob.year - 35, child.dob.year - 19), role="mother")
    father = make_person(rng, sex="Nam", born=(child.dob.year - 40, child.dob.year - 21), role="father",
                         surname=child.name.split()[0].capitalize())
    number = str(rng.randint(10, 400))
    page = Page()
    y = header(page, issuer, [f"Số: {number}", f"Quyển số: 01/{issued.year}"], issued, date_in_header=False)
    y = title(page, ["GIẤY KHAI SINH"], y, size=16)
    y = page.labelled([("Họ, chữ đệm, tên", child.name)], y)
    y = page.labelled([("Ngày, tháng, năm sinh", dmy(child.dob))], y)
    y = page.labelled([("Giới tính", child.sex), ("Dân tộc", child.ethnicity), ("Quốc tịch", "Việt Nam")], y)
    y = page.labelled([("Nơi sinh", f"Trạm Y tế xã {place[0]}, huyện {place[1]}, tỉnh {place[2]}")], y)
    y = page.labelled([("Quê quán", f"xã {place[0]}, huyện {place[1]}, tỉnh {place[2]}")], y)
    y = page.labelled([("Số định danh cá nhân", child.personal_number or "")], y) + 30
    y = page.labelled([("Họ, chữ đệm, tên người mẹ", mother.name)], y)
    y = page.labelled([("Năm sinh", str(mother.dob.year)), ("Dân tộc", mother.ethnicity),
                       ("Quốc tịch", "Việt Nam")], y)
    y = page.labelled([("Nơi cư trú", address(rng, place))], y) + 30
    y = page.labelled([("Họ, chữ đệm, tên người cha", father.name)], y)
    y = page.labelled([("Năm sinh", str(father.dob.year)), ("Dân tộc", father.ethnicity),
                       ("Quốc tịch", "Việt Nam")], y)
    y = page.labelled([("Nơi cư trú", address(rng, place))], y) + 30
    y = page.labelled([("Nơi đăng ký khai sinh", f"Ủy ban nhân dân xã {place[0]}, huyện {place[1]}, "
                                                f"tỉnh {place[2]}")], y)
    y = page.labelled([("Ngày, tháng, năm đăng ký", dmy(issued))], y) + 60
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y, date_line=f"{issuer.place}, {long_date(issued)}")
    return Document("khai_sinh", [page], number, issued, issuer, [child])


def ket_hon(rng: random.Random) -> Document:
    place = rng.choice(PLACES)
    issuer = commune_issuer(place)
    wife = make_person(rng, sex="Nữ", born=(1980, 2000), role="wife")
    husband = make_person(rng, sex="Nam", born=(1978, 1998), role="husband", surname="Đặng")
    wife.printed = husband.printed = ("name", "dob", "personal_number")
    issued = date(max(wife.dob.year, husband.dob.year) + rng.randint(21, 24), rng.randint(1, 12), rng.randint(1, 28))
    number = str(rng.randint(5, 150))
    page = Page()
    y = header(page, issuer, [f"Số: {number}", f"Quyển số: 01/{issued.year}"], issued)
    y = title(page, ["GIẤY CHỨNG NHẬN KẾT HÔN"], y, size=16)
    for who, label in ((wife, "vợ"), (husband, "chồng")):
        y = page.labelled([(f"Họ, chữ đệm, tên {label}", who.name)], y)
        y = page.labelled([("Ngày, tháng, năm sinh", dmy(who.dob))], y)
        y = page.labelled([("Dân tộc", who.ethnicity), ("Quốc tịch", "Việt Nam")], y)
        y = page.labelled([("Nơi cư trú", address(rng, place))], y)
        y = page.labelled([("Số định danh cá nhân", who.personal_number or "")], y) + 40
    y = page.labelled([("Nơi đăng ký", f"Ủy ban nhân dân xã {place[0]}, huyện {place[1]}, tỉnh {place[2]}")], y)
    y = page.labelled([("Ngày, tháng, năm đăng ký", dmy(issued))], y) + 80
    lcol = 780
    page.text("Chồng", y, center=lcol - 250, style="bold")
    page.text("Vợ", y, center=lcol + 150, style="bold")
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    return Document("ket_hon", [page], number, issued, issuer, [wife, husband])


def khai_tu(rng: random.Random) -> Document:
    place = rng.choice(PLACES)
    issuer = commune_issuer(place)
    deceased = make_person(rng, born=(1930, 1955), role="deceased")
    died = date(rng.randint(2016, 2022), rng.randint(1, 12), rng.randint(1, 27))
    issued = died + timedelta(days=rng.randint(1, 20))
    declarant = make_person(rng, born=(1960, 1990), role="declarant", surname=deceased.name.split()[0].capitalize())
    declarant.printed = ("name", "personal_number")
    number = f"{rng.randint(3, 90)}/TLKT-BS"
    page = Page()
    y = header(page, issuer, [f"Số: {number}"], issued)
    y = title(page, ["TRÍCH LỤC KHAI TỬ", "(Bản chính)"], y, size=16)
    y = page.labelled([("Họ, chữ đệm, tên người chết", deceased.name)], y)
    y = page.labelled([("Ngày, tháng, năm sinh", dmy(deceased.dob))], y)
    y = page.labelled([("Giới tính", deceased.sex), ("Dân tộc", deceased.ethnicity), ("Quốc tịch", "Việt Nam")], y)
    y = page.labelled([("Số định danh cá nhân", deceased.personal_number or "")], y)
    y = page.labelled([("Nơi cư trú cuối cùng", address(rng, place))], y)
    y = page.paragraph(f"Đã chết vào lúc: {rng.randint(1, 23)} giờ {rng.randint(0, 59):02d} phút, "
                       f"ngày {dmy(died)}", y)
    y = page.labelled([("Nơi chết", address(rng, place))], y)
    y = page.labelled([("Nguyên nhân chết", rng.choice(["Bệnh già", "Bệnh", "Tai nạn giao thông"]))], y) + 30
    y = page.labelled([("Họ, chữ đệm, tên người đi khai tử", declarant.name)], y)
    y = page.labelled([("Giấy tờ tùy thân", f"Căn cước công dân số {declarant.personal_number}")], y)
    y = page.labelled([("Nơi đăng ký khai tử", f"Ủy ban nhân dân xã {place[0]}, huyện {place[1]}, "
                                              f"tỉnh {place[2]}")], y)
    y = page.labelled([("Ngày, tháng, năm đăng ký", dmy(issued))], y) + 80
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    return Document("khai_tu", [page], number, issued, issuer, [deceased, declarant])


def tinh_trang_hon_nhan(rng: random.Random, *, old_id: bool = False, person: Person | None = None) -> Document:
    place = rng.choice(PLACES)
    issuer = commune_issuer(place)
    person = replace(person, role="subject") if person else make_person(rng, born=(1975, 2002), role="subject",
                                                                         old_id=old_id)
    issued = date(rng.randint(2021, 2026), rng.randint(1, 12), rng.randint(1, 28))
    if issued > date(2026, 10, 1):
        issued = date(2026, 10, 1)
    number = f"{rng.randint(10, 300)}/UBND-XNTTHN"
    page = Page()
    y = header(page, issuer, [f"Số: {number}"], issued)
    y = title(page, ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"], y, size=16)
    y = page.paragraph(f"ỦY BAN NHÂN DÂN XÃ {upper_vi(place[0])} xác nhận:", y, indent=120)
    y = page.labelled([("Họ, chữ đệm, tên", person.name)], y)
    y = page.labelled([("Ngày, tháng, năm sinh", dmy(person.dob))], y)
    y = page.labelled([("Giới tính", person.sex), ("Dân tộc", person.ethnicity), ("Quốc tịch", "Việt Nam")], y)
    papers = (f"Chứng minh nhân dân số {person.old_id}" if old_id
              else f"Căn cước công dân số {person.personal_number}")
    y = page.labelled([("Giấy tờ tùy thân", papers)], y)
    y = page.labelled([("Nơi cư trú", address(rng, place))], y)
    y = page.labelled([("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai")], y)
    y = page.labelled([("Giấy này được cấp để", "làm thủ tục đăng ký kết hôn")], y)
    y = page.paragraph("Giấy này có giá trị 6 tháng kể từ ngày cấp.", y, style="italic") + 80
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    return Document("tinh_trang_hon_nhan", [page], number, issued, issuer, [person])


def ho_kinh_doanh(rng: random.Random, *, owner: Person | None = None) -> Document:
    place = rng.choice(PLACES)
    issuer = district_issuer(place, office="Phòng Tài chính - Kế hoạch")
    owner = replace(owner, role="owner") if owner else make_person(rng, born=(1960, 1995), role="owner")
    issued = date(rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28))
    number = f"39C8{rng.randrange(10**6):06d}"
    shop = rng.choice(["TẠP HÓA", "CỬA HÀNG VẬT LIỆU XÂY DỰNG", "QUÁN CÀ PHÊ", "TIỆM SỬA XE"])
    page = Page()
    y = header(page, issuer, [], issued)
    y = title(page, ["GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH"], y, size=15)
    y = page.text(f"Số: {number}", y - 30, center=A4[0] // 2, style="bold", size=13) + 20
    y = page.paragraph(f"Đăng ký lần đầu: {long_date(issued)}", y, indent=120) + 20
    y = page.paragraph(f"1. Tên hộ kinh doanh: {shop} {owner.name.split()[-1]}", y)
    y = page.paragraph(f"2. Địa chỉ trụ sở hộ kinh doanh: {address(rng, place)}", y)
    y = page.paragraph("3. Ngành, nghề kinh doanh: Bán lẻ hàng hóa tổng hợp", y)
    y = page.paragraph(f"4. Vốn kinh doanh: {rng.randint(5, 90) * 10}.000.000 đồng", y)
    y = page.paragraph("5. Chủ thể thành lập hộ kinh doanh: cá nhân", y)
    y = page.labelled([("Họ và tên", owner.name), ("Giới tính", owner.sex)], y)
    y = page.labelled([("Sinh ngày", dmy(owner.dob)), ("Dân tộc", owner.ethnicity), ("Quốc tịch", "Việt Nam")], y)
    y = page.labelled([("Loại giấy tờ pháp lý của cá nhân", "Căn cước công dân")], y)
    y = page.labelled([("Số giấy tờ pháp lý của cá nhân", owner.personal_number or "")], y)
    y = page.labelled([("Địa chỉ thường trú", address(rng, place))], y) + 80
    signer = make_person(rng, sex="Nữ", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    return Document("ho_kinh_doanh", [page], number, issued, issuer, [owner])


def giay_phep_xay_dung(rng: random.Random, *, two_pages: bool = False, owner: Person | None = None) -> Document:
    place = rng.choice(PLACES)
    issuer = district_issuer(place)
    owner = replace(owner, role="owner") if owner else make_person(rng, born=(1960, 1995), role="owner")
    issued = date(rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28))
    if issued > date(2026, 9, 1):
        issued = date(2026, 9, 1)
    owner.printed = ("name", "personal_number")
    number = f"{rng.randint(20, 900)}/GPXD"
    honorific = "Ông" if owner.sex == "Nam" else "Bà"
    page = Page()
    y = header(page, issuer, [f"Số: {number}"], issued)
    y = title(page, ["GIẤY PHÉP XÂY DỰNG", "(Sử dụng cho nhà ở riêng lẻ)"], y, size=16)
    y = page.paragraph(f"1. Cấp cho: {honorific} {owner.name}", y)
    y = page.labelled([("Số định danh cá nhân", owner.personal_number or "")], y)
    y = page.labelled([("Địa chỉ", address(rng, place))], y)
    y = page.paragraph("2. Được phép xây dựng công trình: Nhà ở riêng lẻ", y)
    y = page.paragraph(f"- Vị trí xây dựng: Thửa đất số {rng.randint(10, 400)}, tờ bản đồ số "
                       f"{rng.randint(1, 60)}, {address(rng, place)}", y, indent=60)
    y = page.paragraph(f"- Diện tích xây dựng tầng 1: {rng.randint(60, 160)} m2", y, indent=60)
    y = page.paragraph(f"- Tổng diện tích sàn: {rng.randint(120, 320)} m2", y, indent=60)
    y = page.paragraph(f"- Chiều cao công trình: {rng.randint(7, 12)},5 m; số tầng: {rng.randint(1, 3)}", y,
                       indent=60)
    y = page.paragraph("3. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày "
                       "cấp; quá thời hạn trên thì phải đề nghị gia hạn giấy phép xây dựng.", y)
    pages = [page]
    if two_pages:
        page = Page()
        pages.append(page)
        y = 300
    y = page.paragraph("4. Chủ đầu tư phải thông báo cho cơ quan cấp phép và Ủy ban nhân dân cấp xã nơi xây "
                       "dựng công trình về ngày khởi công trước 03 ngày làm việc.", y)
    y = page.paragraph("5. Chủ đầu tư phải thực hiện đúng nội dung giấy phép xây dựng và các quy định về "
                       "an toàn, vệ sinh môi trường trong quá trình thi công.", y) + 80
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    recipients(page, y + 100, ["Như trên", "Lưu: VT"])
    return Document("giay_phep_xay_dung", pages, number, issued, issuer, [owner])


def quyet_dinh(rng: random.Random, *, two_pages: bool = False) -> Document:
    issuer = province_issuer("Gia Lai")
    person = make_person(rng, born=(1950, 1990), role="beneficiary")
    person.printed = ("name", "dob", "personal_number")
    issued = date(rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28))
    number = f"{rng.randint(100, 2500)}/QĐ-UBND"
    honorific = "ông" if person.sex == "Nam" else "bà"
    page = Page()
    y = header(page, issuer, [f"Số: {number}"], issued)
    y = title(page, ["QUYẾT ĐỊNH", "Về việc hỗ trợ kinh phí khắc phục hậu quả thiên tai"], y, size=15)
    y = page.text("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI", y, center=A4[0] // 2, style="bold", size=14) + 30
    y = page.paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", y, indent=120,
                       style="italic")
    y = page.paragraph("Căn cứ Nghị định số 02/2017/NĐ-CP ngày 09 tháng 01 năm 2017 của Chính phủ về cơ chế, "
                       "chính sách hỗ trợ sản xuất nông nghiệp để khôi phục sản xuất vùng bị thiệt hại do thiên "
                       "tai, dịch bệnh;", y, indent=120, style="italic")
    y = page.paragraph("Xét đề nghị của Giám đốc Sở Tài chính,", y, indent=120, style="italic") + 30
    y = page.text("QUYẾT ĐỊNH:", y, center=A4[0] // 2, style="bold", size=14) + 20
    y = page.paragraph(f"Điều 1. Hỗ trợ kinh phí khắc phục hậu quả thiên tai cho {honorific} {person.name}, "
                       f"sinh ngày {dmy(person.dob)}, số định danh cá nhân {person.personal_number}, thường trú "
                       f"tại {address(rng, rng.choice(PLACES))}, số tiền {rng.randint(5, 50)}.000.000 đồng.",
                       y, indent=120)
    y = page.paragraph("Điều 2. Giao Sở Tài chính chủ trì, phối hợp với Ủy ban nhân dân huyện hướng dẫn, "
                       "kiểm tra việc sử dụng kinh phí đúng mục đích theo quy định.", y, indent=120)
    y = page.paragraph("Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Tài chính và cá nhân có tên "
                       "tại Điều 1 chịu trách nhiệm thi hành Quyết định này kể từ ngày ký.", y, indent=120)
    pages = [page]
    target, ysig = page, y + 80
    if two_pages:
        target = Page()
        ysig = 300
        pages.append(target)
    signer = make_person(rng, sex="Nam", born=(1960, 1980))
    signature_block(target, rng, issuer, signer.name.title(), ysig)
    recipients(target, ysig + 100, ["Như Điều 3", "Chủ tịch, các PCT UBND tỉnh", "Lưu: VT, KT"])
    return Document("quyet_dinh", pages, number, issued, issuer, [person])


# ---------------------------------------------------------------------------------------------------------------
# Damage


@dataclass(frozen=True)
class Damage:
    """What happened to the paper and the scanner; 'profile' names the level for the tests."""

    profile: str  # clean | light | medium | heavy
    yellow: float = 0.0  # 0 white paper .. 1 old yellowed paper
    skew_deg: float = 0.0
    rotate: int = 0  # 0, 90, 180, 270: how the page lies on the glass (counter-clockwise)
    blur: float = 0.0  # gaussian sigma in pixels
    noise: float = 0.0  # gaussian sigma in grey levels
    photocopy: bool = False
    fold: bool = False
    grey: bool = False


def damage(image: Image.Image, d: Damage, rng: np.random.Generator) -> Image.Image:
    a: np.ndarray = np.asarray(image, dtype=np.float32)
    h, w = a.shape[:2]
    if d.yellow:
        low = cv2.resize(rng.normal(0, 1, (8, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
        tint = np.array([1.0, 0.965, 0.86], dtype=np.float32) ** d.yellow
        a = a * (tint * (1 - 0.035 * d.yellow * low[..., None]))
    if d.fold:
        x = np.arange(h, dtype=np.float32)
        crease = 1 - 0.16 * np.exp(-((x - h * 0.48) / 6) ** 2) - 0.05 * np.exp(-((x - h * 0.48) / 60) ** 2)
        a = a * crease[:, None, None]
    if d.photocopy or d.grey:
        g = a @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        if d.photocopy:
            g = np.clip((g - 40) * 1.25, 0, 255)
            speckle = rng.random(g.shape) < 0.0006
            g[speckle] = rng.uniform(0, 90, int(speckle.sum()))
        a = g
    if d.skew_deg:
        corner = a[:50, :50].reshape(-1, 1 if a.ndim == 2 else a.shape[2])
        fill = tuple(float(v) for v in np.median(corner, axis=0))  # the scanner lid shows paper colour
        m = cv2.getRotationMatrix2D((w / 2, h / 2), d.skew_deg, 1.0)
        a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
    if d.blur:
        a = cv2.GaussianBlur(a, (0, 0), d.blur)
    if d.noise:
        a = a + rng.normal(0, d.noise, a.shape).astype(np.float32)
    out = Image.fromarray(np.clip(a, 0, 255).round().astype(np.uint8))
    if d.rotate:
        out = out.rotate(d.rotate, expand=True)
    return out


# ---------------------------------------------------------------------------------------------------------------
# The committed set


@dataclass(frozen=True)
class Sample:
    name: str
    make: Callable[[random.Random, Person], Document]  # the second argument: the citizen of the demo
    damage: Damage
    fmt: str  # png | jpeg | tiff | pdf
    quality: int = 80


CLEAN = Damage("clean")
LIGHT = Damage("light", yellow=0.6, skew_deg=1.2, noise=4, blur=0.5)
MEDIUM = Damage("medium", yellow=1.0, skew_deg=-3.4, noise=9, blur=1.1, fold=True)
HEAVY = Damage("heavy", yellow=0.3, skew_deg=4.6, noise=10, blur=1.3, photocopy=True, fold=True)

SAMPLES = [
    Sample("khai_sinh_01", lambda r, _: khai_sinh(r), Damage("clean", grey=True), "png"),
    Sample("khai_sinh_02", lambda r, _: khai_sinh(r), MEDIUM, "jpeg", 55),
    Sample("ket_hon_01", lambda r, _: ket_hon(r), LIGHT, "jpeg", 70),
    Sample("ket_hon_02_upside_down", lambda r, _: ket_hon(r),
           Damage("light", yellow=0.5, skew_deg=-0.8, noise=4, rotate=180), "jpeg", 70),
    Sample("khai_tu_01", lambda r, _: khai_tu(r), Damage("clean", grey=True), "png"),
    Sample("khai_tu_02_photocopy", lambda r, _: khai_tu(r), HEAVY, "jpeg", 60),
    Sample("tinh_trang_hon_nhan_01", lambda r, demo: tinh_trang_hon_nhan(r, person=demo), LIGHT, "jpeg", 70),
    Sample("tinh_trang_hon_nhan_02_cmnd", lambda r, _: tinh_trang_hon_nhan(r, old_id=True), CLEAN, "png"),
    Sample("ho_kinh_doanh_01", lambda r, demo: ho_kinh_doanh(r, owner=demo),
           Damage("light", yellow=0.4, skew_deg=2.0, noise=3, grey=True), "tiff", 70),
    Sample("ho_kinh_doanh_02", lambda r, _: ho_kinh_doanh(r), MEDIUM, "pdf", 55),
    Sample("giay_phep_xay_dung_01_two_pages", lambda r, _: giay_phep_xay_dung(r, two_pages=True),
           Damage("light", yellow=0.5, skew_deg=-1.6, noise=3, grey=True), "tiff", 70),
    Sample("giay_phep_xay_dung_02_sideways", lambda r, demo: giay_phep_xay_dung(r, owner=demo),
           Damage("light", yellow=0.4, skew_deg=0.7, noise=4, rotate=90), "jpeg", 70),
    Sample("quyet_dinh_01", lambda r, _: quyet_dinh(r, two_pages=True), Damage("clean", grey=True), "pdf", 75),
    Sample("quyet_dinh_02", lambda r, _: quyet_dinh(r), MEDIUM, "jpeg", 55),
]

SCAN_DATE = datetime(2026, 1, 15, 9, 0, 0).timetuple()  # Pillow takes a struct_time
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "tiff": ".tif", "pdf": ".pdf"}


def encode(pages: list[Image.Image], fmt: str, quality: int) -> bytes:
    buf = io.BytesIO()
    # Copies: Pillow keeps a saved image's options on it (and on the images appended to it), so a page saved before
    # as part of another file would bring that file's other pages along (a stack's page saved alone again, say).
    first, rest = pages[0].copy(), [p.copy() for p in pages[1:]]
    if fmt == "png":
        first.save(buf, "PNG", dpi=(DPI, DPI), optimize=True)
    elif fmt == "jpeg":
        first.save(buf, "JPEG", dpi=(DPI, DPI), quality=quality, subsampling=2)
    elif fmt == "tiff":
        first.save(buf, "TIFF", dpi=(DPI, DPI), compression="jpeg", quality=quality, save_all=True,
                   append_images=rest)
    elif fmt == "pdf":
        # Pillow writes each page as a JPEG image and nothing else: an image-only PDF, as scanners make.
        # Fixed dates keep the file the same from one run to the next.
        first.save(buf, "PDF", resolution=DPI, save_all=True, append_images=rest, quality=quality,
                   creationDate=SCAN_DATE, modDate=SCAN_DATE)
    return buf.getvalue()


def demo_citizen(seed: int) -> Person:
    """One person who appears in several samples, so a lookup shows more than one reusable document."""
    return make_person(random.Random(seed), sex="Nam", born=(1978, 1992), surname="Đặng")


def generate(out: Path, seed: int, only: Collection[str] | None = None) -> list[Path]:
    """Write the samples (all, or those named in `only`) with their ground truth into `out`."""
    written = []
    out.mkdir(parents=True, exist_ok=True)
    demo = demo_citizen(seed)
    (out / "demo_citizen.txt").write_text(f"{demo.personal_number}\n", encoding="utf-8")
    for index, sample in enumerate(SAMPLES):
        if only is not None and sample.name not in only:
            continue
        rng = random.Random(seed * 1000 + index)
        doc = sample.make(rng, demo)
        if len(doc.pages) > 1 and sample.fmt not in ("tiff", "pdf"):
            raise ValueError(f"{sample.name}: a {sample.fmt} file holds one page, the document has {len(doc.pages)}")
        np_rng = np.random.default_rng(seed * 1000 + index)
        images = [damage(p.image, sample.damage, np_rng) for p in doc.pages]
        if sample.damage.grey or sample.damage.photocopy:
            images = [im.convert("L") for im in images]
        path = out / f"{sample.name}{EXTENSIONS[sample.fmt]}"
        path.write_bytes(encode(images, sample.fmt, sample.quality))
        truth = {
            "file": path.name,
            "type": doc.doc_type,
            "profile": sample.damage.profile,
            "pages": len(doc.pages),
            "rotation": sample.damage.rotate,
            "skew_deg": sample.damage.skew_deg,
            "fields": {"number": doc.number, "issue_date": doc.issued.isoformat(), "issuer": doc.issuer.name},
            "persons": [p.truth() for p in doc.persons],
            "text": "\n\f\n".join("\n".join(p.lines) for p in doc.pages),
        }
        path.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    for path in generate(args.out, args.seed):
        print(f"{path}  {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
