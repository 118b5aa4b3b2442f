"""A new embedded index built beside the one in use (`sohoa reindex`): written privately without its indexes, then
indexed and published by pointing CURRENT at it; the old database is removed once nothing reads it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from indexer.base import IndexUnavailable
from indexer.document import IndexedRecord
from indexer.sqlite_schema import (
    CURRENT,
    INDEXES,
    create_database,
    in_batches,
    point_current,
    remove_database,
    write_records,
)


class SqliteBuild:
    """A new database file beside the current one; `publish` points CURRENT at it."""

    def __init__(self, folder: Path, unusable: Callable[[BaseException], IndexUnavailable]) -> None:
        self.folder = folder
        self.name = f"sohoa-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.sqlite"
        self._unusable = unusable
        create_database(folder / self.name, indexes=False)

    def _open_private(self) -> sqlite3.Connection:
        """Nobody reads this file before `publish`, and a crash only means building again: no journal, big cache."""
        db = sqlite3.connect(self.folder / self.name)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-262144")  # 256 MB
        return db

    def add(self, records: Iterable[IndexedRecord]) -> int:
        db = self._open_private()
        try:
            count = 0
            for batch in in_batches(records, 5000):
                with db:
                    count += write_records(db, batch, fresh=True)
            return count
        except (OSError, sqlite3.OperationalError) as e:  # the disk filled up while building
            raise self._unusable(e) from e
        finally:
            db.close()

    def publish(self) -> None:
        """Index the filled tables, make the file durable, then point CURRENT at it."""
        try:
            old = (self.folder / CURRENT).read_text().strip()
        except OSError:
            old = ""  # CURRENT lost or unreadable: the new database replaces whatever was there
        try:
            self._publish(old)
        except (OSError, sqlite3.OperationalError) as e:
            raise self._unusable(e) from e

    def _publish(self, old: str) -> None:
        db = self._open_private()
        try:
            db.executescript(INDEXES)  # fails on a result code twice: the build is then abandoned, not published
            db.execute("INSERT INTO fulltext(fulltext) VALUES ('optimize')")
            db.execute("ANALYZE")
            db.commit()
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA journal_mode=WAL")
        finally:
            db.close()
        point_current(self.folder, self.name)
        if old and old != self.name and "/" not in old:
            remove_database(self.folder / old)

    def abandon(self) -> None:
        remove_database(self.folder / self.name)
