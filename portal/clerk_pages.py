"""The intake clerk's pages: the applicant's documents and the papers they need not bring for the procedure applied
for; the signed copy shown in the page; the reuse recorded against the new dossier; the check slip printed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from archive.base import SIGNED_PDF
from domain.dates import parse_day
from domain.validity import EXPIRED, NEEDS_REVIEW, REUSABLE
from indexer.base import Hit
from portal.pages import check_csrf, render, services_of, signed_in
from portal.preview import data_uri, page_images
from portal.slip import check_slip
from service.errors import InvalidRequest
from service.intake import IntakeAnswer, intake_check
from service.lookup import person_query, reuse_status
from service.procedures import load_procedures
from service.records import download_link, signed_copy

router = APIRouter(include_in_schema=False)
REUSE_VI = {REUSABLE: "DÙNG ĐƯỢC", EXPIRED: "HẾT HIỆU LỰC", NEEDS_REVIEW: "CẦN RÀ SOÁT"}
PAPER_VI = {"held": ("valid", "KHÔNG CẦN NỘP", "đã có bản điện tử còn hiệu lực vào ngày hẹn"),
            "expired": ("expired", "CẦN NỘP", "bản đã có hết hiệu lực vào ngày hẹn"),
            "needs_review": ("needs_review", "CẦN RÀ SOÁT", "bản đã có cần cán bộ rà soát trước khi dùng"),
            "not_held": ("neutral", "CẦN NỘP", "chưa có trong kho")}
DEFAULT_PURPOSE = "Tiếp nhận hồ sơ thủ tục hành chính"
COPY_PURPOSE = "Xem bản sao điện tử khi tiếp nhận hồ sơ"


@dataclass(frozen=True)
class Ask:
    """What the clerk typed: the applicant, the procedure, the appointment day, why, and the dossier if any."""

    number: str
    name: str
    dob: str
    procedure: str
    appointment: str
    purpose: str
    dossier: str

    @classmethod
    def of(cls, form: FormData) -> Ask:
        def text(key: str) -> str:
            return str(form.get(key) or "").strip()

        return cls(text("so"), text("ho_ten"), text("ngay_sinh"), text("thu_tuc"), text("ngay_hen"),
                   text("muc_dich") or DEFAULT_PURPOSE, text("ma_ho_so"))

    def day(self, value: str, what: str) -> date | None:
        if not value:
            return None
        found = parse_day(value)
        if found is None:
            raise InvalidRequest("bad_day", what=what, value=value)
        return found

    def check(self, request: Request, actor: Any, dossier: bool) -> IntakeAnswer:
        query, _ = person_query(citizen=self.number or None, name=self.name or None,
                                dob=self.day(self.dob, "Ngày sinh"))
        if dossier and not self.dossier:
            raise InvalidRequest("dossier_required")
        return intake_check(services_of(request), actor, query, self.procedure, self.purpose,
                            appointment=self.day(self.appointment, "Ngày hẹn trả"),
                            dossier_code=self.dossier if dossier else None)


def _procedures(request: Request) -> list[Any]:
    return sorted(load_procedures(services_of(request).settings).values(), key=lambda p: p.name)


def _groups(answer: IntakeAnswer) -> list[tuple[str, list[tuple[Hit, str, Any]]]]:
    """The applicant's documents by type, each with its reuse verdict and validity on the appointment day."""
    groups: dict[str, list[tuple[Hit, str, Any]]] = defaultdict(list)
    for hit in answer.documents:
        reuse, validity = reuse_status(hit, answer.appointment)
        groups[hit.type_name or "Chưa rõ loại"].append((hit, reuse, validity))
    return sorted(groups.items())


def _form_page(request: Request, session: Any, ask: Ask | None = None, error: str = "", status: int = 200) -> Response:
    return render(request, "clerk.html", status=status, session=session, ask=ask, error=error,
                  procedures=_procedures(request), today=date.today().isoformat())


@router.get("/tiep-nhan")
def intake_form(request: Request) -> Response:
    _, session = signed_in(request, "clerk", "console")
    return _form_page(request, session)


async def _answer(request: Request, *, dossier: bool) -> tuple[Any, Any, Ask, IntakeAnswer | Response]:
    actor, session = signed_in(request, "clerk", "console")
    form = await request.form()
    check_csrf(session, form)
    ask = Ask.of(form)
    try:
        return actor, session, ask, await run_in_threadpool(ask.check, request, actor, dossier)
    except InvalidRequest as e:
        return actor, session, ask, _form_page(request, session, ask, e.message, status=400)


async def _checked(request: Request, *, recorded: bool) -> Response:
    _, session, ask, answer = await _answer(request, dossier=recorded)
    return answer if isinstance(answer, Response) else _result_page(request, session, ask, answer, recorded=recorded)


@router.post("/tiep-nhan")
async def intake(request: Request) -> Response:
    return await _checked(request, recorded=False)


@router.post("/tiep-nhan/ghi-nhan")
async def record_reuse(request: Request) -> Response:
    """The same check, recorded against the new dossier: the papers the applicant did not bring are counted."""
    return await _checked(request, recorded=True)


@router.post("/tiep-nhan/phieu")
async def print_slip(request: Request) -> Response:
    actor, _, _, answer = await _answer(request, dossier=True)
    if isinstance(answer, Response):
        return answer
    pdf = await run_in_threadpool(check_slip, answer, services_of(request).settings.agency_name, actor, datetime.now())
    name = f"phieu-kiem-tra-{answer.dossier_code}.pdf"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                                "Cache-Control": "no-store"})


def _result_page(request: Request, session: Any, ask: Ask, answer: IntakeAnswer, *, recorded: bool) -> Response:
    required = [p for p in answer.papers if not p.paper.optional]
    return render(request, "clerk_result.html", session=session, ask=ask, answer=answer, groups=_groups(answer),
                  papers=[(p, *PAPER_VI[p.status]) for p in answer.papers], reuse_vi=REUSE_VI, recorded=recorded,
                  need_not_bring=sum(p.need_not_bring for p in required), required=len(required))


@router.get("/ho-so/{result_code}")
def preview(request: Request, result_code: str, muc_dich: str = "") -> Response:
    """The signed copy in the page (its first pages drawn, stamps and QR code included), for a clerk whose lookup
    returned it or the citizen it names."""
    actor, session = signed_in(request, "clerk", "citizen", "console")
    purpose = muc_dich.strip() or (COPY_PURPOSE if actor.role != "citizen" else "Công dân xem giấy tờ của mình")
    manifest, data = signed_copy(services_of(request), actor, result_code, purpose)
    images = [data_uri(png) for png in page_images(data, "application/pdf")]
    return render(request, "record.html", session=session, manifest=manifest, images=images, purpose=purpose,
                  pages=len(manifest.pages))


@router.post("/ho-so/{result_code}/tai")
async def download(request: Request, result_code: str) -> Response:
    """A short-lived link to the signed copy, followed at once: the browser downloads the file."""
    actor, session = signed_in(request, "clerk", "citizen", "console")
    form = await request.form()
    check_csrf(session, form)
    purpose = str(form.get("muc_dich") or "").strip() or "Tải bản sao điện tử"
    link = download_link(services_of(request), actor, result_code, SIGNED_PDF, purpose)
    return RedirectResponse(link.url, status_code=303)
