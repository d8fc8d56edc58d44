"""Trading days, deadlines and entry cutoffs in the policy's time zone (DST-correct via zoneinfo).

Trading day D runs from `session_start` local time on the calendar day before D up to (not including)
`session_start` on D. Its deadline is `deadline` local time on D (or D's early close), its entry cutoff
`entry_cutoff_before_deadline_min` earlier. The quiet hour between the deadline and the next session
still belongs to D. A Friday-evening event belongs to Saturday (there is no weekend calendar): CME has
no session then, so such an event is itself unusual, and it is at least never merged into Friday.

Times are int microseconds since the Unix epoch (UTC). The scalar path (`trading_day`) and the
vectorised path (`day_index`) both derive the day from `bounds(D)`, so they agree to the microsecond.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from trading_core.apex.policy import SessionPolicy

if TYPE_CHECKING:
    import numpy as np

UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
US_PER_S = 1_000_000
ONE_DAY = dt.timedelta(days=1)


def to_us(moment: dt.datetime) -> int:
    """An aware datetime -> int microseconds since the epoch (exact, no float)."""
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * US_PER_S + delta.microseconds


def from_us(us: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=int(us))


def iso_utc(us: int) -> str:
    """'2026-03-09T20:59:00Z' (fraction only when there is one)."""
    return from_us(us).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class DayBounds:
    day: dt.date
    start_us: int  # session start (previous evening)
    cutoff_us: int  # entry cutoff
    deadline_us: int  # flat by
    end_us: int  # next session start (exclusive end of this trading day)


class SessionCalendar:
    def __init__(self, session: SessionPolicy) -> None:
        self.session = session
        self.tz = ZoneInfo(session.timezone)
        self.bounds = lru_cache(maxsize=4096)(self._bounds)

    def _local_us(self, day: dt.date, clock: dt.time) -> int:
        return to_us(dt.datetime.combine(day, clock, tzinfo=self.tz))

    def _bounds(self, day: dt.date) -> DayBounds:
        s = self.session
        deadline = self._local_us(day, s.early_close.get(day, s.deadline))
        return DayBounds(
            day=day,
            start_us=self._local_us(day - ONE_DAY, s.session_start),
            cutoff_us=deadline - s.entry_cutoff_before_deadline_min * 60 * US_PER_S,
            deadline_us=deadline,
            end_us=self._local_us(day, s.session_start),
        )

    def trading_day(self, ts_us: int) -> DayBounds:
        """The trading day an instant belongs to."""
        guess = from_us(ts_us).astimezone(self.tz).date()
        for day in (guess, guess + ONE_DAY, guess - ONE_DAY):
            b = self.bounds(day)
            if b.start_us <= ts_us < b.end_us:
                return b
        raise AssertionError(f"no trading day contains {iso_utc(ts_us)}")  # sessions tile time

    def day_index(self, ts_us: np.ndarray) -> tuple[np.ndarray, list[DayBounds]]:
        """Sorted timestamps -> (index into `days` per event, the days that occur, in order)."""
        import numpy as np

        first = self.trading_day(int(ts_us[0])).day
        last = self.trading_day(int(ts_us[-1])).day
        span = (last - first).days + 1
        every = [self.bounds(first + dt.timedelta(days=k)) for k in range(span)]
        starts = np.fromiter((b.start_us for b in every), dtype=np.int64, count=span)
        # events before starts[k+1] belong to day k or earlier; ts is sorted, so boundaries suffice
        edges = np.searchsorted(ts_us, starts[1:], side="left")
        counts = np.diff(np.concatenate(([0], edges, [len(ts_us)])))
        present = np.flatnonzero(counts)
        days = [every[k] for k in present]
        index = np.repeat(np.arange(len(present), dtype=np.int64), counts[present])
        return index, days


def day_spans(calendar: SessionCalendar, ts_us: np.ndarray) -> tuple[list[DayBounds], np.ndarray]:
    """Sorted timestamps -> the trading days that occur and each one's first event position."""
    import numpy as np

    first = calendar.trading_day(int(ts_us[0])).day
    last = calendar.trading_day(int(ts_us[-1])).day
    span = (last - first).days + 1
    every = [calendar.bounds(first + dt.timedelta(days=k)) for k in range(span)]
    starts = np.fromiter((b.start_us for b in every), dtype=np.int64, count=span)
    # events before starts[k+1] belong to day k or earlier; ts is sorted, so boundaries suffice
    begin = np.concatenate(([0], np.searchsorted(ts_us, starts[1:], side="left")))
    present = np.flatnonzero(np.diff(np.append(begin, len(ts_us))))
    return [every[k] for k in present], begin[present]
