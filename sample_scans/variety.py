"""Generate the variety set: the seven document types as archives hold them, not as sohoa's own samples print them.

Each type comes in three wordings: the current form (as the samples), an older form filled in by hand in blue ink
(CMND-era papers with a 9-digit old ID, a "Quyển số", the old "Giấy chứng tử"), and a ruled form whose labels and
values stand in the cells of a table, worded another way again. Every document is scanned at 300 dpi, and one of
each type reaches sohoa in each other way too (`sample_scans.captures`): a scan kept at 200 and at 150 dpi, a fax,
a phone photo. The truth beside each file says which fields were written by hand: those must be flagged.

    python sample_scans/variety.py --out DIR [--seed 2026] [--only NAME ... | --committed]

The bench generates the whole set into a temporary folder; `variety_scans/` holds a small committed subset.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sample_scans.captures import at_resolution, faxed, photographed
from sample_scans.generate import (
    A4,
    DPI,
    LIGHT,
    PLACES,
    Document,
    Issuer,
    Page,
    Person,
    commune_issuer,
    damage,
    district_issuer,
    dmy,
    font,
    header,
    long_date,
    make_person,
    multiply,
    province_issuer,
    recipients,
    signature_block,
    title,
    upper_vi,
)

HAND_BLUE = (28, 48, 150)
HAND_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Italic.ttf")
WORDINGS = ("current", "hand_filled", "ruled")
CAPTURES = ("scan 300 dpi", "scan 200 dpi", "scan 150 dpi", "fax", "phone photo")
COMMITTED = ("khai_sinh_ruled_scan300", "ket_hon_hand_filled_scan200", "khai_tu_hand_filled_fax",
             "tinh_trang_hon_nhan_hand_filled_scan150", "ho_kinh_doanh_hand_filled_photo", "quyet_dinh_ruled_fax")

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def date_in_words(d: date) -> str:
    """'ngày mười hai tháng ba năm hai nghìn mười': how a 2010s birth certificate writes the date out."""
    def number(n: int) -> str:
        if n < 10:
            return _DIGITS[n]
        tens, units = divmod(n, 10)
        head = "mười" if tens == 1 else f"{_DIGITS[tens]} mươi"
        tail = {0: "", 1: " mốt" if tens > 1 else " một", 5: " lăm"}.get(units, f" {_DIGITS[units]}")
        return head + tail

    def year(y: int) -> str:
        thousands, rest = divmod(y, 1000)
        hundreds, low = divmod(rest, 100)
        out = f"{_DIGITS[thousands]} nghìn"
        if hundreds or low:
            out += f" {_DIGITS[hundreds]} trăm" if hundreds or low >= 10 else " không trăm"
        if 0 < low < 10:
            out += f" lẻ {_DIGITS[low]}"
        elif low:
            out += f" {number(low)}"
        return out

    month = "giêng" if d.month == 1 else number(d.month)
    day = f"mồng {number(d.day)}" if d.day <= 10 else number(d.day)
    return f"ngày {day} tháng {month} năm {year(d.year)}"


class Form(Page):
    """A page that also writes values in by hand and draws ruled label/value tables."""

    def hand(self, s: str, x: int, y: int, rng: random.Random, size: float = 14) -> int:
        """Write `s` in blue ink, letter by letter, each a little off the line; the x where the writing ends."""
        f = ImageFont.truetype(str(HAND_FONT), round(size * DPI / 72))
        layer = Image.new("L", (round(self.draw.textlength(s, font=f) * 1.15) + 40, round(f.size * 2)), 0)
        pen = ImageDraw.Draw(layer)
        cx = 10.0
        for ch in s:
            pen.text((cx, f.size * 0.4 + rng.gauss(0, 2.2)), ch, font=f, fill=rng.randint(200, 255))
            cx += pen.textlength(ch, font=f) * rng.uniform(1.0, 1.12)
        layer = layer.rotate(rng.uniform(-1.2, 1.2), resample=Image.Resampling.BICUBIC, expand=False)
        ink = Image.new("RGBA", layer.size, (*HAND_BLUE, 0))
        ink.putalpha(layer)
        multiply(self.image, ink, (x - 10, y - round(f.size * 0.45)))
        return x + round(cx)

    def field_line(self, label: str, value: str, y: int, rng: random.Random, *, by_hand: bool,
                   x: int | None = None) -> int:
        """'Label: value' on one line; a value by hand is written over a dotted blank."""
        x0 = self.left if x is None else x
        if not by_hand:
            return self.text(f"{label}: {value}", y, x=x0)
        self.text(f"{label}:", y, x=x0, record=False)
        start = x0 + round(self.draw.textlength(f"{label}: ", font=font("regular", 13)))
        dots = "." * max(8, round((self.right - start) / self.draw.textlength(".", font=font("regular", 13)) * 0.9))
        self.draw.text((start, y + 8), dots, font=font("regular", 13), fill=(90, 90, 90))
        self.hand(value, start + 20, y, rng)
        self.lines.append(f"{label}: {value}")
        return y + round(13 * DPI / 72 * 1.45)

    def table(self, rows: list[tuple[str, str]], y: int) -> int:
        """A ruled two-column table, labels left and values right; each row is 'label | value' in the truth. A value
        wider than its cell wraps inside the cell, which grows a line taller, as a word processor lays it out."""
        f = font("regular", 13)
        line_h = round(13 * DPI / 72 * 1.45)
        widest = max(self.draw.textlength(label, font=f) for label, _ in rows)
        x_split = round(self.left + widest + 70)
        room = self.right - x_split - 48
        tops = [y]
        for label, value in rows:
            lines = self.wrapped(value, room)
            row_h = round(line_h * (0.5 + len(lines)))
            self.text(label, y + round(line_h * 0.25) + 6, x=self.left + 24, record=False)
            for k, line in enumerate(lines):
                self.text(line, y + round(line_h * 0.25) + 6 + k * line_h, x=x_split + 24, record=False)
            self.lines.append(f"{label} | {value}")
            y += row_h
            tops.append(y)
        ink = (25, 25, 25)
        for top in tops:
            self.draw.line([(self.left, top), (self.right, top)], fill=ink, width=4)
        for x in (self.left, x_split, self.right):
            self.draw.line([(x, tops[0]), (x, y)], fill=ink, width=4)
        return y + 50


@dataclass
class VarietyDocument:
    document: Document
    wording: str
    handwritten: list[str] = field(default_factory=list)  # required fields whose values were written by hand


def _old_id(rng: random.Random) -> str:
    return f"23{rng.randrange(10**7):07d}"


def _cmnd_era(person: Person, rng: random.Random) -> Person:
    """The same person before personal numbers: a 9-digit CMND instead."""
    return replace(person, personal_number=None, old_id=_old_id(rng),
                   printed=(*tuple(p for p in person.printed if p != "personal_number"), "old_id"))


def _body_start(page: Form, issuer: Issuer, number: str, issued: date, rng: random.Random, *, by_hand: bool,
                register: str | None = None, tail: str = "", date_in_header: bool = True) -> int:
    """The official header; on a hand-filled paper the number is written in by hand after printing."""
    lines = [" " if by_hand else f"Số: {number}{tail}"] + ([f"Quyển số: {register}"] if register else [])
    y = header(page, issuer, lines, issued, date_in_header=date_in_header)
    if by_hand:
        line_h = round(13 * DPI / 72 * 1.45)
        y_number = 220 + line_h * len(issuer.lines) + 40  # where `header` put the first number line
        f = font("regular", 13)
        x = round(740 - page.draw.textlength(f"Số: {number}{tail}", font=f) / 2)
        page.draw.text((x, y_number), "Số:", font=f, fill=(20, 20, 20))
        written = page.hand(number, x + round(page.draw.textlength("Số: ", font=f)) + 4, y_number, rng, size=13)
        if tail:
            page.draw.text((written + 8, y_number), tail, font=f, fill=(20, 20, 20))
        page.lines[page.lines.index(" ")] = f"Số: {number}{tail}"
    return y


def khai_sinh(rng: random.Random, wording: str) -> VarietyDocument:
    place = rng.choice(PLACES)
    issuer = commune_issuer(place)
    old = wording == "hand_filled"
    child = make_person(rng, born=(2008, 2014) if old else (2016, 2023), role="registrant")
    child.printed = ("name", "dob", "sex") if old else ("name", "dob", "sex", "personal_number")
    issued = child.dob + timedelta(days=rng.randint(3, 50))
    mother = make_person(rng, sex="Nữ", born=(child.dob.year - 35, child.dob.year - 19), role="mother")
    father = make_person(rng, sex="Nam", born=(child.dob.year - 40, child.dob.year - 21), role="father",
                         surname=child.name.split()[0].capitalize())
    number = str(rng.randint(10, 400))
    page = Form()
    y = _body_start(page, issuer, number, issued, rng, by_hand=old, register=f"01/{issued.year}",
                    date_in_header=False)
    y = title(page, ["GIẤY KHAI SINH"], y, size=16)
    handwritten: list[str] = []
    if wording == "ruled":
        y = page.table([("Họ, chữ đệm và tên người được khai sinh", child.name),
                        ("Ngày, tháng, năm sinh", dmy(child.dob)), ("Giới tính", child.sex),
                        ("Dân tộc", child.ethnicity), ("Quốc tịch", "Việt Nam"),
                        ("Số định danh cá nhân", child.personal_number or ""),
                        ("Họ, chữ đệm, tên người mẹ", mother.name), ("Năm sinh của mẹ", str(mother.dob.year)),
                        ("Họ, chữ đệm, tên người cha", father.name), ("Năm sinh của cha", str(father.dob.year))],
                       y)
    else:
        name_label = "Họ và tên" if old else "Họ, chữ đệm, tên"
        y = page.field_line(name_label, child.name, y, rng, by_hand=old)
        y = page.field_line("Ngày, tháng, năm sinh", dmy(child.dob), y, rng, by_hand=old)
        if old:
            y = page.field_line("Ghi bằng chữ", date_in_words(child.dob), y, rng, by_hand=True)
            handwritten = ["subject", "subject_dob", "number"]
        y = page.field_line("Giới tính", child.sex, y, rng, by_hand=old)
        y = page.labelled([("Dân tộc", child.ethnicity), ("Quốc tịch", "Việt Nam")], y)
        y = page.labelled([("Nơi sinh", f"Trạm Y tế xã {place[0]}, huyện {place[1]}, tỉnh {place[2]}")], y)
        if not old:
            y = page.labelled([("Số định danh cá nhân", child.personal_number or "")], y)
        y += 30
        y = page.field_line(f"{name_label} người mẹ", mother.name, y, rng, by_hand=old)
        y = page.labelled([("Năm sinh", str(mother.dob.year)), ("Dân tộc", mother.ethnicity)], y) + 30
        y = page.field_line(f"{name_label} người cha", father.name, y, rng, by_hand=old)
        y = page.labelled([("Năm sinh", str(father.dob.year)), ("Dân tộc", father.ethnicity)], y) + 30
    y = page.labelled([("Nơi đăng ký khai sinh", f"Ủy ban nhân dân xã {place[0]}, huyện {place[1]}, "
                                                f"tỉnh {place[2]}")], y)
    y = page.labelled([("Ngày, tháng, năm đăng ký", dmy(issued))], y) + 60
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y, date_line=f"{issuer.place}, {long_date(issued)}")
    return VarietyDocument(Document("khai_sinh", [page], number, issued, issuer, [child]), wording, handwritten)


def ket_hon(rng: random.Random, wording: str) -> VarietyDocument:
    place = rng.choice(PLACES)
    issuer = commune_issuer(place)
    old = wording == "hand_filled"
    wife = make_person(rng, sex="Nữ", born=(1975, 1990) if old else (1985, 2000), role="wife")
    husband = make_person(rng, sex="Nam", born=(1973, 1988) if old else (1983, 1998), role="husband")
    if old:
        wife, husband = _cmnd_era(wife, rng), _cmnd_era(husband, rng)
    wife.printed = husband.printed = ("name", "dob", "old_id" if old else "personal_number")
    issued = date(max(wife.dob.year, husband.dob.year) + rng.randint(21, 24), rng.randint(1, 12), rng.randint(1, 28))
    number = str(rng.randint(5, 150))
    page = Form()
    y = _body_start(page, issuer, number, issued, rng, by_hand=old, register=f"01/{issued.year}")
    y = title(page, ["GIẤY CHỨNG NHẬN KẾT HÔN"], y, size=16)
    handwritten: list[str] = []
    if wording == "ruled":
        rows = []
        for who, label in ((husband, "chồng"), (wife, "vợ")):
            rows += [(f"Họ, chữ đệm, tên {label}", who.name), ("Ngày, tháng, năm sinh", dmy(who.dob)),
                     ("Số định danh cá nhân", who.personal_number or "")]
        y = page.table(rows, y)
    else:
        for who, label in ((husband, "chồng"), (wife, "vợ")):
            y = page.field_line(f"Họ và tên {label}" if old else f"Họ, chữ đệm, tên {label}", who.name, y, rng,
                                by_hand=old)
            y = page.field_line("Ngày, tháng, năm sinh", dmy(who.dob), y, rng, by_hand=old)
            y = page.labelled([("Dân tộc", who.ethnicity), ("Quốc tịch", "Việt Nam")], y)
            if old:
                y = page.field_line("Giấy CMND số", who.old_id or "", y, rng, by_hand=True) + 40
            else:
                y = page.labelled([("Số định danh cá nhân", who.personal_number or "")], y) + 40
        if old:
            handwritten = ["subject", "subject_dob", "subject_identifier", "number"]
    y = page.labelled([("Nơi đăng ký", f"Ủy ban nhân dân xã {place[0]}, huyện {place[1]}, tỉnh {place[2]}")], y)
    y = page.labelled([("Ngày, tháng, năm đăng ký", dmy(issued))], y) + 80
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    return VarietyDocument(Document("ket_hon", [page], number, issued, issuer, [wife, husband]), wording,
                           handwritten)


def khai_tu(rng: random.Random, wording: str) -> VarietyDocument:
    place = rng.choice(PLACES)
    issuer = commune_issuer(place)
    old = wording == "hand_filled"
    deceased = make_person(rng, born=(1925, 1950), role="deceased")
    if old:
        deceased = _cmnd_era(deceased, rng)
    deceased.printed = ("name", "dob", "sex", "old_id" if old else "personal_number")
    died = date(rng.randint(2008, 2014) if old else rng.randint(2017, 2024), rng.randint(1, 12), rng.randint(1, 27))
    issued = died + timedelta(days=rng.randint(1, 20))
    number = str(rng.randint(3, 90)) if old else f"{rng.randint(3, 90)}/TLKT-BS"
    page = Form()
    y = _body_start(page, issuer, number, issued, rng, by_hand=old,
                    register=f"01/{issued.year}" if old else None)
    y = title(page, ["GIẤY CHỨNG TỬ"] if old else ["TRÍCH LỤC KHAI TỬ", "(Bản chính)"], y, size=16)
    handwritten: list[str] = []
    if wording == "ruled":
        y = page.table([("Họ, chữ đệm, tên người đã chết", deceased.name),
                        ("Ngày, tháng, năm sinh", dmy(deceased.dob)), ("Giới tính", deceased.sex),
                        ("Số định danh cá nhân", deceased.personal_number or ""),
                        ("Ngày chết", dmy(died)), ("Nơi chết", f"xã {place[0]}, huyện {place[1]}")], y)
    else:
        y = page.field_line("Họ và tên người chết" if old else "Họ, chữ đệm, tên người chết", deceased.name, y, rng,
                            by_hand=old)
        y = page.field_line("Ngày, tháng, năm sinh", dmy(deceased.dob), y, rng, by_hand=old)
        y = page.field_line("Giới tính", deceased.sex, y, rng, by_hand=old)
        if old:
            y = page.field_line("Số CMND", deceased.old_id or "", y, rng, by_hand=True)
            handwritten = ["subject", "subject_dob", "subject_identifier", "number"]
        else:
            y = page.labelled([("Số định danh cá nhân", deceased.personal_number or "")], y)
        y = page.paragraph(f"Đã chết vào lúc: {rng.randint(1, 23)} giờ {rng.randint(0, 59):02d} phút, "
                           f"ngày {dmy(died)}", y)
        y = page.labelled([("Nơi chết", f"xã {place[0]}, huyện {place[1]}, tỉnh {place[2]}")], y) + 30
    y = page.labelled([("Nơi đăng ký khai tử", f"Ủy ban nhân dân xã {place[0]}, huyện {place[1]}, "
                                              f"tỉnh {place[2]}")], y)
    y = page.labelled([("Ngày, tháng, năm đăng ký", dmy(issued))], y) + 80
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    return VarietyDocument(Document("khai_tu", [page], number, issued, issuer, [deceased]), wording, handwritten)


def tinh_trang_hon_nhan(rng: random.Random, wording: str) -> VarietyDocument:
    place = rng.choice(PLACES)
    issuer = commune_issuer(place)
    old = wording == "hand_filled"
    person = make_person(rng, born=(1975, 2000), role="subject")
    if old:
        person = _cmnd_era(person, rng)
    person.printed = ("name", "dob", "sex", "old_id" if old else "personal_number")
    issued = date(rng.randint(2014, 2016) if old else rng.randint(2022, 2026), rng.randint(1, 12), rng.randint(1, 28))
    issued = min(issued, date(2026, 10, 1))
    number = str(rng.randint(10, 300))
    page = Form()
    y = _body_start(page, issuer, number, issued, rng, by_hand=old, tail="/UBND-XNTTHN")
    y = title(page, ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"], y, size=16)
    handwritten: list[str] = []
    if wording == "ruled":
        y = page.paragraph(f"ỦY BAN NHÂN DÂN XÃ {upper_vi(place[0])} xác nhận:", y, indent=120)
        y = page.table([("Họ và tên người được xác nhận", person.name), ("Ngày sinh", dmy(person.dob)),
                        ("Giới tính", person.sex), ("Số định danh cá nhân", person.personal_number or ""),
                        ("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai")], y)
    elif old:
        y = page.paragraph(f"Ủy ban nhân dân xã {place[0]} xác nhận đối với ông/bà:", y, indent=120)
        y = page.field_line("Họ và tên", person.name, y, rng, by_hand=True)
        y = page.field_line("Sinh ngày", dmy(person.dob), y, rng, by_hand=True)
        y = page.field_line("Số CMND", person.old_id or "", y, rng, by_hand=True)
        y = page.labelled([("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai")], y)
        handwritten = ["subject", "subject_dob", "subject_identifier", "number"]
    else:
        y = page.paragraph(f"ỦY BAN NHÂN DÂN XÃ {upper_vi(place[0])} xác nhận:", y, indent=120)
        y = page.labelled([("Họ, chữ đệm, tên", person.name)], y)
        y = page.labelled([("Ngày, tháng, năm sinh", dmy(person.dob))], y)
        y = page.labelled([("Giới tính", person.sex), ("Dân tộc", person.ethnicity)], y)
        y = page.labelled([("Giấy tờ tùy thân", f"Căn cước công dân số {person.personal_number}")], y)
        y = page.labelled([("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai")], y)
    y = page.labelled([("Giấy này được cấp để", "làm thủ tục đăng ký kết hôn")], y)
    y = page.paragraph("Giấy này có giá trị 6 tháng kể từ ngày cấp.", y, style="italic") + 80
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    return VarietyDocument(Document("tinh_trang_hon_nhan", [page], f"{number}/UBND-XNTTHN", issued, issuer,
                                    [person]), wording, handwritten)


def ho_kinh_doanh(rng: random.Random, wording: str) -> VarietyDocument:
    place = rng.choice(PLACES)
    issuer = district_issuer(place, office="Phòng Tài chính - Kế hoạch")
    old = wording == "hand_filled"  # printed by the registry's software: the older form, not written by hand
    owner = make_person(rng, born=(1960, 1995), role="owner")
    if old:
        owner = _cmnd_era(owner, rng)
    owner.printed = ("name", "dob", "sex", "old_id" if old else "personal_number")
    issued = date(rng.randint(2011, 2015) if old else rng.randint(2017, 2024), rng.randint(1, 12), rng.randint(1, 28))
    number = f"{rng.choice(['39', '84', '64'])}{rng.choice('ABCDE')}8{rng.randrange(10**6):06d}"
    shop = rng.choice(["TẠP HÓA", "CỬA HÀNG VẬT LIỆU XÂY DỰNG", "QUÁN CÀ PHÊ", "TIỆM SỬA XE"])
    page = Form()
    y = header(page, issuer, [], issued)
    y = title(page, ["GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH"], y, size=15)
    y = page.text(f"Số: {number}", y - 30, center=A4[0] // 2, style="bold", size=13) + 20
    y = page.paragraph(f"Đăng ký lần đầu: {long_date(issued)}", y, indent=120) + 20
    y = page.paragraph(f"1. Tên hộ kinh doanh: {shop} {owner.name.split()[-1]}", y)
    y = page.paragraph("2. Ngành, nghề kinh doanh: Bán lẻ hàng hóa tổng hợp", y)
    if wording == "ruled":
        y = page.table([("Họ và tên đại diện hộ kinh doanh", owner.name), ("Giới tính", owner.sex),
                        ("Sinh ngày", dmy(owner.dob)), ("Số định danh cá nhân", owner.personal_number or ""),
                        ("Địa chỉ thường trú", f"xã {place[0]}, huyện {place[1]}")], y)
    elif old:
        y = page.paragraph("3. Họ và tên chủ hộ kinh doanh: " + owner.name, y)
        y = page.labelled([("Giới tính", owner.sex), ("Sinh ngày", dmy(owner.dob))], y)
        y = page.labelled([("Số CMND", owner.old_id or ""), ("Ngày cấp", dmy(owner.dob + timedelta(days=6600))),
                           ("Nơi cấp", "Công an tỉnh Gia Lai")], y)
    else:
        y = page.paragraph("3. Chủ thể thành lập hộ kinh doanh: cá nhân", y)
        y = page.labelled([("Họ và tên", owner.name), ("Giới tính", owner.sex)], y)
        y = page.labelled([("Sinh ngày", dmy(owner.dob)), ("Dân tộc", owner.ethnicity)], y)
        y = page.labelled([("Số giấy tờ pháp lý của cá nhân", owner.personal_number or "")], y)
    y = page.paragraph(f"4. Vốn kinh doanh: {rng.randint(5, 90) * 10}.000.000 đồng", y) + 80
    signer = make_person(rng, sex="Nữ", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    return VarietyDocument(Document("ho_kinh_doanh", [page], number, issued, issuer, [owner]), wording)


def giay_phep_xay_dung(rng: random.Random, wording: str) -> VarietyDocument:
    place = rng.choice(PLACES)
    issuer = district_issuer(place)
    old = wording == "hand_filled"
    owner = make_person(rng, born=(1960, 1995), role="owner")
    if old:
        owner = _cmnd_era(owner, rng)
    owner.printed = ("name", "old_id" if old else "personal_number")
    issued = date(rng.randint(2012, 2015) if old else rng.randint(2020, 2026), rng.randint(1, 12), rng.randint(1, 28))
    issued = min(issued, date(2026, 9, 1))
    number = str(rng.randint(20, 900))
    page = Form()
    y = _body_start(page, issuer, number, issued, rng, by_hand=old, tail="/GPXD")
    y = title(page, ["GIẤY PHÉP XÂY DỰNG", "(Sử dụng cho nhà ở riêng lẻ)"], y, size=16)
    handwritten: list[str] = []
    if wording == "ruled":
        y = page.table([("Chủ đầu tư", owner.name), ("Số định danh cá nhân", owner.personal_number or ""),
                        ("Địa chỉ", f"Thôn {rng.randint(1, 9)}, xã {place[0]}, huyện {place[1]}"),
                        ("Công trình", "Nhà ở riêng lẻ"), ("Số tầng", str(rng.randint(1, 3)))], y)
    else:
        if old:
            y = page.field_line("1. Cấp cho: ông/bà", owner.name, y, rng, by_hand=True)
            y = page.field_line("Số CMND", owner.old_id or "", y, rng, by_hand=True)
            handwritten = ["subject", "subject_identifier", "number"]
        else:
            y = page.paragraph(f"1. Cấp cho: {'Ông' if owner.sex == 'Nam' else 'Bà'} {owner.name}", y)
            y = page.labelled([("Số định danh cá nhân", owner.personal_number or "")], y)
        y = page.labelled([("Địa chỉ", f"Thôn {rng.randint(1, 9)}, xã {place[0]}, huyện {place[1]}")], y)
        y = page.paragraph("2. Được phép xây dựng công trình: Nhà ở riêng lẻ", y)
    y = page.paragraph("3. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp.", y)
    y = page.paragraph("4. Chủ đầu tư phải thực hiện đúng nội dung giấy phép xây dựng.", y) + 80
    signer = make_person(rng, sex="Nam", born=(1965, 1985))
    signature_block(page, rng, issuer, signer.name.title(), y)
    recipients(page, y + 100, ["Như trên", "Lưu: VT"])
    return VarietyDocument(Document("giay_phep_xay_dung", [page], f"{number}/GPXD", issued, issuer, [owner]), wording,
                           handwritten)


def quyet_dinh(rng: random.Random, wording: str) -> VarietyDocument:
    issuer = province_issuer("Gia Lai")
    old = wording == "hand_filled"
    person = make_person(rng, born=(1950, 1985), role="beneficiary")
    if old:
        person = _cmnd_era(person, rng)
    person.printed = ("name", "dob", "old_id" if old else "personal_number")
    issued = date(rng.randint(2012, 2015) if old else rng.randint(2018, 2025), rng.randint(1, 12), rng.randint(1, 28))
    number = str(rng.randint(100, 2500))
    honorific = "ông" if person.sex == "Nam" else "bà"
    page = Form()
    y = _body_start(page, issuer, number, issued, rng, by_hand=old, tail="/QĐ-UBND")
    y = title(page, ["QUYẾT ĐỊNH", "Về việc hỗ trợ kinh phí khắc phục hậu quả thiên tai"], y, size=15)
    y = page.text("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI", y, center=A4[0] // 2, style="bold", size=14) + 30
    law = ("Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;" if issued.year < 2016
           else "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")  # the law in force then
    y = page.paragraph(law, y, indent=120, style="italic")
    y = page.paragraph("Xét đề nghị của Giám đốc Sở Tài chính,", y, indent=120, style="italic") + 30
    y = page.text("QUYẾT ĐỊNH:", y, center=A4[0] // 2, style="bold", size=14) + 20
    amount = f"{rng.randint(5, 50)}.000.000 đồng"
    if wording == "ruled":
        y = page.paragraph("Điều 1. Hỗ trợ kinh phí khắc phục hậu quả thiên tai cho người có tên sau:", y, indent=120)
        y = page.table([("Họ và tên", person.name), ("Ngày sinh", dmy(person.dob)),
                        ("Số định danh cá nhân", person.personal_number or ""), ("Số tiền hỗ trợ", amount)], y)
    elif old:
        y = page.paragraph(f"Điều 1. Hỗ trợ kinh phí khắc phục hậu quả thiên tai đối với {honorific} "
                           f"{person.name}, sinh ngày {dmy(person.dob)}, CMND số {person.old_id}, số tiền "
                           f"{amount}.", y, indent=120)
    else:
        y = page.paragraph(f"Điều 1. Hỗ trợ kinh phí khắc phục hậu quả thiên tai cho {honorific} {person.name}, "
                           f"sinh ngày {dmy(person.dob)}, số định danh cá nhân {person.personal_number}, số tiền "
                           f"{amount}.", y, indent=120)
    y = page.paragraph("Điều 2. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Tài chính và cá nhân có tên "
                       "tại Điều 1 chịu trách nhiệm thi hành Quyết định này kể từ ngày ký.", y, indent=120) + 80
    signer = make_person(rng, sex="Nam", born=(1960, 1980))
    signature_block(page, rng, issuer, signer.name.title(), y)
    recipients(page, y + 100, ["Như Điều 2", "Lưu: VT, KT"])
    return VarietyDocument(Document("quyet_dinh", [page], f"{number}/QĐ-UBND", issued, issuer, [person]), wording,
                           ["number"] if old else [])


TYPES: dict[str, Callable[[random.Random, str], VarietyDocument]] = {
    "khai_sinh": khai_sinh, "ket_hon": ket_hon, "khai_tu": khai_tu, "tinh_trang_hon_nhan": tinh_trang_hon_nhan,
    "ho_kinh_doanh": ho_kinh_doanh, "giay_phep_xay_dung": giay_phep_xay_dung, "quyet_dinh": quyet_dinh,
}
_SHORT = {"scan 300 dpi": "scan300", "scan 200 dpi": "scan200", "scan 150 dpi": "scan150", "fax": "fax",
          "phone photo": "photo"}
_EXT = {"scan 300 dpi": ".jpg", "scan 200 dpi": ".jpg", "scan 150 dpi": ".jpg", "fax": ".tif", "phone photo": ".jpg"}


@dataclass(frozen=True)
class Case:
    type_id: str
    wording: str
    capture: str

    @property
    def name(self) -> str:
        return f"{self.type_id}_{self.wording}_{_SHORT[self.capture]}"


def cases() -> list[Case]:
    """Every type in every wording scanned at 300 dpi; each other capture once per type, the wordings taking
    turns, so that every wording meets every capture somewhere in the set."""
    out = [Case(t, w, CAPTURES[0]) for t in TYPES for w in WORDINGS]
    for i, capture in enumerate(CAPTURES[1:]):
        out += [Case(t, WORDINGS[(j + i) % len(WORDINGS)], capture) for j, t in enumerate(TYPES)]
    return out


def _save(case: Case, image: Image.Image, path: Path, seed: int) -> None:
    """The drawn page through the case's capture, written as that capture writes its file."""
    rgb = np.asarray(damage(image, replace(LIGHT, skew_deg=LIGHT.skew_deg * (1 if seed % 2 else -1)),
                            np.random.default_rng(seed)))
    if case.capture == "scan 300 dpi":
        Image.fromarray(rgb).save(path, "JPEG", quality=80, dpi=(DPI, DPI))
    elif case.capture in ("scan 200 dpi", "scan 150 dpi"):
        at_resolution(rgb, int(case.capture.split()[1])).save(path, "JPEG", quality=80,
                                                              dpi=(int(case.capture.split()[1]),) * 2)
    elif case.capture == "fax":
        fax = faxed(rgb, seed)
        fax.save(path, "TIFF", compression="group4", dpi=fax.info["dpi"])
    else:
        Image.fromarray(photographed(rgb, seed)).save(path, "JPEG", quality=85, dpi=(72, 72))


