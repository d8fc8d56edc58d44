"""Content-addressed cache of bandit's per-file results, so an unchanged file is never analysed twice.

The key hashes bandit's settings (`BanditSettings.key`: version, profile, [tool.bandit]), the
path and the bytes. A row holds the file's issues as plain data (no source text) or the reason
bandit skipped it. SQLite (WAL) lets concurrent runs share the file; a damaged cache is reset.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from droids.security_compliance.sast.bandit_scan import RawIssue, from_json, to_json


@dataclass(frozen=True)
class FileResult:
    issues: list[RawIssue]
    skipped: str | None  # why bandit could not analyse the file
    nosec: int  # results accepted with `# nosec`


CACHE_FILE = "sec010-bandit.sqlite"
_STALE_AFTER_S = 30 * 86400
_BATCH = 500
_SCHEMA = "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, issues TEXT, skipped TEXT, nosec INT, used INT)"


class BanditCache:
    """Rows are `FileResult`s: a file's issues, the reason bandit skipped it, its `# nosec` count."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE
        self.reset = False
        try:
            self._db = self._open()
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError:  # not a database: reset, never trusted
            for suffix in ("", "-wal", "-shm"):
                self.path.with_name(CACHE_FILE + suffix).unlink(missing_ok=True)
            self.reset = True
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)
        except sqlite3.Error:
            db.close()
            raise
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, FileResult]:
        wanted, found = list(keys), {}
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, issues, skipped, nosec FROM results WHERE key IN ({marks})"  # noqa: S608 - "?" only
            for key, issues, skipped, nosec in self._db.execute(query, chunk):
                try:
                    found[key] = FileResult(from_json(issues), skipped, int(nosec))
                except (ValueError, TypeError, KeyError):  # a damaged row is a miss
                    continue
        return found

    def put_many(self, rows: dict[str, FileResult], touched: Iterable[str] = ()) -> None:
        now = int(time.time())
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO results (key, issues, skipped, nosec, used) VALUES (?, ?, ?, ?, ?)",
                [(key, to_json(r.issues), r.skipped, r.nosec, now) for key, r in rows.items()],
            )
            self._db.executemany("UPDATE results SET used = ? WHERE key = ?", [(now, key) for key in touched])
            self._db.execute("DELETE FROM results WHERE used < ?", (now - _STALE_AFTER_S,))

    def close(self) -> None:
        self._db.close()
