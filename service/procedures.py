"""Which papers each procedure asks for that the state may already hold: one TOML file per procedure code.

The defaults ship in context/defaults/procedures/; an installation adds or replaces files in
`<data-dir>/procedures/` or the folder named by SOHOA_PROCEDURES_DIR (a file of the same code wins).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from context.settings import DEFAULTS, Settings
from domain.catalogue import Catalogue, ConfigError

PROCEDURE_CODE = re.compile(r"\d\.\d{6}(\.[0-9A-Z.]+)?")  # national code, with a local variant's agency suffix


@dataclass(frozen=True)
class Paper:
    id: str
    name: str
    types: tuple[str, ...]
    roles: tuple[str, ...]  # the applicant's role in a document that serves
    optional: bool


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    papers: tuple[Paper, ...]


def _folders(settings: Settings) -> list[Path]:
    extra = os.environ.get("SOHOA_PROCEDURES_DIR")
    return [DEFAULTS / "procedures", settings.data_dir / "procedures", *([Path(extra)] if extra else [])]


def _parse(path: Path, catalogue: Catalogue) -> Procedure:
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
        code, name = str(raw["code"]), str(raw["name"])
        papers = []
        for p in raw.get("papers", []):
            types = tuple(p["types"])
            for t in types:
                try:
                    catalogue.get(t)
                except KeyError:
                    raise ConfigError(f"{path}: paper {p['id']!r} names unknown document type {t!r}") from None
            roles = tuple(p.get("roles") or {r for t in types for r in catalogue.get(t).subject_roles})
            papers.append(Paper(str(p["id"]), str(p["name"]), types, tuple(sorted(roles)),
                                bool(p.get("optional", False))))
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as e:
        raise ConfigError(f"{path}: {e}") from e
    if not PROCEDURE_CODE.fullmatch(code) or path.stem != code:
        raise ConfigError(f"{path}: procedure code {code!r} must be D.DDDDDD and match the file's name")
    return Procedure(code, name, tuple(papers))


def load_procedures(settings: Settings) -> dict[str, Procedure]:
    found: dict[str, Procedure] = {}
    for folder in _folders(settings):
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            procedure = _parse(path, settings.catalogue)
            found[procedure.code] = procedure
    return found
