"""`python -m trading_core.sim [--days N] [--seed S] [--out DIR] [--policies DIR] [--json]`.

Runs the bundled trading core offline on generated days and writes journal.csv, equity.csv,
trades.csv and risk_events.csv into DIR (default .droid/sim/<UTC timestamp>/), then checks the
journal with the Apex engine. Exit codes follow the contract: 0 the journal breaks no account rule,
1 it has violations, 2 bad input (one line on stderr). Consistency (APX004) is judged only at a
payout request, which a simulated run does not make: the summary states the payout eligibility.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trading_core.errors import TradingCoreError


def _default_policies() -> Path:
    here = Path.cwd() / "policies"
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "policies"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trading_core.sim", description="Run the trading core offline.")
    parser.add_argument("--days", type=int, default=None, help="trading days to simulate (default: sim.yaml)")
    parser.add_argument("--seed", type=int, default=None, help="generator seed (default: sim.yaml)")
    parser.add_argument("--out", type=Path, default=None, help="output folder")
    parser.add_argument("--policies", type=Path, default=None, help="policies folder (default: ./policies)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if args.days is not None and args.days < 1:
        print("error: --days: expected a positive number of days", file=sys.stderr)
        return 2
    from trading_core.sim.runner import run_simulation

    try:
        result = run_simulation(args.policies or _default_policies(), args.days, args.seed, args.out)
    except TradingCoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    s = result.summary()
    if args.json:
        print(json.dumps(s, indent=2))
    else:
        print(
            f"simulated {s['days']} trading day(s) of generated market (random seed {s['seed']}):"
            f" {s['ticks']} ticks at {s['ticks_per_s']}/s"
        )
        print(f"trades {s['trades']}, fills {s['fills']}, fees ${s['fees']:.2f}, slippage ${s['slippage']:.2f}")
        print(f"equity ${s['start_equity']:,.2f} -> ${s['final_equity']:,.2f} (profit ${s['total_profit']:,.2f})")
        lat = s["latency"]
        print(
            f"on_tick p50/p99 {lat['on_tick']['p50_us']:.1f}/{lat['on_tick']['p99_us']:.1f} us;"
            f" model p50/p99 {lat['model']['p50_us']:.1f}/{lat['model']['p99_us']:.1f} us"
        )
        print(f"apex check under rule set {s['ruleset']}, account {s['account']}: {s['apex_check']}")
        for v in result.violations:
            print(f"  {v.rule} {v.trading_day}: {v.message}")
        if result.payout is not None:
            print(f"payout (information, not a rule): {result.payout.reason}")
        print(f"wrote {result.out_dir}/journal.csv, equity.csv, trades.csv, risk_events.csv")
    return 0 if result.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
