"""SENTINEL: the pre-trade gate (a chain of small checks) and the per-tick risk tiers.

`check_entry` runs, in order, and the first failing check denies with its rule and a reason that
states the value and the limit:
  SEN001 kill switch engaged            SEN002 halted for the rest of the trading day
  SEN003 latency degraded               SEN009 too many bad ticks in a row on the symbol
  SEN004 order or position too large    SEN005 / SEN006 / SEN008 the day's tiers (see on_tick)
  then the Apex guard's own `check_order` (APX0xx denials pass through unchanged).
Exits are never gated: the bracket's stop, target and market exits only reduce a position, and the
Apex guard allows every reducing order too (getting flat must never be blocked).

`on_tick` watches the account on every tick (integer compares only): day P&L at or below minus the
day's loss limit (SEN005), day P&L at or above the daily profit cap (SEN006), drawdown from the
equity peak at or beyond the hard share of Apex's current allowance (SEN008) -> cancel all,
flatten all, halted until the next session. Beyond the soft share (SEN007) sizes are cut by `soft_size_factor`.

The consistency rule (best day <= max_share x total profit) is served from both sides: the profit cap
keeps any one day from running away, and the consistency cushion lowers the day's loss limit so a
losing day cannot shrink the total below best_day / max_share: limit = min(daily_loss_limit,
max(min_daily_loss_limit, total_profit - best_day / max_share)), fixed at each session start. The
floor keeps trading possible; a run can still end in breach (no gate can promise future profits), and
with fewer than 1 / max_share trading days any profitable run breaches by arithmetic.
`on_account_event` feeds every fill and mark to the Apex guard and relays its cancel/flatten asks.
"""

from __future__ import annotations

from typing import Any

from trading_core.apex.guard import Allow, ApexGuard, Deny, GuardState, Order
from trading_core.apex.journal import Event
from trading_core.apex.session import DayBounds, SessionCalendar, iso_utc
from trading_core.engine.config import StrategyPolicy
from trading_core.execution.account import Account
from trading_core.market.money import fmt_money, to_units
from trading_core.risk.apex_view import drawdown_allowance_units
from trading_core.risk.events import EventLog
from trading_core.risk.kill_switch import KillSwitch

_RANK = {GuardState.ACTIVE: 0, GuardState.REDUCING: 1, GuardState.HALTED: 2}
FLATTEN = ["cancel_all", "flatten_all"]


