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

from indexer.base import Index
from indexer.settings import ElasticSettings, load_elastic_settings
from indexer.sqlite import SqliteIndex


@dataclass(frozen=True)
class IndexBackend:
    read_settings: Callable[[dict[str, Any], Mapping[str, str]], Any]  # None: not configured
    open: Callable[[Any, Path], Index]  # its settings, and the data directory's index folder
    missing: str = ""  # why a chosen index that read no settings cannot run ("": it needs none)


@cache
def _elastic(e: ElasticSettings) -> Index:
    """One Elasticsearch client per process and cluster (it pools connections and is thread-safe)."""
    from indexer.elastic import ElasticIndex

    return ElasticIndex(e)


INDEXES: dict[str, IndexBackend] = {
    "sqlite": IndexBackend(read_settings=lambda raw, env: None, open=lambda _, folder: SqliteIndex(folder)),
    "elasticsearch": IndexBackend(
        read_settings=load_elastic_settings, open=lambda e, _: _elastic(e),
        missing="the Elasticsearch index needs a URL: SOHOA_ES_URL or [index.elasticsearch] urls"),
}
