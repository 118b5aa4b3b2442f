"""Settings, document types and the data directory: everything that differs between installations.

Defaults ship in `pipeline/defaults/`; an installation overrides them with `<data-dir>/settings.toml`, the file named
by SOHOA_SETTINGS, and a few environment variables, in that order. Nothing here is read from code elsewhere.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit, urlunsplit

from pipeline.codes import validate_agency_code
from signing.settings import SigningSettings, SigningSettingsError, load_signing_settings

DEFAULTS = Path(__file__).parent / "defaults"
DEFAULT_DATA_DIR = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "sohoa"


class ConfigError(ValueError):
    """A setting or configuration file is malformed; the message says which and how."""


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else SOHOA_DATA_DIR, else $XDG_DATA_HOME/sohoa (~/.local/share/sohoa)."""
    chosen = explicit or os.environ.get("SOHOA_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


@dataclass(frozen=True)
class Validity:
    """How long a result stays valid: None months means it never expires."""

    months: int | None
    note: str = ""

    @property
    def rule(self) -> str:
        """The rule as configuration writes it, and as the manifest keeps it."""
        return "permanent" if self.months is None else f"{self.months} months"

    @classmethod
    def parse(cls, rule: str, note: str = "") -> Validity:
        rule = rule.strip().lower()
        if rule == "permanent":
            return cls(None, note)
        m = re.fullmatch(r"(\d+)\s*(months?|years?)", rule)
        if not m:
            raise ConfigError(f"validity must be 'permanent' or '<n> months' / '<n> years', not {rule!r}")
        n = int(m.group(1))
        return cls(n * 12 if m.group(2).startswith("year") else n, note)


@dataclass(frozen=True)
class RetentionClass:
    id: str
    label: str
    years: int  # 0 = permanent
    mode: Literal["COMPLIANCE", "GOVERNANCE"] = "COMPLIANCE"


@dataclass(frozen=True)
class RetentionSchedule:
    """Document type -> retention class (the archivist's schedule, retention.toml)."""

    classes: dict[str, RetentionClass]
    by_type: dict[str, str]
    unclassified_class: str
    audit_log_class: str

    def for_type(self, type_id: str | None) -> RetentionClass:
        return self.classes[self.by_type.get(type_id or "", self.unclassified_class)]

    @property
    def audit_log(self) -> RetentionClass:
        return self.classes[self.audit_log_class]


@dataclass(frozen=True)
class MinioSettings:
    endpoint: str
    access_key: str = field(repr=False)
    secret_key: str = field(repr=False)
    bucket: str
    secure: bool
    region: str | None
    ca_file: str | None


@dataclass(frozen=True)
class ElasticSettings:
    urls: tuple[str, ...]
    username: str = ""
    password: str = field(default="", repr=False)
    api_key: str = field(default="", repr=False)
    ca_file: str | None = None
    index_prefix: str = "sohoa"
    request_timeout: float = 10.0
    max_retries: int = 3


# Fields a document type may require. subject: a person in one of its subject roles is named; subject_dob: each
# has a date of birth; subject_identifier: each has a personal number or old ID, or the record a register book and
# number; number, issue_date, issuer: the document's own.
REQUIRED_FIELDS = ("subject", "subject_dob", "subject_identifier", "number", "issue_date", "issuer")
DEFAULT_REQUIRED = ("number", "issue_date", "issuer")


@dataclass(frozen=True)
class DocumentType:
    id: str
    name: str
    titles: tuple[str, ...]
    procedure_code: str
    validity: Validity
    subject_roles: tuple[str, ...]
    required: tuple[str, ...] = DEFAULT_REQUIRED  # the fields a clerk relies on (REQUIRED_FIELDS)
    number_pattern: str = ""  # the form of its số/ký hiệu, a regular expression; "" for the general form


@dataclass(frozen=True)
class NameLabel:
    label: str
    role: str


@dataclass(frozen=True)
class Labels:
    """Printed labels of the fields about people, as the forms spell them."""

    name: tuple[NameLabel, ...]
    honorifics: tuple[str, ...]
    dob: tuple[str, ...]
    personal_number: tuple[str, ...]
    old_id: tuple[str, ...]
    sex: tuple[str, ...]
    default_role: dict[str, str]


@dataclass(frozen=True)
class Catalogue:
    types: tuple[DocumentType, ...]
    labels: Labels
    role_names: dict[str, str] = field(default_factory=dict)

    def role_name(self, role: str) -> str:
        return self.role_names.get(role, role)

    def get(self, type_id: str) -> DocumentType:
        for t in self.types:
            if t.id == type_id:
                return t
        raise KeyError(type_id)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    agency_code: str
    agency_name: str
    result_code_template: str
    review_threshold: float
    ocr_language: str
    flip_retry_confidence: float
    default_dpi: int
    max_file_bytes: int
    max_pages: int
    max_pixels: int
    max_content_bytes: int  # decoded content streams of one page
    max_content_operators: int  # drawing operators on one page
    max_seconds_per_page: int
    max_seconds_per_file: int
    signing: SigningSettings
    workers: int
    archive_backend: Literal["filesystem", "minio"]
    minio: MinioSettings | None
    index_backend: Literal["sqlite", "elasticsearch"]
    elasticsearch: ElasticSettings | None
    download_link_seconds: int
    download_link_max_seconds: int
    download_base_url: str
    catalogue: Catalogue = field(repr=False)
    retention: RetentionSchedule = field(repr=False)

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def outbox_dir(self) -> Path:
        """Index writes waiting for the index to come back (`sohoa reindex --pending`)."""
        return self.data_dir / "outbox"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def keys_dir(self) -> Path:
        return self.signing.keys_dir

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / "prefect"

    @property
    def cache_dir(self) -> Path:
        return self.signing.cache_dir


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: {e}") from e


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_catalogue(path: Path | None = None) -> Catalogue:
    path = path or Path(os.environ.get("SOHOA_DOCUMENT_TYPES") or DEFAULTS / "document_types.toml")
    raw = _read_toml(path)
    try:
        types = tuple(
            DocumentType(
                id=t["id"],
                name=t["name"],
                titles=tuple(t["titles"]),
                procedure_code=t.get("procedure_code", ""),
                validity=Validity.parse(t.get("validity", "permanent"), t.get("validity_note", "")),
                subject_roles=tuple(t.get("subject_roles", ())),
                required=tuple(t.get("required", DEFAULT_REQUIRED)),
                number_pattern=t.get("number_pattern", ""),
            )
            for t in raw["types"]
        )
        lab = raw["labels"]
        labels = Labels(
            name=tuple(NameLabel(x["label"], x["role"]) for x in lab["name"]),
            honorifics=tuple(lab.get("honorifics", ())),
            dob=tuple(lab["dob"]),
            personal_number=tuple(lab["personal_number"]),
            old_id=tuple(lab["old_id"]),
            sex=tuple(lab.get("sex", ())),
            default_role=dict(lab.get("default_role", {})),
        )
    except KeyError as e:
        raise ConfigError(f"{path}: missing or unknown key {e}") from e
    if len({t.id for t in types}) != len(types):
        raise ConfigError(f"{path}: two document types share an id")
    for t in types:
        unknown = set(t.required) - set(REQUIRED_FIELDS)
        if unknown:
            raise ConfigError(f"{path}: type {t.id} requires unknown fields {sorted(unknown)}; "
                              f"known: {', '.join(REQUIRED_FIELDS)}")
        try:
            re.compile(t.number_pattern)
        except re.error as e:
            raise ConfigError(f"{path}: type {t.id}: number_pattern is not a regular expression ({e})") from e
    return Catalogue(types, labels, dict(raw.get("roles", {})))


def load_retention_schedule(path: Path, type_ids: Iterable[str] = ()) -> RetentionSchedule:
    raw = _read_toml(path)
    try:
        classes = {}
        for key, value in raw["classes"].items():
            mode = str(value.get("mode", "COMPLIANCE")).upper()
            if mode not in ("COMPLIANCE", "GOVERNANCE"):
                raise ConfigError(f"{path}: classes.{key}.mode must be COMPLIANCE or GOVERNANCE, not {mode!r}")
            classes[key] = RetentionClass(key, value["label"], int(value["years"]),
                                          "COMPLIANCE" if mode == "COMPLIANCE" else "GOVERNANCE")
        schedule = RetentionSchedule(classes, dict(raw.get("types", {})), raw["unclassified_class"],
                                     raw["audit_log_class"])
    except (KeyError, ValueError, TypeError) as e:
        if isinstance(e, ConfigError):
            raise
        raise ConfigError(f"{path}: missing or malformed key {e}") from e
    named = [schedule.unclassified_class, schedule.audit_log_class, *schedule.by_type.values()]
    unknown = sorted({c for c in named if c not in classes})
    if unknown:
        raise ConfigError(f"{path}: unknown retention class {', '.join(unknown)}")
    unscheduled = sorted(t for t in type_ids if t not in schedule.by_type)
    if unscheduled:
        raise ConfigError(f"{path}: no retention class for document type {', '.join(unscheduled)}")
    return schedule


def _minio_settings(raw: dict[str, Any], env: Mapping[str, str]) -> MinioSettings | None:
    endpoint = env.get("SOHOA_MINIO_ENDPOINT") or raw.get("endpoint", "")
    if not endpoint:
        return None
    secure = env.get("SOHOA_MINIO_SECURE")
    return MinioSettings(
        endpoint=endpoint,
        access_key=env.get("SOHOA_MINIO_ACCESS_KEY") or raw.get("access_key", ""),
        secret_key=env.get("SOHOA_MINIO_SECRET_KEY") or raw.get("secret_key", ""),
        bucket=env.get("SOHOA_MINIO_BUCKET") or raw.get("bucket", "sohoa-archive"),
        secure=(secure.lower() not in ("0", "false", "no")) if secure else bool(raw.get("secure", True)),
        region=raw.get("region") or None,
        ca_file=env.get("SOHOA_MINIO_CA_FILE") or raw.get("ca_file") or None,
    )


def _split_credentials(urls: list[str]) -> tuple[tuple[str, ...], tuple[str, str]]:
    """URLs without a user:password written into them, and that user and password: the URLs go into messages, logs
    and the outbox, the secret only into the Authorization header."""
    bare, user, password = [], "", ""
    for url in urls:
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            user = user or unquote(parts.username or "")
            password = password or unquote(parts.password or "")
            host = parts.hostname or ""
            netloc = f"[{host}]" if ":" in host else host
            netloc += f":{parts.port}" if parts.port else ""
            url = urlunsplit(parts._replace(netloc=netloc))
        bare.append(url)
    return tuple(bare), (user, password)


def _elastic_settings(raw: dict[str, Any], env: Mapping[str, str]) -> ElasticSettings | None:
    urls = env.get("SOHOA_ES_URL")
    url_list = [u.strip() for u in urls.split(",")] if urls else list(raw.get("urls", []))
    if not [u for u in url_list if u]:
        return None
    prefix = env.get("SOHOA_ES_INDEX_PREFIX") or raw.get("index_prefix", "sohoa")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]{0,100}", prefix):  # Elasticsearch index names: lower case, no spaces
        raise ConfigError(f"Elasticsearch index_prefix must be lower-case letters, digits, '-' or '_': {prefix!r}")
    urls_without, from_url = _split_credentials([u for u in url_list if u])
    try:
        return ElasticSettings(
            urls=urls_without,
            username=env.get("SOHOA_ES_USERNAME") or raw.get("username", "") or from_url[0],
            password=env.get("SOHOA_ES_PASSWORD") or raw.get("password", "") or from_url[1],
            api_key=env.get("SOHOA_ES_API_KEY") or raw.get("api_key", ""),
            ca_file=env.get("SOHOA_ES_CA_FILE") or raw.get("ca_file") or None,
            index_prefix=prefix,
            request_timeout=float(raw.get("request_timeout_s", 10)),
            max_retries=int(raw.get("max_retries", 3)),
        )
    except (TypeError, ValueError) as e:
        raise ConfigError(f"[index.elasticsearch]: {e}") from e