class Sentinel:
    def __init__(
        self,
        guard: ApexGuard,
        strategy: StrategyPolicy,
        account: Account,
        calendar: SessionCalendar,
        log: EventLog,
        bad_in_row: dict[str, int],
        consistency_share: float | None = None,
    ) -> None:
        r, s = strategy.risk, strategy.sizing
        self.guard = guard
        self.account = account
        self.calendar = calendar
        self.log = log
        self.bad_in_row = bad_in_row
        self.kill_switch = KillSwitch()
        self.full_loss_limit = to_units(r.daily_loss_limit)
        self.min_loss_limit = to_units(r.min_daily_loss_limit)
        self.loss_limit = self.full_loss_limit  # today's, after the consistency cushion
        self.consistency_share = consistency_share
        self.best_day = 0  # best day's profit so far, money units
        self.profit_cap = to_units(r.daily_profit_cap)
        self.soft_share, self.hard_share = float(r.soft_drawdown_share), float(r.hard_drawdown_share)
        self.soft_factor = float(r.soft_size_factor)
        self.max_bad = r.max_rejected_ticks_in_row
        self.max_order, self.max_position = s.max_contracts_per_order, s.max_position_contracts
        self.bounds: DayBounds | None = None
        self.halt_rule = ""  # SENTINEL's own halt until the day ends ("" = none)
        self.halt_reason = ""
        self._day_end = -1
        self._events = 0
        self._refresh_allowance()

    # -- state -----------------------------------------------------------------------------------
    @property
    def state(self) -> GuardState:
        own = GuardState.HALTED if (self.kill_switch.engaged or self.halt_rule) else GuardState.ACTIVE
        return own if _RANK[own] >= _RANK[self.guard.state] else self.guard.state

    @property
    def halted_for_day(self) -> bool:
        """SENTINEL's own halt or the kill switch: the engine does not even ask (no event flood)."""
        return bool(self.halt_rule) or self.kill_switch.engaged

    def _refresh_allowance(self) -> None:
        allowance = drawdown_allowance_units(self.guard)
        self.allowance = allowance
        self._soft_units = int(allowance * self.soft_share)
        self._hard_units = int(allowance * self.hard_share)

    @property
    def tier_factor(self) -> float:
        """Size multiplier: soft_size_factor beyond the soft drawdown tier (SEN007), else 1."""
        a = self.account
        return self.soft_factor if a.peak - a.equity >= self._soft_units else 1.0

    # -- every tick ------------------------------------------------------------------------------
    def on_tick(self, ts_us: int) -> list[str]:
        if ts_us >= self._day_end:
            self._new_day(ts_us)
        if self.halt_rule or self.kill_switch.engaged:
            return []
        a = self.account
        day = a.equity - a.day_start
        if day <= -self.loss_limit:
            return self._halt_day(
                ts_us, "SEN005", f"day P&L {fmt_money(day)} reached the daily loss limit -{fmt_money(self.loss_limit)}"
            )
        if day >= self.profit_cap:
            return self._halt_day(
                ts_us, "SEN006", f"day P&L {fmt_money(day)} reached the daily profit cap {fmt_money(self.profit_cap)}"
            )
        dd = a.peak - a.equity
        if dd >= self._hard_units:
            return self._halt_day(
                ts_us,
                "SEN008",
                f"drawdown {fmt_money(dd)} reached the hard tier {fmt_money(self._hard_units)}"
                f" ({self.hard_share:.0%} of the Apex allowance {fmt_money(self.allowance)})",
            )
        return []

    def _new_day(self, ts_us: int) -> None:
        a = self.account
        if self.bounds is not None:
            self.best_day = max(self.best_day, a.equity - a.day_start)
        self.bounds = self.calendar.trading_day(ts_us)
        self._day_end = self.bounds.end_us
        a.start_day()
        self.loss_limit = self.day_loss_limit(a.equity - a.start, self.best_day)
        if self.halt_rule:
            self.log.record(ts_us, "resume", self.halt_rule, "", "a new trading day started")
        self.halt_rule = self.halt_reason = ""

    def day_loss_limit(self, total_profit: int, best_day: int) -> int:
        """The consistency cushion: how much today may lose before the best day's share breaks."""
        if self.consistency_share is None or best_day <= 0:
            return self.full_loss_limit
        cushion = total_profit - int(best_day / self.consistency_share)
        return min(self.full_loss_limit, max(self.min_loss_limit, cushion))

    def _halt_day(self, ts_us: int, rule: str, reason: str) -> list[str]:
        self.halt_rule, self.halt_reason = rule, reason
        self.log.record(ts_us, "halt", rule, "", reason + "; flatten all, no new entries until the next session")
        return FLATTEN

    # -- before an entry -------------------------------------------------------------------------
    def check_entry(self, symbol: str, qty: int, ts_us: int, degraded: bool = False) -> Allow | Deny:
        verdict = self._check(symbol, qty, ts_us, degraded)
        if not verdict.allowed:
            assert isinstance(verdict, Deny)
            self.log.record(ts_us, "deny", verdict.rule, symbol, f"{qty:+d} {symbol}: {verdict.reason}")
        return verdict

    def _check(self, symbol: str, qty: int, ts_us: int, degraded: bool) -> Allow | Deny:
        if self.kill_switch.engaged:
            return Deny(
                "SEN001", f"kill switch engaged at {iso_utc(self.kill_switch.ts_us)}: {self.kill_switch.reason}"
            )
        if self.halt_rule:
            return Deny("SEN002", f"halted for the day by {self.halt_rule}: {self.halt_reason}")
        if degraded:
            return Deny("SEN003", "latency degraded: no new entries until the pipeline is back within budget")
        bad = self.bad_in_row.get(symbol, 0)
        if bad >= self.max_bad:
            return Deny("SEN009", f"{bad} bad ticks in a row on {symbol}; limit {self.max_bad - 1}")
        if abs(qty) > self.max_order:
            return Deny("SEN004", f"order of {abs(qty)} contracts; limit {self.max_order} per order")
        after = abs(self.account.qty.get(symbol, 0) + qty)
        if after > self.max_position:
            return Deny("SEN004", f"position would be {after} contracts; limit {self.max_position} per symbol")
        a = self.account
        day = a.equity - a.day_start
        if day <= -self.loss_limit:
            return Deny("SEN005", f"day P&L {fmt_money(day)} at the daily loss limit -{fmt_money(self.loss_limit)}")
        if day >= self.profit_cap:
            return Deny("SEN006", f"day P&L {fmt_money(day)} at the daily profit cap {fmt_money(self.profit_cap)}")
        if a.peak - a.equity >= self._hard_units:
            return Deny(
                "SEN008", f"drawdown {fmt_money(a.peak - a.equity)} at the hard tier {fmt_money(self._hard_units)}"
            )
        return self.guard.check_order(Order(symbol, qty, ts_us))

    # -- after a fill or a mark ------------------------------------------------------------------
    def on_account_event(self, kind: str, ts_us: int, symbol: str, qty: int, price: int, fee: int) -> list[str]:
        """Feed the guard the event the journal records; returns "cancel_all"/"flatten_all" requests."""
        event = Event(self._events, ts_us, kind, symbol, qty, price, fee)  # type: ignore[arg-type]
        self._events += 1
        actions = self.guard.on_event(event)
        self._refresh_allowance()
        out: list[str] = []
        for act in actions:
            self.log.record(ts_us, act.kind, act.rule or "", "", f"Apex guard: {act.reason}")
            if act.kind in ("cancel_all", "flatten_all"):
                out.append(act.kind)
        return out

    def kill(self, reason: str, ts_us: int) -> list[str]:
        if self.kill_switch.engage(reason, ts_us):
            self.log.record(ts_us, "kill", "SEN001", "", f"kill switch: {reason}; flatten all, cancel all, halt")
        return FLATTEN

    def snapshot(self) -> dict[str, Any]:
        return {"state": str(self.state), "halt_rule": self.halt_rule, "allowance_units": self.allowance}
