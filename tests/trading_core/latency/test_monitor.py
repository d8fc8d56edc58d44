"""The degrade rule: consecutive overruns switch to degraded mode; market time brings it back."""

from __future__ import annotations

from tests.trading_core.data.conftest import POLICIES
from trading_core.latency.budgets import load_budgets
from trading_core.latency.monitor import LatencyMonitor

US = 1_000_000


def test_three_overruns_in_a_row_degrade_and_time_recovers() -> None:
    policy = load_budgets(POLICIES)
    m = LatencyMonitor(policy)
    slow = policy.budgets.onnx_p99_us * 1000 + 1
    assert m.observe(0, 10_000, slow) is None
    assert m.observe(1, 10_000, 1000) is None  # a fast tick resets the count
    notes = [m.observe(k, 10_000, slow) for k in range(2, 2 + policy.degrade.consecutive_overruns)]
    assert notes[:-1] == [None] * (len(notes) - 1) and notes[-1] is not None and "model" in notes[-1]
    assert m.degraded and m.degrade_count == 1
    assert not m.recover(m.degraded_until_us - 1)
    assert m.recover(m.degraded_until_us) and not m.degraded


def test_whole_tick_over_budget_counts_too() -> None:
    policy = load_budgets(POLICIES)
    m = LatencyMonitor(policy)
    over = policy.budgets.on_tick_p99_us * 1000 + 1
    notes = [m.observe(k, over, 0) for k in range(policy.degrade.consecutive_overruns)]
    assert notes[-1] is not None and "on_tick" in notes[-1]
    assert m.summary()["on_tick"]["count"] == policy.degrade.consecutive_overruns
