"""Active content in a PDF that arrives born-digital: found, and removed before the agency signs the file.

What the agency signs and a citizen opens must do nothing but show pages. What can run or carry a payload is taken
out: JavaScript, actions that run on opening or on a click (launch a program, open another file, submit a form,
import data, play media), attached files, multimedia and form fields. What only shows or points stays: links inside
the document, bookmarks that go to a page, signature fields without actions (a decision that arrives signed keeps its
signatures), and ordinary web links (a URI action opens an address in the reader's browser, as a printed address
would be typed; they are listed in the manifest and the verification report, `web_links`). A file with nothing
to remove is left byte for byte as it came (a signature it arrived with stays valid); one that had any is rewritten,
and the list of what was removed goes into the manifest. The untouched original is archived beside it either way.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

# Actions that only move within the document: harmless anywhere. A web address opened on a click (a link, a
# bookmark) runs nothing either; opened by itself when the file opens, it would report the reader to a server.
_MOVE_ACTIONS = frozenset({"/GoTo", "/Named", "/Thread"})
_SAFE_ACTIONS = _MOVE_ACTIONS | {"/URI"}
# Annotations that play, attach or run something.
_ACTIVE_ANNOTS = {"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D", "/Widget"}
_ACTIVE_TYPES = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition",
                 "/Movie", "/Sound", "/RichMediaExecute", "/Hide", "/SetOCGState", "/ResetForm"}

_WORDS = {
    "open_action": "hành động tự chạy khi mở tệp (OpenAction)",
    "document_actions": "hành động gắn với tài liệu (AA)",
    "javascript": "mã JavaScript",
    "embedded_files": "tệp đính kèm",
    "forms": "biểu mẫu (AcroForm/XFA) cùng các chữ ký số có sẵn trong tệp",
    "page_actions": "hành động gắn với trang",
    "annotations": "chú thích chứa hành động, tệp đính kèm hoặc đa phương tiện",
    "links": "liên kết mở chương trình hoặc tệp bên ngoài",
    "outline_actions": "hành động trong mục lục (bookmark)",
}


class ActiveContentError(Exception):
    """Active content that could not be removed: the file is not signed."""


@dataclass(frozen=True)
class Sanitised:
    data: bytes
    removed: tuple[str, ...]  # Vietnamese, one line per kind of content removed; empty: the file is unchanged


def _action_is_active(action: object, safe: frozenset[str] = _SAFE_ACTIONS) -> bool:
    """`safe`: the kinds of action allowed where it stands (on a click; `_MOVE_ACTIONS` when the file opens)."""
    if not isinstance(action, Dictionary):
        return False
    kind = str(action.get("/S", ""))
    if kind not in safe:
        return True
    following = action.get("/Next")  # a chain of actions: one bad link makes it bad
    if isinstance(following, Array):
        return any(_action_is_active(a, safe) for a in following)
    return following is not None and _action_is_active(following, safe)


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
            if key in root and (key == "/AA" or _action_is_active(root[key], _MOVE_ACTIONS)):
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
    if "/S" in keys and str(obj.get("/S")) in _ACTIVE_TYPES and keys & {"/JS", "/F", "/Win", "/Next", "/Fields",
                                                                        "/T", "/R", "/OCGs"}:
        found.add("links" if str(obj.get("/S")) in ("/Launch", "/GoToR", "/GoToE") else "javascript")
    if "/OpenAction" in keys and _action_is_active(obj.get("/OpenAction"), _MOVE_ACTIONS):
        found.add("open_action")
    for key in keys:
        value = obj.get(key)
        if isinstance(value, Dictionary | Array) and not value.is_indirect:
            _inspect(value, found, depth + 1)


MAX_LINKS = 200  # web addresses listed at most: a file of thousands says enough with these


def web_links(data: bytes) -> list[str]:
    """The web addresses the file's links open (URI actions), in the order found, each once."""
    found: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            target = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            for action in _actions_in(target, 0):
                uri = action.get("/URI")
                if str(action.get("/S", "")) == "/URI" and isinstance(uri, pikepdf.String):
                    text = bytes(uri).decode("utf-8", "replace").strip()
                    if text and text not in found:
                        found.append(text)
                        if len(found) >= MAX_LINKS:
                            return found
    return found


def _actions_in(obj: object, depth: int) -> list[Dictionary]:
    """The object itself if it is an action, and the actions directly inside it (not through indirect objects,
    which `pdf.objects` visits on their own)."""
    if depth > 20 or not isinstance(obj, Dictionary | Array):
        return []
    out: list[Dictionary] = []
    if isinstance(obj, Dictionary) and "/S" in obj:
        out.append(obj)
    values = obj.values() if isinstance(obj, Dictionary) else list(obj)
    for value in values:
        if isinstance(value, Dictionary | Array) and not value.is_indirect:
            out += _actions_in(value, depth + 1)
    return out
