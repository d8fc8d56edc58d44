"""Running the suite: real pytest subprocesses on small suites that pass, crash, hang or misfit.

A crash or a hang of the benchmarked code is a blocking finding (PERF014, PERF015), never a pass; a
suite that cannot be run as configured is bad input (DroidError, exit 2) naming what is wrong.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.performance_optimizer.bench.gate import evaluate
from droids.performance_optimizer.bench.runner import run_suite
from droids.performance_optimizer.policy import load_perf_policy
from tests.conftest import REPO_ROOT, git
from tests.droids.performance_optimizer.pipeline_copy import add_crash, make_repo

FAST = """
def test_on_tick_end_to_end(benchmark):
    benchmark.extra_info.update({"p50_us": 20.0, "p99_us": 40.0, "max_us": 90.0, "n": 1000})
    benchmark.pedantic(lambda: None, rounds=1)


def test_onnx_inference(benchmark):
    benchmark.extra_info.update({"p50_us": 8.0, "p99_us": 15.0, "max_us": 30.0})
    benchmark.pedantic(lambda: None, rounds=1)
"""
HANGS = FAST.replace(
    "benchmark.pedantic(lambda: None, rounds=1)\n\n\ndef test_onnx", "while True:\n        pass\n\n\ndef test_onnx", 1
)
RAISES = FAST.replace(
    'benchmark.extra_info.update({"p50_us": 20.0',
    "raise KeyError('no quote for NQ')\n    benchmark.extra_info.update({\"p50_us\": 20.0",
    1,
)
NO_FIGURES = FAST.replace('"p99_us": 40.0, ', "", 1)


def _suite(tmp_path: Path, source: str, perf_yaml: str = "") -> Path:
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    (repo / "policies" / "budgets.yaml").write_text((REPO_ROOT / "policies" / "budgets.yaml").read_text())
    (repo / "policies" / "perf.yaml").write_text(
        perf_yaml or "version: 1\nbenchmark: {path: bench_suite.py, timeout_s: 20}\nruns: {min: 1, max: 1}\n"
    )
    (repo / "bench_suite.py").write_text(source)
    return repo


def _evaluate(repo: Path) -> object:
    return evaluate(repo, repo / "policies", repo / ".droid", profile="ci", time_limit_s=120)


def test_a_passing_suite_gives_each_stage_its_figures(tmp_path: Path) -> None:
    repo = _suite(tmp_path, FAST)
    policy, _ = load_perf_policy(repo / "policies")

    run = run_suite(repo, policy.benchmark, policy.stages, tmp_path / "runs", tree="head", index=1, timeout_s=30)

    assert run.outcome == "ok"
    assert run.figures["on_tick"].p99_us == 40.0 and run.figures["on_tick"].n == 1000
    assert run.figures["onnx_inference"].max_us == 30.0


def test_a_crashing_suite_is_a_blocking_finding_not_a_pass(tmp_path: Path) -> None:
    result = _evaluate(_suite(tmp_path, RAISES))

    (finding,) = result.findings  # type: ignore[attr-defined]
    assert finding.rule == "PERF014" and finding.severity.value == "high"
    assert "KeyError" in finding.message and "no quote for NQ" in finding.message
    assert "failed" in result.answer  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_hanging_suite_is_killed_at_its_time_limit_and_blocks(tmp_path: Path) -> None:
    perf = "version: 1\nbenchmark: {path: bench_suite.py, timeout_s: 3}\nruns: {min: 1, max: 1}\n"
    started = time.monotonic()

    result = _evaluate(_suite(tmp_path, HANGS, perf))

    assert time.monotonic() - started < 30
    (finding,) = result.findings  # type: ignore[attr-defined]
    assert finding.rule == "PERF015"
    assert "time limit of 3 s" in finding.message


@pytest.mark.slow
def test_an_exception_in_the_copied_pipeline_is_a_crash_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", commit=False)
    add_crash(repo, after_ticks=50)

    result = _evaluate(repo)

    assert [f.rule for f in result.findings] == ["PERF014"]  # type: ignore[attr-defined]
    assert "injected crash in on_tick" in result.findings[0].message  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("source", "perf_yaml", "message"),
    [
        (FAST, "version: 1\nbenchmark: {path: missing.py}\n", r"benchmark\.path: missing\.py is not a file"),
        (
            FAST,
            "version: 1\nbenchmark: {path: bench_suite.py}\n"
            "stages: {on_tick: {benchmark: test_nothing_like_it, budget: on_tick_p99_us}}\n",
            r"no benchmark matched the stages of perf\.yaml",
        ),
        (NO_FIGURES, "", r"extra_info\.p99_us: expected a number of microseconds >= 0, got nothing"),
        (
            FAST,
            "version: 1\nbenchmark: {path: bench_suite.py, plugins: [no_such_plugin_xyz]}\n",
            r"pytest usage error|no_such_plugin_xyz",
        ),
    ],
    ids=["no-such-suite", "no-test-matches-a-stage", "stage-without-p99", "unknown-plugin"],
)
def test_a_suite_that_cannot_be_run_as_configured_is_bad_input(
    tmp_path: Path, source: str, perf_yaml: str, message: str
) -> None:
    repo = _suite(tmp_path, source, perf_yaml)

    with pytest.raises(DroidError, match=message):
        _evaluate(repo)


def _committed(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")


def test_a_base_without_the_suite_gives_no_side_by_side_comparison(tmp_path: Path) -> None:
    repo = _suite(tmp_path, FAST)
    (repo / "bench_suite.py").rename(repo / "later.py")
    _committed(repo)  # the base has no bench_suite.py
    (repo / "later.py").rename(repo / "bench_suite.py")

    result = evaluate(repo, repo / "policies", repo / ".droid", profile="ci", base="main", time_limit_s=120)

    assert result.findings == []
    assert result.reference.kind == "none"
    assert any("has no bench_suite.py: no side-by-side comparison" in n for n in result.notes)


def test_a_base_whose_suite_fails_falls_back_and_does_not_block_the_head(tmp_path: Path) -> None:
    repo = _suite(tmp_path, RAISES)
    _committed(repo)  # the base crashes
    (repo / "bench_suite.py").write_text(FAST)  # the change fixes it

    result = evaluate(repo, repo / "policies", repo / ".droid", profile="ci", base="main", time_limit_s=120)

    assert result.failure is None and result.findings == []
    assert result.reference.kind == "none"
    assert any("the base's suite failed" in n and "no quote for NQ" in n for n in result.notes)
    assert len(result.head_runs) == 1
