"""The sign-in database: local accounts, failed attempts, sessions, pending single sign-ons, lookup counts (for the
rate limits), result codes asked for in vain, download links
and copy grants.

One SQLite file beside the keys (`<data-dir>/keys/sign-in.sqlite`, private to its owner), in WAL mode so that
several server processes on one machine share it. Tokens and passwords are never stored: sessions by the SHA-256 of
their token (256 random bits), passwords as argon2id hashes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, disabled_at TEXT NOT NULL DEFAULT '',
    must_change INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS signin_failures (username TEXT NOT NULL, source TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS signin_failures_by_user ON signin_failures (username, at);
CREATE INDEX IF NOT EXISTS signin_failures_by_source ON signin_failures (source, at);
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256 TEXT PRIMARY KEY, identity TEXT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL,
    personal_number TEXT, source TEXT NOT NULL, csrf TEXT NOT NULL, created REAL NOT NULL, expires REAL NOT NULL,
    last_seen REAL NOT NULL);
CREATE TABLE IF NOT EXISTS oidc_pending (
    state TEXT PRIMARY KEY, nonce TEXT NOT NULL, verifier TEXT NOT NULL, next TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS lookup_counts (
    identity TEXT NOT NULL, minute INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (identity, minute));
CREATE TABLE IF NOT EXISTS unknown_codes (
    identity TEXT NOT NULL, minute INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (identity, minute));
CREATE TABLE IF NOT EXISTS download_links (
    token_sha256 TEXT PRIMARY KEY, identity TEXT NOT NULL, content_hash TEXT NOT NULL, version INTEGER NOT NULL,
    role TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS copy_grants (
    identity TEXT NOT NULL, result_code TEXT NOT NULL, until REAL NOT NULL, PRIMARY KEY (identity, result_code));
"""

SCHEMA_VERSION = 1  # PRAGMA user_version once SCHEMA ran; raise it when SCHEMA changes, so it runs again
_local = threading.local()


def connect(keys_dir: Path) -> sqlite3.Connection:
    """This thread's connection to the data directory's sign-in database, made (with its tables) on first use."""
    path = keys_dir / "sign-in.sqlite"
    cache: dict[Path, sqlite3.Connection] = getattr(_local, "connections", None) or {}
    _local.connections = cache
    conn = cache.get(path)
    if conn is None:
        keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:  # a write: only when needed
            conn.executescript(SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        cache[path] = conn
    return conn
