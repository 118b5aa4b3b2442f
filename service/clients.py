"""API clients: other systems (a province's one-stop-shop server) calling sohoa with a key of their own.

Each client has an id, a name, one role (what its calls may do, as for a person), and a key shown once when it is
made. Only the key's SHA-256 is kept: the key is 256 random bits, so a fast hash is enough (passwords, which people
choose, get argon2id). A revoked client is refused at once; its record stays, so the audit log's names keep meaning.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from context.services import Services
from domain.actor import Actor, Role
from service.errors import InvalidRequest, NotFound
from service.permissions import require

KEY_PREFIX = "sohoa_"
CLIENT_ROLES: tuple[Role, ...] = ("clerk", "reviewer", "archivist")  # what a system may act as
_lock = threading.Lock()


@dataclass(frozen=True)
class ApiClient:
    id: str
    name: str
    role: Role
    key_sha256: str
    created_at: str
    created_by: str
    revoked_at: str = ""


def _path(services: Services) -> Path:
    return services.settings.keys_dir / "api-clients.json"


_cache: dict[Path, tuple[tuple[int, int, int], dict[str, ApiClient]]] = {}


def _load(services: Services) -> dict[str, ApiClient]:
    """The clients as the file says now; parsed again only when the file changed (every API call reads it)."""
    path = _path(services)
    try:
        st = path.stat()
        changed = (st.st_mtime_ns, st.st_ino, st.st_size)  # a rewrite is a new file (os.replace): a new inode
    except FileNotFoundError:
        return {}
    cached = _cache.get(path)
    if cached is not None and cached[0] == changed:
        return dict(cached[1])
    clients = {c["id"]: ApiClient(**c) for c in json.loads(path.read_text(encoding="utf-8"))}
    _cache[path] = (changed, clients)
    return dict(clients)


def _save(services: Services, clients: dict[str, ApiClient]) -> None:
    path = _path(services)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump([asdict(c) for c in clients.values()], f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def add_client(services: Services, actor: Actor, name: str, role: str) -> tuple[ApiClient, str]:
    """A new client and its key (shown this once)."""
    require(actor, "manage_clients")
    if role not in CLIENT_ROLES:
        raise InvalidRequest("bad_role", says="bad_client_role", roles=", ".join(CLIENT_ROLES))
    if not name.strip():
        raise InvalidRequest("name_required", says="client_name_required")
    client_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    chosen = next(r for r in CLIENT_ROLES if r == role)
    client = ApiClient(client_id, name.strip(), chosen, _digest(secret),
                       datetime.now(UTC).isoformat(timespec="seconds"), actor.identity)
    with _lock:
        clients = _load(services)
        clients[client_id] = client
        _save(services, clients)
    services.log(actor, "api_client.add", None, "Cấp khóa API", client=client_id, name=client.name, role=role)
    return client, f"{KEY_PREFIX}{client_id}_{secret}"


def revoke_client(services: Services, actor: Actor, client_id: str) -> ApiClient:
    require(actor, "manage_clients")
    with _lock:
        clients = _load(services)
        if client_id not in clients:
            raise NotFound("no_client", client_id=client_id)
        revoked = clients[client_id] = ApiClient(**{**asdict(clients[client_id]),
                                                    "revoked_at": datetime.now(UTC).isoformat(timespec="seconds")})
        _save(services, clients)
    services.log(actor, "api_client.revoke", None, "Thu hồi khóa API", client=client_id)
    return revoked


def list_clients(services: Services, actor: Actor) -> list[ApiClient]:
    require(actor, "manage_clients")
    return list(_load(services).values())


def client_revoked(services: Services, client_id: str) -> bool:
    """Whether this client is gone: revoked, or never known."""
    client = _load(services).get(client_id)
    return client is None or bool(client.revoked_at)


def client_actor(services: Services, key: str) -> Actor | None:
    """The actor a presented key stands for; None for an unknown, malformed or revoked key."""
    if not key.startswith(KEY_PREFIX):
        return None
    client_id, _, secret = key[len(KEY_PREFIX):].partition("_")
    client = _load(services).get(client_id)
    if client is None or client.revoked_at or not hmac.compare_digest(client.key_sha256, _digest(secret)):
        return None
    return Actor(f"client:{client.id}", client.role, client.name)
