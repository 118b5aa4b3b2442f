"""Label wordings learned from reviewers: when a reviewer corrects a person's name, birth date or number on a record,
the words printed just before that value on the form are remembered as a label of that field for that document type,
so the next form worded the same way is read without a person.

Kept per installation in `<data-dir>/labels/learned.json`, listed and removable by an administrator (`sohoa labels`).
Learned labels never override configuration: the configured labels are matched first, and a learned one only where
no configured label already stands.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from context.settings import Settings
from domain.catalogue import Labels
from domain.records import Person
from domain.text import fold, nfc, squash

KINDS = ("name", "dob", "personal_number", "old_id")
MAX_WORDS = 8  # a label is a few words; a longer run before a value is prose, not a label
_cache: dict[Path, tuple[tuple[int, int], list[LearnedLabel]]] = {}


@dataclass(frozen=True)
class LearnedLabel:
    id: str
    type_id: str
    kind: str  # name, dob, personal_number, old_id
    label: str  # as printed (NFC)
    role: str  # the role of the person a name label names
    learned_from: str  # the result code of the corrected record
    learned_by: str
    learned_at: str


def _path(settings: Settings) -> Path:
    return settings.data_dir / "labels" / "learned.json"


def load_learned(settings: Settings) -> list[LearnedLabel]:
    """Every learned label; read again only when the file changed (each digitised document asks)."""
    path = _path(settings)
    try:
        st = path.stat()
    except FileNotFoundError:
        return []
    stamp = (st.st_mtime_ns, st.st_ino)
    cached = _cache.get(path)
    if cached is None or cached[0] != stamp:
        cached = _cache[path] = (stamp, [LearnedLabel(**x) for x in json.loads(path.read_text(encoding="utf-8"))])
    return list(cached[1])


def save_learned(settings: Settings, labels: Sequence[LearnedLabel]) -> None:
    path = _path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(x) for x in labels], ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def learned_for(settings: Settings, type_id: str | None) -> list[tuple[str, str, str]]:
    """(label, kind, role) of the labels learned for this document type, for `fields.extract`."""
    return [(x.label, x.kind, x.role) for x in load_learned(settings) if type_id and x.type_id == type_id]


def _configured(labels: Labels, kind: str) -> list[str]:
    return {"name": [n.label for n in labels.name], "dob": list(labels.dob),
            "personal_number": list(labels.personal_number), "old_id": list(labels.old_id)}[kind]


def _position(line: str, kind: str, value: str | date) -> int:
    """Where the value starts in the line as printed (-1: not there)."""
    if kind == "name":
        return fold(line).find(fold(squash(str(value))))
    if isinstance(value, date):
        forms = (f"{value:%d/%m/%Y}", f"{value.day}/{value.month}/{value.year}", f"{value:%d-%m-%Y}",
                 f"{value:%d.%m.%Y}")
        found = [i for i in (line.find(f) for f in forms) if i >= 0]
        return min(found, default=-1)
    digits = re.sub(r"\D", "", value)
    m = re.search(r"(?<!\d)" + r"[ .]?".join(digits) + r"(?!\d)", line) if digits else None
    return m.start() if m else -1


def label_before(text: str, kind: str, value: str | date) -> str | None:
    """The words printed just before the value on its line (after any earlier "label: value" on that line), or None
    when the value is not in the text or nothing label-like precedes it."""
    for line in nfc(text).splitlines():
        at = _position(line, kind, value)
        if at <= 0:
            continue
        head = re.split(r"[:;]|\s{2,}", line[:at].rstrip(" \t:;.-–"))[-1]
        words = head.split()
        if words and len(words) <= MAX_WORDS and not any(c.isdigit() for c in head) and \
                any(c.isalpha() for c in head):
            return " ".join(words).rstrip(" :;.-")
    return None


def learn(settings: Settings, labels: Labels, type_id: str | None, text: str, before: Sequence[Person],
          after: Sequence[Person], result_code: str, by: str) -> list[LearnedLabel]:
    """Remember the labels of the values a reviewer added or changed (what `before` lacked and `after` has), where
    the form prints one that the configuration does not know yet. Returns the labels added."""
    if not type_id:
        return []
    known = load_learned(settings)
    added: list[LearnedLabel] = []
    for person in after:
        for kind in KINDS:
            value = person.name if kind == "name" else person.dob if kind == "dob" else getattr(person, kind)
            if not value or any((p.name if kind == "name" else getattr(p, kind)) == value for p in before):
                continue
            label = label_before(text, kind, value)
            if label is None:
                continue
            taken = {fold(x) for x in _configured(labels, kind)} | {
                fold(x.label) for x in [*known, *added] if x.kind == kind and x.type_id == type_id}
            if fold(label) in taken:
                continue
            added.append(LearnedLabel(secrets.token_hex(4), type_id, kind, label, person.role if kind == "name" else "",
                                      result_code, by, datetime.now(UTC).isoformat(timespec="seconds")))
    if added:
        save_learned(settings, [*known, *added])
    return added
