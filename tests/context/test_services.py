"""Backends are chosen by name from one registry each: adding one is one entry, read and opened like the others."""

from pathlib import Path

import pytest

from archive.backends import STORES, StoreBackend
from archive.filesystem import FilesystemObjects
from context.services import open_services
from context.settings import load_settings
from domain.catalogue import ConfigError
from indexer.backends import INDEXES, IndexBackend
from indexer.sqlite import SqliteIndex


def test_a_new_backend_is_one_registry_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: dict[str, object] = {}

    def store(options: object, site: object) -> FilesystemObjects:
        opened["store"] = options
        return FilesystemObjects(tmp_path / "elsewhere", "http://127.0.0.1:8471", b"k" * 32)

    def index(options: object, folder: Path) -> SqliteIndex:
        opened["index"] = options
        return SqliteIndex(folder)

    monkeypatch.setitem(STORES, "nas", StoreBackend(read_settings=lambda raw, env: dict(raw), open=store))
    monkeypatch.setitem(INDEXES, "opensearch", IndexBackend(read_settings=lambda raw, env: raw.get("url"),
                                                            open=index, missing="OpenSearch needs a url"))
    (tmp_path / "settings.toml").write_text('[archive]\nbackend = "nas"\n[archive.nas]\nshare = "//nas/sohoa"\n'
                                            '[index]\nbackend = "opensearch"\n[index.opensearch]\nurl = "http://os"\n',
                                            encoding="utf-8")
    services = open_services(load_settings(tmp_path))
    assert opened == {"store": {"share": "//nas/sohoa"}, "index": "http://os"}
    assert services.index.count_by_type() == {}


def test_a_chosen_backend_without_its_settings_is_refused_with_its_own_reason(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_ARCHIVE_BACKEND", "minio")
    monkeypatch.delenv("SOHOA_MINIO_ENDPOINT", raising=False)
    with pytest.raises(ConfigError, match="SOHOA_MINIO_ENDPOINT"):
        load_settings(tmp_path)
    monkeypatch.setenv("SOHOA_ARCHIVE_BACKEND", "tape")
    with pytest.raises(ConfigError, match="archive backend must be one of 'filesystem', 'minio', not 'tape'"):
        load_settings(tmp_path)
