"""Findings PERF010-PERF015 and the plain-language answer, from judged stages and a failed run."""

from __future__ import annotations

from droids.core.models import Finding, Severity
from droids.performance_optimizer.bench.judge import Reference, StageJudgement
from droids.performance_optimizer.bench.runner import SuiteRun
from droids.performance_optimizer.budget import (
    perf010_over_budget,
    perf011_worst_case,
    perf012_regression,
    perf013_possible_regression,
    perf014_benchmark_failed,
    perf015_benchmark_hung,
)
from droids.performance_optimizer.budget.common import Place, describe, spread, us


def findings(
    judgements: list[StageJudgement], reference: Reference, failure: SuiteRun | None, place: Place, worst: Severity
) -> list[Finding]:
    if failure is not None:  # no figures to judge: the failure is the verdict
        return perf014_benchmark_failed.find(failure, place) + perf015_benchmark_hung.find(failure, place)
    return (
        perf010_over_budget.find(judgements, place)
        + perf011_worst_case.find(judgements, place, worst)
        + perf012_regression.find(judgements, reference, place)
        + perf013_possible_regression.find(judgements, reference, place)
    )


def answer(
    judgements: list[StageJudgement], reference: Reference, failure: SuiteRun | None, suite: str, notes: list[str]
) -> str:
    if failure is not None:
        what = "hung" if failure.outcome == "timeout" else "failed"
        return f"No verdict on speed: the benchmark suite {suite} {what} ({failure.detail}); that blocks the gate."
    n = judgements[0].p99.n if judgements else 0
    lines = [f"Latency against the budgets of policies/budgets.yaml ({n} run(s) of {suite}, medians over runs):"]
    for j in judgements:
        status = "OVER budget" if j.over_budget else "within budget"
        lines.append(
            f"- {j.stage}: p99 {us(j.p99.estimate)} ({spread(j.p99)}) vs budget {us(j.budget_us)}: {status} "
            f"({j.p99.estimate / j.budget_us:.1%} of it); p50 {us(j.p50.estimate)}, max {us(j.max.estimate)}"
        )
    timer = judgements[0].calibration_max_runs if judgements else None
    if timer is not None:
        lines.append(
            f"- timer calibration ({judgements[0].calibration}, a no-op timed the same way: the machine's scheduling "
            f"noise): max per run {perf011_worst_case.per_run(timer)}"
        )
    if reference.kind == "none":
        lines.append("No reference to compare with: no --base and no stored baseline (`droid perf baseline`).")
    for j in judgements:
        for statistic, c in j.comparisons.items():
            lines.append(f"- {j.stage} {statistic} vs {reference.label}: {describe(c)}: {c.verdict}")
    over = [j.stage for j in judgements if j.over_budget]
    worse = [f"{j.stage} {s}" for j in judgements for s, c in j.comparisons.items() if c.verdict == "regressed"]
    if over or worse:
        parts = [f"over budget: {', '.join(over)}"] * bool(over) + [f"regressed: {', '.join(worse)}"] * bool(worse)
        lines.append(f"In short: not fast enough ({'; '.join(parts)}).")
    else:
        lines.append("In short: fast enough: every stage is within its budget and no regression is confirmed.")
    lines += [f"Note: {note}" for note in notes]
    if any(not perf011_worst_case.judged(j) for j in judgements):
        lines.append(
            "Note: worst case (PERF011) not judged: one run and no timer calibration (perf.yaml "
            "worst_case.calibration); a single maximum says more about the machine's load than about the code"
        )
    return "\n".join(lines)
