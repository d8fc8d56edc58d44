"""From runs of the suite to a judgement per stage: budget, worst case, regression, and how sure.

For each stage of perf.yaml, over the head's runs: the median p50, p99 and max with bootstrap
intervals, and each run's max next to the same run's timer calibration max (PERF011 judges those);
against the reference (paired base runs or stored baseline runs) a comparison of p50 and of p99.
`unsure` says whether another run could change a verdict: a p99 interval that straddles the budget,
or a comparison whose estimate is beyond the tolerance while its interval is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from droids.performance_optimizer.bench.runner import SuiteRun
from droids.performance_optimizer.bench.stats import Comparison, Interval, compare, median_interval
from droids.performance_optimizer.bench.store import Baseline
from droids.performance_optimizer.policy import PerfPolicy, budget_us
from trading_core.latency.budgets import BudgetsPolicy


@dataclass(frozen=True)
class Reference:
    kind: Literal["base", "stored", "none"]
    label: str
    stored: Baseline | None = None


@dataclass(frozen=True)
class StageJudgement:
    stage: str
    budget_key: str
    budget_us: int
    worst_limit_us: float
    p50: Interval
    p99: Interval
    max: Interval
    max_runs: tuple[float, ...] = ()  # each head run's slowest call, in run order
    # The timer calibration's max in the same runs (None: not every run has one), its benchmark
    # (None: perf.yaml worst_case.calibration is off) and how far beyond it a max must be.
    calibration_max_runs: tuple[float, ...] | None = None
    calibration: str | None = None
    noise_factor: float = 2.0
    reference_median: dict[str, float] = field(default_factory=dict)
    comparisons: dict[str, Comparison] = field(default_factory=dict)

    @property
    def over_budget(self) -> bool:
        return self.p99.estimate > self.budget_us

    @property
    def budget_unsure(self) -> bool:
        return self.p99.low <= self.budget_us < self.p99.high


def judge(
    head: list[SuiteRun], base: list[SuiteRun], reference: Reference, policy: PerfPolicy, budgets: BudgetsPolicy
) -> list[StageJudgement]:
    reg = policy.regression
    timers = [r.calibration for r in head]
    timer = tuple(t.max_us for t in timers if t) if timers and all(timers) else None
    out = []
    for stage, spec in policy.stages.items():
        figures = [r.figures[stage] for r in head]
        budget = budget_us(budgets, spec.budget)

        def interval(values: list[float]) -> Interval:
            return median_interval(values, reg.confidence, reg.resamples)

        judgement = StageJudgement(
            stage=stage,
            budget_key=spec.budget,
            budget_us=budget,
            worst_limit_us=budget * policy.worst_case.factor,
            p50=interval([f.p50_us for f in figures]),
            p99=interval([f.p99_us for f in figures]),
            max=interval([f.max_us for f in figures]),
            max_runs=tuple(f.max_us for f in figures),
            calibration_max_runs=timer,
            calibration=policy.worst_case.calibration,
            noise_factor=policy.worst_case.noise_factor,
        )
        for statistic in reg.statistics:
            ref_values = _reference_values(stage, statistic, base, reference)
            if not ref_values:
                continue
            head_values = [getattr(f, f"{statistic}_us") for f in figures]
            judgement.reference_median[statistic] = median_interval(ref_values, reg.confidence, 1).estimate
            judgement.comparisons[statistic] = compare(
                head_values,
                ref_values,
                paired=reference.kind == "base",
                tolerance=getattr(reg.tolerance, statistic),
                confidence=reg.confidence,
                resamples=reg.resamples,
            )
        out.append(judgement)
    return out


def unsure(judgements: list[StageJudgement]) -> bool:
    return any(j.budget_unsure or any(c.verdict == "suspect" for c in j.comparisons.values()) for j in judgements)


def _reference_values(stage: str, statistic: str, base: list[SuiteRun], reference: Reference) -> list[float]:
    if reference.kind == "base":
        if not base or any(stage not in r.figures for r in base):
            return []
        return [getattr(r.figures[stage], f"{statistic}_us") for r in base]
    if reference.kind == "stored" and reference.stored is not None:
        return reference.stored.values(stage, statistic)
    return []
