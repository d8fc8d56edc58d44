"""The vectorised ledger's columns: equity after every event, positions at every fill.

Equity: a symbol's mark-to-market P&L changes only at that symbol's own events, by tick value x
(position held before the event) x (price now - the symbol's previous price), since fills and marks
both set the last price and contracts filled now start at zero P&L. That change is an integer; per
symbol it needs only a cumsum of qty and a diff of prices over the symbol's own events. Putting the
changes back in processing order and taking one cumsum gives equity at every event (the same integer
the ledger's `tick value x (position x last - cash)` gives). Work is O(n), not O(n x symbols).

Positions only change at fills, so everything about positions (own position before / after, weighted
exposure, correlated long / short totals) is kept per fill (`Fills`), typically a third of the events.
sweep.py computes all of it in two walks over the journal. The magnitudes are checked before any
result is used (`check_fits`); a journal that could overflow int64 is refused rather than answered
wrongly.

`LedgerStream` does this chunk by chunk for a streamed journal: the sweeps carry positions, prices,
equity and its peak from one chunk to the next, and each `LedgerChunk` also carries what the chunk
cannot see (the equity, positions, exposure and trading day just before it). None of it depends on
the rule set, so one ledger serves every rule set a journal is judged under.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trading_core.apex.journal import Journal
from trading_core.apex.session import DayBounds, SessionCalendar, day_spans
from trading_core.apex.spec import ApexSpec
from trading_core.apex.sweep import EquitySweep, FillSweep, small_codes
from trading_core.errors import TradingCoreError

INT64_SAFE = 2**62


def check_fits(what: str, bound: int, source: str) -> None:
    if bound >= INT64_SAFE:
        raise TradingCoreError(f"{source}: {what} too large for exact 64-bit arithmetic; split the journal")


def check_equity_fits(spec: ApexSpec, low: int, high: int, source: str) -> None:
    """The scaled drawdown arithmetic stays exact for equity within [low, high] (money units)."""
    swing = max(high - spec.start, spec.start - low)
    check_fits("equity", int(float(swing) * 4 * spec.dd.scale) + 2**53, source)


def symbol_groups(sym: np.ndarray, count: int) -> list[np.ndarray]:
    """Per symbol code: the positions of its entries in `sym`, ascending."""
    if count == 1:
        return [np.arange(len(sym))]
    return [np.flatnonzero(sym == code) for code in range(count)]


@dataclass(frozen=True)
class Fills:
    """The fills alone, in processing order: where they are and what they do to positions."""

    at: np.ndarray  # event position of each fill, ascending
    sym: np.ndarray  # symbol code
    own_before: np.ndarray  # the symbol's position before the fill
    own_after: np.ndarray
    exposure: np.ndarray  # weighted open contracts x spec.weight_scale, after the fill
    grows: np.ndarray  # bool: the fill opens or increases its symbol's position (a flip opens)
    opposite: np.ndarray  # contracts on the other side of the fill's correlation group after it
    by_symbol: list[np.ndarray]  # per symbol code: indices into these arrays, ascending
    start_position: tuple[int, ...] = ()  # per symbol code: its position before the chunk (0: none)
    start_exposure: int = 0  # weighted exposure before the chunk

    def exposure_before(self, index: np.ndarray) -> np.ndarray:
        """Exposure before the fills at `index`: after the fill before (it only changes at fills)."""
        return np.where(index > 0, self.exposure[np.maximum(index - 1, 0)], self.start_exposure)

    def held_after(self, code: int, done: np.ndarray) -> np.ndarray:
        """Position of symbol `code` once the first `done` fills have happened."""
        mine = self.by_symbol[code]
        start = self.start_position[code] if code < len(self.start_position) else 0
        if not mine.size:
            return np.full(len(done), start, np.int64)
        k = np.searchsorted(mine, done) - 1  # this symbol's last fill among them
        return np.where(k >= 0, self.own_after[mine[np.maximum(k, 0)]], start)

    def position_at(self, code: int, positions: np.ndarray) -> np.ndarray:
        """Position of symbol `code` after the events at `positions` (its start position before its first fill)."""
        return self.held_after(code, np.searchsorted(self.at, positions, side="right"))

    def next_open(self, code: int, done: np.ndarray) -> np.ndarray:
        """Index of `code`'s first fill from fill `done` on that leaves a position open; len(fills) if none."""
        mine = self.by_symbol[code]
        found = _first_from(mine, done, len(self.at))
        real = found < len(self.at)
        if np.any(self.own_after[found[real]] == 0):  # a fill that closed to flat (or a zero fill) is skipped
            found = _first_from(mine[self.own_after[mine] != 0], done, len(self.at))
        return found


def _first_from(ascending: np.ndarray, bounds: np.ndarray, none: int) -> np.ndarray:
    """Per bound: the first value of `ascending` at or above it, `none` if there is none."""
    k = np.searchsorted(ascending, bounds)
    found = np.full(len(bounds), none, np.int64)
    real = k < ascending.size
    found[real] = ascending[k[real]]
    return found


