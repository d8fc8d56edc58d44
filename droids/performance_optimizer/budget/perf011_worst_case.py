"""PERF011 Worst case over the limit: the slowest call of a stage exceeds its budget x a factor.

What it checks: the median, over the runs, of each run's maximum call time of a stage, against the
stage's p99 budget (budgets.yaml) times perf.yaml `worst_case.factor` (default 2). One descheduled
call in one run does not move a median of maxima; a slow path that every run hits does.

Why it matters: a budget on the p99 allows one tick in a hundred to be slow, not arbitrarily slow;
the engine's degrade rule reacts to consecutive overruns. Severity: perf.yaml `worst_case.severity`
(default low, a warning), because on a shared machine the maximum is dominated by the operating
system's scheduling, which no code change controls; raise it on a dedicated benchmark machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity
from droids.performance_optimizer.budget.common import Place, finding, spread, us
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.bench.judge import StageJudgement

FIX = (
    "Look for a periodic slow path in the stage (a flush, an allocation burst, a rebuilt cache, garbage "
    "collection of many objects): `droid perf profile` shows where the time goes."
)
RULE = RuleSpec(
    id="PERF011",
    droid=DROID,
    severity=Severity.LOW,
    title="Worst case over the limit",
    description=__doc__ or "",
    fix=FIX,
)


def find(judgements: list[StageJudgement], place: Place, severity: Severity) -> list[Finding]:
    return [
        finding(
            RULE,
            place,
            j.stage,
            f"{j.stage}: max {us(j.max.estimate)} (median of {j.max.n} runs' maxima, {spread(j.max)}) is over the "
            f"worst-case limit of {us(j.worst_limit_us)} (budget x perf.yaml worst_case.factor)",
            j.stage,
            severity=severity,
            evidence=f"max {us(j.max.estimate)} > {us(j.worst_limit_us)}",
            stage=j.stage,
            value=round(j.max.estimate, 3),
            limit=j.worst_limit_us,
        )
        for j in judgements
        if j.worst_case_over
    ]
