"""What a history scan remembers between runs, in `<repo>/.droid/sec002-history.sqlite`.

- `tips`: the commit each ref pointed at when it was last scanned; the next run scans only commits
  not reachable from them;
- `scanned`: every (blob id, path) already scanned, so a blob that comes back (a revert, a
  cherry-pick) is not scanned again;
- `hits`: what the scan found on added lines, as detect-secrets' SHA-1 of the value, a SHA-256
  of the line and the redacted evidence: never a secret's value;
- `commits`: which commits added lines to a blob that has hits (author email, date, time), so
  a finding can name the earliest one still reachable.

The file is a cache of work done: a damaged one, or one written by another scanner version
(`settings`), is discarded and the history scanned again, with a note.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from droids.security_compliance.history.collect import BlobKey, DiffRow, HitRow

STATE_FILE = "sec002-history.sqlite"
SCHEMA = "1"
_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS tips (ref TEXT PRIMARY KEY, sha TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS scanned (blob TEXT, path TEXT, PRIMARY KEY (blob, path)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS hits (blob TEXT, path TEXT, line INTEGER, secret_type TEXT, hashed TEXT,"
    " grp TEXT, evidence TEXT, line_hash TEXT, PRIMARY KEY (blob, path, line, secret_type, hashed)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS commits (blob TEXT, path TEXT, sha TEXT, ts INTEGER, email TEXT, date TEXT,"
    " seq INTEGER, PRIMARY KEY (blob, path, sha)) WITHOUT ROWID",
)


class HistoryStore:
    def __init__(self, state_dir: Path, settings: str, notes: list[str]) -> None:
        self.path = state_dir / STATE_FILE
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
            self._db = self._open(str(self.path), settings, notes)
        except (OSError, sqlite3.OperationalError) as exc:  # unwritable or locked: scan without memory
            notes.append(f"history scan state {self.path} unusable ({exc}): scanned everything, remembered nothing")
            self._db = self._open(":memory:", settings, [])
        except sqlite3.DatabaseError as exc:  # not a database, or a broken one: start over
            for suffix in ("", "-wal", "-shm", "-journal"):
                self.path.with_name(STATE_FILE + suffix).unlink(missing_ok=True)
            notes.append(f"history scan state {self.path} was unreadable ({exc}) and has been reset: full re-scan")
            self._db = self._open(str(self.path), settings, notes)

    @staticmethod
    def _open(where: str, settings: str, notes: list[str]) -> sqlite3.Connection:
        db = sqlite3.connect(where, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            for statement in _TABLES:
                db.execute(statement)
            stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
            wanted = {"schema": SCHEMA, "settings": settings}
            if stored and {k: stored.get(k) for k in wanted} != wanted:
                notes.append("the secret scanner changed since the last history scan: full re-scan")
            if {k: stored.get(k) for k in wanted} != wanted:
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    for table in ("meta", "tips", "scanned", "hits", "commits"):
                        db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
                    db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [*wanted.items(), ("seq", "0")])
        except sqlite3.Error:
            db.close()
            raise
        return db

    def tips(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT ref, sha FROM tips").fetchall())

    def scanned(self) -> set[BlobKey]:
        return set(self._db.execute("SELECT blob, path FROM scanned").fetchall())

    def is_scanned(self, key: BlobKey) -> bool:
        return self._db.execute("SELECT 1 FROM scanned WHERE blob = ? AND path = ?", key).fetchone() is not None

    def hit_keys(self) -> set[BlobKey]:
        return set(self._db.execute("SELECT DISTINCT blob, path FROM hits").fetchall())

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def next_seq(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])

    def save(
        self,
        scanned: Iterable[BlobKey],
        hits: Iterable[HitRow],
        commits: Iterable[tuple[DiffRow, int]],
        next_seq: int,
        tips: dict[str, str] | None,
    ) -> None:
        """Record one run in one transaction; `tips` None leaves the remembered tips as they were."""
        db = self._db
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR IGNORE INTO scanned (blob, path) VALUES (?, ?)", scanned)
            db.executemany(
                "INSERT OR IGNORE INTO hits VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(h.blob, h.path, h.line, h.secret_type, h.hashed, h.group, h.evidence, h.line_hash) for h in hits],
            )
            db.executemany(
                "INSERT OR IGNORE INTO commits VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(d.blob, d.path, d.commit, d.ts, d.email, d.date, seq) for d, seq in commits],
            )
            db.execute("UPDATE meta SET value = ? WHERE key = 'seq'", (str(next_seq),))
            if tips is not None:
                db.execute("DELETE FROM tips")
                db.executemany("INSERT INTO tips (ref, sha) VALUES (?, ?)", sorted(tips.items()))

    def forget_commits(self, reachable: set[str]) -> int:
        """Drop the commits no ref reaches any more (history rewritten); returns how many."""
        stored = {sha for (sha,) in self._db.execute("SELECT DISTINCT sha FROM commits")}
        gone = sorted(stored - reachable)
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("DELETE FROM commits WHERE sha = ?", [(sha,) for sha in gone])
        return len(gone)

    def hits(self) -> list[HitRow]:
        return [HitRow(*row) for row in self._db.execute("SELECT * FROM hits")]

    def commits(self) -> list[tuple[DiffRow, int]]:
        rows = self._db.execute("SELECT blob, path, sha, ts, email, date, seq FROM commits")
        return [(DiffRow(*row[:6]), row[6]) for row in rows]

    def close(self) -> None:
        self._db.close()
