"""Simulator throughput, this tree against another checkout, interleaved (not part of the default test run).

    .venv/bin/python tests/benchmarks/bench_sim.py [--other DIR] [--runs 5] [--days 2]

Each run is a fresh process doing `run_simulation(policies, days=2, seed=7, check=False)` (generation,
engine with the model on every tick, simulated venue, files; the figure `droid sim run` prints as
ticks/s). With `--other DIR` (e.g. `git archive <commit> | tar -x -C DIR`), runs alternate between
this tree and DIR, on the same policies, so a change of machine load hits both; medians are printed
with their ratio. Goal (issue 20): >= 50,000 ticks/s with the model on every tick.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = """
import sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from trading_core.sim.runner import run_simulation
with tempfile.TemporaryDirectory() as tmp:
    cpu = time.process_time()
    r = run_simulation(Path(sys.argv[2]), days=int(sys.argv[3]), seed=7, out_dir=Path(tmp), check=False)
    cpu = time.process_time() - cpu
print(r.ticks, r.ticks_per_s, r.ticks / cpu)
"""


def one(tree: Path, days: int) -> tuple[int, float, float]:
    """(ticks, ticks per wall second as the simulator reports it, ticks per CPU second of the process)."""
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET, str(tree), str(ROOT / "policies"), str(days)],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return int(out[0]), float(out[1]), float(out[2])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--other", type=Path, default=None, help="another checkout to compare with")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--days", type=int, default=2)
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}")
    trees = {"this tree": ROOT, **({f"other ({args.other})": args.other} if args.other else {})}
    rates: dict[str, list[float]] = {name: [] for name in trees}
    cpu: dict[str, list[float]] = {name: [] for name in trees}  # steadier than wall time on a shared machine
    loads = [os.getloadavg()[0]]
    ticks = 0
    for _ in range(args.runs):
        for name, tree in trees.items():
            ticks, rate, per_cpu = one(tree, args.days)
            rates[name].append(rate)
            cpu[name].append(per_cpu)
        loads.append(os.getloadavg()[0])
    for name, values in rates.items():
        print(f"{name}: {ticks:,} ticks, median {statistics.median(values):,.0f} ticks/s"
              f" [{min(values):,.0f}-{max(values):,.0f}] of {args.runs};"
              f" {statistics.median(cpu[name]):,.0f} ticks per CPU second")  # fmt: skip
    if args.other:
        mine, theirs = (statistics.median(v) for v in rates.values())
        mine_cpu, theirs_cpu = (statistics.median(v) for v in cpu.values())
        print(f"ratio this / other: {mine / theirs:.2f} wall, {mine_cpu / theirs_cpu:.2f} CPU")
    print(f"load average during the runs: {min(loads):.2f}-{max(loads):.2f}")


if __name__ == "__main__":
    main()
