"""Active content in a PDF that arrives born-digital: found, and removed before the agency signs the file.

What the agency signs and a citizen opens must do nothing but show pages. JavaScript, actions that run on opening
or on a click (launch a program, open a web address, submit a form), attached files, multimedia and form fields
are taken out; links inside the document, bookmarks that go to a page and signature fields without actions stay
(a decision that arrives signed keeps its signatures). A file with none of these is left
byte for byte as it came (a signature it arrived with stays valid); one that had any is rewritten, and the list of
what was removed goes into the manifest. The untouched original is archived beside it either way.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

# Actions that only move within the document: harmless.
_SAFE_ACTIONS = {"/GoTo", "/Named", "/Thread"}
# Annotations that play, attach or run something.
_ACTIVE_ANNOTS = {"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D", "/Widget"}
_ACTIVE_TYPES = {"/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition",
                 "/Movie", "/Sound", "/RichMediaExecute", "/Hide", "/SetOCGState", "/ResetForm"}

_WORDS = {
    "open_action": "hành động tự chạy khi mở tệp (OpenAction)",
    "document_actions": "hành động gắn với tài liệu (AA)",
    "javascript": "mã JavaScript",
    "embedded_files": "tệp đính kèm",
    "forms": "biểu mẫu (AcroForm/XFA) cùng các chữ ký số có sẵn trong tệp",
    "page_actions": "hành động gắn với trang",
    "annotations": "chú thích chứa hành động, tệp đính kèm hoặc đa phương tiện",
    "links": "liên kết mở địa chỉ web, chương trình hoặc tệp bên ngoài",
    "outline_actions": "hành động trong mục lục (bookmark)",
}


class ActiveContentError(Exception):
    """Active content that could not be removed: the file is not signed."""


@dataclass(frozen=True)
class Sanitised:
    data: bytes
    removed: tuple[str, ...]  # Vietnamese, one line per kind of content removed; empty: the file is unchanged


def _action_is_active(action: object) -> bool:
    if not isinstance(action, Dictionary):
        return False
    kind = str(action.get("/S", ""))
    if kind not in _SAFE_ACTIONS:
        return True
    following = action.get("/Next")  # a chain of actions: one bad link makes it bad
    if isinstance(following, Array):
        return any(_action_is_active(a) for a in following)
    return following is not None and _action_is_active(following)


def _field_type(field: Dictionary) -> str:
    """A form field's type, inherited from its parents as the PDF specification has it."""
    node: object = field
    for _ in range(50):
        if not isinstance(node, Dictionary):
            break
        if "/FT" in node:
            return str(node.FT)
        node = node.get("/Parent")
    return ""


def _form_is_active(form: object) -> bool:
    """Whether a form holds anything but signature fields: XFA, other field types, field actions."""
    if not isinstance(form, Dictionary):
        return False
    if "/XFA" in form:
        return True
    pending = list(form.get("/Fields", Array())) if isinstance(form.get("/Fields"), Array) else []
    seen = 0
    while pending and seen < 100_000:
        field = pending.pop()
        seen += 1
        if not isinstance(field, Dictionary):
            continue
        if "/AA" in field or "/A" in field:
            return True
        kids = field.get("/Kids")
        if isinstance(kids, Array) and len(kids):
            pending.extend(kids)
        elif _field_type(field) != "/Sig":
            return True
    return False


def _clean_outline(item: object, found: set[str], depth: int = 0) -> None:
    seen = 0
    while isinstance(item, Dictionary) and seen < 100_000 and depth < 100:
        if _action_is_active(item.get("/A")):
            del item["/A"]
            found.add("outline_actions")
        _clean_outline(item.get("/First"), found, depth + 1)
        item = item.get("/Next")
        seen += 1


def strip_active_content(data: bytes) -> Sanitised:
    """The file with its active content removed, and what was removed; the same bytes if there was none."""
    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        for key, what in (("/OpenAction", "open_action"), ("/AA", "document_actions")):
            if key in root and (key == "/AA" or _action_is_active(root[key])):
                del root[key]
                found.add(what)
        names = root.get("/Names")
        if isinstance(names, Dictionary):
            for key, what in (("/JavaScript", "javascript"), ("/EmbeddedFiles", "embedded_files")):
                if key in names:
                    del names[key]
                    found.add(what)
        if "/AF" in root:  # associated files (PDF 2.0, PDF/A-3): attachments by another road
            del root["/AF"]
            found.add("embedded_files")
        forms_active = "/AcroForm" in root and _form_is_active(root.AcroForm)
        if forms_active:  # signature fields alone are no active content: a signed decision keeps its signatures
            del root["/AcroForm"]
            found.add("forms")
        if "/Outlines" in root:
            _clean_outline(root.Outlines.get("/First"), found)
        for page in pdf.pages:
            if "/AA" in page.obj:
                del page.obj["/AA"]
                found.add("page_actions")
            if "/AF" in page.obj:
                del page.obj["/AF"]
                found.add("embedded_files")
            annots = page.obj.get("/Annots")
            if not isinstance(annots, Array):
                continue
            kept = Array()
            for annot in annots:
                if not isinstance(annot, Dictionary):
                    continue
                inert_signature = (annot.get("/Subtype") == Name.Widget and not forms_active
                                   and _field_type(annot) == "/Sig" and "/A" not in annot)
                if (str(annot.get("/Subtype", "")) in _ACTIVE_ANNOTS and not inert_signature) or "/AA" in annot:
                    found.add("annotations")
                    continue
                if _action_is_active(annot.get("/A")):
                    found.add("links")
                    continue
                kept.append(annot)
            if len(kept) != len(annots):
                page.obj.Annots = kept
        if not found:
            return Sanitised(data, ())
        out = io.BytesIO()
        pdf.remove_unreferenced_resources()
        pdf.save(out, fix_metadata_version=False)
    cleaned = out.getvalue()
    left = active_content(cleaned)
    if left:
        raise ActiveContentError("; ".join(left))
    return Sanitised(cleaned, tuple(_WORDS[k] for k in _WORDS if k in found))


def active_content(data: bytes) -> list[str]:
    """What active content a PDF holds anywhere among its objects (Vietnamese); empty when none."""
    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            _inspect(obj, found, 0)
    return [_WORDS[k] for k in _WORDS if k in found]


def _inspect(obj: object, found: set[str], depth: int) -> None:
    """One object and the direct objects inside it (indirect ones are visited on their own)."""
    if depth > 50:
        return
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, Array):
        for item in obj:
            if isinstance(item, Dictionary | Array) and not item.is_indirect:
                _inspect(item, found, depth + 1)
        return
    if not isinstance(obj, Dictionary):
        return
    keys = set(obj.keys())
    if keys & {"/JS", "/JavaScript"}:
        found.add("javascript")
    if keys & {"/EmbeddedFile", "/EmbeddedFiles", "/RichMediaContent", "/EF"} or obj.get("/Type") == Name.EmbeddedFile:
        found.add("embedded_files")
    if "/XFA" in keys:
        found.add("forms")
    if "/S" in keys and str(obj.get("/S")) in _ACTIVE_TYPES and keys & {"/JS", "/URI", "/F", "/Win", "/Next",
                                                                        "/Fields", "/T", "/R", "/OCGs"}:
        found.add("links" if str(obj.get("/S")) in ("/URI", "/Launch", "/GoToR", "/GoToE") else "javascript")
    if "/OpenAction" in keys and _action_is_active(obj.get("/OpenAction")):
        found.add("open_action")
    for key in keys:
        value = obj.get(key)
        if isinstance(value, Dictionary | Array) and not value.is_indirect:
            _inspect(value, found, depth + 1)
