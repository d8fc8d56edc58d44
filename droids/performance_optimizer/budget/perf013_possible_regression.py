"""PERF013 Possible latency regression, not confirmed: slower beyond the tolerance, but not surely.

What it checks: the same comparison as PERF012; the estimate (median ratio) is beyond the
tolerance, but the confidence interval still reaches back within it after perf.yaml `runs.max`
runs (or when the time limit stopped further runs). The message gives the interval and the share
of bootstrap resamples beyond the tolerance: how likely the slowdown is real.

Why it matters: on a noisy machine one unlucky series must not block a merge, and a real slowdown
must not pass unseen either: this is the warning in between. Severity low: it does not block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity
from droids.performance_optimizer.budget.common import Place
from droids.performance_optimizer.budget.perf012_regression import comparison_finding
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.bench.judge import Reference, StageJudgement

FIX = (
    "Re-run on a quieter machine or with more runs (perf.yaml runs.max), or compare side by side with "
    "the base commit (`droid gate --base REV`), which cancels machine load."
)
RULE = RuleSpec(
    id="PERF013",
    droid=DROID,
    severity=Severity.LOW,
    title="Possible latency regression, not confirmed",
    description=__doc__ or "",
    fix=FIX,
)


def find(judgements: list[StageJudgement], reference: Reference, place: Place) -> list[Finding]:
    return [
        comparison_finding(RULE, j, statistic, reference, place, "not confirmed")
        for j in judgements
        for statistic, c in j.comparisons.items()
        if c.verdict == "suspect"
    ]
