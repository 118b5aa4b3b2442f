"""Settings, document types and the data directory: everything that differs between installations.

Defaults ship in `context/defaults/`; an installation overrides them with `<data-dir>/settings.toml`, the file named
by SOHOA_SETTINGS, and a few environment variables, in that order. Nothing here is read from code elsewhere.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from archive.backends import STORES, StoreBackend
from context.core_tables import TABLES
from domain.catalogue import (
    DEFAULT_REQUIRED,
    REQUIRED_FIELDS,
    Catalogue,
    ConfigError,
    DocumentType,
    Labels,
    NameLabel,
    RetentionClass,
    RetentionSchedule,
    Validity,
)
from domain.codes import validate_agency_code
from domain.setting_tables import read_table
from indexer.backends import INDEXES, IndexBackend
from ocr.chosen_engine import ENGINES
from ocr.models import RecognizerUnavailable, model_path
from signing.settings import SigningSettings, SigningSettingsError, load_signing_settings

DEFAULTS = Path(__file__).parent / "defaults"
DEFAULT_DATA_DIR = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "sohoa"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else SOHOA_DATA_DIR, else $XDG_DATA_HOME/sohoa (~/.local/share/sohoa)."""
    chosen = explicit or os.environ.get("SOHOA_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    agency_code: str
    agency_name: str
    result_code_template: str
    review_threshold: float
    ocr_language: str
    flip_retry_confidence: float
    second_reader: str  # a name in SECOND_READERS: reads figures again where Tesseract was unsure
    ocr_engine: str  # a name in ocr.chosen_engine.ENGINES: reads the pages
    default_dpi: int
    max_file_bytes: int
    max_request_bytes: int  # any request body that is not a file upload (forms, JSON)
    scan_roots: tuple[Path, ...]  # folders whose scans may be sent as a batch over the API (resolved)
    max_upload_batch_bytes: int  # scans uploaded to the portal as one batch, together
    max_pages: int
    max_pixels: int
    max_content_bytes: int  # decoded content streams of one page
    max_content_operators: int  # drawing operators on one page
    max_seconds_per_page: int
    max_seconds_per_file: int
    signing: SigningSettings
    workers: int
    archive_backend: str  # a name in archive.backends.STORES
    archive_options: Any  # that store's own settings (archive.settings), None when it needs none
    index_backend: str  # a name in indexer.backends.INDEXES
    index_options: Any  # that index's own settings (indexer.settings), None when it needs none
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


_LABEL_KEYS = ("name", "honorifics", "dob", "personal_number", "old_id", "sex", "role_words", "default_role",
               "birth_year", "name_words", "subject_words", "id_words", "other_fields", "officials", "relations")


def _labels(table: dict[str, Any], where: str, default_role: str = "subject") -> Labels:
    """A labels table: the shared [labels], or a type's own [types.labels] (whose wordings add to the shared)."""
    unknown = sorted(set(table) - set(_LABEL_KEYS))
    if isinstance(table.get("default_role"), dict):
        raise ConfigError(f"{where}: default_role is set per document type now, as default_role in its "
                          "[types.labels] table")
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown}; known: {', '.join(_LABEL_KEYS)}")
    return Labels(
        name=tuple(NameLabel(x["label"], x["role"]) for x in table.get("name", ())),
        honorifics=tuple(table.get("honorifics", ())),
        dob=tuple(table.get("dob", ())),
        personal_number=tuple(table.get("personal_number", ())),
        old_id=tuple(table.get("old_id", ())),
        sex=tuple(table.get("sex", ())),
        role_words=dict(table.get("role_words", {})),
        default_role=str(table.get("default_role", default_role)),
        birth_year=tuple(table.get("birth_year", ())),
        name_words=tuple(table.get("name_words", ())),
        subject_words=tuple(table.get("subject_words", ())),
        id_words=dict(table.get("id_words", {})),
        other_fields=tuple(table.get("other_fields", ())),
        officials=tuple(table.get("officials", ())),
        relations=dict(table.get("relations", {})),
    )


