"""The benchmark suite the perf droid runs (tests/benchmarks/bench_ontick.py) works in a plain install.

`droid audit` runs it for the latency budgets in a `pip install .` environment, which has no dev
extras: the build-time `onnx` package must stay optional there (only the numpy peer needs it).
"""

from __future__ import annotations

import subprocess
import sys

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
