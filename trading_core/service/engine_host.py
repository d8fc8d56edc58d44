"""One engine fed by the generated market, one event per request, under a lock (requests arrive on
many threads; the pipeline is single-threaded by design)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trading_core.apex import load_apex_policy
from trading_core.apex.policy import load_apex_file
from trading_core.data.generator import generate_day, trading_days
from trading_core.engine.config import load_strategy
from trading_core.engine.pipeline import Engine
from trading_core.latency.budgets import load_budgets
from trading_core.service.config import ServiceConfig
from trading_core.sim.config import load_sim_policy
from trading_core.sim.fills import SimVenue

MAX_DAYS = 260


class EngineHost:
    def __init__(self, policies: Path, config: ServiceConfig, seed: int | None = None) -> None:
        instruments = load_apex_policy(policies).instruments
        self.sim = load_sim_policy(policies, instruments)
        self.apex = load_apex_policy(policies, ruleset=config.apex.ruleset, account=config.apex.account)
        strategy = load_strategy(policies, instruments)
        if config.sentinel:  # this environment's SENTINEL tiers (validated by the strategy model)
            risk = strategy.risk.model_validate({**strategy.risk.model_dump(), **config.sentinel})
            strategy = strategy.model_copy(update={"risk": risk})
        self.strategy = strategy
        self.budgets = load_budgets(policies)
        self.timezone = load_apex_file(policies).session.timezone
        self.seed = self.sim.seed if seed is None else seed
        self.symbols = tuple(strategy.symbols)
        self.tick_sizes = {s: float(instruments[s].tick_size) for s in instruments.roots}
        self.fees = {s: instruments.fee_units(s) for s in self.symbols}
        self.lock = threading.Lock()
        self.engine, self.venue = self._engine()
        self.stream: Iterator[Any] = self._ticks()
        self.ticks = 0

    def _engine(self) -> tuple[Engine, SimVenue]:
        f = self.sim.fills
        venue = SimVenue(
            {s: self.tick_sizes[s] for s in self.symbols},
            self.fees,
            f.market_slippage_ticks,
            f.extra_slippage_per_level,
        )
        engine = Engine(self.strategy, self.apex, self.budgets, venue, keep_trades=False)
        venue.on_fill = engine.on_fill
        return engine, venue

    def _ticks(self) -> Iterator[Any]:
        for day in trading_days(self.sim.first_day, MAX_DAYS):
            generated = generate_day(
                self.sim.generator, self.tick_sizes, self.timezone, day, self.seed, symbols=self.symbols
            )
            yield from generated.ticks(self.tick_sizes)

    def step(self) -> dict[str, Any]:
        """One market event through the venue and the OnTick pipeline; what the engine now holds."""
        with self.lock:
            tick = next(self.stream, None)
            if tick is None:  # a year of generated market served: start over with a fresh engine
                self.engine, self.venue = self._engine()
                self.stream = self._ticks()
                tick = next(self.stream)
            self.venue.on_tick(*tick)
            self.engine.on_tick(tick)
            if self.venue.pending:
                self.venue.flush()
            self.ticks += 1
            account = self.engine.account
            return {
                "tick": self.ticks,
                "ts_us": tick.ts_us,
                "symbol": tick.symbol,
                "signal": round(float(self.engine.last_p), 4),
                "position": {s: q for s, q in account.qty.items() if q},
                "state": self.engine.sentinel.state.name.lower(),
            }

    def latency(self) -> dict[str, dict[str, float]]:
        with self.lock:
            return self.engine.latency.summary()
