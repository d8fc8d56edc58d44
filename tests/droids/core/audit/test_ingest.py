"""`droid audit-log ingest FILE`: trading-core halts and kill-switch events into the real trail (both stores)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from droids.core.audit.ingest import (
    MAX_REASON,
    ingest_events_file,
    ingest_trading_events,
    read_trading_events,
)
from droids.core.errors import DroidError
from droids.core.registry import load_registry
from tests import secret_values as sv
from tests.conftest import REPO_ROOT, git
from tests.droids.core.audit.backends import BACKENDS, Backend, make_backend
from trading_core.market.instruments import load_instruments
from trading_core.risk.events import EventLog
from trading_core.sim.writers import SimWriters

HALT = {
    "ts": "2026-03-09T15:30:00-04:00",
    "kind": "halt",
    "reason": "daily loss limit reached",
    "state": "HALTED",
    "rule": "APX007",
}
KILL = {"ts": "2026-03-09T19:31:02.5Z", "kind": "kill_switch", "reason": "latency degraded", "state": "HALTED"}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    yield from make_backend(request.param, tmp_path / "repo")


def _jsonl(path: Path, *events: dict | str) -> Path:
    path.write_text("".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in events))
    return path


def _ingest(backend: Backend, path: Path):
    """As `droid audit-log ingest` does: with the registry's secret screen (the security droid's)."""
    screen = load_registry().service("secret-screen")
    with backend.open() as store:
        return ingest_trading_events(store, path, who="git:ops@example.com", head="b" * 40, screen=screen)


def test_events_become_verified_entries(backend: Backend, tmp_path: Path) -> None:
    result = _ingest(backend, _jsonl(tmp_path / "events.jsonl", HALT, "", KILL))
    assert (len(result.added), result.already) == (2, 0)
    with backend.open() as store:
        records = store.records()
        assert store.verify().ok
    halt, kill = records
    assert (halt.kind, halt.profile, halt.verdict, halt.counts) == ("halt", "trading-core", "halted", {"APX007": 1})
    assert (kill.kind, kill.verdict, kill.counts) == ("kill_switch", "halted", {})
    assert halt.details["ts"] == "2026-03-09T19:30:00.000000Z"  # UTC, whatever offset the file used
    assert kill.details["ts"] == "2026-03-09T19:31:02.500000Z"
    assert (halt.details["reason"], halt.details["state"], halt.details["source"]) == (
        "daily loss limit reached",
        "HALTED",
        "events.jsonl",
    )
    assert (halt.who, halt.head) == ("git:ops@example.com", "b" * 40)
    assert result.summary(tmp_path / "events.jsonl").endswith(f"newest entry {kill.seq}:{kill.hash}")


def test_ingesting_again_adds_only_new_events(backend: Backend, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "events.jsonl", HALT, KILL)
    _ingest(backend, path)
    again = _ingest(backend, path)
    assert (len(again.added), again.already) == (0, 2)
    grown = _jsonl(path, HALT, KILL, {**HALT, "ts": "2026-03-10T15:30:00-04:00"})
    more = _ingest(backend, grown)
    assert (len(more.added), more.already) == (1, 2)
    assert [r.seq for r in more.added] == [3]


def test_the_simulators_risk_events_csv_is_read_as_it_writes_it(tmp_path: Path) -> None:
    """Real trading-core writers: only halts and kill-switch events are sensitive operations."""
    out = tmp_path / "sim"
    writers = SimWriters(out, load_instruments(REPO_ROOT / "policies" / "instruments.yaml"), "America/New_York")
    log = EventLog(sink=writers.risk_event)
    t0 = int(dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC).timestamp() * 1_000_000)
    log.record(t0, "deny", "SEN004", "ES", "order of 12 contracts above the cap of 10")
    log.record(t0 + 1, "halt", "SEN005", "", "day loss $1,000.00 reached the limit; flatten all")
    log.record(t0 + 2, "flatten", "", "", "flatten 1 bracket(s)")
    log.record(t0 + 3, "resume", "SEN005", "", "a new trading day started")
    log.record(t0 + 4, "kill", "SEN001", "", "kill switch: operator; flatten all, cancel all, halt")
    writers.close()
    events = read_trading_events(out / "risk_events.csv")
    assert [(e.line, e.kind, e.rule, e.state) for e in events] == [
        (3, "halt", "SEN005", "HALTED"),
        (6, "kill_switch", "SEN001", "HALTED"),
    ]
    assert events[0].ts == "2026-03-09T14:00:00.000001Z"


SECRET = sv.aws_access_key(5)
BAD_LINES = [
    ("{not json", "events.jsonl:2: not JSON"),
    ("[1, 2]", "events.jsonl:2: expected a JSON object, got list"),
    ({k: v for k, v in HALT.items() if k != "state"}, "events.jsonl:2: state: missing"),
    ({**HALT, "symbol": "ES"}, "events.jsonl:2: symbol: unknown key"),
    ({**HALT, "kind": "deny"}, "events.jsonl:2: kind: expected one of halt, kill_switch, got 'deny'"),
    ({**HALT, "state": "halted"}, "events.jsonl:2: state: expected one of ACTIVE, REDUCING, HALTED"),
    ({**HALT, "ts": "2026-03-09T15:30:00"}, "events.jsonl:2: ts: expected ISO-8601 with an offset"),
    ({**HALT, "ts": "yesterday"}, "events.jsonl:2: ts: expected ISO-8601 with an offset"),
    ({**HALT, "reason": ""}, "events.jsonl:2: reason: expected a non-empty string"),
    ({**HALT, "reason": 42}, "events.jsonl:2: reason: expected a non-empty string, got 42"),
    ({**HALT, "reason": "x" * (MAX_REASON + 1)}, f"events.jsonl:2: reason: {MAX_REASON + 1} characters"),
    ({**HALT, "rule": "APX-7; drop"}, "events.jsonl:2: rule: expected a rule id"),
    ({**HALT, "reason": f"broker login failed with key {SECRET}"}, "events.jsonl:2: reason: holds what looks like"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES, ids=[m.split(": ", 1)[1] for _, m in BAD_LINES])
def test_a_bad_line_names_line_and_key_and_nothing_is_ingested(
    backend: Backend, tmp_path: Path, line: dict | str, message: str
) -> None:
    path = _jsonl(tmp_path / "events.jsonl", KILL, line, HALT)  # good events around it are not written either
    with pytest.raises(DroidError) as err:
        _ingest(backend, path)
    assert str(err.value).startswith(f"{path.parent}/{message}"), str(err.value)
    assert SECRET not in str(err.value) and "\n" not in str(err.value)
    with backend.open() as store:
        assert store.verify().count == 0


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("events.txt", "", "unknown event file format '.txt'; expected .jsonl or .csv"),
        ("risk_events.csv", "ts,kind,reason\n", "risk_events.csv:1: rule: missing column"),
        ("events.jsonl", b"\xff\xfe", "cannot read the event file"),
    ],
)
def test_unreadable_files_are_one_clear_line(tmp_path: Path, name: str, text: str | bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(DroidError, match=message):
        read_trading_events(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DroidError, match=r"nope\.jsonl: cannot read the event file"):
        read_trading_events(tmp_path / "nope.jsonl")


def test_the_cli_entry_checks_the_file_before_opening_the_trail(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`droid audit-log ingest FILE` on a real repo: who and HEAD come from it; bad input creates nothing."""
    monkeypatch.delenv("DROID_AUDIT_URL", raising=False)
    with pytest.raises(DroidError, match=r"events\.jsonl:1: kind"):
        ingest_events_file(git_repo, _jsonl(tmp_path / "events.jsonl", {**HALT, "kind": "crash"}))
    assert not (git_repo / ".droid").exists()
    result = ingest_events_file(git_repo, _jsonl(tmp_path / "events.jsonl", HALT))
    (entry,) = result.added
    assert (entry.who, entry.head) == ("git:dev@example.com", git(git_repo, "rev-parse", "HEAD").strip())
    assert (git_repo / ".droid" / "audit.db").is_file()
