"""The digitisation lead's page: progress against the plan (pages per level of government and per document type,
against their targets), pages per day, the two queues (records whose fields wait for a reviewer; records whose paper
must be scanned again: under 200 dpi, a fax), why files went to quarantine, the cost so far, and how
often citizens no longer bring papers again; and a batch started from the page (a folder on the server, or scans
uploaded) whose progress shows live."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from context.services import Services
from domain.actor import Actor
from flows.batch_runner import ingest_runner, scans_in
from flows.settings import worker_settings
from portal.charts import bar_chart, percent
from portal.pages import check_csrf, render, services_of, signed_in
from service.batches import Batch, batch_status, inbox_dir, list_batches, submit_batch
from service.boxes import station_view
from service.errors import InvalidRequest
from service.statistics import LEVEL_VI, LEVELS, progress

router = APIRouter(include_in_schema=False)
LEADS = ("operator", "console")
MAX_UPLOAD_FILES = 200
OUTCOME_VI = {"accepted": "Đã số hóa và lưu trữ", "already_archived": "Đã có trong kho (bỏ qua)",
              "duplicate_capture": "Bản chụp khác của giấy tờ đã lưu", "quarantined": "Đưa vào khu cách ly",
              "stopped": "Dừng lô", "not_processed": "Chưa xử lý"}
STATE_VI = {"queued": "Chờ chạy", "running": "Đang số hóa", "done": "Đã xong", "stopped": "Đã dừng",
            "failed": "Lỗi", "interrupted": "Bị gián đoạn"}


@router.get("/tien-do")
def dashboard(request: Request) -> Response:
    actor, session = signed_in(request, *LEADS)
    services = services_of(request)
    found = progress(services, actor)
    held, plan = found.holdings, found.plan
    levels = [lv for lv in LEVELS if plan.pages_by_level.get(lv) or held.pages_by_level.get(lv)]
    days = [held.as_of - timedelta(days=n) for n in range(13, -1, -1)]
    type_ids = {t.name: t.id for t in services.settings.catalogue.types}
    types = held.pages_by_type.most_common()
    target_pages = sum(plan.pages_by_level.values())
    folder = worker_settings(services.settings.data_dir).station_folder
    return render(
        request, "lead.html", session=session, progress=found, batches=list_batches(services, actor, limit=10),
        station=station_view(services, actor, Path(folder) if folder else None),
        state_vi=STATE_VI, level_vi=LEVEL_VI, levels=levels, target_pages=target_pages,
        share=percent(held.pages / target_pages) if target_pages else "—", reuse=percent(found.reuse_rate),
        reuse_target=percent(plan.reuse_target),
        by_level=bar_chart("Trang đã số hóa theo cấp, so với kế hoạch",
                           [(LEVEL_VI[lv], held.pages_by_level.get(lv, 0)) for lv in levels], unit="trang",
                           targets=[plan.pages_by_level.get(lv) or None for lv in levels]),
        by_type=bar_chart("Hồ sơ theo loại giấy tờ, so với kế hoạch",
                          [(name, held.by_type[name]) for name, _ in types], unit="hồ sơ",
                          targets=[plan.records_by_type.get(type_ids.get(name, "")) or None for name, _ in types]),
        per_day=bar_chart("Trang số hóa mỗi ngày (14 ngày gần nhất)",
                          [(f"{d:%d/%m}", held.pages_by_day.get(d, 0)) for d in days], unit="trang"))


def _safe_name(name: str) -> str:
    """The uploaded file's own name, without folders or characters a file system may refuse."""
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^\w.\-]+", "_", base).lstrip(".") or "scan"


def _start(services: Services, actor: Actor, folder: str) -> Batch:
    settings = services.settings
    return submit_batch(services, actor, folder, scans_in, ingest_runner(settings.data_dir, settings.workers, actor))


@router.post("/tien-do/lo")
async def start_batch(request: Request) -> Response:
    """A batch from a folder on the server, or from scans uploaded here (kept in the data directory's inbox, one
    folder per upload; each file goes through the same checks and quarantine as any scan)."""
    actor, session = signed_in(request, *LEADS)
    services = services_of(request)
    limit = services.settings.max_file_bytes
    form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=10)
    check_csrf(session, form)
    uploads = [f for f in form.getlist("tep") if isinstance(f, UploadFile) and f.filename]
    folder = str(form.get("thu_muc") or "").strip()
    if uploads:
        target = inbox_dir(services) / f"{date.today():%Y%m%d}-{secrets.token_hex(4)}"
        target.mkdir(parents=True)
        for upload in uploads:
            data = await upload.read(limit + 1)
            if len(data) > limit:
                raise InvalidRequest("too_large", says="too_large_named", filename=upload.filename, mb=limit // 2 ** 20)
            (target / _safe_name(upload.filename or "")).write_bytes(data)
        folder = str(target)
    elif not folder:
        raise InvalidRequest("no_scans")
    batch = await run_in_threadpool(_start, services, actor, folder)
    return RedirectResponse(f"/tien-do/lo/{batch.id}", status_code=303)


@router.get("/tien-do/lo/{batch_id}")
def batch_page(request: Request, batch_id: str) -> Response:
    actor, session = signed_in(request, *LEADS)
    batch = batch_status(services_of(request), actor, batch_id)
    return render(request, "batch.html", session=session, batch=batch, state_vi=STATE_VI, outcome_vi=OUTCOME_VI)
