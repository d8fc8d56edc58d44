"""Sharpe, Sortino and Calmar equal empyrical-reloaded's to 1e-9 on the same daily returns; SQN by hand;
intraday events are folded into trading days before any ratio is annualised."""

from __future__ import annotations

import math

import numpy as np
import pytest

from droids.monitoring.state import metrics

empyrical = pytest.importorskip("empyrical")

RETURNS = {
    "mixed": np.random.default_rng(1).normal(0.001, 0.01, 250),
    "short": np.array([0.01, -0.02, 0.005, 0.0, 0.013]),
    "losing": np.random.default_rng(2).normal(-0.002, 0.02, 60),
    "two": np.array([0.01, -0.01]),
}


@pytest.mark.parametrize("name", RETURNS)
def test_ratios_equal_empyrical(name: str) -> None:
    r = RETURNS[name]
    assert metrics.sharpe(r) == pytest.approx(empyrical.sharpe_ratio(r), abs=1e-9, rel=1e-9)
    assert metrics.sortino(r) == pytest.approx(empyrical.sortino_ratio(r), abs=1e-9, rel=1e-9)
    assert metrics.calmar(r) == pytest.approx(empyrical.calmar_ratio(r), abs=1e-9, rel=1e-9)
    assert metrics.max_drawdown(r) == pytest.approx(empyrical.max_drawdown(r), abs=1e-12)


@pytest.mark.parametrize(
    ("returns", "sharpe", "sortino", "calmar"),
    [
        ([0.01], None, None, None),  # one day: no dispersion
        ([0.01, 0.01, 0.01], None, None, None),  # no variation, no loss
        ([0.01, 0.02], 1.5 * math.sqrt(2) * math.sqrt(252), None, None),  # no losing day: no downside, no drawdown
    ],
)
def test_undefined_ratios_are_none(returns, sharpe, sortino, calmar) -> None:
    got = (metrics.sharpe(returns), metrics.sortino(returns), metrics.calmar(returns))
    assert got[1:] == (sortino, calmar)
    assert (got[0] is None) == (sharpe is None)
    if sharpe is not None:
        assert got[0] == pytest.approx(sharpe)


def test_daily_returns_start_from_the_starting_balance() -> None:
    r = metrics.daily_returns([51_000, 50_490], 50_000)
    assert r.tolist() == pytest.approx([0.02, -0.01])


def test_sqn_is_van_tharps() -> None:
    pnl = [100, -50, 75, -25, 60]
    expected = math.sqrt(5) * np.mean(pnl) / np.std(pnl, ddof=1)
    assert metrics.sqn(pnl) == pytest.approx(expected)
    many = list(range(1, 300))
    assert metrics.sqn(many) == pytest.approx(10 * np.mean(many) / np.std(many, ddof=1))  # n capped at 100


def test_intraday_events_make_one_return_per_trading_day() -> None:
    """Many marks in one CME session give one daily return, not one per event (no intraday annualising)."""
    from droids.monitoring.monitor import Monitor
    from droids.monitoring.policy import MonitoringPolicy
    from tests.conftest import REPO_ROOT
    from tests.droids.monitoring.state.chunks import journal_of
    from trading_core.apex import load_apex_policy

    # 3 sessions: marks every 20 minutes from Monday 10:00 ET for 50 hours (to Wednesday noon)
    journal = journal_of([5000 + (i % 7) for i in range(150)], step_s=1200)
    mon = Monitor(MonitoringPolicy(), load_apex_policy(REPO_ROOT / "policies"), scope="t")
    mon.feed(journal)
    assert list(mon.state.closes) == ["2026-03-09", "2026-03-10", "2026-03-11"]
    assert mon.state.as_dict()["performance"]["trading_days"] == 3
