"""Benchmark: how often the monitor's detectors fire on the simulator's normal weeks (false alarms).

    .venv/bin/python tests/benchmarks/bench_monitor_false_alarms.py [--weeks 26] [--seed 1]

One continuous `droid sim run` of `--weeks` x 5 trading days (no crash, no runaway, no faults: the
simulator's normal market), with each OnTick timed (perf_counter_ns around `Engine.on_tick`, the
engine subclassed here; the simulator itself writes no latency file) into latency.csv beside the
journal. The journal, risk_events.csv and latency.csv are then replayed through the monitor with the
shipped policy (nothing sent, no kill switch) and every alert episode is counted per rule and per
week. For the anomaly detectors (MON007 drawdown band, MON008 latency spike, MON009 win-rate drift)
every episode on a normal week is a false alarm: reported as episodes per week and the share of
weeks with at least one.
"""

from __future__ import annotations

import argparse
import array
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from time import perf_counter_ns

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from trading_core.engine.pipeline import Engine  # noqa: E402

TIMES_TS = array.array("q")
TIMES_US = array.array("d")


class TimedEngine(Engine):
    def on_tick(self, tick):  # type: ignore[no-untyped-def]
        t = perf_counter_ns()
        out = super().on_tick(tick)
        TIMES_TS.append(tick.ts_us)
        TIMES_US.append((perf_counter_ns() - t) / 1000)
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    import trading_core.sim.runner as sim_runner

    sim_runner.Engine = TimedEngine  # type: ignore[misc]
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as name:
        out = Path(name)
        t = time.perf_counter()
        result = sim_runner.run_simulation(ROOT / "policies", days=args.weeks * 5, seed=args.seed, out_dir=out)
        print(f"simulated {result.days} days ({result.ticks:,} ticks, {result.trades} trades) in"
              f" {time.perf_counter() - t:.0f} s; apex check: {'pass' if result.passed else 'violations'}")  # fmt: skip
        with (out / "latency.csv").open("w") as f:
            f.write("ts,on_tick_us\n")
            epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
            for ts, us in zip(TIMES_TS, TIMES_US, strict=True):
                f.write(f"{(epoch + dt.timedelta(microseconds=ts)).isoformat()},{us:.1f}\n")
        print(f"{args.weeks} normal weeks, {len(TIMES_US):,} OnTick samples (p99"
              f" {sorted(TIMES_US)[int(0.99 * (len(TIMES_US) - 1))] / 1000:.3f} ms)")  # fmt: skip
        relative = out / "relative-policies"
        shutil.copytree(ROOT / "policies", relative)
        (relative / "monitoring.yaml").write_text("latency: {spike_floor_ms: 0.001}\n")
        weeks = len({dt.datetime.fromtimestamp(ts / 1e6, dt.UTC).strftime("%G-W%V") for ts in TIMES_TS[::5000]})
        print(f"calendar weeks spanned: {weeks}")
        for label, policies in (("shipped policy", ROOT / "policies"), ("MON008 without its 50 ms floor", relative)):
            counts, weeks_of = _replay(out, policies)
            print(f"-- {label}:")
            for rule in RULES:
                n, w = counts.get(rule, 0), len(weeks_of.get(rule, ()))
                print(f"{rule}: {n} episodes, {n / weeks:.3f} per week, {w}/{weeks} weeks with one")


RULES = ("MON001", "MON002", "MON003", "MON004", "MON005", "MON006", "MON007", "MON008", "MON009")


def _replay(out: Path, policies: Path) -> tuple[Counter[str], dict[str, set[str]]]:
    from droids.monitoring import runner
    from droids.monitoring.state.sidecars import Sidecars

    run = runner.build(out, policies, out / ".droid", out / "journal.csv", send=False, kill=False)
    episodes: list[tuple[str, int]] = []
    decide = run.monitor.episodes.decide

    def counted(signals):  # type: ignore[no-untyped-def]
        found = decide(signals)
        episodes.extend((s.rule, s.ts_us) for s, _ in found if s.firing)
        return found

    run.monitor.episodes.decide = counted  # type: ignore[method-assign]
    runner.replay(run, sidecars=Sidecars.beside(out / "journal.csv", "latency.csv"))
    weeks_of: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for rule, ts in episodes:
        counts[rule] += 1
        weeks_of.setdefault(rule, set()).add(dt.datetime.fromtimestamp(ts / 1e6, dt.UTC).strftime("%G-W%V"))
    return counts, weeks_of


if __name__ == "__main__":
    main()
