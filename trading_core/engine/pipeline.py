"""The OnTick pipeline: validate -> account mark -> risk tiers -> clocks -> features -> model -> entry.

`Engine.on_tick(tick)` runs once per market event:
1. the tick is validated (a rejection is recorded as a risk event and the tick goes no further);
2. the account is marked at the liquidation price; SENTINEL's tiers run (and may flatten);
3. clocks: the day's flatten time (time stop before the deadline), each bracket's time stop and
   entry time-to-live; a mark goes to the Apex guard and the journal sink every mark interval while
   a position is open;
4. features update (O(1)), the model scores them (every tick after warm-up, unless degraded);
5. a signal becomes a sized bracket if the symbol is flat, out of cooldown, inside the entry window
   and SENTINEL allows it.
The whole call and the model call are timed (perf_counter_ns) into the latency monitor, whose
degrade rule can switch the model off at run time. Fills come back through `on_fill`.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter_ns
from typing import Any, Protocol

from trading_core.apex.guard import ApexGuard
from trading_core.apex.policy import ApexPolicy
from trading_core.apex.session import SessionCalendar
from trading_core.data.ticks import Tick
from trading_core.data.validate import Rejection, TickValidator
from trading_core.engine.config import StrategyPolicy
from trading_core.execution.account import Account
from trading_core.execution.costs import CostTracker
from trading_core.execution.manager import OrderManager
from trading_core.execution.orders import Fill, Venue, WorkingOrder
from trading_core.execution.sizing import correlation_load, size_entry
from trading_core.features import FEATURE_NAMES, SymbolFeatures
from trading_core.latency.budgets import BudgetsPolicy
from trading_core.latency.monitor import LatencyMonitor
from trading_core.market.money import to_units
from trading_core.risk.events import EventLog, RiskEvent
from trading_core.risk.sentinel import Sentinel

AccountSink = Callable[[str, int, str, int, int, int], None]  # kind, ts_us, symbol, qty, price ticks, fee units


class Scorer(Protocol):
    """What the engine needs from a model: a float buffer it writes features into, and `score()`."""

    buffer: Any

    def score(self) -> float: ...


class Engine:
    def __init__(
        self,
        strategy: StrategyPolicy,
        apex: ApexPolicy,
        budgets: BudgetsPolicy,
        venue: Venue,
        *,
        scorer: Scorer | None = None,
        account_sink: AccountSink | None = None,
        risk_sink: Callable[[RiskEvent], None] | None = None,
        keep_trades: bool = True,
    ) -> None:
        ins = apex.instruments
        self.strategy = strategy
        self.symbols = tuple(strategy.symbols)
        self.validator = TickValidator({s: float(ins[s].tick_size) for s in self.symbols})
        f = strategy.features
        self.features = {
            s: SymbolFeatures(f.ema_fast_span, f.ema_slow_span, f.vol_window, f.momentum_window, f.flow_span)
            for s in self.symbols
        }
        if scorer is None:
            from trading_core.model.inference import OnnxScorer, bundled_model_path

            scorer = OnnxScorer(bundled_model_path(strategy.model.file), FEATURE_NAMES)
        self.scorer = scorer
        self.account = Account(to_units(apex.account.starting_balance), ins, self.symbols)
        self.tick_values = {s: ins.tick_value_units(s) for s in self.symbols}
        self.fee_units = {s: ins.fee_units(s) for s in self.symbols}
        self.weights = {s: float(ins.weight(s)) for s in self.symbols}
        self.costs = CostTracker(self.tick_values, keep_records=keep_trades)
        self.orders = OrderManager(venue, on_closed=self._on_closed)
        self.log = EventLog(risk_sink)
        self.guard = ApexGuard(apex)
        consistency = apex.ruleset.consistency
        self.sentinel = Sentinel(
            self.guard,
            strategy,
            self.account,
            SessionCalendar(apex.session),
            self.log,
            self.validator.bad_in_row,
            None if consistency is None else float(consistency.max_share),
        )
        self.latency = LatencyMonitor(budgets)
        self.account_sink = account_sink
        self.cap = float(apex.account.max_contracts)
        self.rho = _correlations(strategy, ins.group_of)
        m, b, e, s = strategy.model, strategy.brackets, strategy.entries, strategy.sizing
        self.warmup = m.warmup_ticks
        self.long_above, self.short_below = float(m.long_above), float(m.short_below)
        self.target = {sym: d.target_ticks for sym, d in b.per_symbol.items()}
        self.stop = {sym: d.stop_ticks for sym, d in b.per_symbol.items()}
        self.max_hold_us = b.max_hold_s * 1_000_000
        self.flatten_margin_us = b.flatten_before_deadline_s * 1_000_000
        self.entry_margin_us = e.stop_entries_before_cutoff_s * 1_000_000
        self.entry_kind = e.order
        self.ttl_us = e.ttl_ms * 1000
        self.cooldown_us = e.cooldown_ms * 1000
        self.mark_us = strategy.risk.mark_interval_ms * 1000
        self.kelly_fraction, self.vol_target = float(s.kelly_fraction), float(s.vol_target_ticks)
        self.max_risk_units = to_units(s.max_risk_per_trade)
        self.max_per_order, self.max_position = s.max_contracts_per_order, s.max_position_contracts
        self._cooldown_until = dict.fromkeys(self.symbols, 0)
        self._last_mark = dict.fromkeys(self.symbols, 0)
        self._flat_by = self._entries_until = 0
        self._day_end = -1
        self.ticks = 0
        self.last_p = 0.5

    # -- market data -----------------------------------------------------------------------------
    def on_tick(self, tick: Tick) -> None:
        t0 = perf_counter_ns()
        v = self.validator.check(tick)
        if v.__class__ is Rejection:
            self.log.record(tick.ts_us, "reject", "SEN009", tick.symbol, f"{v.reason}: {v.detail}")  # type: ignore[union-attr]
            return
        sym, ts = v.symbol, v.ts_us
        self.ticks += 1
        acct = self.account
        acct.mark(sym, v.bid, v.ask)
        actions = self.sentinel.on_tick(ts)
        if ts >= self._day_end:
            self._new_day()
        if actions:
            self._act(actions, ts)
        if ts >= self._flat_by and self.orders.brackets:
            self.orders.flatten_all(ts)  # the day's time stop, ahead of the Apex guard's own halt
        elif sym in self.orders.brackets:
            self.orders.on_clock(sym, ts)
        if acct.qty[sym] and ts - self._last_mark[sym] >= self.mark_us:
            self._last_mark[sym] = ts
            self._emit("mark", ts, sym, 0, acct.liquidation_price(sym), 0)
        feats = self.features[sym]
        feats.update(v, self.scorer.buffer)
        mon = self.latency
        if mon.degraded and mon.recover(ts):
            self.log.record(ts, "recover", "SEN003", "", "latency back within budget: model and entries resume")
        if mon.degraded or feats.ticks < self.warmup:
            mon.observe(ts, perf_counter_ns() - t0, 0)
            return
        t1 = perf_counter_ns()
        p = self.scorer.score()
        t2 = perf_counter_ns()
        self.last_p = p
        if (p >= self.long_above or p <= self.short_below) and self._may_enter(sym, ts):
            self._enter(sym, ts, v.bid, v.ask, p, feats.vol)
        note = mon.observe(ts, perf_counter_ns() - t0, t2 - t1)
        if note is not None:
            self.log.record(ts, "degrade", "SEN003", sym, note)

    def _may_enter(self, sym: str, ts: int) -> bool:
        return (
            ts < self._entries_until
            and not self.sentinel.halted_for_day
            and ts >= self._cooldown_until[sym]
            and sym not in self.orders.brackets
            and not self.account.qty[sym]
        )

    def _enter(self, sym: str, ts: int, bid: int, ask: int, p: float, vol: float) -> None:
        side = 1 if p >= self.long_above else -1
        acct = self.account
        decision = size_entry(
            p_win=p if side > 0 else 1.0 - p,
            target_ticks=self.target[sym],
            stop_ticks=self.stop[sym],
            kelly_fraction=self.kelly_fraction,
            equity_units=acct.equity,
            max_risk_units=self.max_risk_units,
            tick_value_units=self.tick_values[sym],
            vol=vol,
            vol_target=self.vol_target,
            corr_load=correlation_load(sym, side, acct.qty, self.rho, self.weights, self.cap),
            tier_factor=self.sentinel.tier_factor,
            max_per_order=self.max_per_order,
            symbol_room=self.max_position - abs(acct.qty[sym]),
            account_room=self.cap - acct.exposure(),
            weight=self.weights[sym],
        )
        if decision.contracts <= 0:
            return
        verdict = self.sentinel.check_entry(sym, side * decision.contracts, ts, self.latency.degraded)
        if not verdict.allowed:
            self._cooldown_until[sym] = ts + self.cooldown_us  # do not re-ask on every tick
            return
        price = (bid if side > 0 else ask) if self.entry_kind == "limit" else None
        self.orders.open_bracket(
            sym,
            side,
            decision.contracts,
            self.entry_kind,
            price,
            target_ticks=self.target[sym],
            stop_ticks=self.stop[sym],
            ts_us=ts,
            expires_us=min(ts + self.max_hold_us, self._flat_by),
            entry_expires_us=ts + self.ttl_us,
        )

    def _new_day(self) -> None:
        b = self.sentinel.bounds
        assert b is not None
        self._day_end = b.end_us
        self._flat_by = b.deadline_us - self.flatten_margin_us
        self._entries_until = min(b.cutoff_us - self.entry_margin_us, self._flat_by)

    # -- orders and account ----------------------------------------------------------------------
    def on_fill(self, order: WorkingOrder, fill: Fill) -> None:
        """A venue reports a fill (order.filled already advanced)."""
        self.account.on_fill(fill.symbol, fill.qty, fill.price, fill.fee_units)
        self.orders.on_fill(order, fill)
        self._last_mark[fill.symbol] = fill.ts_us
        self._emit("fill", fill.ts_us, fill.symbol, fill.qty, fill.price, fill.fee_units)

    def _emit(self, kind: str, ts: int, sym: str, qty: int, price: int, fee: int) -> None:
        if self.account_sink is not None:
            self.account_sink(kind, ts, sym, qty, price, fee)
        actions = self.sentinel.on_account_event(kind, ts, sym, qty, price, fee)
        if actions:
            self._act(actions, ts)

    def _act(self, actions: list[str], ts: int) -> None:
        if "flatten_all" in actions:
            if self.orders.brackets:
                self.log.record(ts, "flatten", "", "", f"flatten {len(self.orders.brackets)} bracket(s)")
            self.orders.flatten_all(ts)
        elif "cancel_all" in actions:
            self.orders.cancel_all()

    def _on_closed(self, bracket: Any) -> None:
        self.costs.on_closed(bracket)
        last = bracket.fills[-1].ts_us if bracket.fills else bracket.opened_us
        self._cooldown_until[bracket.symbol] = last + self.cooldown_us

    def kill(self, reason: str, ts_us: int) -> None:
        """The kill switch: flatten all, cancel all, and deny every new entry from now on."""
        self._act(self.sentinel.kill(reason, ts_us), ts_us)


def _correlations(strategy: StrategyPolicy, group_of: dict[str, str]) -> dict[tuple[str, str], float]:
    rho: dict[tuple[str, str], float] = {}
    for pair, value in strategy.sizing.correlations.items():
        a, b = pair.split("/")
        rho[(a, b)] = rho[(b, a)] = float(value)
    for a in strategy.symbols:
        for b in strategy.symbols:
            if a != b and group_of.get(a) == group_of.get(b):
                rho[(a, b)] = 1.0
    return rho
