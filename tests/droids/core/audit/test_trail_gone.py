"""A trail that is gone (audit.db truncated to 0 bytes or deleted, its table dropped) is said so in one
line and never silently started again: readers exit 2, writers (gate, audit, ingest) fail closed."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from droids.core.audit.anchor import anchors_dir
from droids.core.audit.trail import AuditTrailGone, NoAuditTrail, open_store
from tests.droids.core.audit.backends import PG_ENV, PG_SKIP, Backend, PostgresBackend, make_backend
from tests.orchestrator.cli.helpers import droid

ENTRY = {"kind": "gate", "profile": "ci", "verdict": "pass", "counts": {}, "who": "os:ci", "head": None}
EVENT = '{"ts": "2026-03-09T14:30:00Z", "kind": "halt", "reason": "daily loss limit", "state": "HALTED"}\n'


def _fill(repo: Path, url: str = "", n: int = 3) -> None:
    with open_store(repo, url) as store:
        for _ in range(n):
            store.append(**ENTRY)


def _anchor() -> Path:
    (path,) = anchors_dir().glob("*.json")
    return path


def _truncate(db: Path) -> None:
    with db.open("r+b") as f:
        f.truncate(0)


def _no_tables(db: Path) -> None:
    db.unlink()
    sqlite3.connect(db).execute("VACUUM").connection.close()  # a valid SQLite file that holds nothing


# (what happened to .droid/audit.db, how the message goes on after the file name)
DAMAGE: list[tuple[str, Callable[[Path], None], str]] = [
    ("truncated to 0 bytes", _truncate, ": the file is empty (0 bytes: truncated?): the audit trail is gone"),
    (
        "deleted",
        Path.unlink,
        ": the file is missing (deleted, or `git clean -x` removed .droid): the audit trail is gone",
    ),
    ("emptied of its tables", _no_tables, ": a database without tables: the audit trail is gone"),
]


@pytest.mark.parametrize(("damage", "says"), [c[1:] for c in DAMAGE], ids=[c[0] for c in DAMAGE])
@pytest.mark.parametrize("create", [True, False], ids=["writer", "reader"])
def test_a_damaged_sqlite_trail_is_never_recreated(
    git_repo: Path, damage: Callable[[Path], None], says: str, create: bool
) -> None:
    _fill(git_repo)
    db = git_repo / ".droid" / "audit.db"
    damage(db)
    before = db.read_bytes() if db.exists() else None
    with pytest.raises(AuditTrailGone) as err:
        open_store(git_repo, "", create=create)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{db}{says} (this machine last saw entry 3 of it)")
    assert message.endswith(f"remove this machine's anchor {_anchor()}")
    assert (db.read_bytes() if db.exists() else None) == before  # nothing written over the evidence


def test_a_zero_byte_trail_is_gone_on_a_machine_without_an_anchor_too(git_repo: Path) -> None:
    _fill(git_repo)
    _anchor().unlink()
    db = git_repo / ".droid" / "audit.db"
    _truncate(db)
    with pytest.raises(AuditTrailGone) as err:
        open_store(git_repo, "")
    assert str(err.value) == (
        f"{db}: the file is empty (0 bytes: truncated?): the audit trail is gone; droid will not start a new one "
        f"over it. To start a new trail deliberately, move it away (mv {db} {db}.broken)"
    )
    assert db.stat().st_size == 0


def test_without_trail_or_anchor_a_reader_finds_none_and_a_writer_starts_one(git_repo: Path) -> None:
    with pytest.raises(NoAuditTrail):
        open_store(git_repo, "", create=False)
    _fill(git_repo, n=1)
    assert (git_repo / ".droid" / "audit.db").stat().st_size > 0


@pytest.mark.parametrize("command", [["show"], ["verify"], ["export"], ["ingest", "events.jsonl"]])
def test_every_command_says_the_trail_is_gone_and_exits_2(git_repo: Path, command: list[str]) -> None:
    _fill(git_repo)
    db = git_repo / ".droid" / "audit.db"
    _truncate(db)
    (git_repo / "events.jsonl").write_text(EVENT)
    result = droid("audit-log", *command, cwd=git_repo)
    assert (result.code, result.out) == (2, "")
    (line,) = result.err.strip().splitlines()
    assert f"{db}: the file is empty (0 bytes: truncated?): the audit trail is gone" in line
    assert f"mv {db} {db}.broken" in line
    assert db.stat().st_size == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_truncate, "the file is empty (0 bytes: truncated?): the audit trail is gone"),
        (lambda db: _delete_newest(db, 2), "audit trail broken: entry 2: deleted (the trail ends at 1; this machine"),
    ],
    ids=["audit.db truncated", "newest entry deleted"],
)
def test_a_gate_fails_closed_rather_than_write_over_a_damaged_trail(
    git_repo: Path, damage: Callable[[Path], None], says: str
) -> None:
    for _ in range(2):
        assert droid("gate", "README.md", cwd=git_repo).code == 0
    db = git_repo / ".droid" / "audit.db"
    damage(db)
    before = db.read_bytes()
    result = droid("gate", "README.md", cwd=git_repo)
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert says in line
    assert db.read_bytes() == before


def _delete_newest(db: Path, seq: int) -> None:
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_entries_no_delete")
    con.execute("DELETE FROM audit_entries WHERE seq >= ?", (seq,))
    con.commit()
    con.close()


# --- PostgreSQL ---------------------------------------------------------------------------------------


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Backend]:
    if not os.environ.get(PG_ENV):
        pytest.skip(PG_SKIP)
    yield from make_backend("postgresql", tmp_path)


def test_postgres_dropped_entries_table_is_gone(pg: PostgresBackend) -> None:
    _fill(pg.repo, pg.url)
    with pg.connect() as con:
        con.execute("DROP TABLE audit_entries")
    for create in (True, False):
        with pytest.raises(AuditTrailGone) as err:
            pg.open(create=create)
        message = str(err.value)
        assert "\n" not in message and message.startswith(
            "DROID_AUDIT_URL (postgresql): audit_entries was dropped: the audit trail is gone (this machine last saw"
            " entry 3 of it); droid will not start a new one over it. To start a new trail deliberately, drop"
            " audit_meta too and remove this machine's anchor "
        )
    with pg.connect() as con:
        assert con.execute("SELECT to_regclass('audit_entries')").fetchone() == (None,)


def test_postgres_tables_dropped_are_gone_where_anchored(
    pg: PostgresBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(pg.repo, pg.url)
    with pg.connect() as con:
        con.execute("DROP TABLE audit_entries, audit_meta")
    with pytest.raises(AuditTrailGone, match=r"its tables are missing \(does DROID_AUDIT_URL name the team's trail"):
        pg.open()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "fresh-runner"))
    with pg.open() as store:  # a machine that never saw the trail cannot tell: documented
        assert store.verify().count == 0
