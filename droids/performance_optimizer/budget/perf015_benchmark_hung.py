"""PERF015 Benchmark suite hung: a run outlived perf.yaml `benchmark.timeout_s` and was killed.

What it checks: each run of the suite has its own time limit (default 300 s); at the limit its
whole process group is killed and the run counts as hung.

Why it matters: a benchmark that does not finish usually means the code under test loops or
blocks (a lock, a socket, an input() left in a tick handler): on the live path that is a frozen
engine. It is not a pass. Severity high: it blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity
from droids.performance_optimizer.budget.common import Place, finding
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.bench.runner import SuiteRun

FIX = (
    "Run the suite by hand with a debugger or `py-spy dump --pid <pid>` to see where it waits; if the "
    "suite only got bigger, raise perf.yaml benchmark.timeout_s."
)
RULE = RuleSpec(
    id="PERF015", droid=DROID, severity=Severity.HIGH, title="Benchmark suite hung", description=__doc__ or "", fix=FIX
)


def find(failure: SuiteRun | None, place: Place) -> list[Finding]:
    if failure is None or failure.outcome != "timeout":
        return []
    return [
        finding(
            RULE,
            place,
            None,
            f"the benchmark suite hung on the {failure.tree}'s run {failure.index}: {failure.detail}",
            "hung",
            evidence=f"log: {failure.log}" if failure.log else None,
        )
    ]
