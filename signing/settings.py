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

from domain.catalogue import ConfigError
from domain.setting_tables import Setting, read_table

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


_KEY_FIELDS = (  # where one signer's key is: a PKCS#12 file, or a PKCS#11 token (neither: the development identity)
    ("p12", "P12", "a PKCS#12 file"), ("p12_password", "P12_PASSWORD", ""),
    ("pkcs11_module", "PKCS11_MODULE", "the token vendor's PKCS#11 library"),
    ("token_label", "PKCS11_TOKEN", "the token, by label"), ("key_label", "PKCS11_KEY", "the private key's CKA_LABEL"),
    ("cert_label", "PKCS11_CERT", "the certificate's CKA_LABEL (default: key_label)"),
    ("pin", "PKCS11_PIN", "the user PIN; better given in the environment"),
)
SPEC = (  # the [signing] table: the agency's key, then how both signers sign
    *(Setting(key, str, "", f"SOHOA_SIGNING_{env}", doc) for key, env, doc in _KEY_FIELDS),
    Setting("chain", tuple, (), doc="CA certificates (PEM/DER files) sent with the signature"),
    Setting("trust_roots", tuple, (), "SOHOA_TRUST_ROOTS", "roots a verifier trusts (NEAC in production)", sep=":"),
    Setting("order", tuple, ("agency", "officer"), doc="who signs first"),
    Setting("level", str, "B-LTA", "SOHOA_SIGNING_LEVEL", "the PAdES level every copy is brought to"),
    Setting("tsa_url", str, "", "SOHOA_TSA_URL", "the timestamp authority"),
    Setting("tsa_timeout_s", float, 10.0),
    Setting("revocation_fetch", bool, True, "SOHOA_REVOCATION_FETCH", "ask OCSP responders and CRLs when signing"),
    Setting("renew_horizon_days", int, 180, doc="renew archive timestamps expiring within this many days"),
    Setting("verify_base_url", str, "https://sohoa.example.gov.vn", "SOHOA_VERIFY_BASE_URL",
            "the verification portal's address, printed in every QR code"),
    Setting("qr_template", str, "{base_url}/xac-minh/{result_code}"),
    Setting("copy_form", str, "SAO Y", doc="the copy's form, in its stamp"),
    Setting("stamp_font", str, "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
)
OFFICER_SPEC = (  # [signing.officers.<login>]: a digitising officer's name and key (no environment variables)
    Setting("name", str, "", doc="the officer's name, as the stamp shows it"),
    *(Setting(key, str, "", doc=doc) for key, _, doc in _KEY_FIELDS),
    Setting("chain", tuple, ()),
)


def _key(values: Mapping[str, Any], where: str) -> KeySpec:
    p12, module = values["p12"], values["pkcs11_module"]
    chain = tuple(Path(p).expanduser() for p in values["chain"])
    if p12 and module:
        raise SigningSettingsError(f"{where}: set either p12 or pkcs11_module, not both")
    if p12:
        return KeySpec("pkcs12", p12=Path(p12).expanduser(), p12_password=values["p12_password"], chain=chain)
    if module:
        spec = KeySpec("pkcs11", pkcs11_module=Path(module), token_label=values["token_label"],
                       key_label=values["key_label"], cert_label=values["cert_label"], pin=values["pin"], chain=chain)
        if not spec.token_label or not spec.key_label:
            raise SigningSettingsError(f"{where}: a PKCS#11 key needs token_label and key_label")
        return spec
    return KeySpec("development")


def _typed(where: str, raw: Mapping[str, Any], spec: tuple[Setting, ...], env: Mapping[str, str]) -> dict[str, Any]:
    try:
        return read_table(where, raw, spec, env)
    except ConfigError as e:
        raise SigningSettingsError(str(e)) from e


def load_signing_settings(raw: Mapping[str, Any], env: Mapping[str, str], *, agency_name: str, keys_dir: Path,
                          cache_dir: Path) -> SigningSettings:
    """The settings from the merged `[signing]` table and the environment."""
    values = _typed("signing", {k: v for k, v in raw.items() if k != "officers"}, SPEC, env)
    level = values["level"].upper()
    if level not in LEVELS:
        raise SigningSettingsError(f"[signing] level must be one of {', '.join(LEVELS)}, not {level!r}")
    order = values["order"]
    if sorted(order) != ["agency", "officer"]:
        raise SigningSettingsError(f"[signing] order must name 'agency' and 'officer' once each, not {list(order)}")
    officers = {}
    for login, table in dict(raw.get("officers", {})).items():
        where = f"[signing.officers.{login}]"
        if not isinstance(table, Mapping) or not table.get("name"):
            raise SigningSettingsError(f"{where} needs the officer's name")
        officer = _typed(f"signing.officers.{login}", table, OFFICER_SPEC, {})
        officers[login] = Officer(login, officer["name"], _key(officer, where))
    return SigningSettings(
        agency_name=agency_name,
        agency_key=_key(values, "[signing]"),
        officers=officers,
        trust_roots=tuple(Path(p).expanduser() for p in values["trust_roots"]),
        copy_form=values["copy_form"],
        stamp_font=Path(values["stamp_font"]),
        order=(order[0], order[1]),
        level=level,
        tsa_url=values["tsa_url"],
        tsa_timeout_s=values["tsa_timeout_s"],
        revocation_fetch=values["revocation_fetch"],
        renew_horizon_days=values["renew_horizon_days"],
        verify_base_url=values["verify_base_url"].rstrip("/"),
        qr_template=values["qr_template"],
        keys_dir=keys_dir,
        cache_dir=cache_dir,
    )

