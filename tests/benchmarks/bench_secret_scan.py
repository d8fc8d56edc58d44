"""Benchmark SEC001's scanner against detect-secrets on a checkout of pytest (not run by the tests).

    python tests/benchmarks/bench_secret_scan.py /path/to/pytest-checkout [--runs 7] [--tree-runs 3]

Every timing is a fresh process, as a pre-commit hook or a CI step would be, and the two tools are
run alternately in the same session, so the ratios hold even when the machine is noisy:

- pre-commit: 20 files of `src/_pytest` read from the git index (what `droid gate --staged` reads),
  with an empty cache, against `detect-secrets-hook` on the same files; then one file each;
- full tree: every tracked file, cold (empty cache) and warm (second run, nothing changed),
  against `detect-secrets scan --all-files --exclude-files 'plugin_list\\.rst$'` (detect-secrets
  needs ~460 s for that one file); our scan excludes nothing.

The checkout is only read: nothing is staged, written or committed in it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

OURS = r"""
import json, sys, time
from pathlib import Path
from droids.core import git
from droids.core.models import Targets, Task
from droids.core.protocol import DroidContext
from droids.core.registry import load_registry

repo, state, kind, *paths = sys.argv[1:]
repo = Path(repo)
if kind == "tree":
    paths = git.tracked_paths(repo)
task = Task(mode="gate", profile="pre-commit", repo=repo, policies=repo / "policies",
            targets=Targets(kind=kind, paths=tuple(paths)))
report = load_registry().get("security-compliance").run(task, DroidContext(Path(state)))
print(json.dumps({"findings": len(report.findings), "metrics": report.metrics, "notes": report.notes}))
"""
DS_EXCLUDE = r"plugin_list\.rst$"


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):  # detect-secrets-hook exits 1 when it finds something
        sys.exit(f"{command[0]} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return elapsed, proc.stdout


def ours(checkout: Path, state: Path, kind: str, paths: list[str]) -> list[str]:
    return [sys.executable, "-c", OURS, str(checkout), str(state), kind, *paths]


def summary(samples: list[float]) -> str:
    return f"{statistics.median(samples):7.3f} s [{min(samples):.3f}-{max(samples):.3f}]"


def compare(label: str, runs: int, mine: Callable[[], list[str]], theirs: list[str], cwd: Path) -> dict[str, float]:
    a: list[float] = []
    b: list[float] = []
    out = ""
    for _ in range(runs):  # alternate, so drift of the machine hits both sides alike
        elapsed, out = timed(mine(), cwd)
        a.append(elapsed)
        b.append(timed(theirs, cwd)[0])
    ratio = statistics.median(b) / statistics.median(a)
    print(f"{label}\n  ours           {summary(a)}\n  detect-secrets {summary(b)}\n  speed-up       {ratio:6.1f}x")
    print(f"  ours reported: {out.strip()[:300]}")
    return {"ours": statistics.median(a), "detect_secrets": statistics.median(b), "ratio": ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="a git checkout of pytest-dev/pytest")
    parser.add_argument("--runs", type=int, default=7, help="runs per pre-commit measurement")
    parser.add_argument("--tree-runs", type=int, default=3, help="runs per full-tree measurement")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    bin_dir = Path(sys.executable).parent
    hook, scan = str(bin_dir / "detect-secrets-hook"), str(bin_dir / "detect-secrets")
    tracked = subprocess.run(["git", "-C", str(checkout), "ls-files", "src/_pytest/*.py"], capture_output=True,
                             text=True, check=True).stdout.split()  # fmt: skip
    twenty = sorted(tracked)[:20]
    size = sum((checkout / p).stat().st_size for p in twenty)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load}")
    print(f"checkout: {checkout} ({len(tracked)} .py files in src/_pytest; 20 files = {size / 1024:.0f} KB)\n")

    with tempfile.TemporaryDirectory(prefix="bench-sec001-") as tmp:
        fresh = iter(range(10_000))

        def cold(kind: str, paths: list[str]) -> Callable[[], list[str]]:
            return lambda: ours(checkout, Path(tmp) / f"state-{next(fresh)}", kind, paths)

        results = {
            "pre-commit 20 files": compare(
                "pre-commit, 20 staged files, empty cache", args.runs, cold("staged", twenty), [hook, *twenty], checkout
            ),
            "pre-commit 1 file": compare(
                "pre-commit, 1 staged file, empty cache", args.runs, cold("staged", twenty[:1]), [hook, twenty[0]],
                checkout,
            ),
        }  # fmt: skip
        ds_tree = [scan, "scan", "--all-files", "--exclude-files", DS_EXCLUDE]
        label = "full tree, cold (ours: every file incl. plugin_list.rst)"
        results["tree cold"] = compare(label, args.tree_runs, cold("tree", []), ds_tree, checkout)
        warm_state = Path(tmp) / "warm"
        timed(ours(checkout, warm_state, "tree", []), checkout)  # fill the cache once
        results["tree warm"] = compare(
            "full tree, warm (second run, nothing changed)",
            args.tree_runs,
            lambda: ours(checkout, warm_state, "tree", []),
            ds_tree,
            checkout,
        )
    print("\n" + json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
