"""PERF014 Benchmark suite failed: the benchmarked code crashed, so its speed is unknown.

What it checks: the suite's process exits with failures (an exception in the pipeline, an import
error in the trading core, a failed assertion in the benchmark). The message quotes pytest's
summary line and names the run's log under .droid/perf/runs/.

Why it matters: a crash is not a pass. Code that cannot be measured cannot be shown to meet its
budget, and a crash on the hot path is worse than a slow one. Severity high: it blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity
from droids.performance_optimizer.budget.common import Place, finding
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.bench.runner import SuiteRun

FIX = "Run the suite by hand (the command is in the benchmark file's docstring), read the log and fix the crash."
RULE = RuleSpec(
    id="PERF014",
    droid=DROID,
    severity=Severity.HIGH,
    title="Benchmark suite failed",
    description=__doc__ or "",
    fix=FIX,
)


def find(failure: SuiteRun | None, place: Place) -> list[Finding]:
    if failure is None or failure.outcome != "failed":
        return []
    return [
        finding(
            RULE,
            place,
            None,
            f"the benchmark suite failed on the {failure.tree}'s run {failure.index}: {failure.detail}",
            "failed",
            evidence=f"log: {failure.log}" if failure.log else None,
        )
    ]