def generate(out: Path, seed: int, only: Collection[str] | None = None) -> list[Path]:
    """Write the variety set (all, or the cases named in `only`) with its truth into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index, case in enumerate(cases()):
        if only is not None and case.name not in only:
            continue
        # One paper per type and wording, whatever the capture: the 150 dpi scan is of the paper scanned at 300.
        paper_seed = seed * 1000 + list(TYPES).index(case.type_id) * 10 + WORDINGS.index(case.wording)
        made = TYPES[case.type_id](random.Random(paper_seed), case.wording)
        doc = made.document
        path = out / f"{case.name}{_EXT[case.capture]}"
        _save(case, doc.pages[0].image, path, seed * 1000 + index)
        truth = {
            "file": path.name, "type": doc.doc_type, "wording": case.wording, "capture": case.capture,
            "profile": "light", "pages": 1, "rotation": 0,
            "fields": {"number": doc.number, "issue_date": doc.issued.isoformat(), "issuer": doc.issuer.name},
            "persons": [p.truth() for p in doc.persons], "handwritten": made.handwritten,
            "text": "\n".join(doc.pages[0].lines),
        }
        path.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", nargs="*", help="case names, e.g. khai_sinh_ruled_scan300")
    parser.add_argument("--committed", action="store_true", help="only the subset kept in variety_scans/")
    args = parser.parse_args()
    for path in generate(args.out, args.seed, COMMITTED if args.committed else args.only):
        print(f"{path}  {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
