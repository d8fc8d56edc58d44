"""The performance-optimizer droid: latency budgets that gate, profiles that explain, hot-path rules.

Its checks, in `CHECKS`:
- `static_check`: PERF001-PERF009, AST rules on functions that run on every tick (every mode);
- `budget_check`: PERF010-PERF015, the benchmark suite against budgets.yaml and a reference (ci
  gates that touch the trading core, audit, ask, run);
- `profiling_check`: PERF020-PERF022, cProfile/py-spy of an OnTick replay and its memory growth
  (audit, and ask when a profile or memory is asked for).
Importing this module imports no heavy library: subprocesses, pathspec and the trading core are
loaded inside the checks' `run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from droids.core.checks import Check, rules_of, run_checks
from droids.core.models import DroidReport, RuleSpec, Task
from droids.core.protocol import BaseDroid, DroidContext
from droids.performance_optimizer import budget_check, profiling_check, static_check

CHECKS: tuple[Check, ...] = (static_check, budget_check, profiling_check)  # type: ignore[assignment] - modules are checks


class PerformanceOptimizerDroid(BaseDroid):
    CARD_PATH: ClassVar[Path] = Path(__file__).with_name("CARD.md")
    RULES: ClassVar[tuple[RuleSpec, ...]] = rules_of(CHECKS)

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        return run_checks(self.card.name, CHECKS, task, ctx)
