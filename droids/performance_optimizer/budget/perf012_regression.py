"""PERF012 Latency regression: a stage got slower than its reference by more than the tolerance.

What it checks: the p50 of each stage (and its p99 if perf.yaml `regression.statistics` lists it)
against a reference, as a ratio of medians over runs with a bootstrap confidence interval
(perf.yaml `regression`: default tolerance +100 %, confidence 95 %). The p99 is not compared by
default: on a shared machine it is set by the scheduler (it jumped 50x between runs of unchanged
code here), and the p50 of unchanged code still moves up to 1.9x between runs, hence +100 %;
tighten both on a quiet, dedicated machine. The reference is, in order of preference:
1. the base of the change (`droid gate --base REV`): the merge base is exported and its suite runs
   interleaved with the head's (base, head, head, base, ...): a load change on the machine hits
   both halves of a pair and cancels in their ratio;
2. the stored baseline `.droid/perf/baseline.json` (`droid perf baseline`): figures measured
   earlier, compared unpaired (a changed machine load shifts them; the report shows the load then
   and now).
A regression is confirmed when the low end of the interval is beyond the tolerance: with three runs
a side that means every head run is slower than every reference run by more than the tolerance.

Why it matters: budgets catch disasters; this catches a change that doubles the tick time long
before it reaches the budget. Severity high: it blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity
from droids.performance_optimizer.budget.common import Place, describe, finding, us
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.bench.judge import Reference, StageJudgement

FIX = (
    "Find what the change added to the stage (`droid perf profile` on both commits, PERF001-PERF009 "
    "findings); if the slowdown is intended, record a new baseline with `droid perf baseline`."
)
RULE = RuleSpec(
    id="PERF012", droid=DROID, severity=Severity.HIGH, title="Latency regression", description=__doc__ or "", fix=FIX
)


def find(judgements: list[StageJudgement], reference: Reference, place: Place) -> list[Finding]:
    return [
        comparison_finding(RULE, j, statistic, reference, place, "confirmed")
        for j in judgements
        for statistic, c in j.comparisons.items()
        if c.verdict == "regressed"
    ]


def comparison_finding(
    rule: RuleSpec, j: StageJudgement, statistic: str, reference: Reference, place: Place, sure: str
) -> Finding:
    c = j.comparisons[statistic]
    head = getattr(j, statistic).estimate
    ref = j.reference_median[statistic]
    return finding(
        rule,
        place,
        j.stage,
        f"{j.stage}: {statistic} {us(head)} vs {us(ref)} in {reference.label}: {describe(c)}; tolerance "
        f"+{c.tolerance:.0%}, {sure}",
        f"{j.stage}\0{statistic}",
        evidence=f"{statistic} x{c.estimate:.2f} [{c.low:.2f}-{c.high:.2f}]",
        stage=j.stage,
        statistic=statistic,
        value=round(c.estimate, 4),
        limit=1 + c.tolerance,
        ci=[round(c.low, 4), round(c.high, 4)],
        p_beyond=round(c.p_beyond, 4),
    )
