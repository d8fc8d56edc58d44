"""The audit trail against real SQLite files, real git repos and real concurrent processes."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from droids.core import gitio
from droids.core.errors import DroidError
from droids.security_compliance.audit_trail import COLUMNS, GENESIS, AuditRecord, entry_hash, open_store, who
from droids.security_compliance.audit_trail_sqlite import SQLiteAuditStore

# Entry 3 blocks with two SEC001 findings; the others pass clean.
ENTRIES = [
    {"kind": "gate", "profile": "pre-commit", "verdict": "pass", "counts": {}},
    {"kind": "gate", "profile": "ci", "verdict": "warn", "counts": {"SEC001": 1}},
    {"kind": "gate", "profile": "pre-commit", "verdict": "block", "counts": {"SEC001": 2}},
    {"kind": "audit", "profile": "audit", "verdict": "pass", "counts": {}},
    {"kind": "audit", "profile": "audit", "verdict": "pass", "counts": {}, "details": {"droids": 1}},
]


def _fill(path: Path) -> list[AuditRecord]:
    with SQLiteAuditStore(path) as store:
        return [store.append(who="git:alice@example.com", head="a" * 40, **e) for e in ENTRIES]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / ".droid" / "audit.db"


# --- tampering helpers: an attacker with the file, sqlite3, and the triggers dropped -----------------


def _tamper(path: Path, *statements: str | tuple[str, tuple]) -> None:
    con = sqlite3.connect(path)
    con.executescript("DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;")
    for statement in statements:
        sql, args = statement if isinstance(statement, tuple) else (statement, ())
        con.execute(sql, args)
    con.commit()
    con.close()


def _row(path: Path, seq: int) -> dict:
    with SQLiteAuditStore(path) as store:
        return next(store.raw_rows(since=seq, limit=1))


def _rewrite(path: Path, old_seq: int, **changes: object) -> None:
    """Replace entry `old_seq` by a copy with `changes`, its hash recomputed so it is self-consistent."""
    row = {**_row(path, old_seq), **changes}
    row["hash"] = entry_hash(row)
    _tamper(path, ("DELETE FROM audit_entries WHERE seq = ?", (old_seq,)))
    _insert_raw(path, row)


def _insert_raw(path: Path, row: dict) -> None:
    stored = {**row, "counts": json.dumps(row["counts"]), "details": json.dumps(row["details"])}
    con = sqlite3.connect(path)
    marks = ", ".join("?" * len(COLUMNS))
    con.execute(f"INSERT INTO audit_entries ({', '.join(COLUMNS)}) VALUES ({marks})", [stored[c] for c in COLUMNS])  # noqa: S608
    con.commit()
    con.close()


def _swap_seqs(path: Path, rehash: bool) -> None:
    two, three = _row(path, 2), _row(path, 3)
    _tamper(path, "DELETE FROM audit_entries WHERE seq IN (2, 3)")
    for row, seq in ((three, 2), (two, 3)):
        row["seq"] = seq
        if rehash:
            row["hash"] = entry_hash(row)
        _insert_raw(path, row)


def _forge_after(path: Path, seq: int, prev_hash: str | None = None, hash_: str | None = None) -> dict:
    prev = _row(path, seq - 1)
    row = {**prev, "seq": seq, "verdict": "pass", "counts": {}, "prev_hash": prev_hash or prev["hash"]}
    row["hash"] = hash_ or entry_hash(row)
    return row


TAMPER_CASES: list[tuple[str, Callable[[Path], None], int, str]] = [
    (
        "verdict changed",
        lambda p: _tamper(p, "UPDATE audit_entries SET verdict = 'pass' WHERE seq = 3"),
        3,
        "entry 3: content changed (hash mismatch)",
    ),
    (
        "count changed",
        lambda p: _tamper(p, """UPDATE audit_entries SET counts = '{"SEC001":0}' WHERE seq = 3"""),
        3,
        "entry 3: content changed (hash mismatch)",
    ),
    (
        "counts made unreadable",
        lambda p: _tamper(p, "UPDATE audit_entries SET counts = '{not json' WHERE seq = 2"),
        2,
        "entry 2: content changed (hash mismatch)",
    ),
    (
        "who changed",
        lambda p: _tamper(p, "UPDATE audit_entries SET who = 'git:mallory@example.com' WHERE seq = 1"),
        1,
        "entry 1: content changed (hash mismatch)",
    ),
    (
        "head nulled",
        lambda p: _tamper(p, "UPDATE audit_entries SET head = NULL WHERE seq = 4"),
        4,
        "entry 4: content changed (hash mismatch)",
    ),
    (
        "stored hash replaced",
        lambda p: _tamper(p, ("UPDATE audit_entries SET hash = ? WHERE seq = 3", ("f" * 64,))),
        3,
        "entry 3: content changed (hash mismatch)",
    ),
    (
        "prev_hash changed",
        lambda p: _tamper(p, ("UPDATE audit_entries SET prev_hash = ? WHERE seq = 3", ("1" * 64,))),
        3,
        "entry 3: content changed (hash mismatch)",
    ),
    (
        "verdict changed and its hash recomputed",
        lambda p: _rewrite(p, 3, verdict="pass", counts={}),
        4,
        "entry 4: chain broken (prev_hash does not match entry 3)",
    ),
    (
        "first entry rewritten with a new prev_hash",
        lambda p: _rewrite(p, 1, prev_hash="1" * 64),
        1,
        "entry 1: chain broken (prev_hash does not match the genesis value (64 zeros))",
    ),
    (
        "middle entry deleted",
        lambda p: _tamper(p, "DELETE FROM audit_entries WHERE seq = 3"),
        3,
        "entry 3: deleted (seq gap 2 -> 4)",
    ),
    (
        "two entries deleted",
        lambda p: _tamper(p, "DELETE FROM audit_entries WHERE seq IN (2, 3)"),
        2,
        "entries 2-3: deleted (seq gap 1 -> 4)",
    ),
    (
        "first entry deleted",
        lambda p: _tamper(p, "DELETE FROM audit_entries WHERE seq = 1"),
        1,
        "entry 1: deleted (seq gap 0 -> 2)",
    ),
    ("reordered by swapping seq", lambda p: _swap_seqs(p, rehash=False), 2, "entry 2: content changed (hash mismatch)"),
    (
        "reordered, both hashes recomputed",
        lambda p: _swap_seqs(p, rehash=True),
        2,
        "entry 2: chain broken (prev_hash does not match entry 1)",
    ),
    (
        "forged entry appended with a made-up hash",
        lambda p: _insert_raw(p, _forge_after(p, 6, hash_="e" * 64)),
        6,
        "entry 6: content changed (hash mismatch)",
    ),
    (
        "forged entry appended linking to the wrong entry",
        lambda p: _insert_raw(p, _forge_after(p, 6, prev_hash=_row(p, 2)["hash"])),
        6,
        "entry 6: chain broken (prev_hash does not match entry 5)",
    ),
    (
        "forged entry inserted in the middle, later seqs shifted",
        lambda p: (
            (forged := _forge_after(p, 4)),
            _tamper(p, *(("UPDATE audit_entries SET seq = ? WHERE seq = ?", (s + 1, s)) for s in (5, 4))),
            _insert_raw(p, forged),
        ),
        5,
        "entry 5: content changed (hash mismatch)",
    ),
    (
        "forged entry before the first",
        lambda p: _insert_raw(p, {**_forge_after(p, 2), "seq": 0}),
        0,
        "entry 0: forged (seq 0 precedes the first entry, 1)",
    ),
]


@pytest.mark.parametrize(
    ("tamper", "first_bad", "reason"), [c[1:] for c in TAMPER_CASES], ids=[c[0] for c in TAMPER_CASES]
)
def test_verify_names_the_tampered_entry(db: Path, tamper: Callable[[Path], None], first_bad: int, reason: str) -> None:
    _fill(db)
    tamper(db)
    with SQLiteAuditStore(db) as store:
        result = store.verify()
        assert (result.ok, result.first_bad, result.reason) == (False, first_bad, reason)
        assert store.export().count("\n") == result.count  # export still shows what is stored


def test_untouched_chain_links_and_verifies(db: Path) -> None:
    appended = _fill(db)
    assert [r.seq for r in appended] == [1, 2, 3, 4, 5]
    assert appended[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(appended))
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.time) for r in appended)
    with SQLiteAuditStore(db, create=False) as store:  # a fresh connection reads what was written
        assert store.records() == appended
        result = store.verify()
        assert (result.ok, result.count, result.first_bad, result.reason) == (True, 5, None, "")
        assert (result.newest_seq, result.newest_hash) == (5, appended[-1].hash)
        assert store.verify(anchor=(3, appended[2].hash)).ok


def test_records_since_and_limit(db: Path) -> None:
    appended = _fill(db)
    with SQLiteAuditStore(db) as store:
        assert [r.seq for r in store.records(since=3)] == [3, 4, 5]
        assert [r.seq for r in store.records(limit=2)] == [1, 2]
        assert [r.seq for r in store.records(since=2, limit=2)] == [2, 3]
        assert store.records(since=appended[0].time[:10]) == appended  # a date keeps that whole day
        assert store.records(since="2999-01-01") == []


def test_export_is_json_lines_with_hashes(db: Path) -> None:
    appended = _fill(db)
    with SQLiteAuditStore(db) as store:
        lines = store.export().splitlines()
    assert [json.loads(line) for line in lines] == [r.as_dict() for r in appended]
    assert all(entry_hash(json.loads(line)) == json.loads(line)["hash"] for line in lines)


@pytest.mark.parametrize(
    ("tamper", "anchored_ok", "reason"),
    [
        (lambda p: None, True, ""),
        (lambda p: _tamper(p, "DELETE FROM audit_entries WHERE seq = 5"), False, "entry 5: deleted"),
        (lambda p: _rewrite(p, 5, verdict="block"), False, "entry 5: rewritten (hash differs from the anchor)"),
    ],
    ids=["untouched", "newest deleted", "newest rewritten and rehashed"],
)
def test_newest_entries_need_the_external_anchor(
    db: Path, tamper: Callable[[Path], None], anchored_ok: bool, reason: str
) -> None:
    anchor = (5, _fill(db)[-1].hash)
    tamper(db)
    with SQLiteAuditStore(db) as store:
        assert store.verify().ok  # the chain alone cannot see it: documented
        result = store.verify(anchor=anchor)
    assert result.ok is anchored_ok
    assert result.reason.startswith(reason)
    assert result.first_bad == (None if anchored_ok else 5)


@pytest.mark.parametrize("sql", ["UPDATE audit_entries SET verdict = 'pass'", "DELETE FROM audit_entries"])
def test_triggers_refuse_update_and_delete(db: Path, sql: str) -> None:
    _fill(db)
    con = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute(sql)
    con.close()
    with SQLiteAuditStore(db) as store:
        assert store.verify().ok


APPENDER = """
import sys, time
from pathlib import Path
from droids.security_compliance.audit_trail_sqlite import SQLiteAuditStore
path, proc, go = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
Path(f"{go}.ready{proc}").touch()
while not go.exists():
    time.sleep(0.005)
