"""Round trips from fills: flat to flat, a flip closes one trade and opens the next, fees counted;
equal to the simulator's own trades.csv on a simulated week."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from droids.monitoring.monitor import Monitor
from droids.monitoring.policy import MonitoringPolicy
from tests.conftest import REPO_ROOT
from trading_core.apex import journal_chunks, load_apex_policy, read_journal

APEX = load_apex_policy(REPO_ROOT / "policies")
T = "2026-03-09T10:00:{:02d}-04:00"


def _fills(rows: list[tuple[str, int, str, str]], tmp: Path) -> Monitor:
    path = tmp / "journal.csv"
    body = "".join(f"{T.format(i)},fill,{sym},{qty},{price},{fee}\n" for i, (sym, qty, price, fee) in enumerate(rows))
    path.write_text("ts,kind,symbol,qty,price,fee\n" + body)
    mon = Monitor(MonitoringPolicy(), APEX, scope="t")
    mon.feed(read_journal(path, instruments=APEX.instruments))
    return mon


@pytest.mark.parametrize(
    ("rows", "pnl", "open_qty"),
    [
        ([("ES", 1, "5000", "0"), ("ES", -1, "5001", "0")], [50.0], None),  # 4 ticks x $12.50
        ([("ES", 2, "5000", "1"), ("ES", -1, "5001", "1"), ("ES", -1, "4999", "1")], [-3.0], None),
        ([("ES", 1, "5000", "0"), ("ES", -2, "5002", "0"), ("ES", 1, "5001", "0")], [100.0, 50.0], None),  # flip
        ([("NQ", -1, "18000", "0"), ("NQ", 1, "17999", "0")], [20.0], None),
        ([("ES", 1, "5000", "0"), ("ES", 1, "5001", "0")], [], 2),  # still open: no trade yet
    ],
    ids=["long-win", "scale-out-loss", "flip", "short-win", "open"],
)
def test_round_trips(tmp_path: Path, rows, pnl, open_qty) -> None:
    mon = _fills(rows, tmp_path)
    assert mon.state.trade_pnl == pytest.approx(pnl)
    held = [p.qty for p in mon.book.open.values()]
    assert held == ([] if open_qty is None else [open_qty])


@pytest.mark.slow
def test_equal_to_the_simulators_trades(tmp_path: Path) -> None:
    from trading_core.sim import run_simulation

    result = run_simulation(REPO_ROOT / "policies", days=3, seed=11, out_dir=tmp_path)
    mon = Monitor(MonitoringPolicy(), APEX, scope="t")
    for chunk in journal_chunks(result.journal, instruments=APEX.instruments):
        mon.feed(chunk)
    with result.trades_file.open() as f:
        nets = [float(r["net"]) for r in csv.DictReader(f)]
    assert nets and mon.state.trade_pnl == pytest.approx(nets, abs=1e-9)
