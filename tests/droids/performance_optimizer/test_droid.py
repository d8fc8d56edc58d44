"""The droid as a whole: its card routes the right requests and changes here, each mode runs the checks
it should, and `droid ask "is on_tick fast enough?"` answers with the p99 figures against the budgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.checks import selected
from droids.core.models import Targets, Task
from droids.core.policy import load_gates
from droids.core.protocol import DroidContext
from droids.core.registry import Registry
from droids.performance_optimizer import budget_check, profiling_check, static_check
from droids.performance_optimizer.droid import PerformanceOptimizerDroid
from droids.security_compliance.droid import SecurityComplianceDroid
from orchestrator import routing
from tests.conftest import REPO_ROOT
from tests.droids.performance_optimizer.pipeline_copy import make_repo


def _task(mode: str, profile: str, paths: tuple[str, ...] = (), request: str = "", base: str | None = None) -> Task:
    kind = "base" if base else ("staged" if profile == "pre-commit" else "tree")
    return Task(
        mode=mode,  # type: ignore[arg-type]
        profile=profile,  # type: ignore[arg-type]
        request=request,
        repo=REPO_ROOT,
        policies=REPO_ROOT / "policies",
        targets=Targets(kind=kind, paths=paths, base=base),  # type: ignore[arg-type]
    )


CHANGE = ("trading_core/engine/pipeline.py",)


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (_task("gate", "pre-commit", CHANGE), {"static"}),
        (_task("gate", "ci", CHANGE, base="main"), {"static", "budget"}),
        (_task("gate", "ci", ("policies/budgets.yaml",), base="main"), {"budget"}),
        (_task("gate", "ci", ("droids/other/x.py",), base="main"), {"static"}),
        (_task("gate", "ci", ("README.md",), base="main"), set()),
        (_task("audit", "audit", CHANGE), {"static", "budget", "profiling"}),
        (_task("ask", "ask", CHANGE, request="is on_tick fast enough?"), {"static", "budget"}),
        (_task("ask", "ask", CHANGE, request="where is the bottleneck? show a flame graph"), {"profiling"}),
        (_task("ask", "ask", CHANGE, request="does the engine leak memory?"), {"profiling"}),
        (_task("ask", "ask", CHANGE, request="@performance-optimizer have a look"), {"static", "budget"}),
        (_task("run", "run", CHANGE), {"static", "budget"}),
    ],
    ids=[
        "pre-commit",
        "ci-core",
        "ci-budgets",
        "ci-other-python",
        "ci-docs",
        "audit",
        "ask-speed",
        "ask-profile",
        "ask-memory",
        "ask-names-no-check",
        "run",
    ],
)
def test_each_mode_runs_its_checks(task: Task, expected: set[str]) -> None:
    """Which checks run: those that apply, and for a question those it is about (their INTENT)."""
    checks = {"static": static_check, "budget": budget_check, "profiling": profiling_check}
    chosen = selected(list(checks.values()), task)  # type: ignore[arg-type] - modules are checks
    assert {name for name, check in checks.items() if check in chosen} == expected


@pytest.mark.parametrize(
    ("request_text", "reasons"),
    [
        ("is on_tick fast enough?", ["trigger 'fast'", "trigger 'OnTick'"]),
        ("Why is ONNX inference so slow?", ["trigger 'slow'", "trigger 'ONNX'"]),
        ("check the latency budgets", ["trigger 'latency'", "trigger 'budget'"]),
        ("where is the bottleneck in the hot path?", ["trigger 'bottleneck'", "trigger 'hot path'"]),
    ],
)
def test_speed_questions_route_here_and_not_to_security(request_text: str, reasons: list[str]) -> None:
    registry = Registry([SecurityComplianceDroid, PerformanceOptimizerDroid])

    decisions = routing.route(registry.cards(), request=request_text)

    assert [(d.droid, list(d.reasons)) for d in decisions] == [("performance-optimizer", reasons)]


@pytest.mark.slow
def test_ask_is_on_tick_fast_enough_answers_with_p99_against_the_budgets(tmp_path: Path) -> None:
    from orchestrator.graph import run_task

    repo = make_repo(tmp_path / "repo")
    task = Task(
        mode="ask",
        profile="ask",
        request="is on_tick fast enough?",
        repo=repo,
        policies=repo / "policies",
        targets=Targets(kind="tree", paths=("bench/bench_pipeline.py",)),
    )
    registry = Registry([SecurityComplianceDroid, PerformanceOptimizerDroid])

    report = run_task(task, registry, load_gates(repo / "policies"), DroidContext(repo / ".droid"), frozenset())

    assert [d.droid for d in report.routing] == ["performance-optimizer"]
    (droid,) = report.droids
    assert droid.status == "ok", droid.error
    assert report.verdict == "pass"
    answer = report.answer
    assert "Asked performance-optimizer (trigger 'fast', trigger 'OnTick')." in answer
    assert "- on_tick: p99 " in answer and "vs budget 50,000 us: within budget" in answer
    assert "- onnx_inference: p99 " in answer and "vs budget 5,000 us: within budget" in answer
    assert "In short: fast enough" in answer
    assert droid.metrics["budget"]["runs"] >= 3
