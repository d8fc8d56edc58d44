"""Per-stage timings of the OnTick pipeline and the run-time degrade rule.

Stages: `on_tick` (the whole pipeline for one tick) and `model` (one inference). `observe` is called
once per tick with the stage durations: a stage above its budget (budgets.yaml) counts an overrun;
`consecutive_overruns` in a row switch the engine to degraded mode until `recover_after_ms` of
market time has passed (the model is skipped, no new entries). `observe` returns the transition, if
any, so the engine records it as a risk event; it never raises.
"""

from __future__ import annotations

from trading_core.latency.budgets import BudgetsPolicy
from trading_core.latency.histogram import Histogram

NS_PER_US = 1000


class LatencyMonitor:
    def __init__(self, policy: BudgetsPolicy) -> None:
        max_ns = policy.histogram.max_us * NS_PER_US
        self.on_tick = Histogram(max_ns)
        self.model = Histogram(max_ns)
        self.on_tick_budget_ns = policy.budgets.on_tick_p99_us * NS_PER_US
        self.model_budget_ns = policy.budgets.onnx_p99_us * NS_PER_US
        self.needed = policy.degrade.consecutive_overruns
        self.recover_us = policy.degrade.recover_after_ms * 1000
        self.overruns = 0
        self.degraded = False
        self.degraded_until_us = 0
        self.degrade_count = 0

    def observe(self, ts_us: int, total_ns: int, model_ns: int) -> str | None:
        """Record one tick (model_ns 0: the model did not run); returns a description when this tick
        switched the engine into degraded mode."""
        self.on_tick.record(total_ns)
        if model_ns:
            self.model.record(model_ns)
        if model_ns > self.model_budget_ns:
            stage, value, limit = "model", model_ns, self.model_budget_ns
        elif total_ns > self.on_tick_budget_ns:
            stage, value, limit = "on_tick", total_ns, self.on_tick_budget_ns
        else:
            self.overruns = 0
            return None
        self.overruns += 1
        if self.degraded or self.overruns < self.needed:
            return None
        self.degraded = True
        self.degraded_until_us = ts_us + self.recover_us
        self.degrade_count += 1
        return (
            f"stage {stage} took {value / NS_PER_US:.0f} us, over its {limit / NS_PER_US:.0f} us budget"
            f" {self.overruns} ticks in a row; model skipped, no new entries until recovery"
        )

    def recover(self, ts_us: int) -> bool:
        """True when a degraded period ends at `ts_us` (the engine records it and scores again)."""
        if self.degraded and ts_us >= self.degraded_until_us:
            self.degraded = False
            self.overruns = 0
            return True
        return False

    def summary(self) -> dict[str, dict[str, float]]:
        return {"on_tick": self.on_tick.summary_us(), "model": self.model.summary_us()}
