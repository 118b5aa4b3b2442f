"""The object stores an archive can live in, by the name settings.toml chooses them (`[archive] backend`).

Adding a store is one entry here: how its settings table (`[archive.<name>]` and its environment variables) is read,
what to say when it is chosen but not configured, and how it is opened. Nothing else chooses a store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from archive.filesystem import FilesystemObjects
from archive.objects import ObjectStore
from archive.settings import MinioSettings, load_minio_settings


@dataclass(frozen=True)
class StoreSite:
    """What every store may need from the data directory it serves."""

    archive_dir: Path  # the embedded store's folder
    download_base_url: str  # where the embedded store's signed links point
    link_secret: Callable[[], bytes]  # the key of those links, made on first use


@dataclass(frozen=True)
class StoreBackend:
    read_settings: Callable[[dict[str, Any], Mapping[str, str]], Any]  # None: not configured
    open: Callable[[Any, StoreSite], ObjectStore]
    missing: str = ""  # why a chosen store that read no settings cannot run ("" : it needs none)


@cache
def _minio(m: MinioSettings) -> ObjectStore:
    """One MinIO client per process and endpoint (it pools connections and is thread-safe)."""
    from archive.minio_store import MinioObjects

    store = MinioObjects(m.endpoint, m.access_key, m.secret_key, m.bucket, secure=m.secure, region=m.region,
                         ca_file=m.ca_file)
    store.ensure_bucket()
    return store


STORES: dict[str, StoreBackend] = {
    "filesystem": StoreBackend(
        read_settings=lambda raw, env: None,
        open=lambda _, site: FilesystemObjects(site.archive_dir, site.download_base_url, site.link_secret())),
    "minio": StoreBackend(
        read_settings=load_minio_settings, open=lambda m, _: _minio(m),
        missing="the MinIO archive needs an endpoint: SOHOA_MINIO_ENDPOINT or [archive.minio] endpoint"),
}
