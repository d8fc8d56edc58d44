"""MON007 Unusual drawdown: the drawdown left its Bollinger band.

An anomaly detector on the drawdown itself (a share of the allowed drawdown, sampled once per
`bands.sample_s` of journal time): a sample above the mean + `bands.k` standard deviations of the
previous `bands.window` samples, and at least `bands.min_share` of the allowed drawdown, is a
drawdown unlike the strategy's usual ones, before it reaches the Apex warning level. The episode ends
when a sample is back inside the band. Its false-alarm rate on the simulator's normal weeks is in
tests/benchmarks/README.md.
"""

from __future__ import annotations

from typing import Any

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules.base import Signal, View, rule, schmitt

RULE = rule(
    "MON007",
    Severity.LOW,
    "Unusual drawdown",
    __doc__,
    "Look at the open positions and the last trades: the drawdown grows faster than usual.",
)


class DrawdownBandDetector:
    def __init__(self, policy: MonitoringPolicy) -> None:
        p = policy.bands
        self.window, self.k, self.min_share = p.window, p.k, p.min_share
        self.step_us = int(p.sample_s * 1_000_000)
        self.samples: Any = None  # the last `window` samples
        self.last_bucket: int | None = None
        self.inside = False

    def feed(self, view: View) -> list[Signal]:
        import numpy as np

        c = view.chunk
        if c is None or not len(c):
            return []
        bucket = c.ts_us // self.step_us
        last = np.flatnonzero(np.append(bucket[1:] != bucket[:-1], True))  # each bucket's last event
        if self.last_bucket is not None and bucket[last[-1]] == self.last_bucket and len(last) == 1:
            return []  # still in the bucket already sampled
        if self.last_bucket is not None and bucket[last[0]] == self.last_bucket:
            last = last[1:]
        self.last_bucket = int(bucket[-1])
        values = c.used[last]
        hist = values if self.samples is None else np.concatenate((self.samples, values))
        own = len(hist) - len(values)
        # mean and standard deviation of the `window` samples before each one (running sums)
        s1 = np.concatenate(([0.0], np.cumsum(hist)))
        s2 = np.concatenate(([0.0], np.cumsum(hist * hist)))
        end = np.arange(own, len(hist))  # samples before this one: [end - window, end)
        ok = end >= self.window
        lo = np.maximum(end - self.window, 0)
        n = np.maximum(end - lo, 1)
        mean = (s1[end] - s1[lo]) / n
        var = np.maximum((s2[end] - s2[lo]) / n - mean * mean, 0.0)
        upper = mean + self.k * np.sqrt(var)
        enter = ok & (values > upper) & (values >= self.min_share)
        leave = ok & (values <= upper)
        at, firing, self.inside = schmitt(enter, leave, self.inside)
        self.samples = hist[-self.window :]
        return [
            self._signal(c, int(last[j]), bool(f), float(values[j]), float(upper[j]))
            for j, f in zip(at.tolist(), firing.tolist(), strict=True)
        ]

    def _signal(self, c: Any, i: int, firing: bool, v: float, upper: float) -> Signal:
        message = (
            f"drawdown {v:.1%} of the allowed drawdown, above its Bollinger band {upper:.1%}"
            f" (mean + {self.k:g} sd of the last {self.window} samples)"
            if firing
            else f"resolved: drawdown {v:.1%} back inside its band ({upper:.1%})"
        )
        return Signal(
            RULE.id,
            "account",
            firing,
            int(c.ts_us[i]),
            c.offset + i,
            round(v, 6),
            round(upper, 6),
            message,
            int(c.row[i]),
        )


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> DrawdownBandDetector:
    return DrawdownBandDetector(policy)
