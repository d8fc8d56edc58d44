"""MON008 Latency spike: one OnTick took far longer than the ticks before it, or the trading core
degraded itself for latency.

Two sources: a sample of `latency.csv` above `latency.spike_factor` x the median of the previous
window and above `latency.spike_floor_ms` (an anomaly, not noise: on the simulator's normal weeks
this fires at the rate tests/benchmarks/README.md states), and a `degrade` row of risk_events.csv
(SEN003: the engine's own budget check saw consecutive overruns and switched the model off). On a
spike the circuit breaker asks the performance droid for a profile of the OnTick pipeline (through
the registry's "profile" service) and the alert says where it is written.
"""

from __future__ import annotations

from typing import Any

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules.base import Signal, View, rule

RULE = rule(
    "MON008",
    Severity.MEDIUM,
    "Latency spike",
    __doc__,
    "Read the attached profile (top functions by own time); compare with `droid perf baseline`.",
)


class LatencySpikeDetector:
    def __init__(self, policy: MonitoringPolicy) -> None:
        p = policy.latency
        self.factor, self.floor_us, self.window = p.spike_factor, p.spike_floor_ms * 1000, p.window
        self.min_samples = p.min_samples
        self.recent: Any = None

    def feed(self, view: View) -> list[Signal]:
        import numpy as np

        found = [
            Signal(
                RULE.id, "on_tick", True, d.ts_us, -1, 0.0, 0.0, f"the trading core degraded: {d.reason}", instant=True
            )
            for d in view.degrades
        ]
        lat = view.latency
        if lat is None or not len(lat.on_tick_us):
            return found
        values = lat.on_tick_us.astype(np.float64)
        allv = values if self.recent is None else np.concatenate((self.recent, values))
        own = len(allv) - len(values)
        step = max(1, self.window // 20)
        for start in range(0, len(values), step):
            end = own + start
            window = allv[max(0, end - self.window) : end]
            if len(window) < self.min_samples:
                continue
            median = float(np.median(window))
            limit = max(self.factor * median, self.floor_us)
            part = values[start : start + step]
            for k in np.flatnonzero(part > limit).tolist():
                at = start + k
                ms = float(values[at]) / 1000
                found.append(
                    Signal(
                        RULE.id,
                        "on_tick",
                        True,
                        int(lat.ts_us[at]),
                        -1,
                        round(ms, 3),
                        round(limit / 1000, 3),
                        f"one OnTick took {ms:.1f} ms, {values[at] / max(median, 1):.0f}x the median"
                        f" {median / 1000:.2f} ms of the last {len(window)} ticks",
                        instant=True,
                    )
                )
        self.recent = allv[-self.window :]
        return found


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> LatencySpikeDetector:
    return LatencySpikeDetector(policy)