def load_catalogue(path: Path | None = None) -> Catalogue:
    path = path or Path(os.environ.get("SOHOA_DOCUMENT_TYPES") or DEFAULTS / "document_types.toml")
    raw = _read_toml(path)
    try:
        shared = _labels(raw["labels"], f"{path}: [labels]")
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
                labels=shared.extended_by(_labels(
                    t.get("labels", {}), f"{path}: type {t['id']}, [types.labels]",
                    # a person under a generic label on a paper about one role is in that role
                    t["subject_roles"][0] if len(t.get("subject_roles", ())) == 1 else shared.default_role)),
            )
            for t in raw["types"]
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
    return Catalogue(types, shared, dict(raw.get("roles", {})))


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


def _signing_settings(raw: dict[str, Any], env: Mapping[str, str], agency_name: str, root: Path) -> SigningSettings:
    try:
        return load_signing_settings(raw, env, agency_name=agency_name, keys_dir=root / "keys",
                                     cache_dir=root / "cache")
    except SigningSettingsError as e:
        raise ConfigError(str(e)) from e


def _backend(concern: str, table: dict[str, Any], registry: Mapping[str, StoreBackend | IndexBackend],
             env: Mapping[str, str]) -> tuple[str, Any]:
    """The backend a concern ("archive", "index") chose (its table read already, the environment over the file),
    and its own settings read by its registry entry."""
    chosen = table["backend"]
    if chosen not in registry:
        raise ConfigError(f"{concern} backend must be one of {', '.join(map(repr, registry))}, not {chosen!r}")
    backend = registry[chosen]
    options = backend.read_settings(table.get(chosen, {}), env)
    if options is None and backend.missing:
        raise ConfigError(backend.missing)
    return chosen, options


# Tables whose keys the site chooses (officers' logins, directory groups, document type ids), beyond the defaults.
OPEN_TABLES = frozenset({"signing.officers", "auth.ldap.roles", "auth.oidc.roles", "plan.types"})


def unknown_settings(given: Mapping[str, Any], known: Mapping[str, Any], open_tables: Set[str] = OPEN_TABLES,
                     table: str = "") -> list[str]:
    """The keys of a settings file the defaults do not have ("[ocr] enigne"), table by table: a misspelt or retired
    setting would otherwise be ignored in silence. Tables in `open_tables` take any key."""
    found: list[str] = []
    for key, value in given.items():
        where = f"{table}.{key}" if table else key
        if where in open_tables or table in open_tables:
            continue
        if key not in known:
            found.append(f"[{table}] {key}" if table else f"[{key}]" if isinstance(value, dict) else key)
        elif isinstance(value, dict) and isinstance(known[key], dict):
            found += unknown_settings(value, known[key], open_tables, where)
    return found


def read_raw_settings(root: Path) -> dict[str, Any]:
    """The settings tables as merged from the defaults, `<data-dir>/settings.toml` and SOHOA_SETTINGS: what each
    component's own loader (the archive's, the index's, sign-in's) reads its table from. A key the defaults do not
    have is refused with the file and the key named."""
    defaults = _read_toml(DEFAULTS / "settings.toml")
    known = _merge(defaults, {"signing": {"officers": {}}})  # documented in the defaults, as a comment
    open_tables = OPEN_TABLES | {f"{concern}.{name}" for concern, registry in (("archive", STORES), ("index", INDEXES))
                                 for name in registry if name not in defaults[concern]}  # a backend added in code
    raw = defaults
    for extra in (root / "settings.toml", Path(os.environ["SOHOA_SETTINGS"]) if "SOHOA_SETTINGS" in os.environ
                  else None):
        if extra is not None and extra.is_file():
            given = _read_toml(extra)
            if unknown := unknown_settings(given, known, open_tables):
                raise ConfigError(f"{extra}: unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
                                  f" (every setting, with its default, is in {DEFAULTS / 'settings.toml'})")
            raw = _merge(raw, given)
    return raw


