"""The indexes lookups can be answered from, by the name settings.toml chooses them (`[index] backend`).

Adding an index is one entry here: how its settings table (`[index.<name>]` and its environment variables) is read,
what to say when it is chosen but not configured, and how it is opened. Nothing else chooses an index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from domain.setting_tables import Setting, read_table
from indexer.base import Index
from indexer.settings import ElasticSettings, load_elastic_settings
from indexer.sqlite import SqliteIndex


@dataclass(frozen=True)
class IndexBackend:
    read_settings: Callable[[dict[str, Any], Mapping[str, str]], Any]  # None: not configured
    open: Callable[[Any, Path], Index]  # its settings, and the data directory's index folder
    missing: str = ""  # why a chosen index that read no settings cannot run ("": it needs none)


SQLITE_SPEC = (  # the [index.sqlite] table
    Setting("dir", str, "", "SOHOA_INDEX_DIR", "its folder when not <data-dir>/index (processes of one machine)"),
)


def _sqlite_folder(raw: dict[str, Any], env: Mapping[str, str]) -> Path | None:
    """The SQLite index's folder when not <data-dir>/index: several processes on one machine may share one."""
    chosen = read_table("index.sqlite", raw, SQLITE_SPEC, env)["dir"]
    return Path(chosen).expanduser().resolve() if chosen else None


@cache
def _elastic(e: ElasticSettings) -> Index:
    """One Elasticsearch client per process and cluster (it pools connections and is thread-safe)."""
    from indexer.elastic import ElasticIndex

    return ElasticIndex(e)


INDEXES: dict[str, IndexBackend] = {
    "sqlite": IndexBackend(read_settings=_sqlite_folder,
                           open=lambda chosen, folder: SqliteIndex(chosen if chosen is not None else folder)),
    "elasticsearch": IndexBackend(
        read_settings=load_elastic_settings, open=lambda e, _: _elastic(e),
        missing="the Elasticsearch index needs a URL: SOHOA_ES_URL or [index.elasticsearch] urls"),
}
