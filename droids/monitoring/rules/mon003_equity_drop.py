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
from droids.monitoring.rules.base import Signal, View, money, rule, schmitt

RULE = rule(
    "MON003",
    Severity.HIGH,
    "Equity drop",
    __doc__,
    "Check open positions and working orders now; flatten what is not understood.",
)
_BUCKETS = 5  # the window is covered by this many buckets (plus the one in progress) for the bound


class EquityDropDetector:
    """The window's high for every event, exactly and vectorised: with buckets of a fifth of the window,
    an event's window is the tail of the bucket five back (from the window's first event), the four
    buckets in between whole, and its own bucket up to it (running maxima within each bucket)."""

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
        own = len(ts) - len(c)
        high = window_high(ts, eq, self.window_us)[own:].astype(np.float64)
        drop = (high - c.equity) / np.maximum(high, 1.0)
        at, firing, self.inside = schmitt(drop > self.share, drop < self.resolve, self.inside)
        keep = ts >= ts[-1] - self.window_us
        self.tail_ts, self.tail_eq = ts[keep], eq[keep]
        return [
            self._signal(c, int(i), bool(f), float(drop[i]), float(high[i]))
            for i, f in zip(at.tolist(), firing.tolist(), strict=True)
        ]

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


def window_high(ts: Any, eq: Any, window_us: int) -> Any:
    """Per event i: max(eq[j..i]) over the events j with ts[j] >= ts[i] - window_us (ts sorted)."""
    import numpy as np

    width = max(window_us // _BUCKETS, 1)
    bucket = ts // width
    starts = np.flatnonzero(np.concatenate(([True], bucket[1:] != bucket[:-1])))
    seg = np.repeat(np.arange(starts.size), np.diff(np.append(starts, len(ts))))
    lo, hi = int(eq.min()), int(eq.max())
    span = hi - lo + 1
    shifted = (eq - lo) + seg * span  # segments ascend, so a running max restarts in each bucket
    prefix = np.maximum.accumulate(shifted) - seg * span + lo
    rev = (eq[::-1] - lo) + (seg.max() - seg[::-1]) * span
    suffix = (np.maximum.accumulate(rev) - (seg.max() - seg[::-1]) * span + lo)[::-1]
    ids, highs = bucket[starts], np.maximum.reduceat(eq, starts)
    best = prefix.copy()
    j = np.searchsorted(ts, ts - window_us, side="left")  # each window's first event
    earlier = seg[j] < seg
    best[earlier] = np.maximum(best[earlier], suffix[j[earlier]])
    first_bucket = bucket[j]
    for back in range(1, -(-window_us // width) + 1):  # the whole buckets after the first one's
        k = np.searchsorted(ids, ids - back)
        hit = (k < ids.size) & (ids[np.minimum(k, ids.size - 1)] == ids - back)
        per_bucket = np.where(hit, highs[np.minimum(k, ids.size - 1)], np.iinfo(np.int64).min)
        inside = bucket - back > first_bucket
        best = np.where(inside, np.maximum(best, per_bucket[seg]), best)
    return best


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> EquityDropDetector:
    return EquityDropDetector(policy)
