"""The administrator's calls: staff accounts and the API clients of other systems."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from portal.callers import Caller, ServicesDep
from service.accounts import add_user, disable_user, list_users, reset_user, unlock_user
from service.clients import add_client, list_clients, revoke_client
from service.labels import list_learned, remove_learned

router = APIRouter(prefix="/v1/admin", tags=["administration"])


class NewUser(BaseModel):
    username: str
    name: str
    role: str


class NewClient(BaseModel):
    name: str
    role: str = Field(..., description="clerk, reviewer or archivist")


@router.get("/users", summary="local staff accounts")
def users_endpoint(actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return {"users": [vars(u) for u in list_users(services, actor)]}


@router.post("/users", status_code=201, summary="a new local account; its first password is shown once")
def add_user_endpoint(body: NewUser, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    account, password = add_user(services, actor, body.username, body.name, body.role)
    return {**vars(account), "password": password}


@router.post("/users/{username}/disable", summary="disable an account and end its sessions")
def disable_endpoint(username: str, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return vars(disable_user(services, actor, username))


@router.post("/users/{username}/reset", summary="a new one-time password; lifts a disable or lock-out")
def reset_endpoint(username: str, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return {"username": username, "password": reset_user(services, actor, username)}


@router.post("/users/{username}/unlock", summary="lift a lock-out after wrong passwords, keeping the password")
def unlock_endpoint(username: str, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    unlock_user(services, actor, username)
    return {"username": username, "status": "unlocked"}


@router.get("/clients", summary="API clients of other systems")
def clients_endpoint(actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return {"clients": [{k: v for k, v in vars(c).items() if k != "key_sha256"}
                        for c in list_clients(services, actor)]}


@router.post("/clients", status_code=201, summary="a new API client; its key is shown once")
def add_client_endpoint(body: NewClient, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    client, key = add_client(services, actor, body.name, body.role)
    return {"id": client.id, "name": client.name, "role": client.role, "key": key}


@router.post("/clients/{client_id}/revoke", summary="revoke an API client's key at once")
def revoke_endpoint(client_id: str, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    client = revoke_client(services, actor, client_id)
    return {"id": client.id, "revoked_at": client.revoked_at}


@router.get("/labels", summary="label wordings learned from reviewers' corrections")
def labels_endpoint(actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return {"labels": [vars(x) for x in list_learned(services, actor)]}


@router.delete("/labels/{label_id}", summary="remove a learned label wording")
def remove_label_endpoint(label_id: str, actor: Caller, services: ServicesDep) -> dict[str, Any]:
    return vars(remove_learned(services, actor, label_id))
