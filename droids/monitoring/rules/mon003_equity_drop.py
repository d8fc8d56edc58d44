"""MON003 Equity drop: equity fell more than 5 % below its highest value of the last 5 minutes.

The seed's fast-loss alarm: a crash, a runaway order or a position on the wrong side moves equity
faster than the drawdown levels say. The window and the share are policies/monitoring.yaml
`equity_drop.window_s` / `share` (journal time); the episode ends when the drop from the window's
high is back under `equity_drop.resolve_share`.
"""

from __future__ import annotations

from typing import Any

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules.base import Signal, View, money, rule

RULE = rule(
    "MON003",
    Severity.HIGH,
    "Equity drop",
    __doc__,
    "Check open positions and working orders now; flatten what is not understood.",
)
_BUCKETS = 5  # the window is covered by this many buckets (plus the one in progress) for the bound


class EquityDropDetector:
    def __init__(self, policy: MonitoringPolicy) -> None:
        p = policy.equity_drop
        self.window_us = int(p.window_s * 1_000_000)
        self.share, self.resolve = p.share, p.resolve_share
        self.tail_ts: Any = None  # the last window of events of the chunks before
        self.tail_eq: Any = None
        self.inside = False

    def feed(self, view: View) -> list[Signal]:
        import numpy as np

        c = view.chunk
        if c is None or not len(c):
            return []
        ts = c.ts_us if self.tail_ts is None else np.concatenate((self.tail_ts, c.ts_us))
        eq = c.equity if self.tail_eq is None else np.concatenate((self.tail_eq, c.equity))
        own = len(ts) - len(c)  # where this chunk's events start
        bound = self._window_max_bound(ts, eq)
        found: list[Signal] = []
        # only events whose drop could exceed the share against an upper bound of the window's
        # high need the exact window; while an episode is open every event is checked for its end
        candidates = np.flatnonzero(eq[own:] < (1.0 - self.share) * bound[own:])
        i = 0
        n = len(c)
        while i < n:
            if not self.inside:
                k = int(np.searchsorted(candidates, i))
                if k == candidates.size:
                    break
                i = int(candidates[k])
            high = self._high(ts, eq, own + i)
            drop = (high - eq[own + i]) / high if high > 0 else 0.0
            if not self.inside and drop > self.share:
                self.inside = True
                found.append(self._signal(c, i, True, drop, high))
            elif self.inside and drop < self.resolve:
                self.inside = False
                found.append(self._signal(c, i, False, drop, high))
            i += 1
        keep = ts >= ts[-1] - self.window_us
        self.tail_ts, self.tail_eq = ts[keep], eq[keep]
        return found

    def _high(self, ts: Any, eq: Any, k: int) -> float:
        import numpy as np

        j = int(np.searchsorted(ts, ts[k] - self.window_us, side="left"))
        return float(eq[j : k + 1].max())

    def _window_max_bound(self, ts: Any, eq: Any) -> Any:
        """Per event, an upper bound of the highest equity in its window (maxima of the buckets it spans)."""
        import numpy as np

        width = max(self.window_us // _BUCKETS, 1)
        bucket = ts // width
        starts = np.flatnonzero(np.concatenate(([True], bucket[1:] != bucket[:-1])))
        ids, highs = bucket[starts], np.maximum.reduceat(eq, starts).astype(np.float64)
        per_bucket = highs.copy()
        for back in range(1, _BUCKETS + 1):
            k = np.searchsorted(ids, ids - back)
            hit = (k < ids.size) & (ids[np.minimum(k, ids.size - 1)] == ids - back)
            per_bucket[hit] = np.maximum(per_bucket[hit], highs[k[hit]])
        return np.repeat(per_bucket, np.diff(np.append(starts, len(ts))))

    def _signal(self, c: Any, i: int, firing: bool, drop: float, high: float) -> Signal:
        eq = int(c.equity[i])
        minutes = self.window_us / 60_000_000
        message = (
            f"equity {money(eq)} is {drop:.1%} below its high {money(high)} of the last {minutes:g} min"
            f" (limit {self.share:.0%})"
            if firing
            else f"resolved: equity {money(eq)} within {drop:.1%} of its {minutes:g}-minute high"
        )
        return Signal(
            RULE.id,
            "account",
            firing,
            int(c.ts_us[i]),
            c.offset + i,
            round(drop, 6),
            self.share,
            message,
            int(c.row[i]),
        )


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> EquityDropDetector:
    return EquityDropDetector(policy)
