"""MON005 OnTick p99 over budget: the 99th percentile of recent OnTick latencies is above 100 ms.

The seed's execution-delay alarm. Samples are the OnTick durations the trading process writes to
`latency.csv` beside the journal (columns `ts`, `on_tick_us`; policies/monitoring.yaml
`latency.file`); the p99 is taken over the last `latency.window` samples (at least
`latency.min_samples`), every twentieth of a window. The episode ends when the p99 is back under
80 % of `latency.p99_ms`.
"""

from __future__ import annotations

from typing import Any

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules.base import Signal, View, rule

RULE = rule(
    "MON005",
    Severity.MEDIUM,
    "OnTick p99 over budget",
    __doc__,
    "Profile the OnTick pipeline (`droid perf profile`) and look for the stage that got slow.",
)


class LatencyP99Detector:
    def __init__(self, policy: MonitoringPolicy) -> None:
        p = policy.latency
        self.limit_us, self.window, self.min_samples = p.p99_ms * 1000, p.window, p.min_samples
        self.every = max(1, p.window // 20)
        self.recent: Any = None
        self.seen = 0
        self.inside = False
        self.p99_us: float | None = None

    def feed(self, view: View) -> list[Signal]:
        import numpy as np

        lat = view.latency
        if lat is None or not len(lat.on_tick_us):
            return []
        values = lat.on_tick_us.astype(np.float64)
        allv = values if self.recent is None else np.concatenate((self.recent, values))
        own = len(allv) - len(values)
        found = []
        # checkpoints: every `every`-th sample overall
        first = (-self.seen) % self.every
        for k in range(first, len(values), self.every):
            end = own + k + 1
            window = allv[max(0, end - self.window) : end]
            if len(window) < self.min_samples:
                continue
            p99 = float(np.percentile(window, 99))
            self.p99_us = p99
            if not self.inside and p99 > self.limit_us:
                self.inside = True
                found.append(self._signal(lat, k, True, p99))
            elif self.inside and p99 < 0.8 * self.limit_us:
                self.inside = False
                found.append(self._signal(lat, k, False, p99))
        self.seen += len(values)
        self.recent = allv[-self.window :]
        return found

    def _signal(self, lat: Any, k: int, firing: bool, p99: float) -> Signal:
        limit_ms = self.limit_us / 1000
        message = (
            f"OnTick p99 {p99 / 1000:.1f} ms over the last {self.window} ticks (limit {limit_ms:g} ms)"
            if firing
            else f"resolved: OnTick p99 back to {p99 / 1000:.1f} ms (limit {limit_ms:g} ms)"
        )
        return Signal(RULE.id, "on_tick", firing, int(lat.ts_us[k]), -1, round(p99 / 1000, 3), limit_ms, message)


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> LatencyP99Detector:
    return LatencyP99Detector(policy)
