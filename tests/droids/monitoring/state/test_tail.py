"""Following a journal as it grows: complete rows only, the trading core's messages with the followed
file's own row numbers, disorder across polls, stable symbol codes; the same numbers as one read."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.monitoring.monitor import Monitor
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.state.tail import JournalTail
from tests.conftest import REPO_ROOT
from trading_core.apex import load_apex_policy, read_journal

APEX = load_apex_policy(REPO_ROOT / "policies")
ROWS = [
    "2026-03-09T10:00:00-04:00,fill,ES,1,5000.00,2.14",
    "2026-03-09T10:00:01-04:00,mark,NQ,,18000.00,",
    "2026-03-09T10:00:02-04:00,fill,NQ,-1,18000.25,2.14",
    "2026-03-09T10:00:03-04:00,mark,ES,,4990.00,",
    "2026-03-09T10:00:04-04:00,fill,ES,-1,4991.00,2.14",
    "2026-03-09T10:00:05-04:00,fill,NQ,1,17990.00,2.14",
]


def _tail(path: Path, tmp: Path) -> JournalTail:
    return JournalTail(path, APEX.instruments, tmp / "scratch")


def test_rows_arrive_as_they_are_completed(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    path.write_text("ts,kind,symbol,qty,price,fee\n")
    tail = _tail(path, tmp_path)
    mon = Monitor(MonitoringPolicy(), APEX, scope="t")
    assert list(tail.poll()) == []
    with path.open("a") as f:
        f.write(ROWS[0] + "\n" + ROWS[1][:15])  # the second row is still being written
    got = list(tail.poll())
    assert [len(c) for c in got] == [1]
    mon.feed(got[0])
    with path.open("a") as f:
        f.write(ROWS[1][15:] + "\n" + "\n".join(ROWS[2:]) + "\n")
    rest = list(tail.poll())
    assert sum(len(c) for c in rest) == 5
    assert rest[0].symbols == ("ES", "NQ") and rest[0].row.tolist()[0] == 1
    for c in rest:
        mon.feed(c)
    whole = tmp_path / "whole.csv"
    whole.write_text(path.read_text())
    ref = Monitor(MonitoringPolicy(), APEX, scope="t")
    ref.feed(read_journal(whole, instruments=APEX.instruments))
    assert mon.state.equity == ref.state.equity
    assert mon.state.trade_pnl == ref.state.trade_pnl
    assert len(mon.state.trade_pnl) == 2


@pytest.mark.parametrize(
    ("appended", "message"),
    [
        ("2026-03-09T10:00:09-04:00,fill,ES,1,0,\n", "journal.csv: row 4: price: expected a positive price, got 0"),
        ("2026-03-09T10:00:09-04:00,fill,XX,1,5000,\n", "journal.csv: row 4: symbol: unknown instrument 'XX'"),
        ("2026-03-09T10:00:09,fill,ES,1,5000,\n", "journal.csv: row 4: ts: naive timestamp"),
        ("2026-03-09T09:00:00-04:00,mark,ES,,5000,\n", "journal.csv: row 4: ts: 2026-03-09T13:00:00Z is earlier"),
    ],
    ids=["price", "symbol", "naive", "disorder"],
)
def test_a_bad_appended_row_is_named_by_its_row(tmp_path: Path, appended: str, message: str) -> None:
    path = tmp_path / "journal.csv"
    path.write_text("ts,kind,symbol,qty,price,fee\n" + "\n".join(ROWS[:2]) + "\n")
    tail = _tail(path, tmp_path)
    assert sum(len(c) for c in tail.poll()) == 2
    with path.open("a") as f:
        f.write(appended)
    with pytest.raises(DroidError) as err:
        list(tail.poll())
    assert message in str(err.value)
    assert str(tail.scratch) not in str(err.value)


def test_parquet_cannot_be_followed(tmp_path: Path) -> None:
    with pytest.raises(DroidError, match=r"cannot follow a \.parquet file"):
        _tail(tmp_path / "journal.parquet", tmp_path)


def test_a_truncated_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    path.write_text("ts,kind,symbol,qty,price,fee\n" + "\n".join(ROWS) + "\n")
    tail = _tail(path, tmp_path)
    list(tail.poll())
    path.write_text("ts,kind,symbol,qty,price,fee\n")
    with pytest.raises(DroidError, match="replaced or truncated"):
        list(tail.poll())


def test_json_lines_are_followed_too(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"ts": "2026-03-09T10:00:00-04:00", "kind": "fill", "symbol": "ES", "qty": 1, "price": 5000}\n')
    tail = _tail(path, tmp_path)
    assert sum(len(c) for c in tail.poll()) == 1
    with path.open("a") as f:
        f.write('{"ts": "2026-03-09T10:00:01-04:00", "kind": "mark", "symbol": "ES", "price": 0}\n')
    with pytest.raises(DroidError, match=r"journal.jsonl: line 2: price"):
        list(tail.poll())