def load_settings(data_dir: str | os.PathLike[str] | None = None) -> Settings:
    root = resolve_data_dir(data_dir)
    raw = read_raw_settings(root)
    env = os.environ
    t = {name: read_table(name, {k: v for k, v in raw.get(name, {}).items() if not isinstance(v, dict)}, spec, env)
         for name, spec in TABLES.items()}  # each core table typed; a backend's subtable is read by the backend
    agency, ocr, limits, archive = t["agency"], t["ocr"], t["limits"], t["archive"]
    validate_agency_code(agency["code"])
    archive_backend, archive_options = _backend("archive", {**raw["archive"], **archive}, STORES, env)
    index_backend, index_options = _backend("index", {**raw["index"], **t["index"]}, INDEXES, env)
    catalogue = _cached_catalogue(os.environ.get("SOHOA_DOCUMENT_TYPES"))
    return Settings(
        data_dir=root,
        agency_code=agency["code"],
        agency_name=agency["name"],
        result_code_template=t["codes"]["result_code_template"],
        review_threshold=t["classification"]["review_threshold"],
        ocr_language=ocr["language"],
        flip_retry_confidence=ocr["flip_retry_confidence"],
        second_reader=_second_reader(ocr["second_reader"]),
        ocr_engine=_ocr_engine(ocr["engine"]),
        default_dpi=ocr["default_dpi"],
        max_file_bytes=limits["max_file_mb"] * 1024 * 1024,
        max_request_bytes=limits["max_request_kb"] * 1024,
        scan_roots=_scan_roots(t["flow"]["scan_roots"]),
        max_upload_batch_bytes=limits["max_upload_batch_mb"] * 1024 * 1024,
        max_pages=limits["max_pages"],
        max_pixels=limits["max_megapixels"] * 1_000_000,
        max_content_bytes=int(limits["max_content_mb_per_page"] * 1024 * 1024),
        max_content_operators=limits["max_content_operators_per_page"],
        max_seconds_per_page=limits["max_seconds_per_page"],
        max_seconds_per_file=limits["max_seconds_per_file"],
        signing=_signing_settings(raw["signing"], env, agency["name"], root),
        workers=max(1, t["flow"]["workers"]),
        archive_backend=archive_backend,
        archive_options=archive_options,
        index_backend=index_backend,
        index_options=index_options,
        download_link_seconds=int(archive["download_link_minutes"] * 60),
        download_link_max_seconds=int(archive["download_link_max_minutes"] * 60),
        download_base_url=archive["download_base_url"],
        catalogue=catalogue,
        retention=_cached_schedule(archive["retention_schedule"], tuple(t.id for t in catalogue.types)),
    )


def _scan_roots(named: tuple[str, ...]) -> tuple[Path, ...]:
    roots = tuple(Path(r) for r in named)
    if not all(r.is_absolute() for r in roots):
        raise ConfigError(f"[flow] scan_roots must be absolute paths: {named}")
    return tuple(r.resolve() for r in roots)


SECOND_READERS = ("ppocr-v4", "none")


def _ocr_engine(name: str) -> str:
    if name not in ENGINES:
        raise ConfigError(f"[ocr] engine must be one of {', '.join(map(repr, sorted(ENGINES)))}, not {name!r}")
    return name


def _second_reader(name: str) -> str:
    """The second reader named, checked: its model must be where pip put it (nothing is downloaded at run time)."""
    if name not in SECOND_READERS:
        raise ConfigError(f"[ocr] second_reader must be one of {', '.join(map(repr, SECOND_READERS))}, not {name!r}")
    if name == "ppocr-v4":
        try:
            path = model_path()
        except RecognizerUnavailable as e:
            raise ConfigError(f"[ocr] second_reader = 'ppocr-v4': {e} (pip install rapidocr-onnxruntime==1.4.4 "
                              "--no-deps, or second_reader = 'none')") from e
        if not path.is_file():
            raise ConfigError(f"[ocr] second_reader = 'ppocr-v4': the model file {path} is missing")
    return name


@cache
def _cached_schedule(path: str, type_ids: tuple[str, ...]) -> RetentionSchedule:
    return load_retention_schedule(Path(path) if path else DEFAULTS / "retention.toml", type_ids)


@cache
def _cached_catalogue(path: str | None) -> Catalogue:
    return load_catalogue(Path(path) if path else None)
