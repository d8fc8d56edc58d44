"""What `droid perf bench|baseline|profile|report` call: one function per sub-command.

Every function raises `DroidError` for bad input (exit 2) and returns a result with `text()` for a
terminal and `as_dict()` for `--format json`; `bench` and `profile` results carry `findings`, and
`blocked(findings, block_at)` tells whether they block (exit 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from droids.core.models import Finding, Severity
from droids.performance_optimizer.bench.gate import BudgetRun
from droids.performance_optimizer.bench.runner import SuiteRun
from droids.performance_optimizer.profiling.report import ProfileReport
from droids.performance_optimizer.trend import TrendReport


def blocked(findings: Sequence[Finding], block_at: Severity) -> bool:
    return any(f.severity.at_least(block_at) for f in findings if not f.suppressed)


def bench(
    repo: Path,
    policies: Path,
    state_dir: Path,
    *,
    base: str | None = None,
    runs: int | None = None,
    json_files: Sequence[Path] = (),
    time_limit_s: float = 1800.0,
) -> BudgetRun:
    """Run (or read, with `json_files`) the benchmark suite and judge it: budgets, reference, history."""
    from droids.performance_optimizer.bench.gate import evaluate

    _check_runs(runs)
    return evaluate(
        repo, policies, state_dir, profile="run", base=base, runs=runs, json_files=json_files, time_limit_s=time_limit_s
    )


@dataclass
class BaselineResult:
    path: Path
    written: bool
    runs: list[SuiteRun] = field(default_factory=list)
    failure: SuiteRun | None = None

    def text(self) -> str:
        if self.failure is not None:
            return (
                f"baseline NOT written: the benchmark suite {self.failure.outcome} on run {self.failure.index} "
                f"({self.failure.detail})"
            )
        stages = self.runs[0].figures if self.runs else {}
        lines = [f"baseline written to {self.path} from {len(self.runs)} run(s):"]
        for stage in stages:
            p99 = sorted(r.figures[stage].p99_us for r in self.runs)
            p50 = sorted(r.figures[stage].p50_us for r in self.runs)
            lines.append(f"- {stage}: p50 {p50[len(p50) // 2]:.1f} us, p99 {p99[len(p99) // 2]:.1f} us (medians)")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "written": self.written,
            "runs": [{n: f.as_dict() for n, f in r.figures.items()} for r in self.runs],
            "failure": None
            if self.failure is None
            else {"outcome": self.failure.outcome, "detail": self.failure.detail},
        }


def baseline(
    repo: Path, policies: Path, state_dir: Path, *, runs: int | None = None, json_files: Sequence[Path] = ()
) -> BaselineResult:
    """Measure the work tree `runs` times (default perf.yaml runs.min) and store the figures as the
    baseline; nothing is written when a run fails."""
    from droids.core import git
    from droids.performance_optimizer.bench import store
    from droids.performance_optimizer.bench.gate import from_json, new_runs_dir
    from droids.performance_optimizer.bench.runner import run_suite
    from droids.performance_optimizer.policy import load_budget_policy, load_perf_policy

    _check_runs(runs)
    policy, _ = load_perf_policy(policies)
    load_budget_policy(policies)  # a baseline against an invalid budgets.yaml would be judged by nothing
    path = store.baseline_path(state_dir)
    measured: list[SuiteRun] = []
    if json_files:
        measured = [from_json(p, policy, i) for i, p in enumerate(json_files, 1)]
    else:
        work = new_runs_dir(state_dir)
        for i in range(1, (runs or policy.runs.min) + 1):
            run = run_suite(
                repo, policy.benchmark, policy.stages, work, tree="head", index=i, timeout_s=policy.benchmark.timeout_s
            )
            if run.outcome != "ok":
                return BaselineResult(path, False, measured, run)
            measured.append(run)
    store.write_baseline(
        path,
        [r.figures for r in measured],
        [r.load for r in measured],
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        commit=git.head(repo),
    )
    return BaselineResult(path, True, measured)


def profile(
    repo: Path,
    policies: Path,
    out_dir: Path,
    *,
    ticks: int | None = None,
    top: int | None = None,
    flamegraph: bool = True,
    memory: bool = False,
) -> ProfileReport:
    """cProfile tables of an OnTick replay, a py-spy flame graph when possible, and optionally the
    tracemalloc memory replay; files are written into `out_dir`."""
    from droids.core.errors import DroidError
    from droids.performance_optimizer.policy import load_perf_policy
    from droids.performance_optimizer.profiling.report import run_profile

    if ticks is not None and ticks < 100:
        raise DroidError(f"--ticks {ticks}: expected at least 100 ticks")
    if top is not None and top < 1:
        raise DroidError(f"--top {top}: expected a positive number of functions")
    policy, _ = load_perf_policy(policies)
    return run_profile(repo, policies, out_dir, policy, flame=flamegraph, memory=memory, ticks=ticks, top=top)


def report(state_dir: Path, out_dir: Path | None = None, *, last: int = 30) -> TrendReport:
    """The history of budget-gate runs as a table, and as perf-trend.html in `out_dir` if given."""
    from droids.performance_optimizer.trend import render_trend

    return render_trend(state_dir, out_dir, last=last)


def _check_runs(runs: int | None) -> None:
    from droids.core.errors import DroidError

    if runs is not None and not 1 <= runs <= 100:
        raise DroidError(f"--runs {runs}: expected a number of runs from 1 to 100")
