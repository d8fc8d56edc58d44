"""The audit trail against both stores (real SQLite files; a real PostgreSQL server when
DROID_TEST_POSTGRES_URL is set, else those cases skip), real git repos and real concurrent processes."""

from __future__ import annotations

import itertools
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from droids.core.audit import postgres_store as audit_trail_postgres
from droids.core.audit.anchor import anchors_dir
from droids.core.audit.sqlite_store import SQLiteAuditStore
from droids.core.audit.trail import GENESIS, AuditRecord, NoAuditTrail, entry_hash, open_store, who
from droids.core.errors import DroidError
from tests.droids.core.audit.backends import (
    BACKENDS,
    PG_ENV,
    PG_SKIP,
    Backend,
    PostgresBackend,
    SQLiteBackend,
    make_backend,
)

# Entry 3 blocks with two SEC001 findings; the others pass clean.
ENTRIES = [
    {"kind": "gate", "profile": "pre-commit", "verdict": "pass", "counts": {}},
    {"kind": "gate", "profile": "ci", "verdict": "warn", "counts": {"SEC001": 1}},
    {"kind": "gate", "profile": "pre-commit", "verdict": "block", "counts": {"SEC001": 2}},
    {"kind": "audit", "profile": "audit", "verdict": "pass", "counts": {}},
    {"kind": "audit", "profile": "audit", "verdict": "pass", "counts": {}, "details": {"droids": 1}},
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    yield from make_backend(request.param, tmp_path)


@pytest.fixture
def sqlite_backend(tmp_path: Path) -> SQLiteBackend:
    return SQLiteBackend(tmp_path)


@pytest.fixture
def pg_backend(tmp_path: Path) -> Iterator[Backend]:
    if not os.environ.get(PG_ENV):
        pytest.skip(PG_SKIP)
    yield from make_backend("postgresql", tmp_path)


def _fill(backend: Backend) -> list[AuditRecord]:
    with backend.open() as store:
        return [store.append(who="git:alice@example.com", head="a" * 40, **e) for e in ENTRIES]


# --- tampering: an attacker with raw access to the store and the append-only triggers out of the way ---


def _rewrite(b: Backend, old_seq: int, **changes: object) -> None:
    """Replace entry `old_seq` by a copy with `changes`, its hash recomputed so it is self-consistent."""
    row = {**b.row(old_seq), **changes}
    row["hash"] = entry_hash(row)
    b.tamper(("DELETE FROM audit_entries WHERE seq = ?", (old_seq,)))
    b.insert_raw(row)


def _swap_seqs(b: Backend, rehash: bool) -> None:
    two, three = b.row(2), b.row(3)
    b.tamper("DELETE FROM audit_entries WHERE seq IN (2, 3)")
    for row, seq in ((three, 2), (two, 3)):
        row["seq"] = seq
        if rehash:
            row["hash"] = entry_hash(row)
        b.insert_raw(row)


def _forge_after(b: Backend, seq: int, prev_hash: str | None = None, hash_: str | None = None) -> dict:
    prev = b.row(seq - 1)
    row = {**prev, "seq": seq, "verdict": "pass", "counts": {}, "prev_hash": prev_hash or prev["hash"]}
    row["hash"] = hash_ or entry_hash(row)
    return row


TAMPER_CASES: list[tuple[str, Callable[[Backend], None], int, str]] = [
    (
        "verdict changed",
        lambda b: b.tamper("UPDATE audit_entries SET verdict = 'pass' WHERE seq = 3"),
        3,
        "entry 3: content changed (hash mismatch)",
    ),
    (
        "count changed",
        lambda b: b.tamper("""UPDATE audit_entries SET counts = '{"SEC001":0}' WHERE seq = 3"""),
        3,
        "entry 3: content changed (hash mismatch)",
    ),
    (
        "counts made unreadable",
        lambda b: b.tamper("UPDATE audit_entries SET counts = '{not json' WHERE seq = 2"),
        2,
        "entry 2: content changed (hash mismatch)",
    ),
    (
        "who changed",
        lambda b: b.tamper("UPDATE audit_entries SET who = 'git:mallory@example.com' WHERE seq = 1"),
        1,
        "entry 1: content changed (hash mismatch)",
    ),
    (
        "head nulled",
        lambda b: b.tamper("UPDATE audit_entries SET head = NULL WHERE seq = 4"),
        4,
        "entry 4: content changed (hash mismatch)",
    ),
    (
        "stored hash replaced",
        lambda b: b.tamper(("UPDATE audit_entries SET hash = ? WHERE seq = 3", ("f" * 64,))),
        3,
        "entry 3: content changed (hash mismatch)",
    ),
    (
        "prev_hash changed",
        lambda b: b.tamper(("UPDATE audit_entries SET prev_hash = ? WHERE seq = 3", ("1" * 64,))),
        3,
        "entry 3: content changed (hash mismatch)",
    ),
    (
        "verdict changed and its hash recomputed",
        lambda b: _rewrite(b, 3, verdict="pass", counts={}),
        4,
        "entry 4: chain broken (prev_hash does not match entry 3)",
    ),
    (
        "first entry rewritten with a new prev_hash",
        lambda b: _rewrite(b, 1, prev_hash="1" * 64),
        1,
        "entry 1: chain broken (prev_hash does not match the genesis value (64 zeros))",
    ),
    (
        "middle entry deleted",
        lambda b: b.tamper("DELETE FROM audit_entries WHERE seq = 3"),
        3,
        "entry 3: deleted (seq gap 2 -> 4)",
    ),
    (
        "two entries deleted",
        lambda b: b.tamper("DELETE FROM audit_entries WHERE seq IN (2, 3)"),
        2,
        "entries 2-3: deleted (seq gap 1 -> 4)",
    ),
    (
        "first entry deleted",
        lambda b: b.tamper("DELETE FROM audit_entries WHERE seq = 1"),
        1,
        "entry 1: deleted (seq gap 0 -> 2)",
    ),
    ("reordered by swapping seq", lambda b: _swap_seqs(b, rehash=False), 2, "entry 2: content changed (hash mismatch)"),
    (
        "reordered, both hashes recomputed",
        lambda b: _swap_seqs(b, rehash=True),
        2,
        "entry 2: chain broken (prev_hash does not match entry 1)",
    ),
    (
        "forged entry appended with a made-up hash",
        lambda b: b.insert_raw(_forge_after(b, 6, hash_="e" * 64)),
        6,
        "entry 6: content changed (hash mismatch)",
    ),
    (
        "forged entry appended linking to the wrong entry",
        lambda b: b.insert_raw(_forge_after(b, 6, prev_hash=b.row(2)["hash"])),
        6,
        "entry 6: chain broken (prev_hash does not match entry 5)",
    ),
    (
        "forged entry inserted in the middle, later seqs shifted",
        lambda b: (
            (forged := _forge_after(b, 4)),
            b.tamper(*(("UPDATE audit_entries SET seq = ? WHERE seq = ?", (s + 1, s)) for s in (5, 4))),
            b.insert_raw(forged),
        ),
        5,
        "entry 5: content changed (hash mismatch)",
    ),
    (
        "forged entry before the first",
        lambda b: b.insert_raw({**_forge_after(b, 2), "seq": 0}),
        0,
        "entry 0: forged (seq 0 precedes the first entry, 1)",
    ),
]


@pytest.mark.parametrize(
    ("tamper", "first_bad", "reason"), [c[1:] for c in TAMPER_CASES], ids=[c[0] for c in TAMPER_CASES]
)
def test_verify_names_the_tampered_entry(
    backend: Backend, tamper: Callable[[Backend], None], first_bad: int, reason: str
) -> None:
    _fill(backend)
    tamper(backend)
    with backend.open() as store:
        result = store.verify()
        assert (result.ok, result.first_bad, result.reason) == (False, first_bad, reason)
        assert store.export().count("\n") == result.count  # export still shows what is stored


def test_untouched_chain_links_and_verifies(backend: Backend) -> None:
    appended = _fill(backend)
    assert [r.seq for r in appended] == [1, 2, 3, 4, 5]
    assert appended[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(appended))
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.time) for r in appended)
    with backend.open(create=False) as store:  # a fresh connection reads what was written
        assert store.records() == appended
        result = store.verify()
        assert (result.ok, result.count, result.first_bad, result.reason) == (True, 5, None, "")
        assert (result.newest_seq, result.newest_hash) == (5, appended[-1].hash)
        assert store.verify(anchor=(3, appended[2].hash)).ok


