"""The backends one data directory uses, built once per process and shared by its worker threads.

Callers get the `Archive` and `Index` interfaces, never a concrete class: this is the one place that chooses the
embedded implementations (filesystem archive, SQLite index). The signer is made on first use, since loading the
key and the stamp font costs most of a second that `lookup` or `show` need not pay.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from archive.base import Archive
from archive.filesystem import FilesystemArchive
from indexer.base import Index
from indexer.sqlite import SqliteIndex
from pipeline.config import Settings, load_settings
from signing.fonts import stamp_font
from signing.identity import Identity, load_identity
from signing.sign import DocumentSigner


@dataclass
class Services:
    settings: Settings
    archive: Archive
    index: Index
    _signer: DocumentSigner | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def identity(self) -> Identity:
        return self.signer.identity

    @property
    def signer(self) -> DocumentSigner:
        with self._lock:
            if self._signer is None:
                s = self.settings
                self._signer = DocumentSigner(load_identity(s), agency_name=s.agency_name, copy_form=s.copy_form,
                                              font_file=stamp_font(s.stamp_font, s.cache_dir))
            return self._signer


def open_services(settings: Settings) -> Services:
    return Services(settings, FilesystemArchive(settings.archive_dir), SqliteIndex(settings.index_path))


@cache
def services_for(data_dir: str) -> Services:
    """One Services per data directory per process (Prefect tasks in threads share it)."""
    return open_services(load_settings(Path(data_dir)))
