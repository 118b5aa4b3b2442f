"""The embedded index: SQLite files in one folder, with FTS5 for full text; no server needed.

Names and text are stored folded (indexer.document.name_key) and queries are folded the same way, so "Nguyen Thi
Hong" finds "Nguyễn Thị Hồng" and "dang van dat" finds "ĐẶNG VĂN ĐẠT". Each operation opens its own connection in
WAL mode, so Prefect's worker threads can write while a clerk reads.

The folder holds a file CURRENT naming the database lookups use. `sohoa reindex` fills a new database beside it and
replaces CURRENT in one rename: the embedded counterpart of swapping an Elasticsearch alias.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from archive.objects import os_error_vi
from indexer.base import LIKE_TERMS, Filters, Hit, IndexUnavailable, RecordQuery, like_needed
from indexer.document import IndexedRecord, code_key, folded_words, keys_alike, name_key, spelled_words
from indexer.sqlite_build import SqliteBuild
from indexer.sqlite_schema import (
    CURRENT,
    FIRST,
    SCHEMA_VERSION,
    create_database,
    in_batches,
    open_database,
    point_current,
    write_records,
)

RANK_AT_MOST = 100  # full-text matches ranked by relevance (bm25); more than this: newest first


_ORDER = "ORDER BY r.issue_date IS NULL, r.issue_date DESC, r.result_code"


def _filters(f: Filters) -> tuple[list[str], list[object]]:
    """SQL conditions over `records r` for the filters every lookup takes; only reusable records are found."""
    where: list[str] = ["r.reusable = 1"]
    args: list[object] = []
    if f.type_ids:
        where.append(f"r.type_id IN ({','.join('?' * len(f.type_ids))})")
        args += list(f.type_ids)
    if f.issuer:
        where.append("r.issuer_key = ?")
        args.append(name_key(f.issuer))
    if f.issued_from:
        where.append("r.issue_date >= ?")
        args.append(f.issued_from.isoformat())
    if f.issued_to:
        where.append("r.issue_date <= ?")
        args.append(f.issued_to.isoformat())
    for key in f.paper:
        where.append("instr(r.paper, ?) > 0")
        args.append(f"|{key}|")
    if f.valid_on:
        where.append("(r.permanent = 1 OR r.valid_until >= ?)")
        args.append(f.valid_on.isoformat())
    return where, args


class SqliteIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ready = False
        self._local = threading.local()
        with suppress(OSError, sqlite3.Error):  # reported as IndexUnavailable by the first operation instead
            self._prepare()

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (self.folder / CURRENT).exists():
            if not (self.folder / FIRST).exists():  # else: an index from before CURRENT existed, reported as outdated
                create_database(self.folder / FIRST)
            point_current(self.folder, FIRST)
        self._ready = True

    def _unusable(self, e: BaseException) -> IndexUnavailable:
        english = f"SQLite index {self.folder} is unusable: {e}"
        if isinstance(e, OSError) or "unable to open" in str(e):
            why = os_error_vi(e) if isinstance(e, OSError) else str(e)
            return IndexUnavailable(english, "sqlite_unopenable", folder=self.folder, reason=why)
        if "not a database" in str(e) or "malformed" in str(e):
            return IndexUnavailable(english, "sqlite_damaged", folder=self.folder)
        return IndexUnavailable(english, "sqlite_unusable", folder=self.folder, reason=e)

    def _current(self) -> Path:
        return self.folder / (self.folder / CURRENT).read_text().strip()

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection to the current database, kept between calls (opening one costs more than most
        lookups) and replaced when CURRENT names another file (a rebuild was published)."""
        path = self._current()
        cached: tuple[Path, sqlite3.Connection] | None = getattr(self._local, "db", None)
        if cached is not None and cached[0] == path:
            return cached[1]
        self._drop()
        for attempt in range(3):
            try:
                db = open_database(path)
                break
            except sqlite3.OperationalError:  # swapped and removed between reading CURRENT and opening
                if attempt == 2:
                    raise
                time.sleep(0.05)
                path = self._current()
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            db.close()
            raise IndexUnavailable(f"index schema is not version {SCHEMA_VERSION}", "other_version")
        db.row_factory = sqlite3.Row
        self._local.db = (path, db)
        return db

    def _drop(self) -> None:
        cached = getattr(self._local, "db", None)
        self._local.db = None
        if cached is not None:
            with suppress(sqlite3.Error):
                cached[1].close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction; any fault of the folder or the file is an IndexUnavailable, which sends writes to the
        outbox and ends reads with exit status 4, never a traceback (and the connection is opened afresh next time)."""
        try:
            self._prepare()
            db = self._connection()
        except (OSError, sqlite3.Error) as e:
            self._drop()
            raise self._unusable(e) from e
        try:
            with db:  # one transaction
                yield db
        except (OSError, sqlite3.Error) as e:
            self._drop()
            raise self._unusable(e) from e

    # --- writing ---------------------------------------------------------------------------------------------

    def upsert(self, record: IndexedRecord) -> None:
        with self._connect() as db:
            write_records(db, [record])

    def upsert_many(self, records: Iterable[IndexedRecord]) -> list[tuple[str, str]]:
        for batch in in_batches(records, 2000):
            with self._connect() as db:
                write_records(db, batch)
        return []

    def remove(self, result_code: str) -> None:
        with self._connect() as db:
            old = db.execute("SELECT rowid FROM records WHERE result_code = ?", (result_code,)).fetchone()
            if old:
                db.execute("DELETE FROM fulltext WHERE rowid = ?", (old[0],))
                db.execute("DELETE FROM persons WHERE result_code = ?", (result_code,))
                db.execute("DELETE FROM records WHERE rowid = ?", (old[0],))

    def refresh(self) -> None:
        """Nothing to do: a committed SQLite write is visible at once."""

    def start_build(self) -> SqliteBuild:
        """A new database beside the current one, which may be corrupt or unreadable: rebuilding is the cure."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            return SqliteBuild(self.folder, self._unusable)
        except (OSError, sqlite3.Error) as e:
            raise self._unusable(e) from e

    # --- reading ---------------------------------------------------------------------------------------------

    def find(self, query: RecordQuery) -> list[Hit]:
        where, args = _filters(query.filters)
        kind = query.kind
        with self._connect() as db:
            if kind == "name_dob":
                codes = self._by_name(db, query, where, args)
            elif kind == "text":
                codes = self._by_text(db, query, where, args)
            elif kind == "like":
                codes = self._by_likeness(db, query, where, args)
            else:
                if kind in ("personal_number", "old_id"):
                    table = "persons p JOIN records r USING (result_code)"
                    where.append(f"p.{kind} = ?")
                    args.append(getattr(query, kind).strip())
                elif kind == "paper":
                    table = "records r"  # the place is among the filters
                elif kind == "code":
                    table = "records r"
                    where.append("(r.result_code = ? OR r.dossier_code = ?)")
                    args += [query.code.strip(), query.code.strip()]  # type: ignore[union-attr]
                else:
                    table = "records r"
                    where.append("r.number_key = ?")
                    args.append(code_key(query.number or ""))
                sql = (f"SELECT DISTINCT r.result_code, r.issue_date FROM {table} WHERE {' AND '.join(where)} "
                       f"{_ORDER} LIMIT ?")
                codes = [row[0] for row in db.execute(sql, [*args, query.limit])]
            return self._hits(db, codes)

    def _by_name(self, db: sqlite3.Connection, query: RecordQuery, where: list[str], args: list[object]
                 ) -> list[str]:
        """Same date of birth, and the folded name within one edit (a letter wrong, missing, extra or swapped)."""
        wanted = name_key(query.name or "")
        spelled = f" {' '.join(spelled_words(query.name or ''))} "
        rows = db.execute(
            f"SELECT p.result_code, p.name_key, p.name_spelled, r.issue_date FROM persons p "
            f"JOIN records r USING (result_code) WHERE (p.dob = ? OR p.birth_year = ?) AND {' AND '.join(where)}",
            [query.dob.isoformat(), query.dob.year, *args])  # type: ignore[union-attr]
        found: dict[str, tuple[bool, str | None]] = {}
        for code, key, name_spelled, issued in rows:
            if key is None or not keys_alike(key, wanted):
                continue
            exact = spelled in f" {name_spelled} "
            found[code] = (found.get(code, (False, None))[0] or exact, issued)
        ordered = sorted(found, key=lambda c: c)
        ordered.sort(key=lambda c: found[c][1] or "", reverse=True)
        ordered.sort(key=lambda c: (not found[c][0], found[c][1] is None))
        return ordered[:query.limit]

    def _by_text(self, db: sqlite3.Connection, query: RecordQuery, where: list[str], args: list[object]
                 ) -> list[str]:
        """Every word, in any order, in names or text; best match first, names spelled exactly before others.

        Ranking (bm25) scores every match, which takes tens of milliseconds when thousands match among a million
        records; above RANK_AT_MOST matches the most recently indexed ones are taken instead (found as soon as there
        are enough), still with exact spellings of names first. bench/lookup.py measures both.
        """
        terms = folded_words(query.text or "")
        if not terms:
            return []
        match = " ".join(f'"{t}"' for t in terms)  # quoted: no word is taken as an FTS operator
        broad = len(db.execute("SELECT rowid FROM fulltext WHERE fulltext MATCH ? LIMIT ?",
                               (match, RANK_AT_MOST + 1)).fetchall()) > RANK_AT_MOST
        rows = db.execute(
            f"SELECT r.result_code, r.source FROM fulltext f JOIN records r ON r.rowid = f.rowid "
            f"WHERE fulltext MATCH ? AND {' AND '.join(where)} ORDER BY {'f.rowid DESC' if broad else 'f.rank'} "
            f"LIMIT ?", [match, *args, max(query.limit * 5, 100)]).fetchall()
        spelled = set(spelled_words(query.text or ""))
        exact = {code for code, source in rows if spelled <= set(spelled_words(json.loads(source)["names"]))}
        return sorted((code for code, _ in rows), key=lambda c: c not in exact)[:query.limit]

    def _by_likeness(self, db: sqlite3.Connection, query: RecordQuery, where: list[str], args: list[object]
                     ) -> list[str]:
        """The reading's LIKE_TERMS rarest words that the index knows; records holding enough of them (`like_needed`),
        ranked by bm25 (which weighs the rarer words more), as Elasticsearch's more_like_this does."""
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocabulary USING fts5vocab(main, fulltext, 'row')")
        counts: dict[str, int] = {}
        for word in set(folded_words(query.like or "")):
            if len(word) >= 2:
                row = db.execute("SELECT doc FROM temp.vocabulary WHERE term = ?", (word,)).fetchone()
                if row is not None:
                    counts[word] = row[0]
        terms = sorted(counts, key=lambda w: (counts[w], w))[:LIKE_TERMS]
        if not terms:
            return []
        needed = like_needed(len(terms))
        rows = db.execute(
            f"SELECT r.result_code, f.body FROM fulltext f JOIN records r ON r.rowid = f.rowid "
            f"WHERE fulltext MATCH ? AND {' AND '.join(where)} ORDER BY f.rank LIMIT ?",
            [" OR ".join(f'"{t}"' for t in terms), *args, max(query.limit * 5, 100)]).fetchall()
        wanted = set(terms)
        return [code for code, body in rows if len(wanted & set(body.split())) >= needed][:query.limit]

    def _hits(self, db: sqlite3.Connection, codes: list[str]) -> list[Hit]:
        if not codes:
            return []
        sources: dict[str, str] = {}
        for start in range(0, len(codes), 500):
            chunk = codes[start:start + 500]
            sources.update(db.execute(
                f"SELECT result_code, source FROM records WHERE result_code IN ({','.join('?' * len(chunk))})",
                chunk).fetchall())
        return [IndexedRecord.from_source(json.loads(sources[c])) for c in codes if c in sources]

    def get(self, result_code: str) -> Hit | None:
        with self._connect() as db:
            hits = self._hits(db, [result_code])
        return hits[0] if hits else None

    def review_queue(self, limit: int = 100) -> list[Hit]:
        with self._connect() as db:
            codes = [row[0] for row in db.execute(
                "SELECT result_code FROM records WHERE needs_review = 1 ORDER BY result_code LIMIT ?", (limit,))]
            return self._hits(db, codes)

    def count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT count(*) FROM records").fetchone()[0])

    def count_by_type(self) -> dict[str, int]:
        with self._connect() as db:
            return {t or "": n for t, n in db.execute(
                "SELECT type_id, count(*) FROM records GROUP BY type_id ORDER BY count(*) DESC, type_id")}

    def __repr__(self) -> str:
        return f"SqliteIndex({str(self.folder)!r})"
