"""The archivist's dashboard: holdings by type, year and retention class; the last fixity run; what falls due for
disposition soon; legal holds; disposition requests waiting for a second archivist, approved or refused here; the
audit log's chain with its head hash; the catalogue (CSV) and transfer packages (BagIt) started from the page."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from dataclasses import astuple, fields
from datetime import date
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from context.services import Services
from domain.actor import Actor
from portal.charts import bar_chart
from portal.pages import check_csrf, render, services_of, signed_in
from service.archivist import (
    CatalogueLine,
    approve_disposal,
    catalogue_lines,
    export_transfer,
    pending_disposals,
    refuse_disposal,
)
from service.audits import access_alerts, last_fixity_run, log_check, retention_audit
from service.errors import InvalidRequest
from service.statistics import holdings

router = APIRouter(include_in_schema=False)
ARCHIVISTS = ("archivist", "console")
CSV_HEADINGS = {"result_code": "Mã kết quả", "dossier_code": "Mã hồ sơ", "type_name": "Loại giấy tờ",
                "number": "Số, ký hiệu", "issue_date": "Ngày cấp", "issuer": "Cơ quan cấp",
                "retention_class": "Thời hạn bảo quản", "retain_until": "Lưu đến", "legal_hold": "Phong tỏa",
                "needs_review": "Chờ rà soát", "pages": "Số trang", "version": "Phiên bản", "fonds": "Phông",
                "inventory": "Mục lục", "box": "Hộp", "file": "Hồ sơ số", "sheets": "Tờ số",
                "paper_code": "Mã hồ sơ gốc giấy", "stack_pages": "Trang trong tệp quét"}


@router.get("/luu-tru")
def dashboard(request: Request, da_duyet: str = "", da_tu_choi: str = "") -> Response:
    actor, session = signed_in(request, *ARCHIVISTS)
    services = services_of(request)
    found = holdings(services, actor)
    retention = retention_audit(services, actor, due_within_days=90)
    months = sorted(found.due_by_month.items())
    return render(
        request, "archive.html", session=session, holdings=found, retention=retention,
        fixity=last_fixity_run(services, actor), chain=log_check(services, actor),
        alerts=access_alerts(services, actor),
        pending=pending_disposals(services, actor), approved=da_duyet, refused=da_tu_choi,
        by_type=bar_chart("Hồ sơ theo loại giấy tờ", found.by_type.most_common(), unit="hồ sơ"),
        by_year=bar_chart("Hồ sơ theo năm cấp", [(str(y), n) for y, n in sorted(found.by_year.items())], unit="hồ sơ"),
        by_class=bar_chart("Hồ sơ theo thời hạn bảo quản", found.by_class.most_common(), unit="hồ sơ"),
        timeline=bar_chart("Hồ sơ đến hạn tiêu hủy theo tháng (24 tháng tới)",
                           [(f"tháng {m[5:]}/{m[:4]}", n) for m, n in months], unit="hồ sơ"))


@router.post("/luu-tru/tieu-huy/{request_id}")
async def decide(request: Request, request_id: str) -> Response:
    """Approve or refuse a disposition request someone else made."""
    actor, session = signed_in(request, *ARCHIVISTS)
    form = await request.form()
    check_csrf(session, form)
    reason = str(form.get("ly_do") or "").strip()
    services = services_of(request)
    if form.get("quyet_dinh") == "duyet":
        done = await run_in_threadpool(approve_disposal, services, actor, request_id, reason)
        return RedirectResponse(f"/luu-tru?da_duyet={quote(done.result_code)}", status_code=303)
    refused = await run_in_threadpool(refuse_disposal, services, actor, request_id, reason)
    return RedirectResponse(f"/luu-tru?da_tu_choi={quote(refused.result_code)}", status_code=303)


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: one that would start a formula ("=HYPERLINK(…)", "+", "-", "@", a tab or
    a carriage return) gets a leading apostrophe (OWASP, CSV injection). Numbers stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@router.get("/luu-tru/danh-muc.csv")
def catalogue_csv(request: Request) -> Response:
    """The catalogue of holdings, for a spreadsheet (UTF-8 with a byte order mark, as spreadsheets expect)."""
    actor, _ = signed_in(request, *ARCHIVISTS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([CSV_HEADINGS[f.name] for f in fields(CatalogueLine)])
    for line in catalogue_lines(services_of(request), actor):
        writer.writerow([spreadsheet_safe("có" if v is True else "không" if v is False else v)
                         for v in astuple(line)])
    name = f"danh-muc-ho-so-{date.today():%Y%m%d}.csv"
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _bag_zip(services: Services, actor: Actor, codes: list[str], purpose: str) -> tuple[bytes, int]:
    with tempfile.TemporaryDirectory(prefix="sohoa-bagit-") as tmp:
        bag = Path(tmp) / f"chuyen-giao-{date.today():%Y%m%d}"
        packed = export_transfer(services, actor, codes, bag, purpose)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(bag.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(bag.parent))
        return out.getvalue(), packed


@router.post("/luu-tru/bagit")
async def transfer_package(request: Request) -> Response:
    """A BagIt transfer package of the records named (a ZIP of the validated bag), started from the dashboard."""
    actor, session = signed_in(request, *ARCHIVISTS)
    form = await request.form()
    check_csrf(session, form)
    codes = str(form.get("ma") or "").split()
    if not codes:
        raise InvalidRequest("no_records")
    data, _ = await run_in_threadpool(_bag_zip, services_of(request), actor, codes,
                                      str(form.get("muc_dich") or "Chuyển giao vào lưu trữ lịch sử"))
    name = f"chuyen-giao-{date.today():%Y%m%d}.zip"
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
