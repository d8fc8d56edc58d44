"""Risk events: denials, halts, flattens, warnings and rejections, as records with reasons.

A denial is an event, never an exception. The log counts every event by (kind, rule), keeps the most
recent ones in a fixed-size buffer (memory stays flat over any replay) and hands each to an optional
sink (the simulator writes them to risk_events.csv).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import NamedTuple

KEEP_RECENT = 512


class RiskEvent(NamedTuple):
    ts_us: int
    kind: str  # deny | halt | flatten | cancel | warn | resume | degrade | recover | reject | kill
    rule: str
    symbol: str
    reason: str


class EventLog:
    def __init__(self, sink: Callable[[RiskEvent], None] | None = None) -> None:
        self.sink = sink
        self.recent: deque[RiskEvent] = deque(maxlen=KEEP_RECENT)
        self.counts: dict[tuple[str, str], int] = {}

    def record(self, ts_us: int, kind: str, rule: str, symbol: str, reason: str) -> RiskEvent:
        e = RiskEvent(ts_us, kind, rule, symbol, reason)
        key = (kind, rule)
        self.counts[key] = self.counts.get(key, 0) + 1
        self.recent.append(e)
        if self.sink is not None:
            self.sink(e)
        return e

    def count(self, kind: str, rule: str | None = None) -> int:
        return sum(n for (k, r), n in self.counts.items() if k == kind and (rule is None or r == rule))
