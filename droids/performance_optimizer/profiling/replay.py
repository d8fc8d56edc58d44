"""Replay generated ticks through the OnTick pipeline, plain, under cProfile, or under tracemalloc.

Runs in its own process (`python -m droids.performance_optimizer.profiling.replay ...`) with the
measured repository first on PYTHONPATH, so its `trading_core` is the one replayed, and so that
cProfile, py-spy and tracemalloc see nothing of the droid's own process (other droids run in
threads there and would pollute a process-wide allocation count).

The engine, the simulated venue, the generated market and their settings come from the trading
core's public modules and the repository's policies (strategy.yaml, apex.yaml, sim.yaml,
budgets.yaml); nothing is mocked. Ticks are generated before anything is measured: generation is
not OnTick. Modes:
- `plain`: replay (for py-spy, which samples the process from outside);
- `cprofile`: a warm-up, then cProfile around the replay only; writes a pstats file;
- `memory`: a warm-up, then tracemalloc; after each of `checkpoints` equal chunks of ticks, a full
  garbage collection and the traced size; writes JSON `{"points": [[ticks, bytes], ...]}`.
Exit codes: 0 done, 2 bad input (a policy the trading core rejects: one line on stderr), 1 the
pipeline raised (the traceback on stderr).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import json
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HARNESS = __file__


def build(policies: Path) -> tuple[Callable[[Any], None], Callable[[int], list[Any]]]:
    """A `step(tick)` through venue and engine, and `ticks(n)` from the generated market."""
    from trading_core.apex import load_apex_policy
    from trading_core.data.generator import generate_day
    from trading_core.engine.config import load_strategy
    from trading_core.engine.pipeline import Engine
    from trading_core.latency.budgets import load_budgets
    from trading_core.sim.config import load_sim_policy
    from trading_core.sim.fills import SimVenue

    apex = load_apex_policy(policies)
    strategy = load_strategy(policies, apex.instruments)
    sim = load_sim_policy(policies, apex.instruments)
    budgets = load_budgets(policies)
    sizes = {r: float(apex.instruments[r].tick_size) for r in apex.instruments.roots}
    symbols = tuple(strategy.symbols)
    venue = SimVenue({s: sizes[s] for s in symbols}, {s: apex.instruments.fee_units(s) for s in symbols}, 1, 1)
    # keep_trades=False: a live engine does not keep every trade record, so neither does a replay
    engine = Engine(strategy, apex, budgets, venue, keep_trades=False)
    venue.on_fill = engine.on_fill
    tz = apex.session.timezone

    def days() -> Iterator[Any]:
        day, i = sim.first_day, 0
        while True:  # weekdays from the simulator's first day, a fresh seed each (as many as asked for)
            if day.weekday() < 5:
                yield from generate_day(sim.generator, sizes, tz, day, sim.seed + i, symbols=symbols).ticks(sizes)
                i += 1
            day += dt.timedelta(days=1)

    source = days()

    def ticks(n: int) -> list[Any]:
        return [next(source) for _ in range(n)]

    on_tick, venue_tick, flush = engine.on_tick, venue.on_tick, venue.flush

    def step(t: Any) -> None:
        venue_tick(t.ts_us, t.symbol, t.bid, t.ask, t.bid_size, t.ask_size, t.trade_qty)
        on_tick(t)
        if venue.pending:
            flush()

    return step, ticks


def replay(step: Callable[[Any], None], ticks: list[Any]) -> None:
    for t in ticks:
        step(t)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="replay", description=__doc__.splitlines()[0])
    p.add_argument("--policies", type=Path, required=True)
    p.add_argument("--ticks", type=int, required=True)
    p.add_argument("--warmup", type=int, default=1000)
    p.add_argument("--mode", choices=("plain", "cprofile", "memory"), default="plain")
    p.add_argument("--checkpoints", type=int, default=10)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    from trading_core.errors import TradingCoreError

    try:
        step, make = build(args.policies)
        warm, ticks = make(args.warmup), make(args.ticks)
    except TradingCoreError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    replay(step, warm)
    if args.mode == "plain":
        replay(step, ticks)
    elif args.mode == "cprofile":
        profiler = cProfile.Profile()
        profiler.runcall(replay, step, ticks)
        profiler.dump_stats(str(args.out))
    else:
        points = traced_growth(step, ticks, args.checkpoints)
        args.out.write_text(json.dumps({"ticks": len(ticks), "points": points}), encoding="utf-8")
    return 0


def traced_growth(step: Callable[[Any], None], ticks: list[Any], checkpoints: int) -> list[list[int]]:
    """[[ticks replayed, traced bytes above the start], ...] after each chunk and a full collection."""
    gc.collect()
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    points = [[0, 0]]
    chunk = max(1, len(ticks) // checkpoints)
    for i in range(0, len(ticks), chunk):
        replay(step, ticks[i : i + chunk])
        gc.collect()
        points.append([min(i + chunk, len(ticks)), tracemalloc.get_traced_memory()[0] - start])
    tracemalloc.stop()
    return points


if __name__ == "__main__":
    raise SystemExit(main())
