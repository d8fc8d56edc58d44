"""MON009 Win-rate drift: the recent win rate is significantly below the strategy's own history.

An anomaly detector, relative where MON006 is absolute: the last `win_rate.window` trades against
every trade before them (at least `win_rate.drift_baseline_min`), a one-sided two-proportion z test;
it fires when p < `win_rate.drift_p` (default 0.001, so a normal week very rarely trips it: the
false-alarm rate on the simulator's normal weeks is in tests/benchmarks/README.md) and resolves when
the difference is no longer significant at 10 x that p.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules._wins import WinHistory
from droids.monitoring.rules.base import Signal, View, rule, schmitt

RULE = rule(
    "MON009",
    Severity.LOW,
    "Win-rate drift",
    __doc__,
    "Look for what changed (market regime, model, fills); compare recent fills with the backtest's.",
)


class WinRateDriftDetector:
    def __init__(self, policy: MonitoringPolicy) -> None:
        p = policy.win_rate
        self.window, self.base_min = p.window, p.drift_baseline_min
        self.z_fire = NormalDist().inv_cdf(p.drift_p)
        self.z_clear = NormalDist().inv_cdf(min(0.5, p.drift_p * 10))
        self.history = WinHistory(p.window)
        self.inside = False

    def feed(self, view: View) -> list[Signal]:
        import numpy as np

        t = view.trades
        if t is None or not len(t.pnl):
            return []
        joined, before_n, before_w = self.history.extend(t.pnl > 0)
        own = len(joined) - len(t.pnl)
        csum = np.concatenate(([0], np.cumsum(joined)))
        end = np.arange(own + 1, len(joined) + 1)
        total_n = before_n + end
        total_w = before_w + csum[end]
        w_n = np.minimum(end, self.window)
        recent_w = csum[end] - csum[end - w_n]
        base_n = total_n - w_n
        base_w = total_w - recent_w
        ok = (base_n >= self.base_min) & (w_n == self.window)
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled = total_w / total_n
            se = np.sqrt(pooled * (1 - pooled) * (1 / w_n + 1 / np.maximum(base_n, 1)))
            z = np.where(se > 0, (recent_w / w_n - base_w / np.maximum(base_n, 1)) / se, 0.0)
        enter = ok & (z < self.z_fire)
        leave = ok & (z > self.z_clear)
        at, firing, self.inside = schmitt(enter, leave, self.inside)
        out = []
        for i, f in zip(at.tolist(), firing.tolist(), strict=True):
            recent, base = float(recent_w[i] / w_n[i]), float(base_w[i] / max(base_n[i], 1))
            out.append(self._signal(t, int(i), bool(f), recent, base, float(z[i]), int(base_n[i])))
        return out

    def _signal(self, t: Any, i: int, firing: bool, recent: float, base: float, z: float, n: int) -> Signal:
        p = NormalDist().cdf(z)
        message = (
            f"win rate {recent:.0%} over the last {self.window} trades against {base:.0%} over the {n} before"
            f" (z {z:.2f}, one-sided p {p:.1e})"
            if firing
            else f"resolved: recent win rate {recent:.0%} no longer significantly below {base:.0%}"
        )
        return Signal(RULE.id, "win rate", firing, int(t.ts_us[i]), -1, round(recent, 4), round(base, 4), message)


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> WinRateDriftDetector:
    return WinRateDriftDetector(policy)
