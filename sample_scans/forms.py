"""A second, independent generator of forms: a grammar of wordings and layouts, split in two parts.

The samples and the variety set print each type one way or three. Archives hold dozens of form generations, so
this generator composes each document from choices — where a person stands (label and value on a line, two
fields to a line, the value on the line under its label, a ruled table, a table with a header row, a sentence),
how each label is worded, how a date or a number is written, whether a name is in capitals or Title Case, which
other people stand near (parents, officials, the signer) — and every choice's alternatives are split into a
development part and a held-out part. A document of one part draws only that part's alternatives, so rules
written while looking at the development part are measured on wordings and layouts they never saw:

    python sample_scans/forms.py --out DIR [--seed 2026] [--per-type 4] [--part dev|held_out|both]

`bench/accuracy.py --sets forms` renders both parts, scans them, and prints them side by side with the gap.
`tests/pipeline/test_forms.py` runs the extractor on both parts' text (no OCR) as a fast guard.

Rules: nothing under pipeline/ or domain/ may be written against a wording of the held-out part. Add a new wording
to the development part when a rule needs one; move an alternative between parts only with a note in the bench's
output history (README), since that resets what "held out" means.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sample_scans.captures import at_resolution, faxed
from sample_scans.generate import (
    A4,
    DPI,
    LIGHT,
    PLACES,
    Issuer,
    commune_issuer,
    damage,
    district_issuer,
    font,
    header,
    make_personal_number,
    pt,
    signature_block,
    title,
    upper_vi,
)
from sample_scans.variety import Form, date_in_words

Part = Literal["dev", "held_out"]
PARTS: tuple[Part, ...] = ("dev", "held_out")


@dataclass(frozen=True)
class Pool:
    """One choice of the grammar: its development alternatives and its held-out ones."""

    dev: tuple[Any, ...]
    held_out: tuple[Any, ...]

    def pick(self, rng: random.Random, part: Part) -> Any:
        return rng.choice(self.dev if part == "dev" else self.held_out)


# ---------------------------------------------------------------------------------------------------------------
# People: names drawn wider than the samples' (surnames and given names the other generators never print)

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
            "Đào", "Đoàn", "Trịnh", "Trương", "Lâm", "Mai", "Tô", "Hà", "Tạ", "Đinh", "Lưu", "Cao", "Quách", "Lương",
            "Kiều", "Triệu", "Châu", "Thái", "Nông", "Lò", "Vi")
MIDDLE = {"Nam": ("Văn", "Hữu", "Đình", "Quang", "Xuân", "Trọng", "Bá", "Tiến", "Công", "Minh", ""),
          "Nữ": ("Thị", "Thị Thanh", "Ngọc", "Thu", "Hoài", "Bích", "Kim", "Thị Mỹ", "Diệu", "")}
GIVEN = {"Nam": ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hiếu", "Khánh", "Long", "Nam", "Phong", "Quân",
                 "Sang", "Tài", "Thành", "Trung", "Vinh", "Hùng", "Lộc", "Tín"),
         "Nữ": ("Anh", "Chi", "Dung", "Hà", "Hằng", "Huyền", "Linh", "Loan", "Nga", "Oanh", "Phương", "Quyên",
                "Tâm", "Thủy", "Trinh", "Vân", "Xuân", "Yến", "Nhàn", "Lụa")}
OLD_ID_PREFIX = ("23", "24", "25", "19", "17")  # nine-digit CMND of provinces around Gia Lai


@dataclass
class Person:
    name: str  # as a person would write it, Title Case: the truth is its upper case
    sex: str
    dob: date
    role: str
    personal_number: str | None = None
    old_id: str | None = None
    year_only: bool = False  # the paper gives only the year of birth ("sinh năm 1985")

    def truth(self) -> dict[str, Any]:
        return {"role": self.role, "name": upper_vi(self.name), "sex": self.sex,
                "dob": None if self.year_only else self.dob.isoformat(),
                "birth_year": self.dob.year, "personal_number": self.personal_number, "old_id": self.old_id}


def person(rng: random.Random, role: str, born: tuple[int, int], *, sex: str | None = None,
           identifier: str = "personal_number") -> Person:
    sex = sex or rng.choice(("Nam", "Nữ"))
    words = [rng.choice(SURNAMES), rng.choice(MIDDLE[sex]), rng.choice(GIVEN[sex])]
    if rng.random() < 0.2:  # four-word names: "Nguyễn Thị Thanh Hà", "Trần Văn Quang Hải"
        words.insert(2, rng.choice([m for m in MIDDLE[sex] if m and " " not in m]))
    name = " ".join(w for w in words if w)
    dob = date(rng.randint(*born), 1, 1) + timedelta(days=rng.randrange(365))
    p = Person(name, sex, dob, role)
    if identifier == "personal_number":
        p.personal_number = make_personal_number(rng, sex, dob)
    elif identifier == "old_id":
        p.old_id = f"{rng.choice(OLD_ID_PREFIX)}{rng.randrange(10**7):07d}"
    return p


# ---------------------------------------------------------------------------------------------------------------
# The grammar: every pool's alternatives split into the two parts

NAME_LABEL = Pool(dev=("Họ và tên", "Họ, chữ đệm, tên", "Họ và tên người {role}", "Tên người {role}",
                       "Họ, tên đệm và tên"),
                  held_out=("Họ tên", "Họ, tên", "Họ tên người {role}", "Tên đầy đủ"))
DOB_LABEL = Pool(dev=("Ngày sinh", "Sinh ngày", "Ngày, tháng, năm sinh", "Ngày tháng sinh"),
                 held_out=("Ngày tháng năm sinh", "Ngày/tháng/năm sinh", "Sinh ngày"))
YEAR_LABEL = Pool(dev=("sinh năm",), held_out=("Năm sinh",))
PN_LABEL = Pool(dev=("Số định danh cá nhân", "Số CCCD", "CCCD số", "Số thẻ căn cước"),
                held_out=("Căn cước công dân số", "Mã định danh", "Số căn cước", "Số định danh"))
OLD_LABEL = Pool(dev=("CMND số", "Số CMND", "Giấy CMND số"),
                 held_out=("Chứng minh nhân dân số", "Số chứng minh nhân dân"))
HONORIFIC = Pool(dev=("ông", "bà", "Ông/bà", "Ông/Bà", "cháu"), held_out=("Ông (bà)", "ông/bà", "anh", "chị"))
NAME_CASE = Pool(dev=("upper", "upper", "title"), held_out=("title", "upper"))
DOB_FORM = Pool(dev=("%d/%m/%Y", "%-d/%-m/%Y", "%d-%m-%Y", "long"), held_out=("%d.%m.%Y", "words", "%d/%m/%Y"))
PN_FORM = Pool(dev=("plain", "plain", "spaced4"), held_out=("plain", "spaced3", "spaced4"))
# Where the subject stands on the page.
# Where the subject stands on the page. "role_line" (the role as the label) is held out whole: no development
# document has it, so its figures show how far the rules reach beyond what they were written on.
LAYOUT = Pool(dev=("lines", "pairs", "prose", "table", "next_line", "columns"),
              held_out=("next_line", "role_line", "columns", "prose", "table"))
# A sentence naming the subject: {who} is the honorific and the name.
PROSE = Pool(
    dev=("Công nhận {who}, {dob}, {pn}, thường trú tại {address}.",
         "Cấp cho {who}, {dob}, {pn}.",
         "Xác nhận {who}, {dob}, {pn}, cư trú tại {address}."),
    held_out=("Nay chứng nhận {who} ({pn}), {dob}, hiện ở tại {address}.",
              "Giải quyết cho {who} {dob}, {pn}, địa chỉ: {address}.",
              "Đồng ý để {who}, {dob}; {pn}, được hưởng theo quy định."))
# The line of a role written as the label itself: "Chủ hộ kinh doanh: DƯƠNG CÔNG QUÂN".
ROLE_LABEL = {
    "registrant": Pool(dev=("Người được khai sinh",), held_out=("Trẻ được đăng ký khai sinh",)),
    "wife": Pool(dev=("Bên vợ",), held_out=("Người vợ",)),
    "husband": Pool(dev=("Bên chồng",), held_out=("Người chồng",)),
    "deceased": Pool(dev=("Người chết",), held_out=("Người đã chết",)),
    "subject": Pool(dev=("Người được xác nhận",), held_out=("Người được cấp giấy xác nhận",)),
    "owner": Pool(dev=("Chủ hộ kinh doanh", "Chủ đầu tư"), held_out=("Chủ hộ", "Người đại diện hộ kinh doanh")),
    "beneficiary": Pool(dev=("Người được hưởng",), held_out=("Người được hỗ trợ",)),
}
ROLE_WORD = {"registrant": "được khai sinh", "wife": "vợ", "husband": "chồng", "deceased": "chết",
             "subject": "được xác nhận", "owner": "đứng tên", "beneficiary": "được hưởng"}
# A heading over each person of a paper about two, when their labels do not say whose they are.
HEADING = Pool(dev=("Bên {role}", "BÊN {ROLE}", "PHẦN GHI VỀ {ROLE}", "Về phía người {role}:"),
               held_out=("Thông tin về người {role}:", "Người {role}"))
# People who stand near the subject and are not the subject: officials, witnesses, the one who asked.
OFFICIAL = Pool(dev=("Xét đề nghị của {hon} {name}, Trưởng phòng Lao động - Thương binh và Xã hội,",
                     "Cán bộ tư pháp - hộ tịch: {name}"),
                held_out=("Theo đề nghị của {hon} {name} - Công chức Tư pháp - Hộ tịch xã,",
                          "Người thực hiện: {name}, công chức Văn phòng - Thống kê"))


@dataclass(frozen=True)
class TypeForm:
    type_id: str
    titles: tuple[str, ...]
    roles: tuple[str, ...]  # the subjects' roles, in the order the form names them
    born: tuple[int, int]
    number: Callable[[random.Random, date], str]
    issuer: Callable[[tuple[str, str, str, str]], Issuer]
    articles: bool = False  # a decision: the subject stands in "Điều 1."


def _register_number(rng: random.Random, issued: date) -> str:
    return f"{rng.randint(2, 480)}"


TYPES = (
    TypeForm("khai_sinh", ("GIẤY KHAI SINH",), ("registrant",), (2005, 2022), _register_number,
             commune_issuer),
    TypeForm("ket_hon", ("GIẤY CHỨNG NHẬN KẾT HÔN",), ("wife", "husband"), (1975, 2000), _register_number,
             commune_issuer),
    TypeForm("khai_tu", ("TRÍCH LỤC KHAI TỬ",), ("deceased",), (1930, 1960),
             lambda rng, d: f"{rng.randint(2, 200)}/TLKT-BS", commune_issuer),
    TypeForm("tinh_trang_hon_nhan", ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",), ("subject",), (1970, 2003),
             lambda rng, d: f"{rng.randint(2, 400)}/UBND-XNTTHN", commune_issuer),
    TypeForm("ho_kinh_doanh", ("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH",), ("owner",), (1960, 2000),
             lambda rng, d: f"39{rng.choice('ABCDE')}8{rng.randrange(10**6):06d}",
             lambda place: district_issuer(place, "Phòng Tài chính - Kế hoạch")),
    TypeForm("giay_phep_xay_dung", ("GIẤY PHÉP XÂY DỰNG",), ("owner",), (1960, 1995),
             lambda rng, d: f"{rng.randint(2, 300)}/GPXD", lambda place: district_issuer(place)),
    TypeForm("quyet_dinh", ("QUYẾT ĐỊNH",), ("beneficiary",), (1940, 1990),
             lambda rng, d: f"{rng.randint(2, 900)}/QĐ-UBND", lambda place: district_issuer(place), articles=True),
)


@dataclass
class Drawn:
    """A document the grammar composed: its page, its truth, and the choices it made (for the bench's notes)."""

    type_id: str
    part: Part
    page: Form
    number: str
    issued: date
    issuer: Issuer
    persons: list[Person]
    choices: dict[str, str] = field(default_factory=dict)
    bystanders: list[str] = field(default_factory=list)  # officials and the signer, upper case: never a person


def _name(p: Person, case: str) -> str:
    return upper_vi(p.name) if case == "upper" else p.name


def _dob(p: Person, form: str) -> str:
    if form == "words":
        return date_in_words(p.dob)
    if form == "long":  # "ngày 5 tháng 3 năm 1990"
        return f"ngày {p.dob.day} tháng {p.dob.month} năm {p.dob.year}"
    return p.dob.strftime(form)


def _pn(value: str, form: str) -> str:
    if form == "spaced4":
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    if form == "spaced3":
        return " ".join(value[i : i + 3] for i in range(0, len(value), 3))
    return value


def _address(rng: random.Random, place: tuple[str, str, str, str]) -> str:
    return f"thôn {rng.randint(1, 15)}, xã {place[0]}, huyện {place[1]}, tỉnh {place[2]}"


def _label(pool: Pool, rng: random.Random, part: Part, role: str) -> str:
    return str(pool.pick(rng, part)).replace("{role}", ROLE_WORD[role])


def _person_block(page: Form, y: int, p: Person, rng: random.Random, part: Part, layout: str,
                  place: tuple[str, str, str, str], choices: dict[str, str]) -> int:
    """Write one subject on the page in the layout drawn; returns the y below it."""
    case = NAME_CASE.pick(rng, part)
    name = _name(p, case)
    dob_form = DOB_FORM.pick(rng, part)
    dob_value = _dob(p, dob_form)
    ident_label = _label(PN_LABEL if p.personal_number else OLD_LABEL, rng, part, p.role)
    ident = _pn(p.personal_number, PN_FORM.pick(rng, part)) if p.personal_number else (p.old_id or "")
    choices.update(case=case, dob_form=dob_form, ident_label=ident_label)
    if p.year_only:
        year_label = YEAR_LABEL.pick(rng, part)
        dob_pair = (year_label[0].upper() + year_label[1:], str(p.dob.year))
        dob_phrase = f"{year_label.lower()} {p.dob.year}"
    else:
        dob_label = DOB_LABEL.pick(rng, part)
        dob_pair = (dob_label, dob_value)
        dob_phrase = (f"sinh {dob_value}" if dob_form in ("words", "long") else f"sinh ngày {dob_value}")
    name_label = _label(NAME_LABEL, rng, part, p.role)
    choices["name_label"] = name_label
    if p.role in ("wife", "husband") and "{role}" not in name_label and layout != "role_line":
        heading = str(HEADING.pick(rng, part))
        y = page.text(heading.replace("{role}", ROLE_WORD[p.role]).replace("{ROLE}", upper_vi(ROLE_WORD[p.role])),
                      y, x=page.left, style="bold")
    if layout == "lines":
        for label, value in ((name_label, name), dob_pair, ("Giới tính", p.sex), (ident_label, ident)):
            y = page.text(f"{label}: {value}", y, x=page.left)
    elif layout == "pairs":
        y = page.text(f"{name_label}: {name}          Giới tính: {p.sex}", y, x=page.left)
        y = page.text(f"{dob_pair[0]}: {dob_pair[1]}          Dân tộc: Kinh", y, x=page.left)
        y = page.text(f"{ident_label}: {ident}", y, x=page.left)
    elif layout == "next_line":
        for label, value in ((name_label, name), dob_pair, (ident_label, ident)):
            y = page.text(f"{label}:", y, x=page.left)
            y = page.text(value, y, x=page.left + 160)
    elif layout == "role_line":
        role_label = ROLE_LABEL[p.role].pick(rng, part)
        choices["role_label"] = role_label
        y = page.text(f"{role_label}: {name}", y, x=page.left)
        y = page.text(f"{dob_pair[0]}: {dob_pair[1]}", y, x=page.left)
        y = page.text(f"{ident_label}: {ident}", y, x=page.left)
    elif layout == "table":
        y = page.table([(name_label, name), dob_pair, ("Giới tính", p.sex), (ident_label, ident)], y)
    elif layout == "columns":  # a header row, then one row per person
        y = _column_table(page, y, [("STT", "1"), (name_label, name), (dob_pair[0], dob_pair[1]),
                                    (ident_label, ident)])
    else:  # prose
        sentence = PROSE.pick(rng, part)
        honorific = HONORIFIC.pick(rng, part)
        if honorific in ("anh", "ông") and p.sex == "Nữ":
            honorific = "chị" if honorific == "anh" else "bà"
        if honorific in ("chị", "bà") and p.sex == "Nam":
            honorific = "anh" if honorific == "chị" else "ông"
        choices.update(sentence=sentence.split("{")[0].strip(), honorific=honorific)
        y = page.paragraph(sentence.format(who=f"{honorific} {name}", dob=dob_phrase, pn=f"{ident_label} {ident}",
                                           address=_address(rng, place)), y, indent=120)
    return y + 20


def _column_table(page: Form, y: int, cells: Sequence[tuple[str, str]]) -> int:
    """A ruled table with a header row of labels and one row of values under them. A table wider than the page
    gives its widest column what is left and wraps that column's text inside its cells, as a word processor does."""
    f = font("regular", 12)
    pad = 50
    widths = [max(page.draw.textlength(h, font=f), page.draw.textlength(v, font=f)) + pad for h, v in cells]
    room = page.right - page.left
    if sum(widths) > room:
        widest = max(range(len(widths)), key=widths.__getitem__)
        widths[widest] = max(room - (sum(widths) - widths[widest]), 4 * pad)
    xs = [page.left]
    for w in widths:
        xs.append(round(xs[-1] + w))
    line_h = round(pt(12) * 1.35)

    rows = ([h for h, _ in cells], [v for _, v in cells])
    tops = [y]
    for row in rows:
        parts = [page.wrapped(text, widths[i] - pad + 10, size=12) for i, text in enumerate(row)]
        row_h = max(110, 60 + line_h * max(len(p) for p in parts))
        for i, lines in enumerate(parts):
            for k, line in enumerate(lines):
                page.text(line, tops[-1] + 30 + k * line_h, x=xs[i] + 20, size=12, record=False)
        page.lines.append(" | ".join(row))
        tops.append(tops[-1] + row_h)
    for top in tops:
        page.draw.line([(xs[0], top), (xs[-1], top)], fill=(25, 25, 25), width=4)
    for x in xs:
        page.draw.line([(x, tops[0]), (x, tops[-1])], fill=(25, 25, 25), width=4)
    return tops[-1] + 40


def compose(kind: TypeForm, rng: random.Random, part: Part) -> Drawn:
    place = rng.choice(PLACES)
    issuer = kind.issuer(place)
    identifier = "old_id" if rng.random() < 0.25 else "personal_number"
    persons = [person(rng, role, kind.born, identifier=identifier,
                      sex={"wife": "Nữ", "husband": "Nam"}.get(role)) for role in kind.roles]
    # Issued when the subject was of age, in the years sohoa's archives span; a decision after the 2015 law it cites.
    earliest = max(max(p.dob for p in persons) + timedelta(days=365 * 18),
                   date(2016, 1, 1) if kind.articles else date(2000, 1, 1))
    issued = earliest + timedelta(days=rng.randrange(max(1, (date(2026, 10, 1) - earliest).days)))
    if kind.type_id == "khai_sinh":
        issued = persons[0].dob + timedelta(days=rng.randint(3, 60))
    if kind.type_id in ("quyet_dinh", "giay_phep_xay_dung") and rng.random() < 0.3:
        persons[0].year_only = True  # decisions and permits often give only the year of birth
    number = kind.number(rng, issued)
    layout = LAYOUT.pick(rng, part)
    if layout == "columns" and kind.type_id in ("ket_hon",):
        layout = "next_line"
    page = Form()
    y = header(page, issuer, [f"Số: {number}"], issued)
    y = title(page, list(kind.titles), y, size=16)
    choices = {"layout": layout}
    official = make_official(rng)
    if kind.articles:
        y = page.text(upper_vi(" ".join(issuer.signer_title[-1:]) + " ỦY BAN NHÂN DÂN"), y, center=A4[0] // 2,
                      style="bold", size=13) + 20
        y = page.paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", y, indent=120,
                           style="italic")
        y = page.paragraph(OFFICIAL.pick(rng, part).format(hon="ông", name=official), y, indent=120,
                           style="italic") + 20
        y = page.text("QUYẾT ĐỊNH:", y, center=A4[0] // 2, style="bold", size=14) + 20
        y = page.paragraph("Điều 1. Hỗ trợ một lần đối với người có tên sau đây:", y, indent=120)
    for p in persons:
        y = _person_block(page, y, p, rng, part, layout, place, choices)
    if kind.type_id == "khai_sinh":  # the parents, named as such
        for role, sex, word in (("mother", "Nữ", "mẹ"), ("father", "Nam", "cha")):
            parent = person(rng, role, (persons[0].dob.year - 40, persons[0].dob.year - 19), sex=sex,
                            identifier="none")
            y = page.text(f"Họ và tên {word}: {upper_vi(parent.name)}          Năm sinh: {parent.dob.year}", y,
                          x=page.left)
    if kind.articles:
        y = page.paragraph("Điều 2. Chánh Văn phòng và người có tên tại Điều 1 chịu trách nhiệm thi hành Quyết "
                           "định này.", y, indent=120) + 40
    elif rng.random() < 0.6:
        y = page.text(OFFICIAL.pick(rng, part).format(hon="bà", name=official).rstrip(","), y, x=page.left) + 20
    signer = make_official(rng)
    signature_block(page, rng, issuer, signer, y + 40)
    bystanders = [upper_vi(n) for n in (official, signer) if n in "\n".join(page.lines)]
    return Drawn(kind.type_id, part, page, number, issued, issuer, persons, choices, bystanders)


def make_official(rng: random.Random) -> str:
    sex = rng.choice(("Nam", "Nữ"))
    return " ".join(w for w in (rng.choice(SURNAMES), rng.choice(MIDDLE[sex]), rng.choice(GIVEN[sex])) if w)


def documents(part: Part, seed: int, per_type: int) -> list[Drawn]:
    """`per_type` documents of each type, drawn from one part of the grammar."""
    out = []
    for t, kind in enumerate(TYPES):
        for n in range(per_type):
            rng = random.Random(seed * 100_003 + PARTS.index(part) * 10_007 + t * 101 + n)
            out.append(compose(kind, rng, part))
    return out


def truth(doc: Drawn, file: str, capture: str) -> dict[str, Any]:
    return {"file": file, "type": doc.type_id, "part": doc.part, "capture": capture, "profile": "light",
            "pages": 1, "rotation": 0, "choices": doc.choices,
            "fields": {"number": doc.number, "issue_date": doc.issued.isoformat(), "issuer": doc.issuer.name},
            "persons": [p.truth() for p in doc.persons], "bystanders": doc.bystanders, "handwritten": [],
            "text": "\n".join(doc.page.lines)}


RESCANS = ("scan 150 dpi", "fax")  # captures the digitisation team rescans: their figures are counted apart


def generate(out: Path, seed: int, per_type: int = 4, parts: Sequence[Part] = PARTS) -> list[Path]:
    """Render each part's documents as 300 dpi scans (every fourth at 200 dpi) with their truth into `out`; then a
    quarter as many other documents of each part captured as a rescan would be (150 dpi, a fax, in turn), named
    `<part>_rescan_…`, whose figures the bench counts apart."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for part in parts:
        for index, doc in enumerate(documents(part, seed, per_type)):
            dpi = 200 if index % 4 == 3 else DPI
            path = out / f"{part}_{index:02d}_{doc.type_id}.jpg"
            rgb = np.asarray(damage(doc.page.image, LIGHT, np.random.default_rng(seed + index)))
            image = Image.fromarray(rgb) if dpi == DPI else at_resolution(rgb, dpi)
            image.save(path, "JPEG", quality=85, dpi=(dpi, dpi))
            written.append(_with_truth(path, doc, f"scan {dpi} dpi"))
        for index, doc in enumerate(documents(part, seed + 1, max(1, per_type // 4))):
            capture = RESCANS[index % len(RESCANS)]
            rgb = np.asarray(damage(doc.page.image, LIGHT, np.random.default_rng(seed + 500 + index)))
            if capture == "fax":
                path = out / f"{part}_rescan_{index:02d}_{doc.type_id}.tif"
                fax = faxed(rgb, seed + index)
                fax.save(path, "TIFF", compression="group4", dpi=fax.info["dpi"])
            else:
                path = out / f"{part}_rescan_{index:02d}_{doc.type_id}.jpg"
                at_resolution(rgb, 150).save(path, "JPEG", quality=85, dpi=(150, 150))
            written.append(_with_truth(path, doc, capture))
    return written


def _with_truth(path: Path, doc: Drawn, capture: str) -> Path:
    path.with_suffix(".json").write_text(
        json.dumps(truth(doc, path.name, capture), ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-type", type=int, default=4)
    parser.add_argument("--part", choices=("dev", "held_out", "both"), default="both")
    args = parser.parse_args()
    parts: tuple[Part, ...] = PARTS if args.part == "both" else (args.part,)
    for path in generate(args.out, args.seed, args.per_type, parts):
        print(path)


if __name__ == "__main__":
    main()
