"""Content-addressed caches of per-file results, so an unchanged file is never scanned twice.

One cache serves each of the droid's file scanners, in its own SQLite file under the droid's cache
directory: SEC001's secret scan (`runner.py`) and SEC010's bandit run (`sast/results.py`). Each
scanner describes its cache once (`CacheSpec`: file name, how a result becomes JSON text and back,
how its notes name it). A key (`content_key`) hashes the scanner's settings (its name, version and
whatever else decides its results), the path (filters and rules depend on it) and the bytes, so a
new scanner version or setting simply misses. A row holds the result as the scanner encodes it:
hashes, line numbers, redacted evidence; never a secret's value or source text.

SQLite (WAL) lets concurrent runs share a file safely. A damaged file is reset, never trusted; a
damaged row is a miss. A locked or unwritable file, or any SQLite error later, means scanning
without the cache, with a note: the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

Result = TypeVar("Result")
_STALE_AFTER_S = 30 * 86400  # rows not used for a month are dropped
_BATCH = 500  # keys per SELECT, under SQLite's limit on bound parameters
_SCHEMA = "CREATE TABLE IF NOT EXISTS scans (key TEXT PRIMARY KEY, result TEXT NOT NULL, used INTEGER)"


def content_key(settings: str, path: str, content: bytes) -> str:
    """The cache key of `content` at `path` for a scanner whose settings string is `settings`."""
    digest = hashlib.sha256(f"{settings}\0{path}\0".encode("utf-8", "surrogateescape"))
    digest.update(content)
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheSpec(Generic[Result]):
    """One scanner's cache: its file, its row codec, and how its notes name it."""

    file_name: str  # e.g. "sec001-scan.sqlite"
    encode: Callable[[Result], str]
    decode: Callable[[str], Result]  # raises ValueError, KeyError or TypeError on a damaged row
    label: str  # notes say "<label> cache unusable ...", "<label> results not cached ..."
    scanned: str  # the scanner's past participle: "... unusable, <scanned> without it"


class ResultCache(Generic[Result]):
    """A scanner's cache for one run: read what is cached, then `save` what was scanned.

    With no directory, or when the file cannot be used, it holds nothing and saves nothing;
    every problem is a note in `notes`, never an error.
    """

    def __init__(self, spec: CacheSpec[Result], directory: Path | None, notes: list[str]) -> None:
        self.spec = spec
        self.notes = notes
        self._db: sqlite3.Connection | None = None
        if directory is None:
            return
        path = directory / spec.file_name
        try:
            self._db, reset = _connect(path)
        except (sqlite3.Error, OSError) as exc:
            notes.append(f"{spec.label} cache unusable, {spec.scanned} without it ({exc})")
            return
        if reset:
            notes.append(f"{spec.label} cache {path} was damaged and has been reset")

    def get_many(self, keys: Iterable[str]) -> dict[str, Result]:
        """The cached results among `keys`; a damaged row is left out (its file is scanned again)."""
        if self._db is None:
            return {}
        wanted = list(keys)
        found: dict[str, Result] = {}
        decode = self.spec.decode
        try:
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, result FROM scans WHERE key IN ({marks})"  # noqa: S608 - "?" only
                for key, result in self._db.execute(query, chunk):
                    try:
                        found[key] = decode(result)
                    except (ValueError, KeyError, TypeError):
                        continue
        except sqlite3.Error as exc:
            self.notes.append(f"{self.spec.label} cache unreadable, {self.spec.scanned} without it ({exc})")
            return {}
        return found

    def save(self, fresh: dict[str, Result], touched: Iterable[str] = ()) -> None:
        """Store `fresh` results, mark the `touched` keys (cache hits) used now, drop rows unused
        for a month, and close the file."""
        if self._db is None:
            return
        db, self._db = self._db, None
        now = int(time.time())
        encode = self.spec.encode
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT OR REPLACE INTO scans (key, result, used) VALUES (?, ?, ?)",
                    [(key, encode(result), now) for key, result in fresh.items()],
                )
                db.executemany("UPDATE scans SET used = ? WHERE key = ?", [(now, key) for key in touched])
                db.execute("DELETE FROM scans WHERE used < ?", (now - _STALE_AFTER_S,))
        except sqlite3.Error as exc:
            self.notes.append(f"{self.spec.label} results not cached ({exc})")
        finally:
            db.close()


def _connect(path: Path) -> tuple[sqlite3.Connection, bool]:
    """The open cache file, and whether a damaged one had to be replaced first."""
    try:
        return _open(path), False
    except sqlite3.OperationalError:
        raise  # locked or unwritable: the caller scans without the cache, the file stays
    except sqlite3.DatabaseError:  # not a database: a damaged cache is reset, never trusted
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return _open(path), True


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(_SCHEMA)
    except sqlite3.Error:
        db.close()
        raise
    return db
