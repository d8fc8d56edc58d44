"""Benchmark: from the danger-level crossing to the kill switch's return, in a replay.

    .venv/bin/python tests/benchmarks/bench_monitor_breaker.py [--events 2000000] [--runs 5]

1. Full speed: bench_apex's generated journal (CSV, `--events` events; it reaches the danger level)
   replayed as `droid monitor replay` does; the latency runs from the moment the chunk holding the
   crossing was handed to the monitor (read and parsed) to the return of `Sentinel.kill`.
2. Paced (`--speed 60`): a one-contract journal that crosses the danger level after 30 journal
   minutes; the latency runs from the crossing's due wall time to the kill's return.
Neither figure includes the audit-trail append (SQLite under a temporary folder): it is written
after the switch returned. Goal (issue 15): within 250 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def trip(journal: Path, tmp: Path, speed: float) -> float:
    from droids.monitoring import runner

    run = runner.build(tmp, ROOT / "policies", tmp / ".droid", journal, send=False, kill=True)
    runner.replay(run, speed=speed)
    (t,) = run.monitor.breaker.trips
    return t.latency_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from bench_apex import generated_journal
    from bench_apex_cli import write_journal

    from tests.droids.monitoring.support import HEADER, es_path

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        big = tmp / "journal.csv"
        write_journal(generated_journal(args.events), big, None)
        small = tmp / "paced.csv"
        small.write_text(HEADER + es_path([4999.0] * 29 + [4960.0, 4930.0, 4904.0], step_s=60))
        full = [trip(big, tmp, 0.0) for _ in range(args.runs)]
        paced = [trip(small, tmp, 60.0) for _ in range(args.runs)]
        print(f"full speed ({args.events:,} events): median {statistics.median(full):.1f} ms, max {max(full):.1f} ms")
        print(f"paced at 60x: median {statistics.median(paced):.1f} ms, max {max(paced):.1f} ms;"
              f" load {os.getloadavg()[0]:.2f} (goal: within 250 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
