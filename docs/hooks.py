"""MkDocs hooks: the pages written from the code at each build, so they cannot drift from it.

- operate/settings-reference.md: every table and key of the default settings file with its default and the comment
  that documents it, and every SOHOA_* environment variable with the modules that read it.
- api/reference.md: every operation of the HTTP API's OpenAPI schema (the app built on a throw-away data directory).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = ROOT / "context" / "defaults" / "settings.toml"
PACKAGES = ("archive", "cli", "context", "domain", "flows", "indexer", "ocr", "pdf", "pipeline", "portal", "service",
            "signing")
ENV_VAR = re.compile(r"\bSOHOA_[A-Z0-9_]+\b")


ENV_NOTE = re.compile(r"\s*env:\s*(SOHOA_[A-Z0-9_]+)[^#]*")


def _commented_keys(text: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, key) -> (the comments above and beside the key in the default file, the variable they name)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    table, comment = "", []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comment.append(stripped.lstrip("#").strip())
        elif stripped.startswith("["):
            table, comment = stripped.strip("[]"), []
        elif "=" in stripped and not stripped.startswith(("\"", "'")):
            key = stripped.split("=", 1)[0].strip().strip('"')
            beside = stripped.split("#", 1)[1].strip() if "#" in stripped.split("=", 1)[1] else ""
            words = " ".join(c for c in [*comment, beside] if c)
            env = ENV_NOTE.search(words)
            found[(table, key)] = (ENV_NOTE.sub(" ", words).strip(), env.group(1) if env else "")
            comment = []
        elif not stripped:
            comment = []
    return found


def _rows(table: str, values: dict[str, Any], notes: dict[tuple[str, str], tuple[str, str]]) -> list[str]:
    rows = []
    for key, value in values.items():
        if isinstance(value, dict):
            continue
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        note, env = notes.get((table, key), ("", ""))
        rows.append(f"| `{key}` | `{shown}` | {f'`{env}`' if env else ''} | {note.replace('|', chr(92) + '|')} |")
    return rows


def settings_reference() -> str:
    from archive.settings import SPEC as MINIO
    from context.core_tables import TABLES as CORE
    from flows.settings import SPEC as WORKERS
    from indexer.backends import SQLITE_SPEC
    from indexer.settings import SPEC as ELASTIC
    from service.auth_settings import AUTH_SPEC, LDAP_SPEC, OIDC_SPEC
    from service.statistics import PLAN_SPEC
    from signing.settings import SPEC as SIGNING

    text = DEFAULTS.read_text(encoding="utf-8")
    notes = _commented_keys(text)
    for table, spec in (("workers", WORKERS), ("archive.minio", MINIO), ("index.elasticsearch", ELASTIC),
                        ("auth", AUTH_SPEC), ("auth.ldap", LDAP_SPEC), ("auth.oidc", OIDC_SPEC), ("signing", SIGNING),
                        *CORE.items(), ("plan", PLAN_SPEC), ("index.sqlite", SQLITE_SPEC)):
        for setting in spec:
            note, env = notes.get((table, setting.key), ("", ""))
            notes[(table, setting.key)] = (note or setting.doc, setting.env or env)
    parts = ["# Settings reference", "",
             "Written from `context/defaults/settings.toml` at each build of this site: every table and key with its "
             "default and the comment that documents it there. An installation overrides any of them in "
             "`<data-dir>/settings.toml` (or the file named by `SOHOA_SETTINGS`); see "
             "[Configuration](configuration.md).", ""]

    def walk(prefix: str, table: dict[str, Any]) -> None:
        rows = _rows(prefix, table, notes)
        if rows:
            parts.extend([f"## `[{prefix}]`", "", "| key | default | environment | what it is |", "|---|---|---|---|",
                          *rows, ""])
        for key, value in table.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}" if prefix else key, value)

    walk("", tomllib.loads(text))
    readers: dict[str, set[str]] = defaultdict(set)
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in set(ENV_VAR.findall(path.read_text(encoding="utf-8"))):
                readers[name].add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    parts.extend(["## Environment variables", "",
                  "Every `SOHOA_*` variable the code names, with the modules that name it (found in the source at "
                  "each build). A variable overrides the setting of the same meaning.", "",
                  "| variable | read in |", "|---|---|"])
    parts.extend(f"| `{name}` | {', '.join(f'`{m}`' for m in sorted(mods))} |"
                 for name, mods in sorted(readers.items()))
    return "\n".join(parts) + "\n"


def api_reference() -> str:
    with tempfile.TemporaryDirectory(prefix="sohoa-docs-") as data:
        os.environ["SOHOA_SECOND_READER"] = "none"  # the schema needs no model file
        from context.services import open_services
        from context.settings import load_settings
        from portal.api import create_app

        schema = create_app(open_services(load_settings(Path(data)))).openapi()
    parts = ["# API reference", "",
             "Written from the OpenAPI schema of the running code at each build of this site "
             f"({schema['info']['title']} {schema['info']['version']}). The server also serves it, to signed-in "
             "callers: `/openapi.json` and `/docs`. Every call needs an API key or a session; see the "
             "[overview](index.md).", ""]
    by_tag: dict[str, list[str]] = defaultdict(list)
    for path, operations in sorted(schema["paths"].items()):
        for method, op in operations.items():
            tag = (op.get("tags") or ["other"])[0]
            params = ", ".join(f"`{p['name']}` ({p['in']}{', required' if p.get('required') else ''})"
                               for p in op.get("parameters", []))
            body = "request body (JSON)" if "requestBody" in op else ""
            summary = (op.get("summary") or op.get("operationId", "")).replace("|", "\\|")
            description = " ".join((op.get("description") or "").split()).replace("|", "\\|")
            by_tag[tag].append(f"| `{method.upper()} {path}` | {summary}. {description} | "
                               f"{'; '.join(x for x in (params, body) if x)} |")
    for tag, rows in sorted(by_tag.items()):
        parts.extend([f"## {tag}", "", "| operation | what it does | parameters |", "|---|---|---|", *rows, ""])
    return "\n".join(parts) + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, "operate/settings-reference.md", content=settings_reference()))
    files.append(File.generated(config, "api/reference.md", content=api_reference()))
    return files
