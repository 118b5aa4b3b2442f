"""Sign-in settings: sessions, lock-out, rate limits, and the province's LDAP directory and OpenID Connect provider.

Read from the `[auth]` table of the same settings files as everything else (context/defaults/settings.toml and the
installation's overrides); secrets may come from the environment instead.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from context.services import Services
from context.settings import Settings, read_raw_settings
from domain.actor import ROLES, STAFF_ROLES, Role
from domain.catalogue import ConfigError


@dataclass(frozen=True)
class LdapSettings:
    url: str
    bind_dn: str
    bind_password: str
    user_base: str
    user_filter: str
    group_base: str
    group_filter: str
    roles: dict[str, Role]
    timeout_s: int  # whole seconds (ldap3 packs them as an integer)


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: str
    personal_number_claim: str
    groups_claim: str
    roles: dict[str, Role]
    timeout_s: float


@dataclass(frozen=True)
class AuthSettings:
    session_seconds: int
    idle_seconds: int
    max_failures: int  # wrong passwords for one login from one address
    lockout_seconds: int
    cookie_secure: bool
    lookups_per_minute: int
    client_lookups_per_minute: int
    copy_grant_seconds: int
    unknown_codes_per_hour: int = 20
    max_failures_per_source: int = 20  # wrong passwords from one address, whatever the logins
    max_failures_per_account: int = 100  # wrong passwords for one login, whatever the addresses
    trusted_proxies: tuple[str, ...] = ()  # reverse proxies whose X-Forwarded-For names the caller
    ldap: LdapSettings | None = None
    oidc: OidcSettings | None = field(default=None)


def _roles(table: Mapping[str, Any], where: str) -> dict[str, Role]:
    out: dict[str, Role] = {}
    for group, role in table.items():
        if role not in STAFF_ROLES:
            raise ConfigError(f"[{where}.roles] {group!r}: role must be one of {', '.join(STAFF_ROLES)}, not {role!r}")
        out[group] = next(r for r in ROLES if r == role)
    return out


def _proxies(from_env: str | None, configured: list[str]) -> tuple[str, ...]:
    named = [a.strip() for a in from_env.split(",") if a.strip()] if from_env else list(configured)
    for address in named:
        try:
            ipaddress.ip_network(address)
        except ValueError as e:
            raise ConfigError(f"[auth] trusted_proxies: {address!r} is not an IP address or network") from e
    return tuple(named)


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def parse_auth_settings(raw: Mapping[str, Any], env: Mapping[str, str]) -> AuthSettings:
    auth = raw["auth"]
    ldap_t, oidc_t = auth.get("ldap", {}), auth.get("oidc", {})
    ldap = None
    if url := env.get("SOHOA_LDAP_URL") or ldap_t.get("url", ""):
        ldap = LdapSettings(url, ldap_t.get("bind_dn", ""),
                            env.get("SOHOA_LDAP_BIND_PASSWORD") or ldap_t.get("bind_password", ""),
                            ldap_t["user_base"], ldap_t.get("user_filter", "(uid={username})"),
                            ldap_t.get("group_base", ""), ldap_t.get("group_filter", "(member={dn})"),
                            _roles(ldap_t.get("roles", {}), "auth.ldap"), max(1, int(ldap_t.get("timeout_s", 5))))
    oidc = None
    if issuer := env.get("SOHOA_OIDC_ISSUER") or oidc_t.get("issuer", ""):
        client_id = env.get("SOHOA_OIDC_CLIENT_ID") or oidc_t.get("client_id", "")
        redirect = env.get("SOHOA_OIDC_REDIRECT_URI") or oidc_t.get("redirect_uri", "")
        if not client_id or not redirect:
            raise ConfigError("[auth.oidc] needs client_id and redirect_uri when an issuer is set")
        oidc = OidcSettings(issuer.rstrip("/"), client_id,
                            env.get("SOHOA_OIDC_CLIENT_SECRET") or oidc_t.get("client_secret", ""), redirect,
                            oidc_t.get("scopes", "openid profile"),
                            oidc_t.get("personal_number_claim", "personal_number"),
                            oidc_t.get("groups_claim", "groups"), _roles(oidc_t.get("roles", {}), "auth.oidc"),
                            float(oidc_t.get("timeout_s", 10)))
    secure = env.get("SOHOA_COOKIE_SECURE")
    return AuthSettings(
        session_seconds=int(float(auth["session_hours"]) * 3600),
        idle_seconds=int(float(auth["idle_minutes"]) * 60),
        max_failures=int(auth["max_failures"]),
        lockout_seconds=int(float(auth["lockout_minutes"]) * 60),
        cookie_secure=_flag(secure) if secure is not None else bool(auth["cookie_secure"]),
        lookups_per_minute=int(auth["lookups_per_minute"]),
        client_lookups_per_minute=int(auth["client_lookups_per_minute"]),
        copy_grant_seconds=int(float(auth["copy_grant_hours"]) * 3600),
        unknown_codes_per_hour=max(1, int(auth.get("unknown_codes_per_hour", 20))),
        max_failures_per_source=max(1, int(auth.get("max_failures_per_source", 20))),
        max_failures_per_account=max(1, int(auth.get("max_failures_per_account", 100))),
        trusted_proxies=_proxies(env.get("SOHOA_TRUSTED_PROXIES"), auth.get("trusted_proxies", [])),
        ldap=ldap, oidc=oidc)


def load_auth_settings(settings: Settings) -> AuthSettings:
    return parse_auth_settings(read_raw_settings(settings.data_dir), os.environ)


_AUTH: dict[Path, AuthSettings] = {}


def auth_settings(services: Services) -> AuthSettings:
    """The data directory's sign-in settings, read once per process."""
    found = _AUTH.get(services.settings.data_dir)
    if found is None:
        found = _AUTH[services.settings.data_dir] = load_auth_settings(services.settings)
    return found
