"""Benchmark `droid gate` on this repository's workflows with the devops droid routed, against the
tools a user would otherwise run on them, interleaved in the same run.

    python tests/benchmarks/bench_devops_gate.py [--runs 9]

- droid: `droid gate .github/workflows/*.yml` (routes the security and devops droids; the devops
  droid runs zizmor offline, the workflow schema and OPS003-OPS006), a fresh process per run, with
  DROID_AUDIT_URL unset (the gate appends to a throw-away copy's .droid/audit.db);
- peers: `zizmor --offline` on the same files plus `check-jsonschema --builtin-schema
  vendor.github-workflows` on them (two processes, what the devops droid replaces).
Reports median [min-max] wall seconds and the ratio of medians. Goal: droid under 3 s on 2 cores.
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
REPO = Path(__file__).resolve().parents[2]


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=env)
    return time.perf_counter() - start


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.3f} s [{min(xs):.3f}-{max(xs):.3f}]"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-devops-"))
    subprocess.run(["git", "clone", "-q", str(REPO), str(work / "repo")], check=True)
    repo = work / "repo"
    workflows = sorted(str(p.relative_to(repo)) for p in (repo / ".github" / "workflows").glob("*.yml"))
    env = {k: v for k, v in os.environ.items() if k != "DROID_AUDIT_URL"}
    droid = [str(BIN / "droid"), "gate", *workflows]
    peers = [
        [str(BIN / "zizmor"), "--offline", "--no-config", "--no-progress", *workflows],
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows],
    ]
    timed(droid, repo, env)  # warm the page cache and zizmor's binary once for both sides
    ours, theirs = [], []
    for _ in range(args.runs):
        ours.append(timed(droid, repo, env))
        theirs.append(sum(timed(p, repo, env) for p in peers))
    load = os.getloadavg()
    print(f"workflows: {', '.join(workflows)}; {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"droid gate (security + devops): {fmt(ours)}")
    print(f"zizmor --offline + check-jsonschema: {fmt(theirs)}")
    print(f"ratio {statistics.median(ours) / statistics.median(theirs):.2f}x; goal droid < 3 s: "
          f"{'met' if statistics.median(ours) < 3 else 'NOT met'}")  # fmt: skip
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
