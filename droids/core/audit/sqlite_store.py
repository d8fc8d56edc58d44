"""The audit trail's SQLite backend: one self-contained file, `<repo>/.droid/audit.db` by default.

Concurrent appends from several processes neither lose entries nor fork the chain: the newest hash is
read and the entry inserted in one `BEGIN IMMEDIATE` transaction, and a busy timeout makes the others
wait their turn. The default rollback journal is kept on purpose (rather than WAL) so the trail stays
one file that can be copied or archived as it is. Triggers refuse UPDATE and DELETE: a guard against
accidents, not attackers (they can drop it); the hash chain is what detects tampering.

A new trail is built complete (tables and schema row) in a temporary file beside it and hard-linked
into place, which fails if another process got there first: so `audit.db` never exists half made,
and a file that exists but is empty (truncated to 0 bytes), holds no tables, or is missing while
this machine's anchor names an entry of it, is a trail that is gone (`AuditTrailGone`), never
silently started again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from droids.core.audit.anchor import AnchorFile
from droids.core.audit.trail import SCHEMA, AuditStore, NoAuditTrail
from droids.core.errors import DroidError

BUSY_TIMEOUT_S = 30.0
_DDL = (
    "CREATE TABLE audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE audit_entries (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL,"
    " profile TEXT NOT NULL, verdict TEXT NOT NULL, counts TEXT NOT NULL, who TEXT NOT NULL, head TEXT,"
    " details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT)",
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

    def __init__(self, path: Path, *, create: bool = True, key: bytes | None = None) -> None:
        self.path, self.location = path, str(path)
        # Not resolved: a symlink put in the file's place is still this store, with this anchor.
        self._anchors = AnchorFile(f"sqlite:{os.path.abspath(path)}")  # noqa: PTH100
        try:
            if not os.path.lexists(path):
                if self._anchors.read() is not None:
                    raise self._gone("the file is missing (deleted, or `git clean -x` removed .droid)", None)
                if not create:
                    raise NoAuditTrail(f"{path}: no audit trail here (nothing has been gated or audited yet)")
                self._create(path)
            elif path.is_file() and path.stat().st_size == 0:
                raise self._gone("the file is empty (0 bytes: truncated?)", f"move it away (mv {path} {path}.broken)")
            self._db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
            )
        except (OSError, sqlite3.Error) as exc:
            raise DroidError(f"{path}: cannot open the audit trail ({exc}); expected a writable SQLite file") from None
        try:
            self._check_schema()
            self._open_keyed(key, create)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise DroidError(f"{path}: not a SQLite database ({exc}); expected a droid audit trail") from None
        except DroidError:
            self._db.close()
            raise

    @staticmethod
    def _create(path: Path) -> None:
        """Build a new trail beside `path` and link it into place; if another process linked its own
        first, keep theirs."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".new")
        os.close(fd)
        try:
            con = sqlite3.connect(tmp, isolation_level=None)
            try:
                con.execute("BEGIN")
                for statement in _DDL:
                    con.execute(statement)
                con.execute("INSERT INTO audit_meta VALUES ('schema', ?)", (SCHEMA,))
                con.execute("COMMIT")
            finally:
                con.close()
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def _tables(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _check_schema(self) -> None:
        tables = self._tables()
        if not tables:  # droid never leaves an empty database here (see _create): it was emptied
            raise self._gone("a database without tables", f"move it away (mv {self.path} {self.path}.broken)")
        if not {"audit_meta", "audit_entries"} <= tables:
            found = ", ".join(sorted(tables))
            raise DroidError(f"{self.path}: not a droid audit trail (tables: {found}); expected audit_entries")
        self._check_schema_version()

    def _mac_column_exists(self) -> bool:
        return any(row[1] == "mac" for row in self._db.execute("PRAGMA table_info(audit_entries)"))

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