with SQLiteAuditStore(path) as store:
    for n in range(20):
        store.append(kind="gate", profile="ci", verdict="pass", counts={"SEC001": n}, who=f"os:p{proc}",
                     head=None, details={"proc": proc, "n": n})
"""


def test_concurrent_processes_lose_nothing_and_keep_one_chain(db: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", APPENDER, str(db), str(i), str(go)], stderr=subprocess.PIPE)
        for i in range(6)
    ]
    deadline = time.monotonic() + 60  # every interpreter is up, so they all race for the new file at once
    while len(list(tmp_path.glob("go.ready*"))) < 6 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    with SQLiteAuditStore(db) as store:
        records = store.records()
        result = store.verify()
    assert (result.ok, result.count) == (True, 120), result.reason
    assert [r.seq for r in records] == list(range(1, 121))
    assert sorted((r.details["proc"], r.details["n"]) for r in records) == [(p, n) for p in range(6) for n in range(20)]


def _foreign_db(path: Path, *sql: str) -> None:
    con = sqlite3.connect(path)
    for statement in sql:
        con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"this is a text file, not a database\n" * 50), "not a SQLite database"),
        (lambda p: _foreign_db(p, "CREATE TABLE users (name TEXT)"), r"not a droid audit trail \(tables: users\)"),
        (
            lambda p: _foreign_db(
                p,
                "CREATE TABLE audit_meta (key TEXT PRIMARY KEY, value TEXT)",
                "CREATE TABLE audit_entries (seq INTEGER PRIMARY KEY)",
                "INSERT INTO audit_meta VALUES ('schema', 'droid-audit/99')",
            ),
            "audit trail schema 'droid-audit/99'; expected 'droid-audit/1'",
        ),
        (lambda p: p.mkdir(), "cannot open the audit trail"),
    ],
    ids=["not sqlite", "foreign schema", "newer schema", "a directory"],
)
def test_open_errors_are_one_clear_line(tmp_path: Path, make: Callable[[Path], None], message: str) -> None:
    path = tmp_path / "audit.db"
    make(path)
    with pytest.raises(DroidError, match=message) as err:
        SQLiteAuditStore(path)
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)


def test_parent_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".droid").write_text("")
    with pytest.raises(DroidError, match=r"\.droid/audit\.db: cannot open the audit trail"):
        open_store(tmp_path, url="")


def test_readers_do_not_create_a_trail(tmp_path: Path) -> None:
    with pytest.raises(DroidError, match="no audit trail here"):
        open_store(tmp_path, url="", create=False)
    assert not (tmp_path / ".droid").exists()


def test_malformed_row_makes_records_point_at_verify(db: Path) -> None:
    _fill(db)
    _tamper(db, "UPDATE audit_entries SET details = '[1, 2]' WHERE seq = 2")
    with SQLiteAuditStore(db) as store, pytest.raises(DroidError, match=r"entry 2 is malformed .*audit-log verify"):
        store.records()


@pytest.mark.parametrize(
    "bad",
    [
        {"verdict": ""},
        {"kind": None},
        {"counts": {"SEC001": -1}},
        {"counts": {"SEC001": "2"}},
        {"counts": {"SEC001": True}},
        {"head": 123},
        {"details": {"ids": {1, 2}}},
        {"details": {"ratio": float("nan")}},
        {"details": {"blob": "x" * 5000}},
    ],
)
def test_malformed_entries_are_refused_and_nothing_is_written(db: Path, bad: dict) -> None:
    entry = {"kind": "gate", "profile": "ci", "verdict": "pass", "counts": {}, "who": "os:x", "head": None, **bad}
    with SQLiteAuditStore(db) as store:
        with pytest.raises(ValueError, match=r"^audit entry: "):
            store.append(**entry)
        assert store.verify().count == 0


def test_open_store_defaults_to_the_repo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DROID_AUDIT_URL", raising=False)
    with open_store(tmp_path) as store:
        store.append(kind="audit", profile="audit", verdict="pass", counts={}, who="os:x", head=None)
    assert (tmp_path / ".droid" / "audit.db").is_file()


PASSWORD = "".join(["hunter", "2", "pw"])  # built from parts: no credential literal in the repo


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://auditor:" + PASSWORD + "@127.0.0.1/droid", "PostgreSQL audit store is not available"),
        ("mysql://auditor:" + PASSWORD + "@127.0.0.1/droid", "unsupported scheme 'mysql'"),
    ],
)
def test_audit_url_errors_never_echo_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    monkeypatch.setenv("DROID_AUDIT_URL", url)
    with pytest.raises(DroidError, match=message) as err:
        open_store(tmp_path)
    assert PASSWORD not in str(err.value)
    assert not (tmp_path / ".droid").exists()


def _git_repo(path: Path, email: str | None) -> Path:
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    if email:
        subprocess.run(["git", "-C", str(path), "config", "user.email", email], check=True)
    return path


@pytest.mark.parametrize(
    ("env", "email", "expected"),
    [
        ({"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "octocat"}, "alice@example.com", "github:octocat"),
        ({"GITHUB_ACTOR": "octocat"}, "alice@example.com", "git:alice@example.com"),  # not in Actions
        ({"GITLAB_CI": "true", "GITLAB_USER_EMAIL": "bob@example.com"}, None, "gitlab:bob@example.com"),
        ({"GITLAB_CI": "true", "CI_COMMIT_AUTHOR": "Bob <bob@example.com>"}, None, "gitlab:Bob <bob@example.com>"),
        ({}, "alice@example.com", "git:alice@example.com"),
        ({"LOGNAME": "droid-tester"}, None, "os:droid-tester"),
    ],
    ids=["github", "github actor outside actions", "gitlab user", "gitlab commit author", "git email", "os user"],
)
def test_who(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict, email: str | None, expected: str) -> None:
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("")
    monkeypatch.setitem(gitio._ENV, "GIT_CONFIG_GLOBAL", str(empty))  # the machine's own identity stays out
    monkeypatch.setitem(gitio._ENV, "GIT_CONFIG_NOSYSTEM", "1")
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, env.get(name, "droid-tester"))
    assert who(_git_repo(tmp_path / "repo", email), env=env) == expected


def test_module_imports_no_scanner_and_no_orchestrator() -> None:
    code = (
        "import sys, droids.security_compliance.audit_trail_sqlite as m; "
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('detect_secrets', 'orchestrator', 'langgraph')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