def test_records_since_and_limit(backend: Backend) -> None:
    appended = _fill(backend)
    with backend.open() as store:
        assert [r.seq for r in store.records(since=3)] == [3, 4, 5]
        assert [r.seq for r in store.records(limit=2)] == [1, 2]
        assert [r.seq for r in store.records(since=2, limit=2)] == [2, 3]
        assert store.records(since=appended[0].time[:10]) == appended  # a date keeps that whole day
        assert store.records(since="2999-01-01") == []


def test_export_is_json_lines_with_hashes(backend: Backend) -> None:
    appended = _fill(backend)
    with backend.open() as store:
        lines = store.export().splitlines()
    assert [json.loads(line) for line in lines] == [r.as_dict() for r in appended]
    assert all(entry_hash(json.loads(line)) == json.loads(line)["hash"] for line in lines)


def test_both_stores_seal_the_same_entry_alike(tmp_path: Path) -> None:
    """The hash covers content, not storage: an export from one store verifies as the other's."""
    if not os.environ.get(PG_ENV):
        pytest.skip(PG_SKIP)
    exports = []
    for name in ("sqlite", "postgresql"):
        for b in make_backend(name, tmp_path / name):
            _fill(b)
            with b.open() as store:
                exports.append(
                    [
                        {k: v for k, v in json.loads(line).items() if k not in ("time", "hash", "prev_hash")}
                        for line in store.export().splitlines()
                    ]
                )
    assert exports[0] == exports[1]


