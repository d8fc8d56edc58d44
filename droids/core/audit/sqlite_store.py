"""The audit trail's SQLite backend: one self-contained file, `<repo>/.droid/audit.db` by default.

Concurrent appends from several processes neither lose entries nor fork the chain: the newest hash is
read and the entry inserted in one `BEGIN IMMEDIATE` transaction, and a busy timeout makes the others
wait their turn. The default rollback journal is kept on purpose (rather than WAL) so the trail stays
one file that can be copied or archived as it is. Triggers refuse UPDATE and DELETE: a guard against
accidents, not attackers (they can drop it); the hash chain is what detects tampering.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from droids.core.audit.trail import SCHEMA, AuditStore, NoAuditTrail
from droids.core.errors import DroidError

BUSY_TIMEOUT_S = 30.0
_DDL = (  # one statement each: executescript() would COMMIT the write lock we hold
    "CREATE TABLE audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE audit_entries (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL,"
    " profile TEXT NOT NULL, verdict TEXT NOT NULL, counts TEXT NOT NULL, who TEXT NOT NULL, head TEXT,"
    " details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
    *(
        f"CREATE TRIGGER audit_entries_no_{op.lower()} BEFORE {op} ON audit_entries"
        " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        for op in ("UPDATE", "DELETE")
    ),
)


class SQLiteAuditStore(AuditStore):
    """The trail in one SQLite file; `create=False` refuses to make a new one (for show/verify/export)."""

    mark = "?"
    _errors = sqlite3.Error

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path, self.location = path, str(path)
        if not create and not path.is_file():
            raise NoAuditTrail(f"{path}: no audit trail here (nothing has been gated or audited yet)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
            self._db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise DroidError(f"{path}: cannot open the audit trail ({exc}); expected a writable SQLite file") from None
        try:
            self._check_schema()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise DroidError(f"{path}: not a SQLite database ({exc}); expected a droid audit trail") from None
        except DroidError:
            self._db.close()
            raise

    def _tables(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _check_schema(self) -> None:
        if not self._tables():
            with self._write_transaction():  # re-check under the write lock: another process may have won
                if not self._tables():
                    for statement in _DDL:
                        self._db.execute(statement)
                    self._db.execute("INSERT INTO audit_meta VALUES ('schema', ?)", (SCHEMA,))
        tables = self._tables()
        if not {"audit_meta", "audit_entries"} <= tables:
            found = ", ".join(sorted(tables))
            raise DroidError(f"{self.path}: not a droid audit trail (tables: {found}); expected audit_entries")
        self._check_schema_version()

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()
