"""What every Apex rule module shares: its identity, the two views it reads, and how it reports.

A rule module has two faces over the same predicate:
- `step(s, memory)` reads a `Step` (one event, Python ints) and is what `ApexGuard` runs live;
- `scan(f)` reads a `Frame` (the whole journal as numpy columns, built in frame.py) and is what
  `evaluate` runs. The predicates (and the thresholds, in spec.py) are written once with operators
  that mean the same on ints and on arrays; each face only adds its episode bookkeeping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from trading_core.apex.result import Violation
from trading_core.apex.session import DayBounds
from trading_core.market.money import to_dollars

if TYPE_CHECKING:
    from trading_core.apex.journal import Event
    from trading_core.apex.spec import ApexSpec


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: str  # as in the contract's table
    title: str
    fix: str
    doc: str

    def violation(
        self,
        *,
        index: int,
        ts_us: int,
        day: dt.date,
        value: float,
        limit: float,
        message: str,
        symbol: str | None = None,
    ) -> Violation:
        return Violation(
            rule=self.id,
            severity=self.severity,
            title=self.title,
            event_index=int(index),
            ts=iso_ts(ts_us),
            trading_day=day.isoformat(),
            value=float(value),
            limit=float(limit),
            message=message,
            symbol=symbol,
            fix=self.fix,
        )


_EPOCH_DATE = dt.date(1970, 1, 1)
_US_PER_DAY = 86_400_000_000


@lru_cache(maxsize=4096)
def _iso_date(days: int) -> str:
    return (_EPOCH_DATE + dt.timedelta(days=days)).isoformat()


@lru_cache(maxsize=1024)
def iso_ts(us: int) -> str:
    """`session.iso_utc(us)` ('2026-03-09T20:59:00Z', fraction only when there is one), from integers.

    The same string, a few times faster; the few recent ones are cached, since a violation formats
    its time twice (`ts` and the message) and a day's deadline comes once per symbol.
    """
    days, rest = divmod(us, _US_PER_DAY)
    seconds, micro = divmod(rest, 1_000_000)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    fraction = f".{micro:06d}" if micro else ""
    return f"{_iso_date(days)}T{hours:02d}:{minutes:02d}:{secs:02d}{fraction}Z"


def increases(before: Any, after: Any) -> Any:
    """True where a fill opens or increases a position (a flip opens the new side)."""
    return (abs(after) > abs(before)) | (before * after < 0)


def dollars_scaled(value: int, scale: int) -> float:
    return to_dollars(Fraction(int(value), scale))


@dataclass(slots=True)
class Step:
    """The account as one event leaves it (positions after the event unless named `_before`)."""

    spec: ApexSpec
    event: Event
    bounds: DayBounds  # trading day of this event
    prev_bounds: DayBounds | None  # trading day of the previous event
    positions_before: dict[str, int]  # open positions before this event (zeros omitted)
    positions: dict[str, int]  # open positions after it (zeros omitted)
    own_before: int  # position of the event's symbol before it
    own_after: int
    equity: int  # money units
    hwm: int  # high-water mark the threshold trails (intraday peak, or last session close for EOD)
    threshold: int  # scaled by spec.dd.scale
    exposure_before: int  # weighted contracts x spec.weight_scale
    exposure: int
    cap: int  # weighted contract cap x spec.weight_scale
    opposite: int  # contracts on the other side in the event symbol's correlation group
    day_pnl_min_before: int | None  # worst equity change of this trading day before this event
    memory: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DayClose:
    """One trading day as the journal saw it: its last event and the equity then."""

    day: dt.date
    last_index: int  # 0-based data row of the day's last event
    last_ts_us: int
    equity: int
    profit: int  # equity change since the previous close (or the start)
    last_pos: int  # processing position of the day's last event (differs from last_index after --sort)


def best_day(closes: list[DayClose]) -> DayClose | None:
    """The day with the largest profit (the earliest on a tie); None when no day made money."""
    best: DayClose | None = None
    for close in closes:
        if close.profit > 0 and (best is None or close.profit > best.profit):
            best = close
    return best
