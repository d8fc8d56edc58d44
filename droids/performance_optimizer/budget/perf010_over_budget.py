"""PERF010 Stage over its latency budget: the p99 of a benchmarked stage exceeds policies/budgets.yaml.

What it checks: the budget gate runs the trading core's benchmark suite (perf.yaml `benchmark`,
default tests/benchmarks/bench_ontick.py) several times; each run reports, per stage, the p99 of
calls timed one by one. The median of those p99s over the runs is compared with the stage's budget
(`on_tick_p99_us`: the whole OnTick pipeline, 50 ms; `onnx_p99_us`: one model inference, 5 ms).
Above the budget is a finding. When the interval of the median straddles the budget the droid runs
the suite again (up to perf.yaml `runs.max`) before it decides.

Why it matters: a scalper that misses its OnTick budget acts on stale prices; at run time the
engine's degrade rule switches the model off after repeated overruns. Severity high: it blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity
from droids.performance_optimizer.budget.common import Place, finding, spread, us
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.bench.judge import StageJudgement

FIX = (
    "Profile the stage (`droid perf profile`) and remove the cost on the hot path (see PERF001-PERF009); "
    "raising the budget in policies/budgets.yaml is a risk decision, not a fix."
)
RULE = RuleSpec(
    id="PERF010",
    droid=DROID,
    severity=Severity.HIGH,
    title="Stage over its latency budget",
    description=__doc__ or "",
    fix=FIX,
)


def find(judgements: list[StageJudgement], place: Place) -> list[Finding]:
    return [
        finding(
            RULE,
            place,
            j.stage,
            f"{j.stage}: p99 {us(j.p99.estimate)} (median of {j.p99.n} runs, {spread(j.p99)}) is over its budget of "
            f"{us(j.budget_us)} (budgets.yaml budgets.{j.budget_key})",
            j.stage,
            evidence=f"p99 {us(j.p99.estimate)} > {us(j.budget_us)}",
            stage=j.stage,
            value=round(j.p99.estimate, 3),
            limit=j.budget_us,
        )
        for j in judgements
        if j.over_budget
    ]
