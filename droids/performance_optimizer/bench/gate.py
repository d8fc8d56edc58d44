"""The budget gate end to end: pick a reference, measure, judge, record the history line.

    result = evaluate(repo, policies, state_dir, profile="ci", base="origin/main", time_limit_s=900)
    result.findings   # PERF010-PERF015
    result.answer     # the plain-language verdict with the p99 figures against the budgets

The reference, most robust first: the merge base of `base` measured side by side with the head
(interleaved runs), else the stored baseline (.droid/perf/baseline.json), else none (budgets only).
`json_files` judges already-written pytest-benchmark JSON files (one per run) instead of running.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from droids.core import git
from droids.core.models import Finding
from droids.performance_optimizer.bench import store, verdict
from droids.performance_optimizer.bench.judge import Reference, StageJudgement, judge
from droids.performance_optimizer.bench.results import calibration_figures, read_benchmark_json, stage_figures
from droids.performance_optimizer.bench.runner import SuiteRun
from droids.performance_optimizer.bench.session import Measurement, measure
from droids.performance_optimizer.budget.common import Place
from droids.performance_optimizer.policy import PerfPolicy, load_budget_policy, load_perf_policy

_KEEP_RUN_DIRS = 5
_DEADLINE_SHARE = 0.85  # leave the rest of the droid's time limit for judging and reporting


@dataclass
class BudgetRun:
    findings: list[Finding]
    answer: str
    judgements: list[StageJudgement]
    reference: Reference
    failure: SuiteRun | None
    head_runs: list[SuiteRun]
    notes: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    runs_dir: Path | None = None

    def text(self) -> str:
        lines = [self.answer]
        lines += [f"[{f.severity.value}] {f.rule} {f.title}: {f.message}" for f in self.findings]
        if self.runs_dir is not None:
            lines.append(f"Runs (JSON and logs): {self.runs_dir}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference.label,
            "reference_kind": self.reference.kind,
            **self.metrics["budget"],
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "notes": self.notes,
            "answer": self.answer,
            "runs_dir": str(self.runs_dir) if self.runs_dir else None,
        }


def evaluate(
    repo: Path,
    policies: Path,
    state_dir: Path,
    *,
    profile: str,
    base: str | None = None,
    time_limit_s: float = 900.0,
    runs: int | None = None,
    json_files: Sequence[Path] = (),
    record: bool = True,
) -> BudgetRun:
    started = time.monotonic()
    policy, has_policy = load_perf_policy(policies)
    budgets = load_budget_policy(policies)
    notes = [] if has_policy else ["policies/perf.yaml is absent: the droid's default settings apply"]
    stored_baseline = store.read_baseline(store.baseline_path(state_dir))
    fallback = _stored_reference(stored_baseline)
    runs_dir = None
    with tempfile.TemporaryDirectory(prefix="perf-base-") as tmp:
        if json_files:
            m = Measurement(fallback, head=[from_json(p, policy, i) for i, p in enumerate(json_files, 1)])
        else:
            reference, tree = _base_reference(repo, base, policy, Path(tmp), notes) if base else (fallback, None)
            runs_dir = new_runs_dir(state_dir)
            lo, hi = (runs, runs) if runs else (policy.runs.min, policy.runs.max)
            m = measure(
                repo,
                policy,
                budgets,
                runs_dir,
                reference=reference,
                base_tree=tree,
                fallback=fallback,
                deadline=started + time_limit_s * _DEADLINE_SHARE,
                min_runs=lo,
                max_runs=hi,
            )
    notes += m.notes
    judgements = [] if m.failure or not m.head else judge(m.head, m.base, m.reference, policy, budgets)
    if m.reference.kind == "stored" and stored_baseline is not None:
        notes.append(_load_note(stored_baseline.loads, [r.load for r in m.head]))
    place = Place(policy.benchmark.path, _test_lines(repo / policy.benchmark.path, policy))
    findings = verdict.findings(judgements, m.reference, m.failure, place, policy.worst_case.severity)
    answer = verdict.answer(judgements, m.reference, m.failure, policy.benchmark.path, notes)
    result = BudgetRun(findings, answer, judgements, m.reference, m.failure, m.head, notes, runs_dir=runs_dir)
    result.metrics = {"budget": _metrics(result)}
    if record:
        store.append_history(store.history_path(state_dir), _history_entry(result, repo, profile))
    return result


def _stored_reference(baseline: store.Baseline | None) -> Reference:
    if baseline is None:
        return Reference("none", "no reference")
    at = f" at {baseline.commit[:10]}" if baseline.commit else ""
    return Reference("stored", f"the baseline stored {baseline.created_at}{at}", baseline)


def _base_reference(
    repo: Path, base: str, policy: PerfPolicy, tmp: Path, notes: list[str]
) -> tuple[Reference, Path | None]:
    commit = git.merge_base(repo, base)
    tree = git.export_tree(repo, commit, tmp / "base")  # the base's files, without running its filters
    if not (tree / policy.benchmark.path).is_file():
        notes.append(f"the merge base {commit[:10]} has no {policy.benchmark.path}: no side-by-side comparison")
        return Reference("none", "no reference"), None
    return Reference("base", f"the merge base {commit[:10]} of {base} (interleaved runs)"), tree


def from_json(path: Path, policy: PerfPolicy, index: int) -> SuiteRun:
    data = read_benchmark_json(path)
    figures = stage_figures(data, policy.stages, str(path))
    name = policy.worst_case.calibration
    timer = calibration_figures(data, name, str(path)) if name else None
    return SuiteRun("head", index, "ok", 0.0, None, figures=figures, calibration=timer)


def new_runs_dir(state_dir: Path) -> Path:
    root = store.perf_dir(state_dir) / "runs"
    root.mkdir(parents=True, exist_ok=True)
    for old in sorted(p for p in root.iterdir() if p.is_dir())[: -(_KEEP_RUN_DIRS - 1) or None]:
        shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-"), dir=root))


def _test_lines(bench_file: Path, policy: PerfPolicy) -> dict[str, int]:
    try:
        text = bench_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    lines = {}
    for stage, spec in policy.stages.items():
        match = re.search(rf"^\s*def {re.escape(spec.benchmark)}\b", text, re.MULTILINE)
        if match:
            lines[stage] = text.count("\n", 0, match.start()) + 1
    return lines


def _load_note(then: list[float | None], now: list[float | None]) -> str:
    def show(loads: list[float | None]) -> str:
        known = [x for x in loads if x is not None]
        return f"{min(known):.1f}-{max(known):.1f}" if known else "unknown"

    return (
        f"compared with stored figures, not side by side: machine load average then {show(then)}, now {show(now)}; "
        "a different load shifts latencies (use --base REV for interleaved runs)"
    )


def _metrics(result: BudgetRun) -> dict[str, Any]:
    return {
        "runs": len(result.head_runs),
        "reference": result.reference.label,
        "outcome": result.failure.outcome if result.failure else "ok",
        "calibration_max_runs": [round(r.calibration.max_us, 3) if r.calibration else None for r in result.head_runs],
        "stages": {
            j.stage: {
                "budget_p99_us": j.budget_us,
                "p50_us": round(j.p50.estimate, 3),
                "p99_us": round(j.p99.estimate, 3),
                "max_us": round(j.max.estimate, 3),
                "max_runs": [round(m, 3) for m in j.max_runs],
                "p99_runs": [round(r.figures[j.stage].p99_us, 3) for r in result.head_runs],
                "vs_reference": {s: round(c.estimate, 4) for s, c in j.comparisons.items()},
            }
            for j in result.judgements
        },
    }


def _history_entry(result: BudgetRun, repo: Path, profile: str) -> dict[str, Any]:
    metrics = result.metrics["budget"]
    return {
        "ts": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": git.head(repo),
        "profile": profile,
        "reference": result.reference.label,
        "runs": metrics["runs"],
        "outcome": metrics["outcome"],
        "load": [r.load for r in result.head_runs],
        "stages": metrics["stages"],
        "findings": sorted({f.rule for f in result.findings}),
    }
