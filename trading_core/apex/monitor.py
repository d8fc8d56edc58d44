"""The event-by-event face of the rules: feed events one at a time, read violations as they happen.

`ApexMonitor.step(event)` updates the ledger, builds the `Step` view and runs every rule's `step`;
`request_payout(payout)` judges a payout request (APX004); `result()` closes the books (summary,
payout eligibility, and with `payout_at_end` a request after the last event) into the same
`ComplianceResult` that the vectorised `evaluate` returns for the same journal. `ApexGuard` is built
on it.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from trading_core.apex import rules
from trading_core.apex.journal import Event, Payout
from trading_core.apex.ledger import Ledger
from trading_core.apex.payout import PayoutWindow
from trading_core.apex.result import ComplianceResult, Violation
from trading_core.apex.rules.base import DayClose, Step, best_day
from trading_core.apex.session import DayBounds, SessionCalendar
from trading_core.apex.spec import ApexSpec
from trading_core.apex.summary import sort_key, summarize


def _where(cond: Any, a: Any, b: Any) -> Any:
    return a if cond else b


class ApexMonitor:
    def __init__(self, spec: ApexSpec, calendar: SessionCalendar | None = None, *, payout_at_end: bool = False) -> None:
        self.spec = spec
        self.payout_at_end = payout_at_end
        self.window = PayoutWindow(spec)
        self.calendar = calendar or SessionCalendar(spec.policy.session)
        self.ledger = Ledger(spec)
        self.memory: dict[str, dict[str, Any]] = {rule.RULE.id: {} for rule in rules.EVENT_RULES}
        self.bounds: DayBounds | None = None  # trading day of the last event
        self.hwm = spec.start  # what the threshold trails (see Step.hwm)
        self.threshold = spec.dd.threshold(spec.start, min)
        self.closes: list[DayClose] = []
        self.events = 0
        self.fill_days: set[Any] = set()
        self.min_distance: int | None = None  # scaled
        self._found: list[tuple[float, Violation]] = []
        self._sod = spec.start
        self._day_min: int | None = None
        self._last: tuple[int, int, int] | None = None  # (row, ts, position) of the last event

    def day_of(self, ts_us: int) -> DayBounds:
        b = self.bounds
        if b is not None and b.start_us <= ts_us < b.end_us:
            return b
        return self.calendar.trading_day(ts_us)

    def _close_day(self) -> None:
        if self.bounds is None or self._last is None:
            return
        row, ts, pos = self._last
        prev = self.closes[-1].equity if self.closes else self.spec.start
        eq = self.ledger.equity
        self.closes.append(DayClose(self.bounds.day, row, ts, eq, eq - prev, pos))

    def step(self, e: Event) -> list[Violation]:
        spec, ledger = self.spec, self.ledger
        bounds = self.day_of(e.ts_us)
        prev_bounds = self.bounds
        if prev_bounds is None or bounds.day != prev_bounds.day:
            self._close_day()
            self._sod = ledger.equity
            self._day_min = None
            if spec.eod_trail:
                self.hwm = max(self.hwm, ledger.equity)
        held_through = prev_bounds is not None and e.ts_us >= prev_bounds.deadline_us
        positions_before = dict(ledger.positions) if held_through else {}
        exposure_before = ledger.exposure
        own_before = ledger.apply(e)
        own_after = ledger.position(e.symbol)
        if not spec.eod_trail:
            self.hwm = ledger.peak
        self.threshold = spec.dd.threshold(self.hwm, min)
        s = Step(
            spec=spec,
            event=e,
            bounds=bounds,
            prev_bounds=prev_bounds,
            positions_before=positions_before,
            positions=ledger.positions,
            own_before=own_before,
            own_after=own_after,
            equity=ledger.equity,
            hwm=self.hwm,
            threshold=self.threshold,
            exposure_before=exposure_before,
            exposure=ledger.exposure,
            cap=spec.cap(self.hwm, _where),
            opposite=ledger.opposite(e.symbol, own_after),
            day_pnl_min_before=self._day_min,
        )
        found: list[Violation] = []
        for rule in rules.EVENT_RULES:
            found.extend(rule.step(s, self.memory[rule.RULE.id]))
        found.sort(key=lambda v: sort_key(v, self.events))
        self._found.extend((self.events, v) for v in found)
        # bookkeeping for the next event
        day_pnl = ledger.equity - self._sod
        self._day_min = day_pnl if self._day_min is None else min(self._day_min, day_pnl)
        distance = ledger.equity * spec.dd.scale - self.threshold
        self.min_distance = distance if self.min_distance is None else min(self.min_distance, distance)
        if e.kind == "fill":
            self.fill_days.add(bounds.day)
        self.window.advance(bounds.day, ledger.equity, e.index, e.ts_us, self.events)
        self.bounds = bounds
        self._last = (e.index, e.ts_us, self.events)
        self.events += 1
        return found

    def request_payout(self, p: Payout) -> list[Violation]:
        """A payout request after the events so far: APX004 when consistency denies it."""
        v = self.window.request(p.index, p.ts_us, self.calendar.trading_day(p.ts_us).day)
        if v is None:
            return []
        self._found.append((self.events - 0.5, v))  # between the event before and the next one
        return [v]

    @property
    def start_of_day_equity(self) -> int:
        """Equity at the previous session's last event (the start, on the first day)."""
        return self._sod

    @property
    def blown(self) -> bool:
        return bool(self.memory["APX001"].get("blown"))

    def result(self) -> ComplianceResult:
        """Violations so far plus the end-of-journal rules (consistency) and the summary."""
        if self.events == 0 or self.min_distance is None:
            raise ValueError("no events yet")
        closes = [*self.closes]
        current = self.closes
        self.closes = closes
        self._close_day()
        self.closes = current
        found = list(self._found)
        end = self.window.at_end() if self.payout_at_end else None
        if end is not None:
            found.append(end)
        found.sort(key=lambda pv: sort_key(pv[1], pv[0]))
        summary = summarize(
            self.spec,
            best_day(closes),
            final_equity=self.ledger.equity,
            peak=self.ledger.peak,
            min_distance=Fraction(self.min_distance, self.spec.dd.scale),
            trading_days=len(self.fill_days),
            payout=self.window.status(),
        )
        violations = tuple(v for _, v in found)
        return ComplianceResult(violations, summary, self.events, dict(Counter(v.rule for v in violations)))
