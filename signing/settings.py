"""The signing component's own settings: keys, the two signers, the level, the timestamp authority, the stamps.

Read from the `[signing]` table of settings.toml and a few environment variables; nothing else in sohoa interprets
these keys. Each signer's key is a `KeySpec`: a PKCS#12 file, a PKCS#11 token or HSM, or (with neither) the data
directory's development identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
Level = Literal["B-B", "B-T", "B-LT", "B-LTA"]
Role = Literal["officer", "agency"]


class SigningSettingsError(ValueError):
    """A `[signing]` setting is malformed; the message says which."""


@dataclass(frozen=True)
class KeySpec:
    """Where one signer's private key and certificate are."""

    kind: Literal["development", "pkcs12", "pkcs11"]
    p12: Path | None = None
    p12_password: str = ""
    pkcs11_module: Path | None = None
    token_label: str = ""
    key_label: str = ""
    cert_label: str = ""
    pin: str = field(default="", repr=False)
    chain: tuple[Path, ...] = ()  # CA certificates sent with the signature (PKCS#11: the token rarely holds them)

    def describe(self) -> str:
        if self.kind == "pkcs12":
            return f"PKCS#12 {self.p12}"
        if self.kind == "pkcs11":
            return f"PKCS#11 token '{self.token_label}', key '{self.key_label}'"
        return "development identity"


@dataclass(frozen=True)
class Officer:
    """The digitising officer who signs personally (TT 01/2023 Điều 8): an operator of the batch."""

    login: str
    name: str
    key: KeySpec


@dataclass(frozen=True)
class SigningSettings:
    agency_name: str
    agency_key: KeySpec
    officers: Mapping[str, Officer]
    trust_roots: tuple[Path, ...]
    copy_form: str
    stamp_font: Path
    order: tuple[Role, Role]
    level: Level
    tsa_url: str
    tsa_timeout_s: float
    revocation_fetch: bool  # fetch OCSP/CRL when signing (B-LT) and when verifying files that carry none
    renew_horizon_days: int
    verify_base_url: str
    qr_template: str
    keys_dir: Path
    cache_dir: Path

    def officer(self, login: str, name: str = "") -> Officer:
        """The officer for an operator; with a development agency identity, one is made up for any operator, under
        their account's name if they have one (the stamp then says it is a development key)."""
        if login in self.officers:
            return self.officers[login]
        if "*" in self.officers:  # one officer for every operator (a small office)
            return self.officers["*"]
        if self.agency_key.kind == "development":
            return Officer(login, name or login, KeySpec("development"))
        raise SigningSettingsError(
            f"no digitising officer is configured for operator {login!r}: add [signing.officers.{login}] with the "
            "officer's name and key (TT 01/2023 Article 8 asks for the officer's personal signature)")


def _key(table: Mapping[str, Any], env: Mapping[str, str], prefix: str, where: str) -> KeySpec:
    def get(key: str, env_name: str | None = None) -> str:
        value = env.get(f"{prefix}{env_name}") if env_name and prefix else None
        return str(value if value else table.get(key, "") or "")

    p12 = get("p12", "P12")
    module = get("pkcs11_module", "PKCS11_MODULE")
    chain = tuple(Path(p).expanduser() for p in table.get("chain", ()) if p)
    if p12 and module:
        raise SigningSettingsError(f"{where}: set either p12 or pkcs11_module, not both")
    if p12:
        return KeySpec("pkcs12", p12=Path(p12).expanduser(), p12_password=get("p12_password", "P12_PASSWORD"),
                       chain=chain)
    if module:
        spec = KeySpec("pkcs11", pkcs11_module=Path(module), token_label=get("token_label", "PKCS11_TOKEN"),
                       key_label=get("key_label", "PKCS11_KEY"), cert_label=get("cert_label", "PKCS11_CERT"),
                       pin=get("pin", "PKCS11_PIN"), chain=chain)
        if not spec.token_label or not spec.key_label:
            raise SigningSettingsError(f"{where}: a PKCS#11 key needs token_label and key_label")
        return spec
    return KeySpec("development")


def load_signing_settings(raw: Mapping[str, Any], env: Mapping[str, str], *, agency_name: str, keys_dir: Path,
                          cache_dir: Path) -> SigningSettings:
    """The settings from the merged `[signing]` table and the environment."""
    roots = env.get("SOHOA_TRUST_ROOTS")
    trust_roots = tuple(Path(p).expanduser() for p in (roots.split(":") if roots else raw.get("trust_roots", ()))
                        if p)
    level = str(env.get("SOHOA_SIGNING_LEVEL") or raw.get("level", "B-LTA")).upper()
    if level not in LEVELS:
        raise SigningSettingsError(f"[signing] level must be one of {', '.join(LEVELS)}, not {level!r}")
    order = tuple(raw.get("order", ("agency", "officer")))
    if sorted(order) != ["agency", "officer"]:
        raise SigningSettingsError(f"[signing] order must name 'agency' and 'officer' once each, not {list(order)}")
    officers = {}
    for login, table in dict(raw.get("officers", {})).items():
        if not isinstance(table, Mapping) or not table.get("name"):
            raise SigningSettingsError(f"[signing.officers.{login}] needs the officer's name")
        officers[login] = Officer(login, str(table["name"]), _key(table, {}, "", f"[signing.officers.{login}]"))
    try:
        return SigningSettings(
            agency_name=agency_name,
            agency_key=_key(raw, env, "SOHOA_SIGNING_", "[signing]"),
            officers=officers,
            trust_roots=trust_roots,
            copy_form=str(raw["copy_form"]),
            stamp_font=Path(raw["stamp_font"]),
            order=(order[0], order[1]),
            level=level,  # type: ignore[arg-type]
            tsa_url=str(env.get("SOHOA_TSA_URL") or raw.get("tsa_url", "")),
            tsa_timeout_s=float(raw.get("tsa_timeout_s", 10)),
            revocation_fetch=_flag(env.get("SOHOA_REVOCATION_FETCH"), bool(raw.get("revocation_fetch", True))),
            renew_horizon_days=int(raw.get("renew_horizon_days", 180)),
            verify_base_url=str(env.get("SOHOA_VERIFY_BASE_URL") or raw.get("verify_base_url", "")).rstrip("/"),
            qr_template=str(raw.get("qr_template", "{base_url}/xac-minh/{result_code}")),
            keys_dir=keys_dir,
            cache_dir=cache_dir,
        )
    except (KeyError, TypeError, ValueError) as e:
        raise SigningSettingsError(f"[signing]: missing or malformed key {e}") from e


def _flag(value: str | None, default: bool) -> bool:
    return default if value is None else value.strip().lower() not in ("0", "false", "no", "off")
