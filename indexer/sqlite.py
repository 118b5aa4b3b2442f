"""The embedded index: one SQLite file with an FTS5 table, no server needed.

Names and text are stored folded (lower case, no diacritics, đ -> d), and queries are folded the same way, so
"Nguyen Thi Hong" finds "Nguyễn Thị Hồng" and "dang van dat" finds "ĐẶNG VĂN ĐẠT". Each operation opens its own
connection in WAL mode, so Prefect's worker threads can write while a clerk reads.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from indexer.base import CitizenQuery, Hit, IndexedPerson
from pipeline.records import Manifest
from pipeline.text import fold, squash

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    result_code TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    type_id TEXT, type_name TEXT, number TEXT, issue_date TEXT, issuer TEXT,
    valid_until TEXT, validity_rule TEXT NOT NULL, validity_note TEXT NOT NULL,
    location TEXT NOT NULL, needs_review INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS persons (
    result_code TEXT NOT NULL REFERENCES records(result_code) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL, name TEXT, name_folded TEXT, dob TEXT, personal_number TEXT, old_id TEXT
);
CREATE INDEX IF NOT EXISTS persons_personal_number ON persons(personal_number);
CREATE INDEX IF NOT EXISTS persons_old_id ON persons(old_id);
CREATE INDEX IF NOT EXISTS persons_name_dob ON persons(name_folded, dob);
CREATE VIRTUAL TABLE IF NOT EXISTS fulltext USING fts5(
    result_code UNINDEXED, names, body, tokenize = "unicode61 remove_diacritics 2"
);
"""


def folded(text: str) -> str:
    return squash(fold(text))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class SqliteIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.row_factory = sqlite3.Row
            with db:  # one transaction
                yield db
        finally:
            db.close()

    def upsert(self, manifest: Manifest, text: str, location: str) -> None:
        f = manifest.fields
        code = manifest.result_code
        with self._connect() as db:
            db.execute("DELETE FROM records WHERE result_code = ? OR content_hash = ?", (code, manifest.content_hash))
            db.execute("DELETE FROM fulltext WHERE result_code = ?", (code,))
            db.execute(
                "INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (code, manifest.content_hash, manifest.classification.type_id, manifest.classification.type_name,
                 f.number, f.issue_date.isoformat() if f.issue_date else None, f.issuer,
                 f.valid_until.isoformat() if f.valid_until else None, f.validity_rule, f.validity_note, location,
                 int(manifest.needs_review)),
            )
            db.executemany(
                "INSERT INTO persons VALUES (?,?,?,?,?,?,?,?)",
                [(code, i, p.role, p.name, folded(p.name) if p.name else None,
                  p.dob.isoformat() if p.dob else None, p.personal_number, p.old_id)
                 for i, p in enumerate(manifest.persons)],
            )
            names = " ".join(p.name for p in manifest.persons if p.name)
            db.execute("INSERT INTO fulltext VALUES (?,?,?)", (code, folded(names), folded(text)))

    def _hits(self, db: sqlite3.Connection, codes: list[str]) -> list[Hit]:
        if not codes:
            return []
        marks = ",".join("?" * len(codes))
        people: dict[str, list[IndexedPerson]] = {}
        for row in db.execute(f"SELECT * FROM persons WHERE result_code IN ({marks}) ORDER BY position", codes):
            people.setdefault(row["result_code"], []).append(IndexedPerson(
                row["role"], row["name"], _date(row["dob"]), row["personal_number"], row["old_id"]))
        rows = {r["result_code"]: r for r in db.execute(f"SELECT * FROM records WHERE result_code IN ({marks})",
                                                        codes)}
        return [
            Hit(result_code=c, content_hash=r["content_hash"], type_id=r["type_id"], type_name=r["type_name"],
                number=r["number"], issue_date=_date(r["issue_date"]), issuer=r["issuer"],
                valid_until=_date(r["valid_until"]), validity_rule=r["validity_rule"],
                validity_note=r["validity_note"], location=r["location"], needs_review=bool(r["needs_review"]),
                persons=tuple(people.get(c, ())))
            for c in codes if (r := rows.get(c)) is not None
        ]

    def lookup(self, query: CitizenQuery) -> list[Hit]:
        clauses, args = [], []
        if query.personal_number:
            clauses.append("p.personal_number = ?")
            args.append(query.personal_number)
        if query.old_id:
            clauses.append("p.old_id = ?")
            args.append(query.old_id)
        if query.name and query.dob:
            clauses.append("(p.name_folded = ? AND p.dob = ?)")
            args += [folded(query.name), query.dob.isoformat()]
        sql = (f"SELECT DISTINCT r.result_code, r.issue_date FROM records r JOIN persons p USING (result_code) "
               f"WHERE {' OR '.join(clauses)} ORDER BY r.issue_date DESC, r.result_code")
        with self._connect() as db:
            return self._hits(db, [row[0] for row in db.execute(sql, args)])

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        terms = re.findall(r"\w+", folded(text))
        if not terms:
            return []
        match = " ".join(f'"{t}"' for t in terms)  # every word, in any order; quoted so no word is an operator
        with self._connect() as db:
            codes = [row[0] for row in db.execute(
                "SELECT result_code FROM fulltext WHERE fulltext MATCH ? ORDER BY rank LIMIT ?", (match, limit))]
            return self._hits(db, codes)

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

    def remove(self, result_code: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM persons WHERE result_code = ?", (result_code,))
            db.execute("DELETE FROM records WHERE result_code = ?", (result_code,))
            db.execute("DELETE FROM fulltext WHERE result_code = ?", (result_code,))

    def clear(self) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM persons")
            db.execute("DELETE FROM records")
            db.execute("DELETE FROM fulltext")

    def __repr__(self) -> str:
        return f"SqliteIndex({str(self.path)!r})"
