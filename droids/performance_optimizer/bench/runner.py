"""Run the benchmark suite once, in its own process group and under its own time limit.

`python -m pytest <suite> -k "<stage benchmarks>" --benchmark-json <file>` runs in the tree being
measured (the work tree, or an extracted base commit) with that tree first on PYTHONPATH, so its
own `trading_core` is the one imported. Plugin autoloading is off (perf.yaml names the plugins):
third-party plugins cost seconds at start-up and add noise. A run that exits with failures is
`failed`, one that outlives its limit is killed with its whole process group and is `timeout`;
both are verdicts about the benchmarked code, not errors of the droid. A suite that cannot be
started as configured (no such file, no test matches a stage, an unknown plugin) is bad input.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from droids.core.errors import DroidError
from droids.performance_optimizer.bench.results import (
    StageFigures,
    calibration_figures,
    read_benchmark_json,
    stage_figures,
)
from droids.performance_optimizer.policy import BenchmarkSpec, StageSpec

Outcome = Literal["ok", "failed", "timeout"]
_PYTEST_NO_TESTS, _PYTEST_USAGE = 5, 4
_TAIL = 12


@dataclass(frozen=True)
class SuiteRun:
    tree: str  # "head" or "base"
    index: int
    outcome: Outcome
    duration_s: float
    load: float | None  # 1-minute load average when the run started
    figures: dict[str, StageFigures] = field(default_factory=dict)
    calibration: StageFigures | None = None  # the no-op timed like the stages: this run's timer noise
    detail: str = ""  # why a run failed: pytest's summary lines or the time limit
    log: Path | None = None


def command(
    spec: BenchmarkSpec, stages: Mapping[str, StageSpec], json_out: Path, calibration: str | None = None
) -> list[str]:
    selection = " or ".join(dict.fromkeys([*(s.benchmark for s in stages.values()), *filter(None, [calibration])]))
    plugins = [arg for p in spec.plugins for arg in ("-p", p)]
    return [
        sys.executable,
        "-m",
        "pytest",
        spec.path,
        "-q",
        "-p",
        "no:cacheprovider",
        *plugins,
        "-o",
        "addopts=",
        "-k",
        selection,
        f"--benchmark-json={json_out}",
    ]


def run_suite(
    tree_root: Path,
    spec: BenchmarkSpec,
    stages: Mapping[str, StageSpec],
    work_dir: Path,
    *,
    tree: str,
    index: int,
    timeout_s: float,
    calibration: str | None = None,
) -> SuiteRun:
    """`calibration`: the timer calibration benchmark to run and read too (perf.yaml
    worst_case.calibration); the run's `calibration` is None when the suite has no such test."""
    if not (tree_root / spec.path).is_file():
        raise DroidError(f"perf.yaml: benchmark.path: {spec.path} is not a file in {tree_root}")
    work_dir.mkdir(parents=True, exist_ok=True)
    json_out = work_dir / f"{tree}-{index}.json"
    log = work_dir / f"{tree}-{index}.log"
    json_out.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tree_root), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    load = _load()
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command(spec, stages, json_out, calibration),
            cwd=tree_root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return SuiteRun(
                tree,
                index,
                "timeout",
                time.perf_counter() - started,
                load,
                detail=f"still running after its time limit of {timeout_s:g} s (perf.yaml benchmark.timeout_s); killed",
                log=log,
            )
    duration = time.perf_counter() - started
    tail = _tail(log)
    if code in (_PYTEST_NO_TESTS, _PYTEST_USAGE):
        what = "no benchmark matched the stages of perf.yaml" if code == _PYTEST_NO_TESTS else "pytest usage error"
        raise DroidError(f"{spec.path} ({tree}): {what}: {_summary(tail)} (log: {log})")
    if code != 0:
        return SuiteRun(tree, index, "failed", duration, load, detail=f"exit code {code}: {_summary(tail)}", log=log)
    if not json_out.is_file():
        raise DroidError(
            f"{spec.path} ({tree}): the run wrote no benchmark JSON; is pytest-benchmark installed and listed "
            f"in perf.yaml benchmark.plugins? (log: {log})"
        )
    display = f"{spec.path} ({tree} run {index}) JSON {json_out}"
    data = read_benchmark_json(json_out)
    figures = stage_figures(data, stages, display, optional=tree == "base")
    timer = calibration_figures(data, calibration, display) if calibration else None
    return SuiteRun(tree, index, "ok", duration, load, figures=figures, calibration=timer, log=log)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _tail(log: Path) -> list[str]:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if line.strip()][-200:]


def _summary(lines: list[str]) -> str:
    """pytest's short summary (`FAILED ...`, `ERROR ...`, `E   ...`), else the last line."""
    picked = [ln.strip() for ln in lines if ln.startswith(("FAILED ", "ERROR ", "E   "))]
    if not picked:
        picked = lines[-1:] or ["no output"]
    text = "; ".join(dict.fromkeys(picked[-_TAIL:]))
    return text[:600]