@pytest.mark.parametrize(
    ("tamper", "anchored_ok", "reason"),
    [
        (lambda b: None, True, ""),
        (lambda b: b.tamper("DELETE FROM audit_entries WHERE seq = 5"), False, "entry 5: deleted"),
        (lambda b: _rewrite(b, 5, verdict="block"), False, "entry 5: rewritten (hash differs from the anchor)"),
    ],
    ids=["untouched", "newest deleted", "newest rewritten and rehashed"],
)
def test_a_hand_given_anchor_still_checks_its_entry(
    backend: Backend, tamper: Callable[[Backend], None], anchored_ok: bool, reason: str
) -> None:
    anchor = (5, _fill(backend)[-1].hash)
    tamper(backend)
    for path in anchors_dir().glob("*.json"):  # a machine that never wrote to the trail: no automatic anchor
        path.unlink()
    with backend.open() as store:
        assert store.verify().ok  # the chain alone cannot see it (test_anchoring.py: what does)
        result = store.verify(anchor=anchor)
    assert result.ok is anchored_ok
    assert result.reason.startswith(reason)
    assert result.first_bad == (None if anchored_ok else 5)


@pytest.mark.parametrize("sql", ["UPDATE audit_entries SET verdict = 'pass'", "DELETE FROM audit_entries"])
def test_sqlite_triggers_refuse_update_and_delete(sqlite_backend: SQLiteBackend, sql: str) -> None:
    _fill(sqlite_backend)
    con = sqlite3.connect(sqlite_backend.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute(sql)
    con.close()
    with sqlite_backend.open() as store:
        assert store.verify().ok


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_entries SET verdict = 'pass'", "DELETE FROM audit_entries", "TRUNCATE audit_entries"]
)
def test_postgres_triggers_refuse_update_delete_and_truncate(pg_backend: PostgresBackend, sql: str) -> None:
    import psycopg

    _fill(pg_backend)
    with pg_backend.connect() as con, pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        con.execute(sql)
    with pg_backend.open() as store:
        assert (store.verify().ok, store.verify().count) == (True, 5)


APPENDER = """
import sys, time
from pathlib import Path
from droids.core.audit.trail import open_store
repo, proc, go = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
Path(f"{go}.ready{proc}").touch()
while not go.exists():
    time.sleep(0.005)
with open_store(repo) as store:
    for n in range(20):
        store.append(kind="gate", profile="ci", verdict="pass", counts={"SEC001": n}, who=f"os:p{proc}",
                     head=None, details={"proc": proc, "n": n})
"""


def test_concurrent_processes_lose_nothing_and_keep_one_chain(backend: Backend, tmp_path: Path) -> None:
    go = tmp_path / "go"
    env = {**os.environ, "DROID_AUDIT_URL": backend.url}  # the URL goes by environment, never argv (ps shows argv)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(backend.repo), str(i), str(go)], stderr=subprocess.PIPE, env=env
        )
        for i in range(6)
    ]
    deadline = time.monotonic() + 60  # every interpreter is up, so they all race for the new trail at once
    while len(list(tmp_path.glob("go.ready*"))) < 6 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    with backend.open() as store:
        records = store.records()
        result = store.verify()
    assert (result.ok, result.count) == (True, 120), result.reason
    assert [r.seq for r in records] == list(range(1, 121))
    assert sorted((r.details["proc"], r.details["n"]) for r in records) == [(p, n) for p in range(6) for n in range(20)]


