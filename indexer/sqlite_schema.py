"""The embedded index's database: its tables and full-text table (schema version in PRAGMA user_version), how records
are written into it in batches, and the CURRENT file that names the database in use (swapped in one rename)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.document import IndexedRecord, code_key, folded_words, name_key, spelled_words

TABLES = """
CREATE TABLE IF NOT EXISTS records (
    result_code TEXT NOT NULL, dossier_code TEXT NOT NULL, type_id TEXT, number_key TEXT, issue_date TEXT,
    issuer_key TEXT, valid_until TEXT, permanent INTEGER NOT NULL, needs_review INTEGER NOT NULL,
    reusable INTEGER NOT NULL, source TEXT NOT NULL,
    paper TEXT NOT NULL DEFAULT ''  -- the paper's place keys, each between bars: "|box:12|file:7|"
);
CREATE TABLE IF NOT EXISTS persons (
    result_code TEXT NOT NULL, name_key TEXT, name_spelled TEXT, dob TEXT, personal_number TEXT, old_id TEXT,
    birth_year INTEGER
);
CREATE VIRTUAL TABLE IF NOT EXISTS fulltext USING fts5(names, body, tokenize = "unicode61 remove_diacritics 2");
PRAGMA user_version = 4;
"""


# Made after a bulk build has filled the tables: sorting once is far cheaper than keeping B-trees in order per row.
INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS records_code ON records(result_code);
CREATE INDEX IF NOT EXISTS records_dossier ON records(dossier_code);
CREATE INDEX IF NOT EXISTS records_number ON records(number_key);
CREATE INDEX IF NOT EXISTS records_review ON records(result_code) WHERE needs_review = 1;
CREATE INDEX IF NOT EXISTS persons_record ON persons(result_code);
CREATE INDEX IF NOT EXISTS persons_personal_number ON persons(personal_number);
CREATE INDEX IF NOT EXISTS persons_old_id ON persons(old_id);
CREATE INDEX IF NOT EXISTS persons_dob ON persons(dob);
CREATE INDEX IF NOT EXISTS persons_birth_year ON persons(birth_year) WHERE birth_year IS NOT NULL;
"""


SCHEMA_VERSION = 4  # PRAGMA user_version above; an index from another version is rebuilt by `sohoa reindex`


CURRENT = "CURRENT"


FIRST = "sohoa.sqlite"


def open_database(path: Path) -> sqlite3.Connection:
    """An existing database only: a name read from CURRENT just before a swap must not create an empty file."""
    db = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # the index is rebuilt from the archive if a power cut loses a write
    return db


def create_database(path: Path, indexes: bool = True) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(TABLES + (INDEXES if indexes else ""))
    finally:
        db.close()


def write_records(db: sqlite3.Connection, records: Iterable[IndexedRecord], fresh: bool = False) -> int:
    """Insert or replace a batch: one statement per table, full-text rows keyed by the record's rowid.

    `fresh`: the database is being built and holds none of these records, so nothing is looked up or deleted."""
    batch = list({r.result_code: r for r in records}.values())  # a record twice in one batch: the last wins
    if not batch:
        return 0
    if not db.in_transaction:  # take the write lock before reading max(rowid): writers in other threads wait
        db.execute("BEGIN IMMEDIATE")
    codes = [r.result_code for r in batch]
    old = [] if fresh else [row[0] for start in range(0, len(codes), 500) for row in db.execute(
        f"SELECT rowid FROM records WHERE result_code IN ({','.join('?' * len(codes[start:start + 500]))})",
        codes[start:start + 500])]
    if old:
        marks = ",".join("?" * len(old))
        db.execute(f"DELETE FROM fulltext WHERE rowid IN ({marks})", old)
        db.execute(f"DELETE FROM persons WHERE result_code IN (SELECT result_code FROM records WHERE rowid IN "
                   f"({marks}))", old)
        db.execute(f"DELETE FROM records WHERE rowid IN ({marks})", old)
    first = int(db.execute("SELECT coalesce(max(rowid), 0) FROM records").fetchone()[0]) + 1
    rows, people, texts = [], [], []
    for rowid, rec in enumerate(batch, first):
        source = rec.source()
        del source["body"]  # kept folded in fulltext; a hit does not show it
        rows.append((rowid, rec.result_code, rec.dossier_code, rec.type_id,
                     code_key(rec.number) if rec.number else None, source["issue_date"],
                     name_key(rec.issuer) if rec.issuer else None, source["valid_until"], int(rec.permanent),
                     int(rec.needs_review), int(rec.reusable), json.dumps(source, ensure_ascii=False),
                     "".join(f"|{key}|" for key in rec.paper)))
        people += [(rec.result_code, p.name_key, " ".join(spelled_words(p.name)) if p.name else None,
                    p.dob.isoformat() if p.dob else None, p.personal_number, p.old_id,
                    None if p.dob else p.birth_year) for p in rec.persons]
        texts.append((rowid, " ".join(folded_words(rec.names)), " ".join(folded_words(rec.body))))
    db.executemany("INSERT INTO records(rowid, result_code, dossier_code, type_id, number_key, issue_date, "
                   "issuer_key, valid_until, permanent, needs_review, reusable, source, paper) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO persons VALUES (?,?,?,?,?,?,?)", people)
    db.executemany("INSERT INTO fulltext(rowid, names, body) VALUES (?,?,?)", texts)
    return len(batch)


def in_batches(records: Iterable[IndexedRecord], size: int) -> Iterator[list[IndexedRecord]]:
    batch: list[IndexedRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def point_current(folder: Path, name: str) -> None:
    """Replace CURRENT in one rename: a reader sees the old name or the new one, never a half-written file."""
    tmp = folder / f".{CURRENT}.{os.getpid()}"
    tmp.write_text(name + "\n")
    os.replace(tmp, folder / CURRENT)


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
