"""Benchmark the CLI's fast paths against the tool a user would otherwise run, in the same run.

    python tests/benchmarks/bench_cli.py PYTEST_CHECKOUT [--runs 7]

- `droid --help` and `droid list` (the import cost of the CLI);
- `droid gate --staged` with 20 staged Python files of pytest's src/_pytest, in a throw-away repo,
  next to `detect-secrets-hook` on the same files (what a pre-commit user runs otherwise), and with
  a single file. Reports median [min-max] wall seconds and the ratio of medians.
PYTEST_CHECKOUT is a work tree of pytest-dev/pytest (nothing of it is committed here).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(argv: list[str], cwd: Path, runs: int) -> list[float]:
    # The cold CLI in its own process: the warm gate server has its own benchmark (bench_precommit.py).
    env = {**os.environ, "DROID_NO_SERVER": "1"}
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=env)
        out.append(time.perf_counter() - start)
    return out


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.3f} s [{min(xs):.3f}-{max(xs):.3f}]"


def staged_repo(src: Path, files: list[Path]) -> Path:
    repo = Path(tempfile.mkdtemp(prefix="bench-gate-"))
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for f in files:
        dest = repo / f.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, dest)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    return repo


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pytest_checkout", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    policies = Path(__file__).resolve().parents[2] / "policies"
    droid = [str(BIN / "droid"), "--policies", str(policies)]
    hook = str(BIN / "detect-secrets-hook")
    here = Path.cwd()
    print(f"droid --help: {fmt(timed([*droid, '--help'], here, args.runs))}")
    print(f"droid list:   {fmt(timed([*droid, 'list'], here, args.runs))}")
    py = sorted((args.pytest_checkout / "src" / "_pytest").glob("*.py"))[:20]
    for label, files in (("20 files", py), ("1 file", py[:1])):
        repo = staged_repo(args.pytest_checkout, files)
        rel = [str(f.relative_to(args.pytest_checkout)) for f in files]
        # Interleave the two tools so machine noise hits both alike.
        ours, theirs = [], []
        for _ in range(args.runs):
            ours += timed([*droid, "gate", "--staged"], repo, 1)
            theirs += timed([hook, *rel], repo, 1)
        size = sum(f.stat().st_size for f in files) // 1024
        ratio = statistics.median(ours) / statistics.median(theirs)
        print(
            f"gate --staged, {label} ({size} KB): droid {fmt(ours)}  "
            f"detect-secrets-hook {fmt(theirs)}  ratio {ratio:.2f}x"
        )
        shutil.rmtree(repo)


if __name__ == "__main__":
    main()
