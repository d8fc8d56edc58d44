"""The live face of the rules: ApexGuard, asked before every order and told about every event.

- `check_order(order) -> Allow | Deny` is a chain of small checks, each deciding with the same
  predicate the rule modules use (max contracts, entry cutoff, hedging, danger level, daily loss,
  blown account). An order that only reduces an open position is always allowed: getting flat must
  never be blocked. Denials are values with a reason stating value and limit, never exceptions.
- `on_event(event) -> list[Action]` feeds the event to an `ApexMonitor` (so the guard records the
  very violations `evaluate` would report) and answers with what the trader must do now.

States (as in nautilus_trader's risk engine):
- ACTIVE: every check applies.
- REDUCING: from the entry cutoff (or once the daily loss limit is hit) until the next session:
  only reducing orders pass.
- HALTED: at the danger level, at the deadline minus `guard.flatten_before_deadline_s`, and for good
  once the account is blown: the guard has asked to cancel all working orders and flatten; only
  reducing orders pass. Day halts lift when the next session starts; while equity is still at the
  danger level, `check_order` keeps denying new risk (APX011).
The deadline covers working orders too: the flatten action always carries a cancel-all first.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from trading_core.apex.journal import Event
from trading_core.apex.monitor import ApexMonitor
from trading_core.apex.policy import ApexPolicy
from trading_core.apex.result import ComplianceResult, Violation
from trading_core.apex.rules import apx001_trailing_drawdown as trailing_drawdown
from trading_core.apex.rules import apx003_entry_cutoff as entry_cutoff
from trading_core.apex.rules import apx005_max_contracts as max_contracts
from trading_core.apex.rules import apx006_hedging as hedging
from trading_core.apex.rules import apx007_daily_loss as daily_loss
from trading_core.apex.session import US_PER_S, iso_utc
from trading_core.apex.spec import ApexSpec, compile_spec
from trading_core.market.money import fmt_money


class GuardState(enum.StrEnum):
    ACTIVE = "ACTIVE"
    REDUCING = "REDUCING"
    HALTED = "HALTED"


@dataclass(frozen=True, slots=True)
class Order:
    """An order about to go out: signed whole contracts (+ buy, - sell) at time `ts_us` (µs UTC)."""

    symbol: str
    qty: int
    ts_us: int


@dataclass(frozen=True, slots=True)
class Allow:
    allowed = True


@dataclass(frozen=True, slots=True)
class Deny:
    rule: str
    reason: str
    allowed = False


@dataclass(frozen=True, slots=True)
class Action:
    """What the guard asks for: warn, cancel_all, flatten_all, halt, reduce_only or resume."""

    kind: str
    reason: str
    rule: str | None = None


ALLOW = Allow()


class ApexGuard:
    def __init__(self, policy: ApexPolicy | ApexSpec) -> None:
        self.spec = policy if isinstance(policy, ApexSpec) else compile_spec(policy)
        self.monitor = ApexMonitor(self.spec)
        self.state = GuardState.ACTIVE
        self.reason = ""
        self._until_us: int | None = None  # when a day restriction lifts; None with HALTED = for good
        self._state_rule = ""
        self._margin_us = self.spec.policy.guard.flatten_before_deadline_s * US_PER_S

    # -- before an order -------------------------------------------------------------------------
    def check_order(self, order: Order) -> Allow | Deny:
        spec, ledger, mon = self.spec, self.monitor.ledger, self.monitor
        held = ledger.positions.get(order.symbol, 0)
        after = held + order.qty
        if held and abs(after) < abs(held) and (after == 0 or (after > 0) == (held > 0)):
            return ALLOW  # reduces an open position: always allowed
        if order.symbol not in spec.weights:
            return Deny("APX005", f"unknown instrument {order.symbol!r}")
        if mon.blown:
            return Deny("APX001", "the account is blown (trailing drawdown breached); no new risk")
        if self.state is not GuardState.ACTIVE and (self._until_us is None or order.ts_us < self._until_us):
            return Deny(self._state_rule, f"guard is {self.state}: {self.reason}; only reducing orders pass")
        bounds = mon.day_of(order.ts_us)
        if entry_cutoff.late_entry(True, held, after, order.ts_us, bounds.cutoff_us):
            late = (order.ts_us - bounds.cutoff_us) / US_PER_S
            return Deny("APX003", f"{late:g} s after the entry cutoff ({iso_utc(bounds.cutoff_us)}); limit 0 s")
        hwm = mon.hwm
        exposure = ledger.exposure + (abs(after) - abs(held)) * spec.weights[order.symbol]
        cap = spec.cap(hwm, _where)
        if max_contracts.over_cap(True, ledger.exposure, exposure, cap):
            w = spec.weight_scale
            return Deny(
                "APX005", f"open contracts would be {exposure / w:g} (weighted); the account allows {cap / w:g}"
            )
        opposite = ledger.opposite(order.symbol, after)
        if hedging.hedges(True, held, after, opposite):
            return Deny("APX006", f"{opposite} contracts are held on the other side of {order.symbol}'s group; limit 0")
        threshold = mon.threshold
        danger = spec.dd.danger_level(hwm, threshold)
        if ledger.equity * spec.dd.scale <= danger:
            return Deny("APX011", f"equity {fmt_money(ledger.equity)} is at the danger level; no new risk")
        if spec.daily_loss is not None and bounds.day == (mon.bounds.day if mon.bounds else None):
            day_pnl = ledger.equity - mon.start_of_day_equity
            if daily_loss.limit_hit(day_pnl, spec.daily_loss):
                return Deny("APX007", f"day P&L {fmt_money(day_pnl)} reached the daily loss limit")
        return ALLOW

    # -- after an event --------------------------------------------------------------------------
    def on_event(self, event: Event) -> list[Action]:
        actions: list[Action] = []
        if self._until_us is not None and event.ts_us >= self._until_us and not self.monitor.blown:
            self._set(GuardState.ACTIVE, "", None, None)
            actions.append(Action("resume", "a new session started"))
        found = self.monitor.step(event)
        for v in found:
            actions.extend(self._react(v))
        spec, ledger, mon = self.spec, self.monitor.ledger, self.monitor
        bounds = mon.bounds
        assert bounds is not None
        if self.state is not GuardState.HALTED:
            if spec.daily_loss is not None and daily_loss.limit_hit(
                ledger.equity - mon.start_of_day_equity, spec.daily_loss
            ):
                actions += self._halt("APX007", "daily loss limit reached", bounds.end_us)
            elif event.ts_us >= bounds.deadline_us - self._margin_us:
                actions += self._halt("APX002", f"deadline {iso_utc(bounds.deadline_us)} minus margin", bounds.end_us)
            elif self.state is GuardState.ACTIVE and event.ts_us >= bounds.cutoff_us:
                self._set(GuardState.REDUCING, "entry cutoff passed", "APX003", bounds.end_us)
                actions.append(Action("reduce_only", "entry cutoff passed", "APX003"))
        return actions

    def _react(self, v: Violation) -> list[Action]:
        if v.rule == trailing_drawdown.RULE.id:
            return self._halt(v.rule, v.message, None)
        if v.rule == "APX011":
            bounds = self.monitor.bounds
            return self._halt(v.rule, v.message, None if bounds is None else bounds.end_us)
        return [Action("warn", v.message, v.rule)]

    def _halt(self, rule: str, reason: str, until_us: int | None) -> list[Action]:
        self._set(GuardState.HALTED, reason, rule, until_us)
        return [Action("cancel_all", reason, rule), Action("flatten_all", reason, rule), Action("halt", reason, rule)]

    def _set(self, state: GuardState, reason: str, rule: str | None, until_us: int | None) -> None:
        self.state, self.reason, self._until_us = state, reason, until_us
        self._state_rule = rule or ""

    def result(self) -> ComplianceResult:
        """Every violation seen so far plus the end-of-journal checks, as `evaluate` reports them."""
        return self.monitor.result()


def _where(cond: object, a: int, b: int) -> int:
    return a if cond else b
