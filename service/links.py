"""Download links that end with whoever made them: a link a caller asks for names an entry kept here (by the
SHA-256 of its random token), and following it checks, besides its expiry, that the API client that made it has
not been revoked and the account has not been disabled since. A presigned address of the store itself (MinIO's, or
the embedded store's HMAC link) cannot be taken back: it stays valid to its end whatever happens to its maker, so
only the console (a person at the archive machine's shell) is given one.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from context.services import Services
from domain.actor import Actor
from domain.records import Manifest
from service.accounts import get_account
from service.auth_store import connect
from service.clients import client_revoked
from service.errors import NotFound, Refused

LINK_PATH = "/v1/links/"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def mint(services: Services, actor: Actor, manifest: Manifest, role: str, seconds: int) -> str:
    """A link to one file of this version of the record, valid `seconds`: a path on this service
    (`/v1/links/<token>`) that ends early if its maker is revoked; the store's own address for the console."""
    if actor.role == "console":
        return services.archive.download_url(manifest, role, seconds)
    token = secrets.token_urlsafe(32)
    conn = connect(services.settings.keys_dir)
    now = time.time()
    conn.execute("DELETE FROM download_links WHERE expires < ?", (now,))
    conn.execute("INSERT INTO download_links VALUES (?, ?, ?, ?, ?, ?)",
                 (_digest(token), actor.identity, manifest.content_hash, manifest.version, role, now + seconds))
    return LINK_PATH + token


@dataclass(frozen=True)
class Followed:
    manifest: Manifest
    role: str
    data: bytes
    made_by: str


def still_allowed(services: Services, identity: str) -> bool:
    """Whether the maker of a link may still have it followed: an API client not revoked, an account not disabled
    (people signed in through LDAP or single sign-on have their sessions; their directory decides)."""
    if identity.startswith("client:"):
        return not client_revoked(services, identity.removeprefix("client:"))
    account = get_account(services, identity)
    return account is None or not account.disabled_at


def follow(services: Services, token: str) -> Followed:
    """The file a link names, if it is still good; logged as a download by the link's maker."""
    row = connect(services.settings.keys_dir).execute(
        "SELECT identity, content_hash, version, role, expires FROM download_links WHERE token_sha256 = ?",
        (_digest(token),)).fetchone() if 20 <= len(token) <= 100 else None
    if row is None:
        raise NotFound("no_link")
    identity, content_hash, version, role, expires = row
    if time.time() > expires:
        raise Refused("link_expired")
    if not still_allowed(services, identity):
        raise Refused("link_revoked")
    manifest = next((m for m in services.archive.versions(content_hash) if m.version == version), None)
    if manifest is None or role not in manifest.files:
        raise NotFound("no_record", says="no_record_file")
    data = services.archive.read(manifest, role)
    services.audit.record(identity, "download", manifest.result_code, "Tải qua liên kết", file=role, via="link")
    return Followed(manifest, role, data, identity)
