"""Document timestamp fields that carry an appearance.

pyHanko makes a document timestamp's field an invisible widget (a zero-size Rect) with no appearance dictionary;
PDF/A and the readers that check it ask every widget for one. But after the officer's signature locks the document,
a new object in a later update counts as form filling, which the lock forbids: a timestamp may only point at an
appearance that is already there. So sohoa's signing update puts one empty, zero-size form XObject among the
form's default resources (/AcroForm /DR /XObject /SohoaEmpty), and every document timestamp after it
(`AppearedTimeStamper`: on signing at B-LTA, on upgrade, on renewal) names that object as its appearance. A file
signed before this existed gets its timestamps without one, as before.
"""

from __future__ import annotations

import uuid
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper

EMPTY = "/SohoaEmpty"


def add_empty_appearance(writer: BasePdfFileWriter) -> None:
    """The empty zero-size appearance, among the form's default resources (call once the form exists)."""
    form = writer.root["/AcroForm"]
    resources = form.setdefault(pdf_name("/DR"), generic.DictionaryObject())
    xobjects = resources.setdefault(pdf_name("/XObject"), generic.DictionaryObject())
    if EMPTY in xobjects:
        return
    xobjects[pdf_name(EMPTY)] = writer.add_object(generic.StreamObject(
        {pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
         pdf_name("/BBox"): generic.ArrayObject([generic.NumberObject(0)] * 4)}, stream_data=b""))
    raw = writer.root.raw_get("/AcroForm")
    if isinstance(raw, generic.IndirectObject):
        writer.mark_update(raw)
    else:
        writer.update_root()


def _empty_appearance(writer: BasePdfFileWriter) -> generic.IndirectObject | None:
    try:
        ref = writer.root["/AcroForm"]["/DR"]["/XObject"].raw_get(EMPTY)
    except KeyError:
        return None
    return ref if isinstance(ref, generic.IndirectObject) else None


class AppearedTimeStamper(PdfTimeStamper):
    """A PdfTimeStamper whose document timestamps' widgets name the file's empty appearance, when it has one."""

    async def async_timestamp_pdf(self, pdf_out: Any, *args: Any, **kwargs: Any) -> Any:
        appearance = _empty_appearance(pdf_out)
        if appearance is not None:
            self._field_name = name = f"Timestamp-{uuid.uuid4()}"
            fields.append_signature_field(pdf_out, SigFieldSpec(name))
            field = next(f.get_object() for f in pdf_out.root["/AcroForm"]["/Fields"]
                         if f.get_object().get("/T") == name)
            field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): appearance})
        return await super().async_timestamp_pdf(pdf_out, *args, **kwargs)
