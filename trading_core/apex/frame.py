"""The vectorised ledger: a whole journal replayed at once into numpy int64 columns.

What is kept per event is only equity (columns.py); everything else lives where it changes:
positions and exposure per fill (`Fills`), the high-water mark and the drawdown threshold per run of
one high-water mark (runs.py), trading days as contiguous spans of events (`day_first`/`day_last`,
since timestamps are sorted). Rules ask for the few events they report on; per-day questions
("the first such event of this trading day") are binary searches over those spans, not passes over
the journal. The integers are the ones the event-by-event ledger computes, to the unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from trading_core.apex.columns import Fills, check_equity_fits, ledger_columns
from trading_core.apex.journal import Journal
from trading_core.apex.rules.base import DayClose
from trading_core.apex.runs import Runs, eod_runs, intraday_runs
from trading_core.apex.session import DayBounds, SessionCalendar
from trading_core.apex.spec import ApexSpec


@dataclass(frozen=True)
class Frame:
    spec: ApexSpec
    journal: Journal
    days: list[DayBounds]  # the trading days that have events, in order
    day_first: np.ndarray  # per day: first event position
    day_last: np.ndarray  # per day: last event position
    equity: np.ndarray  # money units after each event
    high: int  # highest equity seen, and never below the start (the summary's peak)
    runs: Runs  # the high-water mark and threshold, per run of events that share them
    fills: Fills  # positions and exposure, per fill
    sod_equity: np.ndarray  # per day: equity at the previous close (start-of-day equity)

    @property
    def n(self) -> int:
        return len(self.journal)

    def day_of(self, positions: np.ndarray) -> np.ndarray:
        """Index into `days` of each event position."""
        return np.searchsorted(self.day_first, positions, side="right") - 1

    def day_at(self, position: int) -> dt.date:
        return self.days[int(self.day_of(np.array([position]))[0])].day

    def dates(self, positions: np.ndarray) -> list[dt.date]:
        """The trading day of each event position."""
        return [self.days[d].day for d in self.day_of(positions).tolist()]

    @cached_property
    def fill_spans(self) -> tuple[np.ndarray, np.ndarray]:
        """Per day: its fills are fill indices [first, end)."""
        at = self.fills.at
        return np.searchsorted(at, self.day_first), np.searchsorted(at, self.day_last, side="right")

    def first_per_day_and_symbol(self, fill_index: np.ndarray) -> np.ndarray:
        """Of ascending fill indices, the first one per trading day and symbol (ascending)."""
        first, end = self.fill_spans
        sym = self.fills.sym[fill_index]
        chosen = []
        for code in self.codes:
            mine = fill_index[sym == code]
            k = np.searchsorted(mine, first)  # its first fill at or after each day's first fill
            real = k < mine.size
            real[real] = mine[k[real]] < end[real]  # ... that is still that day's
            chosen.append(mine[k[real]])
        return np.sort(np.concatenate(chosen)) if chosen else fill_index[:0]

    @property
    def codes(self) -> range:
        return range(len(self.journal.symbols))

    def closes(self) -> list[DayClose]:
        eq = self.equity[self.day_last].tolist()
        prev = [self.spec.start, *eq[:-1]]
        rows = self.journal.row[self.day_last].tolist()
        tss = self.journal.ts_us[self.day_last].tolist()
        pos = self.day_last.tolist()
        return [
            DayClose(b.day, r, t, e, e - p, k)
            for b, r, t, e, p, k in zip(self.days, rows, tss, eq, prev, pos, strict=True)
        ]

    def fill_days(self) -> int:
        """Trading days with at least one fill."""
        first, end = self.fill_spans
        return int(np.count_nonzero(end > first))


def day_spans(calendar: SessionCalendar, ts_us: np.ndarray) -> tuple[list[DayBounds], np.ndarray]:
    """Sorted timestamps -> the trading days that occur and each one's first event position."""
    first = calendar.trading_day(int(ts_us[0])).day
    last = calendar.trading_day(int(ts_us[-1])).day
    span = (last - first).days + 1
    every = [calendar.bounds(first + dt.timedelta(days=k)) for k in range(span)]
    starts = np.fromiter((b.start_us for b in every), dtype=np.int64, count=span)
    # events before starts[k+1] belong to day k or earlier; ts is sorted, so boundaries suffice
    begin = np.concatenate(([0], np.searchsorted(ts_us, starts[1:], side="left")))
    present = np.flatnonzero(np.diff(np.append(begin, len(ts_us))))
    return [every[k] for k in present], begin[present]


def build_frame(journal: Journal, spec: ApexSpec, calendar: SessionCalendar) -> Frame:
    n = len(journal)
    equity, highs, high, fills = ledger_columns(journal, spec)
    days, day_first = day_spans(calendar, journal.ts_us)
    day_last = np.append(day_first[1:], n) - 1
    sod_equity = np.concatenate(([spec.start], equity[day_last][:-1]))
    runs = eod_runs(spec, equity, day_first, sod_equity) if spec.eod_trail else intraday_runs(spec, equity, highs)
    check_equity_fits(spec, int(runs.low.min()), high, journal.source)
    return Frame(
        spec=spec,
        journal=journal,
        days=days,
        day_first=day_first,
        day_last=day_last,
        equity=equity,
        high=max(high, spec.start),
        runs=runs,
        fills=fills,
        sod_equity=sod_equity,
    )
