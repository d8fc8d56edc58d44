"""Benchmark the Apex engine (not part of the default test run).

    /work/venv/bin/python tests/benchmarks/bench_apex.py [--events 10000000] [--repeat 3] [--orders 200000]

1. `evaluate` on a generated journal of N events (4 roots, ~70 % marks, random-walk prices on the tick
   grid, timestamps spread over a year so deadlines, DST changes and early closes all occur): reports
   the median wall time of `--repeat` runs and events/s, and the median CPU time with the load
   average (the machine is shared). The journal is built as columns directly: reading a file is
   not part of the figure.
2. `ApexGuard.check_order` latency on a guard that has seen a realistic day: p50 / p99 in microseconds
   over `--orders` calls (time.perf_counter_ns around each call).
Goals (issue 3): >= 5,000,000 events/s and p99 < 20 us on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from trading_core.apex.evaluate import evaluate
from trading_core.apex.guard import ApexGuard, Order
from trading_core.apex.journal import Journal, make_event
from trading_core.apex.policy import load_apex_policy
from trading_core.apex.spec import compile_spec

POLICIES = Path(__file__).resolve().parents[2] / "policies"
ROOTS = ("ES", "MES", "NQ", "MNQ")
BASE_TICKS = np.array([20_000, 20_000, 80_000, 80_000], np.int64)


def generated_journal(n: int, seed: int = 7) -> Journal:
    rng = np.random.default_rng(seed)
    start_us = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z
    gaps = rng.integers(0, 6_000_000, n, dtype=np.int64)  # mean 3 s: 10M events span ~1 year
    ts = start_us + np.cumsum(gaps)
    sym = rng.integers(0, len(ROOTS), n, dtype=np.int64)
    is_fill = rng.random(n) < 0.3
    qty = np.zeros(n, np.int64)
    for code in range(len(ROOTS)):  # fills come in round trips (open, then close), long or short
        fills = np.flatnonzero(is_fill & (sym == code))
        if len(fills) % 2:
            is_fill[fills[-1]] = False
            fills = fills[:-1]
        size = rng.choice(np.array([-3, -2, -1, 1, 2, 3], np.int64), len(fills) // 2)
        qty[fills[0::2]], qty[fills[1::2]] = size, -size
    steps = rng.integers(-2, 3, n, dtype=np.int64)
    walk = np.zeros(n, np.int64)
    for code in range(len(ROOTS)):  # one random walk per root, around its base price
        idx = np.flatnonzero(sym == code)
        walk[idx] = BASE_TICKS[code] + np.cumsum(steps[idx]) % 4_000
    fee = np.where(is_fill, np.abs(qty) * 6_200, 0).astype(np.int64)
    return Journal("<generated>", ROOTS, ts, is_fill, sym, qty, walk, fee, np.arange(n, dtype=np.int64))


def bench_evaluate(n: int, repeat: int) -> None:
    pol = load_apex_policy(POLICIES)
    spec = compile_spec(pol)
    t0 = time.perf_counter()
    journal = generated_journal(n)
    print(f"generated {n:,} events in {time.perf_counter() - t0:.2f} s (not timed)")
    times, cpu = [], []
    load = os.getloadavg()[0]
    for _ in range(repeat):  # only `evaluate` is timed: the journal and the compiled policy are ready
        t0, c0 = time.perf_counter(), time.process_time()
        result = evaluate(journal, spec)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    med = statistics.median(times)
    print(
        f"evaluate: median {med:.3f} s of {repeat} ({', '.join(f'{t:.3f}' for t in times)}) ->"
        f" {n / med / 1e6:.2f} M events/s; {len(result.violations):,} violations,"
        f" {result.summary.trading_days} trading days"
    )
    # the machine is shared: CPU time and the load say how much of the wall time was waiting
    print(
        f"evaluate: median CPU {statistics.median(cpu):.3f} s ({n / statistics.median(cpu) / 1e6:.2f} M events/s"
        f" of CPU); load average {load:.2f} -> {os.getloadavg()[0]:.2f} on {os.cpu_count()} cpus"
    )


def bench_guard(orders: int) -> None:
    pol = load_apex_policy(POLICIES)
    guard = ApexGuard(pol)
    inst = pol.instruments
    for minute, (root, qty) in enumerate([("ES", 2), ("NQ", 1), ("MES", 3), ("ES", -1)]):
        guard.on_event(
            make_event(
                inst,
                ts=f"2026-03-10T10:0{minute}:00-04:00",
                kind="fill",
                symbol=root,
                qty=qty,
                price="5000" if "ES" in root else "20000",
            )
        )
    base = 1_773_151_200_000_000  # 2026-03-10T14:00:00Z (10:00 EDT)
    rng = np.random.default_rng(3)
    picks = [
        Order(ROOTS[int(r)], int(q), base + 300_000_000 + k)
        for k, (r, q) in enumerate(zip(rng.integers(0, 4, orders), rng.choice([-3, -1, 1, 2, 9], orders), strict=True))
    ]
    check = guard.check_order
    for order in picks[:1000]:
        check(order)  # warm up caches
    lat = np.empty(orders, np.int64)
    clock = time.perf_counter_ns
    for k, order in enumerate(picks):
        t0 = clock()
        check(order)
        lat[k] = clock() - t0
    p50, p99 = np.percentile(lat, [50, 99]) / 1000
    print(f"check_order: {orders:,} calls, p50 {p50:.2f} us, p99 {p99:.2f} us, max {lat.max() / 1000:.1f} us")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--orders", type=int, default=200_000)
    args = ap.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, Python"
        f" {platform.python_version()}, numpy {np.__version__}"
    )
    bench_evaluate(args.events, args.repeat)
    bench_guard(args.orders)


if __name__ == "__main__":
    main()
