"""A component's settings table declared in one place: each key's type, default and the environment variable that
overrides it. `read_table` reads the table typed (the environment over the file over the default) and refuses a
value of the wrong type, or a key the table does not declare, with a sentence naming the table and the key; the
documentation site lists the same declarations (docs/hooks.py), so what is read and what is documented agree.

Every table is declared beside the component that reads it: the core ones (`context.core_tables`), the workers',
the MinIO archive's, the SQLite and Elasticsearch indexes', sign-in's (`[auth]` and its directory and provider),
signing's (`[signing]`, `[signing.officers.*]`) and the plan's. Unknown keys in a file are refused twice: by
`context.settings` against the defaults file, and by `read_table` against the declaration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.catalogue import ConfigError

FALSE_WORDS = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type  # str, int, float, bool, or tuple (of strings: a TOML list, or comma-separated in the environment)
    default: Any
    env: str = ""  # the environment variable that overrides the file, if any
    doc: str = ""
    sep: str = ","  # what separates a list's items in the environment (":" for a path list)


def _typed(value: Any, setting: Setting, where: str, from_env: bool) -> Any:
    if setting.kind is bool:
        if isinstance(value, str):
            return value.strip().lower() not in FALSE_WORDS
        if isinstance(value, bool):
            return value
    elif setting.kind is str:
        if isinstance(value, str):
            return value
    elif setting.kind is tuple:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(setting.sep) if part.strip())
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value if v.strip())
    elif setting.kind in (int, float) and not isinstance(value, bool):
        try:
            return setting.kind(value)
        except (TypeError, ValueError):
            pass
    raise ConfigError(f"[{where}] {setting.key} must be {setting.kind.__name__}, not {value!r}"
                      + (f" (from {setting.env})" if from_env else ""))


def read_table(where: str, raw: Mapping[str, Any], spec: Sequence[Setting],
               env: Mapping[str, str]) -> dict[str, Any]:
    """The table's values by key, typed: a non-empty environment variable over the file over the default."""
    known = {s.key for s in spec}
    if unknown := sorted(set(raw) - known):
        raise ConfigError(f"[{where}] has no setting {', '.join(unknown)} (it has: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for setting in spec:
        from_env = env.get(setting.env) if setting.env else None
        value = from_env if from_env else raw.get(setting.key, setting.default)
        values[setting.key] = _typed(value, setting, where, bool(from_env))
    return values
