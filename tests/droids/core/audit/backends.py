"""The audit-trail stores the tests run against, with an attacker's raw access to each.

SQLite always; PostgreSQL when DROID_TEST_POSTGRES_URL names a server (`eval "$(.ci/postgres.sh)"`
starts a throw-away one). Each PostgreSQL test gets its own schema (dropped afterwards), selected
through the URL's libpq `options`, exactly as a team would keep its trail in a schema of its own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from droids.core.audit.trail import COLUMNS, AuditStore, open_store

PG_ENV = "DROID_TEST_POSTGRES_URL"
PG_SKIP = f'set {PG_ENV} (e.g. eval "$(.ci/postgres.sh)") to run the PostgreSQL audit store tests'
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.skipif(not os.environ.get(PG_ENV), reason=PG_SKIP)),
]


class Backend(ABC):
    """One empty trail: `url` is what DROID_AUDIT_URL would hold ("" = the repo's SQLite file)."""

    name: str
    url: str

    def __init__(self, repo: Path) -> None:
        self.repo = repo

    def open(self, *, create: bool = True) -> AuditStore:
        return open_store(self.repo, self.url, create=create)

    def row(self, seq: int) -> dict[str, Any]:
        with self.open() as store:
            return next(store.raw_rows(since=seq, limit=1))

    @abstractmethod
    def tamper(self, *statements: str | tuple[str, tuple[Any, ...]]) -> None:
        """Run SQL (`?` placeholders) as an attacker with the append-only triggers out of the way."""

    def insert_raw(self, row: dict[str, Any]) -> None:
        stored = {**row, "counts": json.dumps(row["counts"]), "details": json.dumps(row["details"])}
        marks = ", ".join("?" * len(COLUMNS))
        sql = f"INSERT INTO audit_entries ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608
        self.tamper((sql, tuple(stored[c] for c in COLUMNS)))


class SQLiteBackend(Backend):
    name, url = "sqlite", ""

    @property
    def path(self) -> Path:
        return self.repo / ".droid" / "audit.db"

    def tamper(self, *statements: str | tuple[str, tuple[Any, ...]]) -> None:
        con = sqlite3.connect(self.path)
        con.executescript(
            "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;"
        )
        for statement in statements:
            sql, args = statement if isinstance(statement, tuple) else (statement, ())
            con.execute(sql, args)
        con.commit()
        con.close()


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, repo: Path, server_url: str, schema: str) -> None:
        super().__init__(repo)
        self.server_url, self.schema = server_url, schema
        joiner = "&" if "?" in server_url else "?"
        self.url = f"{server_url}{joiner}options={quote(f'-csearch_path={schema}')}"

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def tamper(self, *statements: str | tuple[str, tuple[Any, ...]]) -> None:
        with self.connect() as con:
            con.execute("ALTER TABLE audit_entries DISABLE TRIGGER USER")
            for statement in statements:
                sql, args = statement if isinstance(statement, tuple) else (statement, None)
                con.execute(sql.replace("?", "%s"), args)
            con.execute("ALTER TABLE audit_entries ENABLE TRIGGER USER")


def make_backend(name: str, repo: Path) -> Iterator[Backend]:
    """For a fixture: yields an empty trail of the named kind and removes it afterwards."""
    if name == "sqlite":
        yield SQLiteBackend(repo)
        return
    import psycopg

    server_url = os.environ[PG_ENV]
    schema = f"droid_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield PostgresBackend(repo, server_url, schema)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
