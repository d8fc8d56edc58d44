"""Build a real engine on the shipped policies, wired to the simulated venue, and drive it with ticks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tests.trading_core.data.conftest import POLICIES
from trading_core.apex import load_apex_policy
from trading_core.data.generator import generate_day
from trading_core.data.ticks import Tick
from trading_core.engine.config import StrategyPolicy, load_strategy
from trading_core.engine.pipeline import Engine, Scorer
from trading_core.execution.orders import WorkingOrder
from trading_core.latency.budgets import load_budgets
from trading_core.sim.config import load_sim_policy
from trading_core.sim.fills import SimVenue

APEX = load_apex_policy(POLICIES)
STRATEGY = load_strategy(POLICIES, APEX.instruments)
BUDGETS = load_budgets(POLICIES)
SIM = load_sim_policy(POLICIES, APEX.instruments)
SIZES = {r: float(APEX.instruments[r].tick_size) for r in APEX.instruments.roots}


class RecordingVenue(SimVenue):
    """The simulated venue, remembering every order submitted and when."""

    def __init__(self) -> None:
        syms = STRATEGY.symbols
        super().__init__({s: SIZES[s] for s in syms}, {s: APEX.instruments.fee_units(s) for s in syms}, 1, 1)
        self.submitted: list[tuple[int, WorkingOrder]] = []

    def submit(self, order: WorkingOrder) -> None:
        self.submitted.append((self.now_us, order))
        super().submit(order)


@dataclass
class Rig:
    engine: Engine
    venue: RecordingVenue
    events: list[tuple[Any, ...]] = field(default_factory=list)

    def drive(self, ticks: Iterable[Tick]) -> None:
        for t in ticks:
            self.venue.on_tick(t.ts_us, t.symbol, t.bid, t.ask, t.bid_size, t.ask_size, t.trade_qty)
            self.engine.on_tick(t)
            self.venue.flush()

    def entries(self) -> list[tuple[int, WorkingOrder]]:
        return [(ts, o) for ts, o in self.venue.submitted if o.purpose == "entry"]


def rig(strategy: StrategyPolicy = STRATEGY, scorer: Scorer | None = None) -> Rig:
    venue = RecordingVenue()
    engine = Engine(strategy, APEX, BUDGETS, venue, scorer=scorer)
    r = Rig(engine, venue)
    engine.account_sink = lambda *row: r.events.append(row)
    venue.on_fill = engine.on_fill
    return r


def ticks(
    day: dt.date = dt.date(2026, 3, 5), seed: int = 7, crash: bool | None = False, runaway: bool = False
) -> list[Tick]:
    d = generate_day(SIM.generator, SIZES, "America/New_York", day, seed, symbols=tuple(STRATEGY.symbols),
                     crash=crash, runaway=runaway)  # fmt: skip
    return list(d.ticks(SIZES))


def evaluate_events(events: list[tuple[Any, ...]]) -> Any:
    """Check what the engine emitted (its journal rows) with the Apex engine."""
    from trading_core.apex import evaluate
    from trading_core.apex.journal import Event, Journal

    rows = [Event(k, ts, kind, sym, qty, price, fee) for k, (kind, ts, sym, qty, price, fee) in enumerate(events)]
    return evaluate(Journal.from_events(rows), APEX)
