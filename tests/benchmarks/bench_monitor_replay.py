"""Benchmark `droid monitor replay`'s decision path: journal events per second read, run through the
trading core's ledger, the nine detectors and the episode layer, to the alert decision.

    .venv/bin/python tests/benchmarks/bench_monitor_replay.py [--events 2000000] [--runs 5]

The journal is bench_apex's generator (4 roots, ~70 % marks, two months) written as CSV and Parquet
into a temporary folder. Interleaved `--runs` times, in one process each:
- ours: the monitor's replay of the file (runner.replay, nothing sent: the decision, not Slack);
- the decision alone: the same chunks read beforehand, only the monitor timed;
- the peer a user would otherwise run: `droid apex check`'s evaluation of the same file
  (journal_chunks + evaluate_chunks, one rule set), which decides APX010/APX011 but no alert.
Medians, events/s and the ratio ours / peer. Goal (issue 15): >= 1,000,000 events/s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

OURS = """
import sys, time
from pathlib import Path
from droids.monitoring import runner
path, policies = Path(sys.argv[1]), Path(sys.argv[2])
t = time.perf_counter()
run = runner.build(Path(sys.argv[3]), policies, Path(sys.argv[3]) / ".droid", path, send=False, kill=False)
runner.replay(run)
print(time.perf_counter() - t, run.monitor.tracker.events, run.monitor.decided)
"""
DECIDE = """
import sys, time
from pathlib import Path
from droids.monitoring import runner
from trading_core.apex import journal_chunks
path, policies = Path(sys.argv[1]), Path(sys.argv[2])
run = runner.build(Path(sys.argv[3]), policies, Path(sys.argv[3]) / ".droid", path, send=False, kill=False)
chunks = list(journal_chunks(path, instruments=run.monitor.apex.instruments))
t = time.perf_counter()
for chunk in chunks:
    run.monitor.feed(chunk)
print(time.perf_counter() - t, run.monitor.tracker.events, run.monitor.decided)
"""
PEER = """
import sys, time
from pathlib import Path
from trading_core.apex import evaluate_chunks, journal_chunks, load_apex_policy
path, policies = Path(sys.argv[1]), Path(sys.argv[2])
t = time.perf_counter()
policy = load_apex_policy(policies)
(r,) = evaluate_chunks(journal_chunks(path, instruments=policy.instruments), [policy])
print(time.perf_counter() - t, r.events, sum(r.counts.values()))
"""


def timed(code: str, path: Path, tmp: Path) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", code, str(path), str(ROOT / "policies"), str(tmp)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout.split()  # fmt: skip
    return float(out[0]), int(out[1]), int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from bench_apex import generated_journal
    from bench_apex_cli import write_journal

    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
          f" load {os.getloadavg()[0]:.2f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        journal = generated_journal(args.events)
        write_journal(journal, tmp / "journal.csv", tmp / "journal.parquet")
        print(f"{len(journal):,} events: CSV {(tmp / 'journal.csv').stat().st_size / 1e6:.0f} MB")
        for kind in ("csv", "parquet"):
            path = tmp / f"journal.{kind}"
            ours, peer, decide = [], [], []
            for _ in range(args.runs):
                ours.append(timed(OURS, path, tmp))
                peer.append(timed(PEER, path, tmp))
                decide.append(timed(DECIDE, path, tmp))
            o, p = statistics.median(t for t, _, _ in ours), statistics.median(t for t, _, _ in peer)
            n = ours[0][1]
            lo, hi = min(t for t, _, _ in ours), max(t for t, _, _ in ours)
            print(f"{kind}: monitor replay {o:.2f} s [{lo:.2f}-{hi:.2f}]"
                  f" = {n / o / 1e6:.2f}M events/s ({ours[0][2]} alert decisions); apex evaluation {p:.2f} s ="
                  f" {n / p / 1e6:.2f}M events/s ({peer[0][2]} violations); ratio {o / p:.2f}x;"
                  f" load {os.getloadavg()[0]:.2f}")  # fmt: skip
            d = statistics.median(t for t, _, _ in decide)
            print(f"{kind}: the decision alone (chunks already read) {d:.2f} s = {n / d / 1e6:.2f}M events/s")
        print(f"timing: {time.strftime('%Y-%m-%d %H:%M')}")


if __name__ == "__main__":
    main()
