"""MON004 Stuck position: a position open longer than the policy allows (seed: 30 minutes).

The scalper's brackets close every position within minutes (policies/strategy.yaml `max_hold_s`);
one still open after policies/monitoring.yaml `stuck.after_s` of journal time means a bracket or an
exit failed. Positions come from the journal's fills (from flat to flat, a flip closes one and opens
the next). While `droid monitor watch` follows a quiet journal, its clock runs on with the wall
clock, so a position left open when the feed stops is still reported. The episode ends at the fill
that closes it. Working orders are not in the journal, so unfilled orders are not seen here.
"""

from __future__ import annotations

from dataclasses import dataclass

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules.base import Signal, View, rule

RULE = rule(
    "MON004",
    Severity.HIGH,
    "Stuck position",
    __doc__,
    "Check the bracket of the position at the broker; close it by hand if its exit is not working.",
)


@dataclass
class _Open:
    symbol: str
    qty: int
    open_ts: int
    row: int
    fired: bool = False


class StuckDetector:
    def __init__(self, policy: MonitoringPolicy) -> None:
        self.after_us = int(policy.stuck.after_s * 1_000_000)
        self.pending: dict[int, _Open] = {}  # symbol code -> the position open at the last chunk's end

    def feed(self, view: View) -> list[Signal]:
        found: list[Signal] = []
        spans, chunk = view.spans, view.chunk
        closes = spans.first_close if spans is not None else {}
        for code, held in list(self.pending.items()):
            close = closes.get(code)
            if close is None:
                continue
            del self.pending[code]
            found += self._episode(held, close)
        if spans is not None and chunk is not None and len(spans.open_ts):
            long = (spans.close_ts < 0) | (spans.close_ts - spans.open_ts > self.after_us)
            for k in long.nonzero()[0].tolist():
                code = int(spans.symbol[k])
                held = _Open(chunk.symbols[code], int(spans.qty[k]), int(spans.open_ts[k]), int(spans.open_row[k]))
                close = int(spans.close_ts[k])
                if close < 0:
                    self.pending[code] = held
                else:
                    found += self._episode(held, close)
        for held in self.pending.values():
            if not held.fired and view.clock_us >= held.open_ts + self.after_us:
                held.fired = True
                found.append(self._signal(held, True, held.open_ts + self.after_us))
        return found

    def _episode(self, held: _Open, close_ts: int) -> list[Signal]:
        out = []
        if not held.fired and close_ts - held.open_ts > self.after_us:
            held.fired = True
            out.append(self._signal(held, True, held.open_ts + self.after_us))
        if held.fired:
            out.append(self._signal(held, False, close_ts))
        return out

    def _signal(self, held: _Open, firing: bool, ts: int) -> Signal:
        minutes = (ts - held.open_ts) / 60_000_000
        limit = self.after_us / 60_000_000
        message = (
            f"{held.qty:+d} {held.symbol} open for {minutes:.0f} min (limit {limit:g} min), since data row {held.row}"
            if firing
            else f"resolved: the {held.symbol} position opened at data row {held.row} closed after {minutes:.0f} min"
        )
        return Signal(
            RULE.id,
            held.symbol,
            firing,
            ts,
            -1,
            round(minutes, 2),
            limit,
            message,
            held.row,
            extra={"open_ts_us": held.open_ts},
        )


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> StuckDetector:
    return StuckDetector(policy)