@dataclass(frozen=True)
class LedgerChunk:
    """One chunk's ledger columns and the running state just before it (positions are chunk-local)."""

    journal: Journal
    offset: int  # position of the chunk's first event in the whole journal
    equity: np.ndarray  # money units after each event
    highs: np.ndarray  # positions where equity exceeds every equity before (earlier chunks included)
    peak: int  # highest equity so far, this chunk included
    peak_before: int  # highest equity before the chunk (-2**63 before the first)
    equity_before: int  # equity after the previous event (the start before the first)
    fills: Fills
    days: list[DayBounds]  # trading days with events in this chunk, in order
    day_first: np.ndarray  # per day: first event position
    day_last: np.ndarray  # per day: last event position
    sod_equity: np.ndarray  # per day: equity at the previous day's last event (the start on the first day)
    best_sod_before: int  # highest start-of-day equity of the days before this chunk's first (and the start)
    prev_day: DayBounds | None  # trading day of the event before the chunk
    day_low_before: int | None  # lowest equity of days[0] before the chunk, when the day began earlier

    @property
    def continuing(self) -> bool:
        """The chunk's first trading day began in an earlier chunk."""
        return self.day_low_before is not None


class LedgerStream:
    """Equity, fills and trading days of a journal fed chunk by chunk (`run`), carrying state across."""

    def __init__(self, spec: ApexSpec, calendar: SessionCalendar) -> None:
        self.spec, self.calendar = spec, calendar
        self.equity_sweep, self.fill_sweep = EquitySweep(spec), FillSweep(spec)
        self.offset = 0
        self.prev_day: DayBounds | None = None
        self.sod = spec.start  # start-of-day equity of the last day seen
        self.best_sod = spec.start  # highest start-of-day equity up to the last day seen
        self.day_low: int | None = None  # lowest equity of the last day seen

    def run(self, journal: Journal) -> LedgerChunk:
        eq, fs = self.equity_sweep, self.fill_sweep
        eq.grow(journal.symbols)
        fs.grow(journal.symbols)
        state, equity_before, peak_before = eq.state(), eq.equity, eq.peak
        start_position, start_exposure = tuple(fs.position), fs.exposure
        sym = small_codes(journal)
        eq.run(journal, sym)
        columns = fs.run(journal, sym).columns
        fills = Fills(
            **columns,
            by_symbol=symbol_groups(columns["sym"], len(journal.symbols)),
            start_position=start_position,
            start_exposure=start_exposure,
        )
        equity, highs = self._equity(journal, fills, state, equity_before, peak_before)
        days, day_first = day_spans(self.calendar, journal.ts_us)
        day_last = np.append(day_first[1:], len(journal)) - 1
        continuing = self.prev_day is not None and days[0].day == self.prev_day.day
        sod = np.concatenate(([self.sod if continuing else equity_before], equity[day_last][:-1]))
        chunk = LedgerChunk(
            journal=journal,
            offset=self.offset,
            equity=equity,
            highs=highs,
            peak=eq.peak,
            peak_before=peak_before,
            equity_before=equity_before,
            fills=fills,
            days=days,
            day_first=day_first,
            day_last=day_last,
            sod_equity=sod,
            best_sod_before=self.best_sod,
            prev_day=self.prev_day,
            day_low_before=self.day_low if continuing else None,
        )
        low = int(equity[day_first[-1] :].min())
        self.day_low = min(low, self.day_low) if continuing and len(days) == 1 and self.day_low is not None else low
        self.best_sod = max(self.best_sod, int(sod.max()))
        self.sod, self.prev_day, self.offset = int(sod[-1]), days[-1], self.offset + len(journal)
        return chunk

    def _equity(
        self, journal: Journal, fills: Fills, state: tuple[object, ...], before: int, peak_before: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Equity of the chunk and its new highs, proved free of int64 overflow first."""
        src, eq = journal.source, self.equity_sweep
        bounds = _pnl_bounds(eq, fills)
        for bound in bounds:
            check_fits("P&L", bound, src)
        fee = journal.fee_units
        largest = max(bounds, default=0) + max(int(fee.max()), -int(fee.min()))
        if abs(before) + len(journal) * largest < INT64_SAFE:  # no partial sum can have left int64
            highs = np.concatenate(eq.records) if eq.records else np.zeros(0, np.int64)
            return eq.values, highs
        # the sums might not fit: walk again without summing, and bound the sums in float first
        eq.restore(state)
        change = eq.run(journal, small_codes(journal), cumulate=False).values
        running = np.cumsum(change, dtype=np.float64) + float(before)  # no single change overflows
        check_fits("equity", int(max(running.max(), -running.min()) * 4 * self.spec.dd.scale) + 2**53, src)
        change[0] += before
        equity = np.cumsum(change, out=change)
        running_peak = np.maximum(np.maximum.accumulate(equity), peak_before)
        highs = np.flatnonzero(equity > np.concatenate(([peak_before], running_peak[:-1])))
        eq.equity, eq.peak = int(equity[-1]), int(running_peak[-1])
        return equity, highs


def _pnl_bounds(sweep: EquitySweep, fills: Fills) -> list[int]:
    """Per symbol: |position held before an event| x price range x tick value bounds any one P&L change.

    The positions held before a symbol's events in this chunk are its start position and the
    positions after each of its fills but the one at its last event here (that one is held before
    the next chunk's events, which count it as their start position). Positions change only at fills.
    """
    bounds = []
    for code, mine in enumerate(fills.by_symbol):
        prices = sweep.price_range[code]
        if prices is None or sweep.last_at[code] < 0:
            continue  # no event of this symbol in the chunk: no P&L change of it here
        if mine.size and fills.at[mine[-1]] == sweep.last_at[code]:
            mine = mine[:-1]
        held = fills.own_after[mine]
        start = abs(fills.start_position[code]) if code < len(fills.start_position) else 0
        most = max(start, int(held.max()), -int(held.min())) if held.size else start
        bounds.append(most * (prices[1] - prices[0]) * sweep.tick_value[code])
    return bounds
