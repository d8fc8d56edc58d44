"""The budget gate as a check (PERF010-PERF015): when it runs, and with which reference.

- pre-commit: never (it takes minutes; the static rules are the pre-commit part of this droid);
- ci (`droid gate --base REV`): when a changed path matches perf.yaml `gate_paths` (default: the
  trading core, budgets.yaml, perf.yaml, the benchmark suite); the merge base is measured side by
  side with the head;
- audit: when perf.yaml `audit.budget` (default true); run (`droid run performance-optimizer`):
  always; ask: when the question is about speed (`INTENT`), or names no check of this droid.
Each run appends its figures to .droid/perf/history.jsonl.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.errors import DroidError
from droids.core.models import Task
from droids.core.protocol import DroidContext
from droids.performance_optimizer.budget.rules import RULES

__all__ = ["INTENT", "RULES", "RUNS_REPOSITORY_CODE", "applies", "run"]

RUNS_REPOSITORY_CODE = "its benchmark suite (perf.yaml benchmark.path)"

INTENT = (
    "fast", "slow", "slower", "faster", "budget", "latency", "p99", "p50", "speed", "regression", "benchmark",
    "tick", "on tick", "onnx", "performance", "quick", "time", "timing", "ms", "us",
)  # fmt: skip


def needs(task: Task) -> str | None:
    """The budgets are the trading core's: none configured, no budget to measure."""
    from droids.core.governed import needs_core

    return needs_core(task)


def applies(task: Task) -> bool:
    if task.profile == "pre-commit":
        return False
    from droids.performance_optimizer.policy import load_perf_policy

    policy, _ = load_perf_policy(task.policies)
    if task.mode == "gate":
        import pathspec

        spec = pathspec.PathSpec.from_lines("gitignore", policy.gate_paths)
        return any(spec.match_file(p) for p in task.targets.paths)
    if task.mode == "audit":
        return policy.audit.budget
    return True


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.performance_optimizer.bench.gate import evaluate
    from droids.performance_optimizer.policy import load_perf_policy

    policy, _ = load_perf_policy(task.policies)
    if task.mode != "gate" and not (task.repo / policy.benchmark.path).is_file():
        # An audit or a question about a repository without the suite: say so, do not fail the run.
        # A gate whose change touches the budgets still fails loudly (bad input) in `evaluate`.
        return CheckOutcome(notes=[f"budget gate not run: no benchmark suite at {policy.benchmark.path}"])

    result = evaluate(
        task.repo,
        task.policies,
        ctx.state_dir,
        profile=task.profile,
        base=task.targets.base if task.targets.kind == "base" else None,
        time_limit_s=time_limit(task),
    )
    return CheckOutcome(findings=result.findings, notes=result.notes, metrics=result.metrics, answer=result.answer)


def time_limit(task: Task) -> float:
    """The droid's time limit for this profile (gates.yaml), which the orchestrator enforces."""
    from droids.core.policy import load_gates

    try:
        return load_gates(task.policies).profiles[task.profile].time_limit_s
    except DroidError:
        return task.time_limit_s  # the orchestrator validated gates.yaml before; direct callers may lack one