def _signing_settings(raw: dict[str, Any], env: Mapping[str, str], agency_name: str, root: Path) -> SigningSettings:
    try:
        return load_signing_settings(raw, env, agency_name=agency_name, keys_dir=root / "keys",
                                     cache_dir=root / "cache")
    except SigningSettingsError as e:
        raise ConfigError(str(e)) from e


def _backend(concern: str, chosen: str, allowed: tuple[str, str]) -> str:
    if chosen not in allowed:
        raise ConfigError(f"{concern} backend must be '{allowed[0]}' or '{allowed[1]}', not {chosen!r}")
    return chosen


def load_settings(data_dir: str | os.PathLike[str] | None = None) -> Settings:
    root = resolve_data_dir(data_dir)
    raw = _read_toml(DEFAULTS / "settings.toml")
    for extra in (root / "settings.toml", Path(os.environ["SOHOA_SETTINGS"]) if "SOHOA_SETTINGS" in os.environ
                  else None):
        if extra is not None and extra.is_file():
            raw = _merge(raw, _read_toml(extra))
    env = os.environ
    agency_code = env.get("SOHOA_AGENCY_CODE") or raw["agency"]["code"]
    agency_name = env.get("SOHOA_AGENCY_NAME") or raw["agency"]["name"]
    validate_agency_code(agency_code)
    limits = raw["limits"]
    archive = raw["archive"]
    backend = _backend("archive", env.get("SOHOA_ARCHIVE_BACKEND") or archive["backend"], ("filesystem", "minio"))
    minio = _minio_settings(archive.get("minio", {}), env)
    if backend == "minio" and minio is None:
        raise ConfigError("the MinIO archive needs an endpoint: SOHOA_MINIO_ENDPOINT or [archive.minio] endpoint")
    index = raw["index"]
    index_backend = _backend("index", env.get("SOHOA_INDEX_BACKEND") or index["backend"], ("sqlite", "elasticsearch"))
    elastic = _elastic_settings(index.get("elasticsearch", {}), env)
    if index_backend == "elasticsearch" and elastic is None:
        raise ConfigError("the Elasticsearch index needs a URL: SOHOA_ES_URL or [index.elasticsearch] urls")
    catalogue = _cached_catalogue(os.environ.get("SOHOA_DOCUMENT_TYPES"))
    schedule_path = env.get("SOHOA_RETENTION_SCHEDULE") or archive.get("retention_schedule") or ""
    return Settings(
        data_dir=root,
        agency_code=agency_code,
        agency_name=agency_name,
        result_code_template=raw["codes"]["result_code_template"],
        review_threshold=float(raw["classification"]["review_threshold"]),
        ocr_language=raw["ocr"]["language"],
        flip_retry_confidence=float(raw["ocr"]["flip_retry_confidence"]),
        default_dpi=int(raw["ocr"]["default_dpi"]),
        max_file_bytes=int(limits["max_file_mb"]) * 1024 * 1024,
        max_pages=int(limits["max_pages"]),
        max_pixels=int(limits["max_megapixels"]) * 1_000_000,
        max_content_bytes=int(float(limits["max_content_mb_per_page"]) * 1024 * 1024),
        max_content_operators=int(limits["max_content_operators_per_page"]),
        max_seconds_per_page=int(limits["max_seconds_per_page"]),
        max_seconds_per_file=int(limits["max_seconds_per_file"]),
        signing=_signing_settings(raw["signing"], env, agency_name, root),
        workers=max(1, int(env.get("SOHOA_WORKERS") or raw["flow"]["workers"])),
        archive_backend="minio" if backend == "minio" else "filesystem",
        minio=minio,
        index_backend="elasticsearch" if index_backend == "elasticsearch" else "sqlite",
        elasticsearch=elastic,
        download_link_seconds=int(float(archive["download_link_minutes"]) * 60),
        download_link_max_seconds=int(float(archive["download_link_max_minutes"]) * 60),
        download_base_url=env.get("SOHOA_DOWNLOAD_BASE_URL") or archive["download_base_url"],
        catalogue=catalogue,
        retention=_cached_schedule(schedule_path, tuple(t.id for t in catalogue.types)),
    )


@cache
def _cached_schedule(path: str, type_ids: tuple[str, ...]) -> RetentionSchedule:
    return load_retention_schedule(Path(path) if path else DEFAULTS / "retention.toml", type_ids)


@cache
def _cached_catalogue(path: str | None) -> Catalogue:
    return load_catalogue(Path(path) if path else None)
