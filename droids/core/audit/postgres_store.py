"""The audit trail's PostgreSQL backend, for a team server: `DROID_AUDIT_URL=postgresql://...`.

CI runners are ephemeral, so a team's trail must outlive them. The URL is a libpq URI
(`postgresql://user:password@host:5432/dbname`); libpq's query parameters work as usual, e.g.
`?sslmode=require` or `?options=-csearch_path%3Ddroid` to keep the trail in its own schema. The
tables (`audit_meta`, `audit_entries`) are created in the connection's current schema on first use;
the login role needs CREATE there once, then SELECT and INSERT.

Concurrent appends from any number of clients neither lose entries nor fork the chain: each append
takes `LOCK TABLE audit_entries IN EXCLUSIVE MODE` (writers queue, readers go on) in the transaction
that reads the newest hash and inserts the entry, and `seq` is the primary key as a second line of
defence. A writer waits at most `LOCK_TIMEOUT_S`, then fails with a clear error and writes nothing.
`counts` and `details` are stored as the exact canonical JSON text the hash was taken over (TEXT,
not JSONB, which would re-serialise them). Triggers refuse UPDATE, DELETE and TRUNCATE: a guard
against accidents, not attackers (a table owner can disable them); the hash chain detects tampering.
This machine's anchor (anchor.py) names the store by server, port, database and schema, never by
the URL. A trail whose `audit_entries` table is gone while `audit_meta` remains (they are created
together), or that this machine's anchor remembers, is never silently created again.

The URL may carry a password, so no message names more of it than its scheme, and libpq's error
text is scrubbed of the URL and password before it is shown. psycopg is imported only when a
PostgreSQL store is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from droids.core.audit.anchor import AnchorFile
from droids.core.audit.trail import SCHEMA, AuditStore, NoAuditTrail
from droids.core.errors import DroidError

if TYPE_CHECKING:
    import psycopg

LOCK_TIMEOUT_S = 30
CONNECT_TIMEOUT_S = 10
LOCATION = "DROID_AUDIT_URL (postgresql)"
_CREATE_LOCK_KEY = "hashtext(current_schema() || '.droid-audit')"  # one advisory-lock key per schema
_LOCK_CREATE = f"SELECT pg_advisory_lock({_CREATE_LOCK_KEY})"
_UNLOCK_CREATE = f"SELECT pg_advisory_unlock({_CREATE_LOCK_KEY})"
_DDL = (
    "CREATE TABLE IF NOT EXISTS audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE audit_entries (seq BIGINT PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL,"
    " profile TEXT NOT NULL, verdict TEXT NOT NULL, counts TEXT NOT NULL, who TEXT NOT NULL, head TEXT,"
    " details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT)",
    "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
    *(
        f"CREATE TRIGGER audit_entries_no_{op.lower()} BEFORE {op} ON audit_entries"
        f" FOR EACH {'STATEMENT' if op == 'TRUNCATE' else 'ROW'} EXECUTE FUNCTION audit_entries_append_only()"
        for op in ("UPDATE", "DELETE", "TRUNCATE")
    ),
    "INSERT INTO audit_meta VALUES ('schema', %s) ON CONFLICT (key) DO NOTHING",
)


class PostgresAuditStore(AuditStore):
    """The trail in a PostgreSQL database; `create=False` refuses to make the tables (show/verify/export)."""

    mark = "%s"

    def __init__(self, url: str, *, create: bool = True, key: bytes | None = None) -> None:
        self.location = LOCATION
        self._secrets = _secret_parts(url)
        try:
            import psycopg
        except ImportError:
            raise DroidError(
                f"{LOCATION}: the PostgreSQL driver is not installed; pip install 'psycopg[binary]'"
            ) from None
        self._errors = psycopg.Error
        try:
            self._db: psycopg.Connection[Any] = psycopg.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="droid-audit"
            )
        except psycopg.Error as exc:
            raise DroidError(f"{LOCATION}: cannot connect to the audit server ({self._describe(exc)})") from None
        try:
            self._anchors = AnchorFile(self._identity())
            self._check_schema(create)
            self._open_keyed(key, create)
        except psycopg.Error as exc:
            self._db.close()
            raise DroidError(f"{LOCATION}: cannot open the audit trail ({self._describe(exc)})") from None
        except DroidError:
            self._db.close()
            raise

    def _describe(self, exc: BaseException) -> str:
        """libpq's message on one line, with the URL and its password masked."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        for secret in self._secrets:
            text = text.replace(secret, "****")
        return text

    def _has(self, table: str) -> bool:
        return self._db.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]  # type: ignore[index]

    def _identity(self) -> str:
        """Which trail this is, for its anchor: server, port, database and schema (no user, no password)."""
        schema = self._db.execute("SELECT current_schema()").fetchone()[0]  # type: ignore[index]
        info = self._db.info
        return f"postgresql://{info.host}:{info.port}/{info.dbname}?schema={schema}"

    def _droid_meta(self) -> bool:
        """Whether audit_meta is droid's (holds its schema row), not another tool's table of that name."""
        row = self._db.execute("SELECT value FROM audit_meta WHERE key = 'schema'").fetchone()
        return bool(row and str(row[0]).startswith("droid-audit/"))

    def _mac_column_exists(self) -> bool:
        row = self._db.execute(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass('audit_entries')"
            " AND attname = 'mac' AND NOT attisdropped"
        ).fetchone()
        return bool(row and row[0])

    def _check_schema(self, create: bool) -> None:
        if not self._has("audit_entries"):
            # One creator at a time per schema. The lock is taken before the transaction starts, so
            # a waiter's transaction begins after the winner committed and sees its tables (a lock
            # taken inside the transaction would leave it looking at stale catalog caches). Whether
            # the trail is gone is decided under it too: a creator may be mid-way.
            self._db.execute(_LOCK_CREATE)
            try:
                if not self._has("audit_entries"):
                    self._refuse_to_recreate(create)
                    with self._db.transaction():
                        for statement in _DDL:
                            self._db.execute(statement, (SCHEMA,) if "%s" in statement else None)
            finally:
                self._db.execute(_UNLOCK_CREATE)
        if not self._has("audit_meta"):
            raise DroidError(f"{LOCATION}: audit_entries exists without audit_meta; expected a droid audit trail")
        self._check_schema_version()

    def _refuse_to_recreate(self, create: bool) -> None:
        """No audit_entries: a trail that never was (create it, if a writer), or one that is gone."""
        if self._has("audit_meta") and self._droid_meta():  # made in one transaction with audit_entries
            raise self._gone("audit_entries was dropped", "drop audit_meta too")
        if self._anchors.read() is not None:
            raise self._gone("its tables are missing (does DROID_AUDIT_URL name the team's trail?)", None)
        if not create:
            raise NoAuditTrail(f"{LOCATION}: no audit trail here (nothing has been gated or audited yet)")

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        with self._db.transaction():
            self._db.execute("SELECT set_config('lock_timeout', %s, true)", (f"{LOCK_TIMEOUT_S}s",))
            self._db.execute("LOCK TABLE audit_entries IN EXCLUSIVE MODE")
            yield

    def close(self) -> None:
        self._db.close()


def _secret_parts(url: str) -> list[str]:
    """What must never be echoed: the URL itself and its password (as written and percent-decoded).

    Parsed by hand, not by libpq, whose parse errors quote the whole URL."""
    parts = [url]
    rest, _, query = url.partition("?")
    userinfo = rest.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[0]
    passwords = [userinfo.split(":", 1)[1]] if ":" in userinfo else []
    passwords += [v for k, _, v in (p.partition("=") for p in query.split("&")) if k == "password"]
    for password in passwords:
        parts += [password, unquote(password)]
    return sorted({p for p in parts if p}, key=len, reverse=True)
