"""Benchmark the performance droid's static analysis (PERF001-PERF009) over a whole repository.

    python tests/benchmarks/bench_perf_static.py [REPO] [--runs 7]

Goal (issue 6): the static analysis of the whole repository in under 1 s. REPO defaults to this
repository; any git checkout works (nothing in it is written). Three timings, alternated run by run
so that a load change on the shared machine hits all three alike:
- `check, in process`: the static check as the droid runs it (`static_check.run` on a task covering
  every tracked file: perf.yaml loading, reading each file, the byte prefilter, parsing and the rules);
- `check, fresh process`: the same in a new interpreter, imports included (what a pre-commit hook pays
  for this droid, without the CLI's and the orchestrator's own start-up);
- peer `parse everything`: `ast.parse` of every file the check covers, the floor of an analyser that
  parses every file; and peer `ruff PERF`: `ruff check --no-cache --select PERF` (ruff's perflint
  rules, compiled Rust, on the same files), what a user would otherwise run.
The files are the tracked Python files minus perf.yaml `static.exclude` (default `tests/**`).
Prints the median, min and max of each, the ratios, and the machine.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from droids.core.targets import tree_targets

ROOT = Path(__file__).resolve().parents[2]
FRESH = r"""
import sys, time
started = time.perf_counter()
from pathlib import Path
from droids.core import git
from droids.core.models import Targets, Task
from droids.core.protocol import DroidContext
from droids.performance_optimizer import static_check
repo = Path(sys.argv[1])
task = Task(mode="audit", profile="audit", repo=repo, policies=Path(sys.argv[2]),
            targets=tree_targets(repo))
static_check.run(task, DroidContext(Path(sys.argv[3])))
print(time.perf_counter() - started)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    repo = args.repo.resolve()
    policies = ROOT / "policies"  # this repository's perf.yaml: same settings for any corpus
    state = Path(os.environ.get("TMPDIR", "/tmp")) / "bench-perf-static-state"

    from droids.core.models import Task
    from droids.core.protocol import DroidContext
    from droids.performance_optimizer import static_check

    task = Task(
        mode="audit",
        profile="audit",
        repo=repo,
        policies=policies,
        targets=tree_targets(repo),
    )
    from droids.performance_optimizer.policy import load_perf_policy

    # the files the check covers (perf.yaml static.exclude applied), for the peers too
    files = list(static_check.python_targets(task, load_perf_policy(policies)[0].static.exclude))
    size = sum((repo / p).stat().st_size for p in files)
    outcome = static_check.run(task, DroidContext(state))

    def in_process() -> float:
        started = time.perf_counter()
        static_check.run(task, DroidContext(state))
        return time.perf_counter() - started

    def fresh() -> float:
        cmd = [sys.executable, "-c", FRESH, str(repo), str(policies), str(state)]
        return float(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip())

    def parse_all() -> float:
        started = time.perf_counter()
        for p in files:
            with contextlib.suppress(SyntaxError, ValueError):
                ast.parse((repo / p).read_bytes())
        return time.perf_counter() - started

    def ruff_perf() -> float:
        ruff = Path(sys.executable).with_name("ruff")
        cmd = [str(ruff), "check", "--no-cache", "--select", "PERF", "--exit-zero", "--quiet", *files]
        started = time.perf_counter()
        subprocess.run(cmd, cwd=repo, capture_output=True, check=True)
        return time.perf_counter() - started

    timers: dict[str, Callable[[], float]] = {
        "check, in process": in_process,
        "check, fresh process": fresh,
        "peer: parse everything": parse_all,
        "peer: ruff PERF": ruff_perf,
    }
    samples: dict[str, list[float]] = {name: [] for name in timers}
    for _ in range(args.runs):
        for name, timer in timers.items():
            samples[name].append(timer())

    machine = f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    load = os.getloadavg()[0]
    print(f"repo {repo}: {len(task.targets.paths)} tracked files, {len(files)} Python checked ({size / 1024:.0f} KB)")
    print(f"check metrics: {outcome.metrics}, findings: {len(outcome.findings)}")
    ours = statistics.median(samples["check, in process"])
    for name, values in samples.items():
        med = statistics.median(values)
        ratio = f"  ({med / ours:.2f}x the in-process check)" if name != "check, in process" else ""
        print(f"{name:24s} median {med * 1000:7.1f} ms [{min(values) * 1000:.1f}-{max(values) * 1000:.1f}]{ratio}")
    print(f"goal: whole repository < 1 s: {'met' if ours < 1 else 'MISSED'}; machine: {machine}, load {load:.1f}")


if __name__ == "__main__":
    main()
