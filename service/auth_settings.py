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
from domain.setting_tables import Setting, read_table


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


AUTH_SPEC = (  # the [auth] table
    Setting("session_hours", float, 8.0, doc="a session ends this long after sign-in"),
    Setting("idle_minutes", float, 30.0, doc="... or after this long without a call"),
    Setting("max_failures", int, 5, doc="wrong passwords for one account from one address before a lock-out"),
    Setting("lockout_minutes", float, 15.0, doc="how long the lock-out lasts"),
    Setting("max_failures_per_source", int, 20, doc="wrong passwords from one address, over any logins"),
    Setting("max_failures_per_account", int, 100, doc="wrong passwords for one login, from all addresses"),
    Setting("cookie_secure", bool, True, "SOHOA_COOKIE_SECURE", "session cookies only over HTTPS"),
    Setting("trusted_proxies", tuple, (), "SOHOA_TRUSTED_PROXIES",
            "reverse proxies whose X-Forwarded-For names the caller"),
    Setting("lookups_per_minute", int, 30, doc="people an account's answers may reveal per minute"),
    Setting("client_lookups_per_minute", int, 600, doc="... for an API client serving many desks"),
    Setting("unknown_codes_per_hour", int, 20, doc="result codes asked for that do not exist, before refusal"),
    Setting("copy_grant_hours", float, 8.0, doc="how long a clerk may fetch copies of what a lookup returned"),
)
LDAP_SPEC = (  # [auth.ldap]; its [auth.ldap.roles] maps groups to roles
    Setting("url", str, "", "SOHOA_LDAP_URL", "the province directory; empty: no LDAP sign-in"),
    Setting("bind_dn", str, "", doc="a reader account that can search users; empty: anonymous search"),
    Setting("bind_password", str, "", "SOHOA_LDAP_BIND_PASSWORD"),
    Setting("user_base", str, ""),
    Setting("user_filter", str, "(uid={username})"),
    Setting("group_base", str, ""),
    Setting("group_filter", str, "(member={dn})"),
    Setting("timeout_s", int, 5),
)
OIDC_SPEC = (  # [auth.oidc]; its [auth.oidc.roles] maps groups to roles
    Setting("issuer", str, "", "SOHOA_OIDC_ISSUER", "single sign-on's provider; empty: none"),
    Setting("client_id", str, "", "SOHOA_OIDC_CLIENT_ID"),
    Setting("client_secret", str, "", "SOHOA_OIDC_CLIENT_SECRET"),
    Setting("redirect_uri", str, "", "SOHOA_OIDC_REDIRECT_URI"),
    Setting("scopes", str, "openid profile"),
    Setting("personal_number_claim", str, "personal_number"),
    Setting("groups_claim", str, "groups"),
    Setting("timeout_s", float, 10.0),
)


def _roles(table: Mapping[str, Any], where: str) -> dict[str, Role]:
    out: dict[str, Role] = {}
    for group, role in table.items():
        if role not in STAFF_ROLES:
            raise ConfigError(f"[{where}.roles] {group!r}: role must be one of {', '.join(STAFF_ROLES)}, not {role!r}")
        out[group] = next(r for r in ROLES if r == role)
    return out


def _proxies(named: tuple[str, ...]) -> tuple[str, ...]:
    for address in named:
        try:
            ipaddress.ip_network(address)
        except ValueError as e:
            raise ConfigError(f"[auth] trusted_proxies: {address!r} is not an IP address or network") from e
    return named


def _table(raw: Mapping[str, Any], where: str, spec: tuple[Setting, ...], env: Mapping[str, str],
           *subtables: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The table's settings, typed, and its subtables (kept apart: they are read by their own declarations)."""
    own = {k: v for k, v in raw.items() if k not in subtables}
    return read_table(where, own, spec, env), {k: raw.get(k, {}) for k in subtables}


def parse_auth_settings(raw: Mapping[str, Any], env: Mapping[str, str]) -> AuthSettings:
    auth, sub = _table(raw["auth"], "auth", AUTH_SPEC, env, "ldap", "oidc")
    ldap_t, ldap_sub = _table(sub["ldap"], "auth.ldap", LDAP_SPEC, env, "roles")
    oidc_t, oidc_sub = _table(sub["oidc"], "auth.oidc", OIDC_SPEC, env, "roles")
    ldap = None
    if ldap_t["url"]:
        ldap = LdapSettings(ldap_t["url"], ldap_t["bind_dn"], ldap_t["bind_password"], ldap_t["user_base"],
                            ldap_t["user_filter"], ldap_t["group_base"], ldap_t["group_filter"],
                            _roles(ldap_sub["roles"], "auth.ldap"), max(1, ldap_t["timeout_s"]))
    oidc = None
    if oidc_t["issuer"]:
        if not oidc_t["client_id"] or not oidc_t["redirect_uri"]:
            raise ConfigError("[auth.oidc] needs client_id and redirect_uri when an issuer is set")
        oidc = OidcSettings(oidc_t["issuer"].rstrip("/"), oidc_t["client_id"], oidc_t["client_secret"],
                            oidc_t["redirect_uri"], oidc_t["scopes"], oidc_t["personal_number_claim"],
                            oidc_t["groups_claim"], _roles(oidc_sub["roles"], "auth.oidc"), oidc_t["timeout_s"])
    return AuthSettings(
        session_seconds=int(auth["session_hours"] * 3600),
        idle_seconds=int(auth["idle_minutes"] * 60),
        max_failures=auth["max_failures"],
        lockout_seconds=int(auth["lockout_minutes"] * 60),
        cookie_secure=auth["cookie_secure"],
        lookups_per_minute=auth["lookups_per_minute"],
        client_lookups_per_minute=auth["client_lookups_per_minute"],
        copy_grant_seconds=int(auth["copy_grant_hours"] * 3600),
        unknown_codes_per_hour=max(1, auth["unknown_codes_per_hour"]),
        max_failures_per_source=max(1, auth["max_failures_per_source"]),
        max_failures_per_account=max(1, auth["max_failures_per_account"]),
        trusted_proxies=_proxies(auth["trusted_proxies"]),
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
