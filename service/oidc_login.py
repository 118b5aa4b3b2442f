"""Single sign-on with OpenID Connect: the authorization-code flow with PKCE (RFC 7636), against the province's
provider for staff or the national identity provider for citizens.

`start` gives the address to send the browser to, remembering its state, nonce and code verifier for ten minutes;
`finish` takes the code the provider sent back, exchanges it (with the verifier) for an ID token, checks that token's
signature against the provider's published keys and its issuer, audience, expiry and nonce, and says who signed in:
a staff member with the role of their first mapped group, or else a citizen with their own personal number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from context.services import Services
from domain.actor import Actor
from domain.personal_number import check_personal_number
from service.auth_settings import OidcSettings
from service.auth_store import connect
from service.errors import NotAuthenticated, ServiceError

PENDING_S = 600
_discovery: dict[str, tuple[float, dict[str, Any], KeySet]] = {}


class ProviderUnavailable(ServiceError):
    status = 503


def _provider(oidc: OidcSettings, client: httpx.Client) -> tuple[dict[str, Any], KeySet]:
    """The provider's configuration and signing keys, fetched once an hour."""
    cached = _discovery.get(oidc.issuer)
    if cached and time.time() - cached[0] < 3600:
        return cached[1], cached[2]
    try:
        meta = client.get(f"{oidc.issuer}/.well-known/openid-configuration").raise_for_status().json()
        keys = KeySet.import_key_set(client.get(meta["jwks_uri"]).raise_for_status().json())
    except (httpx.HTTPError, KeyError, ValueError) as e:
        raise ProviderUnavailable("sso_unavailable", issuer=oidc.issuer, reason=e) from e
    if meta.get("issuer", "").rstrip("/") != oidc.issuer:
        raise ProviderUnavailable("sso_misconfigured", announced=meta.get("issuer"), issuer=oidc.issuer)
    _discovery[oidc.issuer] = (time.time(), meta, keys)
    return meta, keys


def _client(oidc: OidcSettings) -> httpx.Client:
    return httpx.Client(timeout=oidc.timeout_s)


def _local_path(url: str) -> str:
    """Where to go after signing in: a path on this site only ("//host" and "/\\host" would leave it)."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else "/"


def start(services: Services, oidc: OidcSettings, next_url: str = "/") -> tuple[str, str]:
    """The provider's sign-in address for a new attempt, and its state: the caller binds the state to the browser
    that asked (a cookie), since `finish` accepts it only from that browser."""
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
    conn = connect(services.settings.keys_dir)
    conn.execute("DELETE FROM oidc_pending WHERE created < ?", (time.time() - PENDING_S,))
    conn.execute("INSERT INTO oidc_pending VALUES (?, ?, ?, ?, ?)",
                 (state, nonce, verifier, _local_path(next_url), time.time()))
    with _client(oidc) as client:
        meta, _ = _provider(oidc, client)
    query = {"response_type": "code", "client_id": oidc.client_id, "redirect_uri": oidc.redirect_uri,
             "scope": oidc.scopes, "state": state, "nonce": nonce, "code_challenge": challenge,
             "code_challenge_method": "S256"}
    return f"{meta['authorization_endpoint']}?{urlencode(query)}", state


def _refused(reason: str, services: Services) -> NotAuthenticated:
    services.audit.record("?", "signin.refused", None, "Đăng nhập", source="oidc", reason=reason)
    return NotAuthenticated("sso_refused")


def finish(services: Services, oidc: OidcSettings, code: str, state: str, browser_state: str) -> tuple[Actor, str]:
    """Who came back from the provider with this code, and the page they wanted. `browser_state`: the state the
    returning browser holds from its own start; an attempt started elsewhere is refused, or a callback address an
    attacker left unused, opened in someone else's browser, would sign that person in as the attacker (login CSRF,
    RFC 6749 10.12)."""
    conn = connect(services.settings.keys_dir)
    row = conn.execute("SELECT nonce, verifier, next, created FROM oidc_pending WHERE state = ?", (state,)).fetchone()
    conn.execute("DELETE FROM oidc_pending WHERE state = ?", (state,))  # a state is good for one return only
    if row is None or time.time() - row[3] > PENDING_S:
        raise _refused("unknown or expired state", services)
    if not hmac.compare_digest(browser_state.encode(), state.encode()):
        raise _refused("state started in another browser", services)
    nonce, verifier, next_url, _ = row
    with _client(oidc) as client:
        meta, keys = _provider(oidc, client)
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": oidc.redirect_uri,
                "code_verifier": verifier}
        if not oidc.client_secret:  # a public client: PKCE alone proves the caller
            form["client_id"] = oidc.client_id
        basic = httpx.BasicAuth(oidc.client_id, oidc.client_secret) if oidc.client_secret else None
        try:
            url = meta["token_endpoint"]
            answer = client.post(url, data=form, auth=basic) if basic else client.post(url, data=form)
        except httpx.HTTPError as e:
            raise ProviderUnavailable("sso_unavailable", says="sso_token_exchange", reason=e) from e
        if answer.status_code != 200 or "id_token" not in answer.json():
            raise _refused(f"token endpoint answered {answer.status_code}: {answer.text[:200]}", services)
        try:
            token = jwt.decode(answer.json()["id_token"], keys, algorithms=["RS256", "PS256", "ES256", "EdDSA"])
            jwt.JWTClaimsRegistry(iss={"essential": True, "value": meta["issuer"]},
                                  aud={"essential": True, "value": oidc.client_id},
                                  nonce={"essential": True, "value": nonce},
                                  sub={"essential": True}, exp={"essential": True}).validate(token.claims)
        except (JoseError, ValueError) as e:
            raise _refused(f"ID token rejected: {e}", services) from e
        claims = dict(token.claims)
        access = answer.json().get("access_token")
        if access and meta.get("userinfo_endpoint"):  # profile claims come from userinfo with a code flow
            try:
                info = client.get(meta["userinfo_endpoint"], headers={"Authorization": f"Bearer {access}"})
                extra = info.raise_for_status().json()
            except (httpx.HTTPError, ValueError) as e:
                raise ProviderUnavailable("sso_unavailable", says="sso_userinfo", reason=e) from e
            if extra.get("sub") != claims["sub"]:  # OIDC Core 5.3.2: a userinfo answer about someone else
                raise _refused("userinfo names another subject", services)
            claims = {**extra, **claims}
    return _actor(oidc, claims, services), next_url


def _actor(oidc: OidcSettings, claims: dict[str, Any], services: Services) -> Actor:
    subject, name = str(claims["sub"]), str(claims.get("name") or claims["sub"])
    groups = claims.get(oidc.groups_claim) or []
    groups = [groups] if isinstance(groups, str) else list(groups)
    role = next((r for g, r in oidc.roles.items() if g in groups), None)
    if role is not None:
        return Actor(f"oidc:{subject}", role, name)
    number = str(claims.get(oidc.personal_number_claim) or "")
    if not number or check_personal_number(number).problems:
        raise _refused(f"no staff group and no valid personal number in claim {oidc.personal_number_claim!r}",
                       services)
    return Actor(f"oidc:{subject}", "citizen", name, personal_number=number)