def test_postgres_writer_waits_for_the_lock_then_fails_cleanly(
    pg_backend: PostgresBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(pg_backend)
    monkeypatch.setattr(audit_trail_postgres, "LOCK_TIMEOUT_S", 1)
    with pg_backend.connect() as holder, holder.transaction():
        holder.execute("LOCK TABLE audit_entries IN EXCLUSIVE MODE")  # another writer mid-append
        with pg_backend.open() as store:
            assert len(store.records()) == 5  # readers are not blocked
            started = time.monotonic()
            with pytest.raises(DroidError, match=r"^DROID_AUDIT_URL \(postgresql\): cannot append .*lock timeout"):
                store.append(kind="gate", profile="ci", verdict="pass", counts={}, who="os:x", head=None)
            assert time.monotonic() - started >= 0.9
    with pg_backend.open() as store:
        assert (store.verify().ok, store.verify().count) == (True, 5)
        assert store.append(kind="gate", profile="ci", verdict="pass", counts={}, who="os:x", head=None).seq == 6


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


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            [
                "CREATE TABLE audit_meta (key TEXT PRIMARY KEY, value TEXT)",
                "CREATE TABLE audit_entries (seq BIGINT PRIMARY KEY)",
                "INSERT INTO audit_meta VALUES ('schema', 'droid-audit/99')",
            ],
            "audit trail schema 'droid-audit/99'; expected 'droid-audit/1'",
        ),
        (["CREATE TABLE audit_entries (seq BIGINT PRIMARY KEY)"], "audit_entries exists without audit_meta"),
    ],
    ids=["newer schema", "foreign audit_entries"],
)
def test_postgres_open_errors_are_one_clear_line(pg_backend: PostgresBackend, sql: list[str], message: str) -> None:
    with pg_backend.connect() as con:
        for statement in sql:
            con.execute(statement)
    with pytest.raises(DroidError, match=message) as err:
        pg_backend.open()
    assert str(err.value).startswith("DROID_AUDIT_URL (postgresql): ") and "\n" not in str(err.value)


def test_parent_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".droid").write_text("")
    with pytest.raises(DroidError, match=r"\.droid/audit\.db: cannot open the audit trail"):
        open_store(tmp_path, url="")


def test_readers_do_not_create_a_trail(backend: Backend) -> None:
    with pytest.raises(NoAuditTrail, match="no audit trail here"):
        backend.open(create=False)
    assert not (backend.repo / ".droid").exists()
    with backend.open() as store:  # a writer does; then the reader finds it
        store.append(kind="audit", profile="audit", verdict="pass", counts={}, who="os:x", head=None)
    with backend.open(create=False) as store:
        assert store.verify().count == 1


def test_malformed_row_makes_records_point_at_verify(backend: Backend) -> None:
    _fill(backend)
    backend.tamper("UPDATE audit_entries SET details = '[1, 2]' WHERE seq = 2")
    with backend.open() as store, pytest.raises(DroidError, match=r"entry 2 is malformed .*audit-log verify"):
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
def test_malformed_entries_are_refused_and_nothing_is_written(backend: Backend, bad: dict) -> None:
    entry = {"kind": "gate", "profile": "ci", "verdict": "pass", "counts": {}, "who": "os:x", "head": None, **bad}
    with backend.open() as store:
        with pytest.raises(ValueError, match=r"^audit entry: "):
            store.append(**entry)
        assert store.verify().count == 0


