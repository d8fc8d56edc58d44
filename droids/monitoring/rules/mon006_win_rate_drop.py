"""MON006 Win-rate drop: the win rate of the last closed trades fell below the policy's floor.

A scalper lives on its hit rate: policies/monitoring.yaml `win_rate.window` trades (default 50, once
`win_rate.min_trades` have closed) winning less than `win_rate.floor` (default 30 %) means the edge
is gone or something trades against it. A trade is a round trip from flat to flat in the journal's
fills; a win made money after fees. The episode ends when the window's rate is back 5 points above
the floor.
"""

from __future__ import annotations

from typing import Any

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules._wins import WinHistory
from droids.monitoring.rules.base import Signal, View, rule, schmitt

RULE = rule(
    "MON006",
    Severity.MEDIUM,
    "Win-rate drop",
    __doc__,
    "Compare recent trades with the backtest; pause the strategy if the market regime changed.",
)


class WinRateDropDetector:
    def __init__(self, policy: MonitoringPolicy) -> None:
        p = policy.win_rate
        self.window, self.min_trades, self.floor = p.window, p.min_trades, p.floor
        self.history = WinHistory(p.window)
        self.inside = False

    def feed(self, view: View) -> list[Signal]:
        import numpy as np

        t = view.trades
        if t is None or not len(t.pnl):
            return []
        joined, before_n, _ = self.history.extend(t.pnl > 0)
        csum = np.concatenate(([0], np.cumsum(joined)))
        own = len(joined) - len(t.pnl)
        end = np.arange(own + 1, len(joined) + 1)  # trades in `joined` up to each new one
        start = np.maximum(end - self.window, 0)
        count = end - start
        rate = (csum[end] - csum[start]) / count
        enough = (before_n + end) >= self.min_trades
        enter = enough & (rate < self.floor)
        leave = enough & (rate >= self.floor + 0.05)
        at, firing, self.inside = schmitt(enter, leave, self.inside)
        return [
            self._signal(t, int(i), bool(f), float(rate[i]), int(count[i]))
            for i, f in zip(at.tolist(), firing.tolist(), strict=True)
        ]

    def _signal(self, t: Any, i: int, firing: bool, rate: float, n: int) -> Signal:
        message = (
            f"win rate {rate:.0%} over the last {n} trades, below the floor {self.floor:.0%}"
            if firing
            else f"resolved: win rate back to {rate:.0%} over the last {n} trades"
        )
        return Signal(RULE.id, "win rate", firing, int(t.ts_us[i]), -1, round(rate, 4), self.floor, message)


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> WinRateDropDetector:
    return WinRateDropDetector(policy)
