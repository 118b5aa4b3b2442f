"""The administrator's page: who may sign in (local accounts), which systems may call the API, and the label
wordings learned from reviewers, which an administrator removes here when one was learned wrongly. Accounts and keys
are made and revoked with `sohoa users` and `sohoa clients`, where a new password or key is printed once."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from portal.pages import check_csrf, render, services_of, signed_in
from service.accounts import list_users
from service.clients import list_clients
from service.labels import list_learned, remove_learned

router = APIRouter(include_in_schema=False)
ADMINS = ("admin", "console")


@router.get("/tai-khoan")
def accounts(request: Request, da_xoa: str = "") -> Response:
    actor, session = signed_in(request, *ADMINS)
    services = services_of(request)
    return render(request, "admin.html", session=session, users=list_users(services, actor),
                  clients=list_clients(services, actor), labels=list_learned(services, actor), removed=da_xoa,
                  types={t.id: t.name for t in services.settings.catalogue.types})


@router.post("/tai-khoan/nhan/{label_id}")
async def remove_label(request: Request, label_id: str) -> Response:
    actor, session = signed_in(request, *ADMINS)
    check_csrf(session, await request.form())
    removed = remove_learned(services_of(request), actor, label_id)
    return RedirectResponse(f"/tai-khoan?da_xoa={removed.id}", status_code=303)