def test_open_store_takes_the_url_from_the_environment(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DROID_AUDIT_URL", backend.url)
    with open_store(backend.repo) as store:
        store.append(kind="audit", profile="audit", verdict="pass", counts={}, who="os:x", head=None)
        kind = type(store).__name__
    assert kind == {"sqlite": "SQLiteAuditStore", "postgresql": "PostgresAuditStore"}[backend.name]
    assert (backend.repo / ".droid" / "audit.db").is_file() is (backend.name == "sqlite")


PASSWORD = "".join(["hunter", "2", "pw", "%40x"])  # built from parts; percent-encoded '@' as in a real URL
UNREACHABLE = "127.0.0.1:1"  # nothing listens on port 1: a real, fast connection failure


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"postgresql://auditor:{PASSWORD}@{UNREACHABLE}/droid", "cannot connect to the audit server"),
        (f"postgres://auditor:{PASSWORD}@{UNREACHABLE}/droid", "cannot connect to the audit server"),
        (f"postgresql://auditor@{UNREACHABLE}/droid?password={PASSWORD}", "cannot connect to the audit server"),
        (f"postgresql://auditor:{PASSWORD}@[::1/droid", "cannot connect to the audit server"),  # libpq quotes it
        (f"postgresql://auditor:{PASSWORD}@{UNREACHABLE}/droid?sslmod=require", "cannot connect to the audit server"),
        (f"mysql://auditor:{PASSWORD}@127.0.0.1/droid", "unsupported scheme 'mysql'"),
        (f"host=127.0.0.1 password={PASSWORD}", r"unsupported scheme \(not a URL\)"),
    ],
    ids=[
        "refused",
        "postgres scheme",
        "password in query",
        "malformed host",
        "unknown parameter",
        "mysql",
        "key=value",
    ],
)
def test_audit_url_errors_never_echo_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    monkeypatch.setenv("DROID_AUDIT_URL", url)
    with pytest.raises(DroidError, match=message) as err:
        open_store(tmp_path)
    text = str(err.value)
    assert PASSWORD not in text and "hunter2pw@x" not in text and url not in text
    assert text.startswith("DROID_AUDIT_URL") and "\n" not in text
    assert not (tmp_path / ".droid").exists()


def test_wrong_password_against_the_real_server_is_not_echoed(pg_backend: PostgresBackend) -> None:
    real = pg_backend.url
    userinfo = real.split("://", 1)[1].split("@", 1)[0]
    wrong = real.replace(userinfo, userinfo.split(":")[0] + ":" + PASSWORD, 1)
    with pytest.raises(DroidError, match="password authentication failed") as err:
        open_store(pg_backend.repo, wrong)
    assert PASSWORD not in str(err.value) and "hunter2pw@x" not in str(err.value)
    assert userinfo.split(":")[1] not in str(err.value)


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
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))  # the machine's own identity stays out
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, env.get(name, "droid-tester"))
    assert who(_git_repo(tmp_path / "repo", email), env=env) == expected


def test_module_imports_no_scanner_no_orchestrator_and_no_driver() -> None:
    code = (
        "import sys, droids.core.audit.sqlite_store, droids.core.audit.postgres_store; "
        "print(sorted(n for n in sys.modules if n.split('.')[0] in "
        "('detect_secrets', 'orchestrator', 'langgraph', 'psycopg')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_missing_driver_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` now raises ImportError
    with pytest.raises(DroidError, match=r"^DROID_AUDIT_URL \(postgresql\): the PostgreSQL driver is not installed"):
        open_store(tmp_path, f"postgresql://auditor:{PASSWORD}@{UNREACHABLE}/droid")


@pytest.mark.parametrize("how", ["committed", "symlinked"])
def test_a_dot_droid_the_repository_supplies_never_holds_the_trail(git_repo: Path, tmp_path: Path, how: str) -> None:
    """A trail the audited repository commits (or links to) could be forged to taste before droid
    first appends to it: the local trail lives in the user's state folder instead."""
    from droids.core.settings import outside_state_dir

    if how == "committed":
        (git_repo / ".droid").mkdir()
        (git_repo / ".droid" / "audit.db").write_bytes(b"planted")
        subprocess.run(["git", "-C", str(git_repo), "add", "-f", ".droid"], check=True)
    else:
        (tmp_path / "elsewhere").mkdir()
        (git_repo / ".droid").symlink_to(tmp_path / "elsewhere")
    with open_store(git_repo) as store:
        store.append(kind="gate", profile="ci", verdict="pass", counts={}, who="git:a@example.com", head=None)
        assert store.location == str(outside_state_dir(git_repo) / "audit.db")
    assert (outside_state_dir(git_repo) / "audit.db").is_file()
    assert not (tmp_path / "elsewhere" / "audit.db").exists()
    if how == "committed":
        assert (git_repo / ".droid" / "audit.db").read_bytes() == b"planted"
