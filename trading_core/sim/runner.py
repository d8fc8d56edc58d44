"""`run_simulation`: generate days, replay them through the engine and the simulated venue, write files.

    result = run_simulation(policies_dir, days=5, seed=7, out_dir=Path("out"))
    result.journal            # out/journal.csv: the contract's account journal
    result.passed             # the journal re-read (streamed) and checked by trading_core.apex: no account rule broken
    result.payout             # could a payout be requested after the run (information: APX004 needs a request)
    result.summary()          # dict of the run's numbers (for the CLI's text and JSON output)

`plans` (one `DayPlan` per day, for tests) forces the adversarial days: a late-session crash, a
runaway winning day, a feed with faults. Everything is offline and seeded: the same policies, days
and seed give the same files.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trading_core.apex import evaluate_chunks, journal_chunks, load_apex_policy
from trading_core.apex.policy import load_apex_file
from trading_core.apex.result import PayoutStatus, Violation
from trading_core.data.faults import with_faults
from trading_core.data.generator import generate_day, trading_days
from trading_core.engine.config import StrategyPolicy, load_strategy
from trading_core.engine.pipeline import Engine, Scorer
from trading_core.errors import TradingCoreError
from trading_core.latency.budgets import load_budgets
from trading_core.market.money import to_dollars
from trading_core.sim.config import load_sim_policy
from trading_core.sim.fills import SimVenue
from trading_core.sim.plan import DayPlan
from trading_core.sim.writers import SimWriters

MAX_DAYS = 260  # one year of trading days: the generator is offline, but a run should end


@dataclass(frozen=True)
class SimResult:
    out_dir: Path
    journal: Path
    equity: Path
    trades_file: Path
    risk_events: Path
    days: int
    seed: int
    ruleset: str
    account: str
    ticks: int
    rejected_ticks: int
    fills: int
    marks: int
    trades: int
    start_equity: float
    final_equity: float
    fees: float
    slippage: float
    elapsed_s: float
    latency: dict[str, dict[str, float]]
    risk_counts: dict[str, int]
    violations: tuple[Violation, ...] = field(default=())
    checked: bool = False
    payout: PayoutStatus | None = None

    @property
    def passed(self) -> bool:
        return self.checked and not self.violations

    @property
    def ticks_per_s(self) -> float:
        return self.ticks / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "files": {k: str(getattr(self, k)) for k in ("journal", "equity", "trades_file", "risk_events")},
            "days": self.days,
            "seed": self.seed,
            "ruleset": self.ruleset,
            "account": self.account,
            "ticks": self.ticks,
            "rejected_ticks": self.rejected_ticks,
            "fills": self.fills,
            "marks": self.marks,
            "trades": self.trades,
            "start_equity": self.start_equity,
            "final_equity": self.final_equity,
            "total_profit": round(self.final_equity - self.start_equity, 4),
            "fees": self.fees,
            "slippage": self.slippage,
            "elapsed_s": round(self.elapsed_s, 3),
            "ticks_per_s": round(self.ticks_per_s),
            "latency": self.latency,
            "risk_events": self.risk_counts,
            "apex_check": ("pass" if self.passed else "fail") if self.checked else "skipped",
            "violations": [v.to_dict() for v in self.violations],
            "payout": None if self.payout is None else self.payout.to_dict(),
        }


def run_simulation(
    policies_dir: Path,
    days: int | None = None,
    seed: int | None = None,
    out_dir: Path | None = None,
    *,
    plans: Sequence[DayPlan] = (),
    strategy: StrategyPolicy | None = None,
    scorer: Scorer | None = None,
    check: bool = True,
) -> SimResult:
    policies_dir = Path(policies_dir)
    sim = load_sim_policy(policies_dir, load_apex_policy(policies_dir).instruments)
    apex = load_apex_policy(policies_dir, account=sim.account)
    ins = apex.instruments
    strategy = strategy or load_strategy(policies_dir, ins)
    budgets = load_budgets(policies_dir)
    timezone = load_apex_file(policies_dir).session.timezone
    days = sim.days if days is None else days
    seed = sim.seed if seed is None else seed
    if not 1 <= days <= MAX_DAYS:
        raise TradingCoreError(f"days: expected 1 to {MAX_DAYS} trading days, got {days}")
    if seed < 0:
        raise TradingCoreError(f"seed: expected a non-negative integer, got {seed}")
    out = (
        Path(out_dir)
        if out_dir is not None
        else Path(".droid") / "sim" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    )
    symbols = tuple(strategy.symbols)
    tick_sizes = {s: float(ins[s].tick_size) for s in ins.roots}
    venue = SimVenue(
        {s: tick_sizes[s] for s in symbols},
        {s: ins.fee_units(s) for s in symbols},
        sim.fills.market_slippage_ticks,
        sim.fills.extra_slippage_per_level,
    )
    writers = SimWriters(out, ins, timezone)
    engine = Engine(strategy, apex, budgets, venue, scorer=scorer, risk_sink=writers.risk_event)
    acct = engine.account

    def on_account(kind: str, ts: int, sym: str, qty: int, price: int, fee: int) -> None:
        writers.account_event(kind, ts, sym, qty, price, fee)
        if kind == "fill":
            writers.equity_row(ts, acct.equity, acct.peak, acct.day_pnl, sum(map(abs, acct.qty.values())), acct.fees)

    engine.account_sink = on_account
    venue.on_fill = engine.on_fill
    every_us = sim.journal.equity_interval_s * 1_000_000
    ticks = 0
    started = time.perf_counter()
    try:
        for i, day in enumerate(trading_days(sim.first_day, days)):
            plan = plans[i] if i < len(plans) else DayPlan()
            generated = generate_day(
                sim.generator, tick_sizes, timezone, day, seed, symbols=symbols, crash=plan.crash, runaway=plan.runaway
            )
            stream = generated.ticks(tick_sizes)
            if plan.faults_every:
                stream = with_faults(stream, plan.faults_every)
            next_equity = 0
            on_tick, venue_tick = engine.on_tick, venue.on_tick
            for t in stream:
                venue_tick(*t)  # a Tick's fields are on_tick's parameters, in order
                on_tick(t)
                if venue.pending:
                    venue.flush()
                if t.ts_us >= next_equity:
                    next_equity = t.ts_us + every_us
                    writers.equity_row(
                        t.ts_us, acct.equity, acct.peak, acct.day_pnl, sum(map(abs, acct.qty.values())), acct.fees
                    )
                ticks += 1
            for record in engine.costs.records:
                writers.trade(record)
            engine.costs.records.clear()
    finally:
        writers.close()
    elapsed = time.perf_counter() - started
    violations: tuple[Violation, ...] = ()
    payout = None
    if check and writers.rows["journal"]:
        (verdict,) = evaluate_chunks(journal_chunks(out / "journal.csv", instruments=ins), [apex])
        violations, payout = verdict.violations, verdict.summary.payout
    counts = {f"{k}:{r}" if r else k: n for (k, r), n in sorted(engine.log.counts.items())}
    return SimResult(
        out_dir=out,
        journal=out / "journal.csv",
        equity=out / "equity.csv",
        trades_file=out / "trades.csv",
        risk_events=out / "risk_events.csv",
        days=days,
        seed=seed,
        ruleset=apex.ruleset_name,
        account=apex.account_name,
        ticks=ticks,
        rejected_ticks=engine.validator.rejected,
        fills=writers.rows["fill"],
        marks=writers.rows["mark"],
        trades=engine.costs.trades,
        start_equity=to_dollars(acct.start),
        final_equity=to_dollars(acct.equity),
        fees=to_dollars(engine.costs.fees),
        slippage=to_dollars(engine.costs.slippage),
        elapsed_s=elapsed,
        latency=engine.latency.summary(),
        risk_counts=counts,
        violations=violations,
        checked=check and writers.rows["journal"] > 0,
        payout=payout,
    )
