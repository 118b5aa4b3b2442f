"""Where a record's paper original sits, and what of it came in one scan: the archival description of the box and
file it belongs to (phông, mục lục, hộp, hồ sơ, tờ; the dossier metadata of TT 05/2025/TT-BNV), and the stack file
a document was split out of (the pages m–n of it).

A description comes from a separator sheet's QR code or from a small file beside the scans (`paper.toml` or
`paper.csv`, see `read_description`); its keys are fixed (an unknown one is refused, as settings are), so a typo never
files a box under no name."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from domain.messages import CodedError

# key -> what the archivist calls it (the names shown on the portal and in the catalogue's header)
LABELS = {
    "fonds": "Phông",
    "inventory": "Mục lục",
    "box": "Hộp",
    "file": "Hồ sơ số",
    "sheets": "Tờ số",
    "paper_code": "Mã hồ sơ gốc giấy",
    "title": "Tiêu đề hồ sơ",
    "retention": "Thời hạn lưu trữ",
    "access": "Mức độ tiếp cận",
    "language": "Ngôn ngữ",
    "sheet_count": "Số lượng tờ",
    "page_count": "Số lượng trang",
    "condition": "Tình trạng vật lý",
}


class DescriptionError(CodedError, ValueError):
    """A description that cannot be read: `vietnamese` (`paper.<code>`) says which key or value is wrong."""

    area = "paper"


class _Model(BaseModel):
    model_config = ConfigDict(defer_build=True)


class ArchivalDescription(_Model):
    """The paper file a scan comes from. Every key is optional but at least one of fonds/inventory/box/file or the
    paper code must be given for it to place anything."""

    fonds: str = ""  # phông: the archive's fonds code or name
    inventory: str = ""  # mục lục số
    box: str = ""  # hộp số
    file: str = ""  # hồ sơ số, within the box
    sheets: str = ""  # tờ số: "1-24", the sheets of the file this scan holds
    paper_code: str = ""  # mã hồ sơ gốc giấy (TT 05/2025)
    title: str = ""  # tiêu đề hồ sơ
    retention: str = ""  # thời hạn lưu trữ, as the paper file's cover says ("Vĩnh viễn", "20 năm")
    access: str = ""  # mức độ tiếp cận ("Công khai", "Hạn chế")
    language: str = ""
    sheet_count: int | None = Field(default=None, ge=0)  # số lượng tờ the file should hold
    page_count: int | None = Field(default=None, ge=0)  # số lượng trang
    condition: str = ""  # tình trạng vật lý ("Tốt", "Rách, ố vàng")

    model_config = _Model.model_config | {"extra": "forbid", "str_strip_whitespace": True}

    @property
    def places_something(self) -> bool:
        return any((self.fonds, self.inventory, self.box, self.file, self.paper_code))

    def words(self) -> list[tuple[str, str]]:
        """(label, value) of what is given, in the order an archivist reads a file's cover."""
        return [(LABELS[k], str(v)) for k, v in self.model_dump().items() if v not in ("", None)]

    def expected_sheets(self) -> int | None:
        """How many sheets the description says the scan holds: `sheet_count`, else the span of `sheets`."""
        if self.sheet_count is not None:
            return self.sheet_count
        first, _, last = self.sheets.partition("-")
        if first.strip().isdigit() and last.strip().isdigit() and int(last) >= int(first):
            return int(last) - int(first) + 1
        return None

    def merged(self, over: ArchivalDescription) -> ArchivalDescription:
        """This description with what `over` gives put over it (a document's sheet beside its box's cover)."""
        given = {k: v for k, v in over.model_dump().items() if v not in ("", None)}
        return self.model_copy(update=given)


def description_of(values: Mapping[str, Any], where: str) -> ArchivalDescription:
    """A description from a table of values; DescriptionError naming `where` and the key for an unknown key or a
    value of the wrong kind."""
    unknown = sorted(set(values) - set(LABELS))
    if unknown:
        raise DescriptionError(f"{where}: unknown key(s) {', '.join(unknown)}", "unknown_keys", where=where,
                               keys=", ".join(unknown), allowed=", ".join(LABELS))
    try:
        clean = {k: ("" if v is None else v) if k not in ("sheet_count", "page_count") else (v if v != "" else None)
                 for k, v in values.items()}
        text = {k: str(v) for k, v in clean.items() if k not in ("sheet_count", "page_count")}
        return ArchivalDescription.model_validate({**clean, **text})
    except ValidationError as e:
        bad = ", ".join(str(err["loc"][0]) for err in e.errors())
        raise DescriptionError(f"{where}: bad value for {bad}", "bad_values", where=where, keys=bad) from e


def read_description(name: str, data: bytes) -> ArchivalDescription:
    """A description file: TOML (`paper.toml`: keys at the top) or CSV (`paper.csv`: a header row of keys and one
    row of values)."""
    text = data.decode("utf-8-sig")
    if name.endswith(".toml"):
        try:
            return description_of(tomllib.loads(text), name)
        except tomllib.TOMLDecodeError as e:
            raise DescriptionError(f"{name}: {e}", "bad_toml", where=name, reason=e) from e
    rows = list(csv.DictReader(io.StringIO(text)))
    if len(rows) != 1:
        raise DescriptionError(f"{name}: {len(rows)} rows", "csv_rows", where=name, count=len(rows))
    return description_of({k.strip(): v for k, v in rows[0].items() if k}, name)


SEPARATOR_KIND = "sohoa-separator"  # what a separator sheet's QR code says it is


def separator_payload(description: ArchivalDescription | None) -> str:
    """What a separator sheet's QR code says: that it is one, and the description it carries."""
    body: dict[str, object] = {"kind": SEPARATOR_KIND, "v": 1}
    if description is not None:
        body["paper"] = {k: v for k, v in description.model_dump().items() if v not in ("", None)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def read_separator_payload(text: str) -> tuple[bool, ArchivalDescription | None]:
    """Whether a QR code's text is a separator sheet's (another QR code, a copy's own, is not), and the description
    it carries, if any. DescriptionError when it carries one that cannot be read."""
    try:
        body = json.loads(text)
    except ValueError:
        return False, None
    if not isinstance(body, dict) or body.get("kind") != SEPARATOR_KIND:
        return False, None
    paper = body.get("paper")
    if not isinstance(paper, dict) or not paper:
        return True, None
    return True, description_of(paper, "separator")


class StackPlace(_Model):
    """The pages of a stack file (one scan of many documents, archived once as received) a record was read from."""

    sha256: str  # the stack file's hash: its archived copy is found by it
    name: str  # the file's name as it arrived
    first_page: int  # 1-based, in the stack
    last_page: int
    pages: list[int]  # 1-based: the pages read into this record (blank backs and separator sheets left out)


class PaperOrigin(_Model):
    """Where the paper of a record is: its archival description (when the batch gave one) and the stack it was split
    out of (when it came in one)."""

    description: ArchivalDescription | None = None
    stack: StackPlace | None = None
