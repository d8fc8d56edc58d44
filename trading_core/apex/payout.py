"""The payout window: trading-day profits since the last approved payout, judged at a payout request.

Both faces feed it the same way (the monitor after every event, `evaluate` at each day's last event
and before each request), so they report the same APX004 and the same `PayoutStatus`. Memory is
constant: only the best closed day of the window is kept (the earliest on a tie), with the day in
progress and the equity its profit counts from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from trading_core.apex.result import PayoutStatus, Violation
from trading_core.apex.rules import apx004_consistency as consistency
from trading_core.apex.spec import ApexSpec
from trading_core.market.money import fmt_money, to_dollars


@dataclass(frozen=True, slots=True)
class DayProfit:
    day: dt.date
    profit: int  # money units, since the day's previous close or the window's start
    last_index: int  # data row of the day's last event (so far)
    last_ts_us: int
    last_pos: float  # processing position of that event


class PayoutWindow:
    def __init__(self, spec: ApexSpec) -> None:
        self.spec = spec
        self.start_equity = spec.start  # equity when the window opened
        self.since: str | None = None
        self.base = spec.start  # equity the current day's profit counts from
        self.best: DayProfit | None = None  # best closed winning day of the window
        self.day: dt.date | None = None  # trading day of the latest event
        self.equity = spec.start
        self.last = (0, 0, 0.0)  # (data row, time, position) of the latest event
        self.requests = self.approved = 0

    def advance(self, day: dt.date, equity: int, index: int, ts_us: int, pos: float) -> None:
        """The account after an event (any event, or just a day's last one: only the latest counts)."""
        if self.day is not None and day != self.day:
            self.best = self._candidate()
            self.base = self.equity  # the closed day's last equity: the next day counts from it
        self.day, self.equity, self.last = day, equity, (index, ts_us, pos)

    def _candidate(self) -> DayProfit | None:
        """The best winning day with the day in progress counted up to now (earlier days win ties)."""
        if self.day is None:
            return self.best
        profit = self.equity - self.base
        if profit > 0 and (self.best is None or profit > self.best.profit):
            return DayProfit(self.day, profit, *self.last)
        return self.best

    def request(self, index: int, ts_us: int, day: dt.date) -> Violation | None:
        """A payout request now: APX004 if consistency denies it; an approved one opens a new window."""
        self.requests += 1
        best, total = self._candidate(), self.equity - self.start_equity
        if best is not None and self.spec.consistency_breached(best.profit, total):
            return consistency.violation(
                self.spec, best.day, best.profit, total, at=(index, ts_us, day), since=self.since, requested=True
            )
        if total > 0:
            self.approved += 1
            self.start_equity = self.base = self.equity
            self.best, self.since = None, day.isoformat()
        return None

    def at_end(self) -> tuple[float, Violation] | None:
        """`--payout`: a request after the last event, reported at the best day's last event (position, v)."""
        best, total = self._candidate(), self.equity - self.start_equity
        if best is None or not self.spec.consistency_breached(best.profit, total):
            return None
        at = (best.last_index, best.last_ts_us, best.day)
        v = consistency.violation(self.spec, best.day, best.profit, total, at=at, since=self.since, requested=False)
        return best.last_pos, v

    def status(self) -> PayoutStatus:
        best, total, rule = self._candidate(), self.equity - self.start_equity, self.spec.consistency
        since = self.since or "the start"
        share = float(Fraction(best.profit, total)) if best is not None and total > 0 else None
        needed: int | None = None
        days: int | None = None
        if rule is None:
            eligible = total > 0
            head = "a payout could be requested" if eligible else "no payout"
            reason = (
                f"{head}: rule set {self.spec.policy.ruleset_name} has no consistency rule;"
                f" net profit since {since} is {fmt_money(total)}"
            )
        elif best is None:
            eligible, reason = False, f"no payout: no winning trading day since {since}"
        else:
            num, den, inclusive = rule
            least = best.profit * den // num + 1 if inclusive else -(-best.profit * den // num)  # smallest total
            needed = max(0, least - total)
            days = -(-needed // best.profit)
            eligible = needed == 0 and total > 0
            bound = f"{'below' if inclusive else 'at most'} {float(Fraction(num, den)):.0%}"
            made = f"best day {best.day} made {fmt_money(best.profit)} of {fmt_money(total)} net profit since {since}"
            if eligible:
                reason = f"a payout could be requested: {made} ({share:.1%}; {bound})"
            else:
                reason = (
                    f"no payout yet: {made} (limit: {bound}); needs {fmt_money(needed)} more profit,"
                    f" at least {days} more winning day(s) of at most {fmt_money(best.profit)}"
                )
        return PayoutStatus(
            eligible=eligible,
            reason=reason,
            since=self.since,
            profit=to_dollars(total),
            best_day=None if best is None else best.day.isoformat(),
            best_day_profit=0.0 if best is None else to_dollars(best.profit),
            best_day_share=share,
            max_share=None if rule is None else float(Fraction(rule[0], rule[1])),
            inclusive=bool(rule and rule[2]),
            profit_needed=None if needed is None else to_dollars(needed),
            days_needed=days,
            requests=self.requests,
            approved=self.approved,
        )
