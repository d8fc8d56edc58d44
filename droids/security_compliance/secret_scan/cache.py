"""Content-addressed cache of per-file scan results, so an unchanged file is never scanned twice.

The key hashes the scanner's settings (`settings_key`), the path (file filters and keyword rules
depend on it) and the bytes scanned. A row holds what a `FileScan` holds: line numbers, secret
types, detect-secrets' SHA-1 of each secret and the redacted evidence; never a secret's value.
SQLite (WAL) lets concurrent runs share the file safely; a damaged cache is reset, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from droids.security_compliance.secret_scan.engine import FileScan, Hit

CACHE_FILE = "sec001-scan.sqlite"
_STALE_AFTER_S = 30 * 86400  # rows not used for a month are dropped
_BATCH = 500


def content_key(settings: str, path: str, content: bytes) -> str:
    digest = hashlib.sha256(f"{settings}\0{path}\0".encode("utf-8", "surrogateescape"))
    digest.update(content)
    return digest.hexdigest()


class ScanCache:
    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE
        self.reset = False  # True when a damaged cache file was replaced
        try:
            self._db = self._open()
        except sqlite3.OperationalError:
            raise  # locked or unwritable: the caller scans without the cache, the file stays
        except sqlite3.DatabaseError:  # not a database: a damaged cache is reset, never trusted
            for suffix in ("", "-wal", "-shm"):
                self.path.with_name(CACHE_FILE + suffix).unlink(missing_ok=True)
            self.reset = True
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS scans (key TEXT PRIMARY KEY, result TEXT NOT NULL, used INTEGER)")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, FileScan]:
        wanted = list(keys)
        found: dict[str, FileScan] = {}
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            for key, result in self._db.execute(f"SELECT key, result FROM scans WHERE key IN ({marks})", chunk):  # noqa: S608
                try:
                    found[key] = _decode(result)
                except (ValueError, KeyError, TypeError):  # a damaged row is a miss: the file is rescanned
                    continue
        return found

    def put_many(self, scans: dict[str, FileScan], touched: Iterable[str] = ()) -> None:
        now = int(time.time())
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO scans (key, result, used) VALUES (?, ?, ?)",
                [(key, _encode(scan), now) for key, scan in scans.items()],
            )
            self._db.executemany("UPDATE scans SET used = ? WHERE key = ?", [(now, key) for key in touched])

    def prune(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM scans WHERE used < ?", (int(time.time()) - _STALE_AFTER_S,))

    def close(self) -> None:
        self._db.close()


def _encode(scan: FileScan) -> str:
    hits = [[h.line, h.secret_type, h.hashed_secret, h.evidence, h.group] for h in scan.hits]
    return json.dumps(
        {"hits": hits, "filtered_by": scan.filtered_by, "long_lines": scan.long_lines, "lossy": scan.lossy}
    )


def _decode(text: str) -> FileScan:
    data = json.loads(text)
    return FileScan([Hit(*h) for h in data["hits"]], data["filtered_by"], data["long_lines"], data["lossy"])
