"""The benchmark suite the perf droid runs (tests/benchmarks/bench_ontick.py) works in a plain install.

`droid audit` runs it for the latency budgets in a `pip install .` environment, which has no dev
extras: the build-time `onnx` package must stay optional there (only the numpy peer needs it); and
its timer calibration is read with the stages.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from droids.performance_optimizer.bench.judge import Reference, judge
from droids.performance_optimizer.bench.runner import run_suite
from droids.performance_optimizer.policy import load_budget_policy, load_perf_policy
from tests.conftest import REPO_ROOT

WITHOUT_ONNX = """
import importlib.util, sys
sys.modules["onnx"] = None  # importing it now raises ImportError, as in a plain install
spec = importlib.util.spec_from_file_location("bench_ontick", sys.argv[1])
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
from trading_core.model.inference import bundled_model_path
print(bench.numpy_forward(bundled_model_path()))
"""


def test_the_ontick_suite_loads_and_skips_its_peer_without_onnx() -> None:
    suite = REPO_ROOT / "tests" / "benchmarks" / "bench_ontick.py"
    proc = subprocess.run(
        [sys.executable, "-c", WITHOUT_ONNX, str(suite)], capture_output=True, text=True, cwd=REPO_ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None"


@pytest.mark.slow
def test_a_run_of_the_shipped_suite_reads_its_timer_calibration(tmp_path: Path) -> None:
    """PERF011 judges each stage's max against the no-op calibration of the same run (perf.yaml
    worst_case.calibration): the shipped suite has it, runs it after the stages, and the droid reads it."""
    policies = REPO_ROOT / "policies"
    policy, _ = load_perf_policy(policies)
    assert policy.worst_case.calibration == "test_timer_calibration"

    run = run_suite(
        REPO_ROOT,
        policy.benchmark,
        policy.stages,
        tmp_path,
        tree="head",
        index=1,
        timeout_s=policy.benchmark.timeout_s,
        calibration=policy.worst_case.calibration,
    )

    assert run.outcome == "ok", run.detail
    assert run.calibration is not None and run.calibration.n is not None and run.calibration.n >= 100_000
    written = json.loads((tmp_path / "head-1.json").read_text())["benchmarks"]
    extra = {b["name"]: b["extra_info"] for b in written}
    timer = extra["test_timer_calibration"]
    assert timer["max_us"] == run.calibration.max_us
    # it ran after both stages and spent at least as long inside timed calls as the longer of them (capped)
    assert timer["matched"] == ["on_tick", "onnx_inference"]
    longest = max(extra[policy.stages[s].benchmark]["timed_s"] for s in ("on_tick", "onnx_inference"))
    assert timer["timed_s"] >= min(longest, 5.0) - 0.001
    judgements = judge([run], [], Reference("none", "no reference"), policy, load_budget_policy(policies))
    assert [j.calibration_max_runs for j in judgements] == [(run.calibration.max_us,)] * 2
