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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trading_core.apex.journal import Journal
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

    def exposure_before(self, index: np.ndarray) -> np.ndarray:
        """Exposure before the fills at `index`: after the fill before (it only changes at fills)."""
        return np.where(index > 0, self.exposure[np.maximum(index - 1, 0)], 0)

    def held_after(self, code: int, done: np.ndarray) -> np.ndarray:
        """Position of symbol `code` once the first `done` fills have happened."""
        mine = self.by_symbol[code]
        if not mine.size:
            return np.zeros(len(done), np.int64)
        k = np.searchsorted(mine, done) - 1  # this symbol's last fill among them
        return np.where(k >= 0, self.own_after[mine[np.maximum(k, 0)]], 0)

    def position_at(self, code: int, positions: np.ndarray) -> np.ndarray:
        """Position of symbol `code` after the events at `positions` (0 before its first fill)."""
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


def new_highs(equity: np.ndarray) -> np.ndarray:
    """Positions where equity exceeds every equity before (position 0 included)."""
    peak = np.maximum.accumulate(equity)
    return np.concatenate(([0], np.flatnonzero(equity[1:] > peak[:-1]) + 1))


def ledger_columns(journal: Journal, spec: ApexSpec) -> tuple[np.ndarray, np.ndarray, int, Fills]:
    """Equity after every event (money units), the positions of new equity highs, the highest, the fills.

    Call `check_equity_fits` on equity's range before scaling it.
    """
    src, sym = journal.source, small_codes(journal)
    sweep, fills = EquitySweep(journal, spec, sym).run(), _fills(journal, spec, sym)
    bounds = _pnl_bounds(sweep, fills)
    for bound in bounds:
        check_fits("P&L", bound, src)
    fee = journal.fee_units
    largest = max(bounds, default=0) + max(int(fee.max()), -int(fee.min()))
    if abs(spec.start) + len(journal) * largest < INT64_SAFE:  # no partial sum can have left int64
        return sweep.values, np.concatenate(sweep.records), sweep.peak, fills
    # the sums might not fit: bound them in float first, as a whole, before summing exactly
    change = EquitySweep(journal, spec, sym, cumulate=False).run().values
    running = np.cumsum(change, dtype=np.float64)  # no single change overflows; this bounds their sums
    check_fits("equity", int(max(running.max(), -running.min()) * 4 * spec.dd.scale) + 2**53, src)
    change[0] += spec.start
    equity = np.cumsum(change, out=change)
    return equity, new_highs(equity), int(equity.max()), fills


def _fills(journal: Journal, spec: ApexSpec, sym: np.ndarray) -> Fills:
    columns = FillSweep(journal, spec, sym).run().columns
    return Fills(**columns, by_symbol=symbol_groups(columns["sym"], len(journal.symbols)))


def _pnl_bounds(sweep: EquitySweep, fills: Fills) -> list[int]:
    """Per symbol: |position held before an event| x price range x tick value bounds any one P&L change.

    The positions held before a symbol's events are 0 (before its first) and the positions after each
    of its events but the last; positions change only at fills, so the fills' positions tell.
    """
    bounds = []
    for code, mine in enumerate(fills.by_symbol):
        prices = sweep.price_range[code]
        if prices is None:
            continue
        if mine.size and fills.at[mine[-1]] == sweep.last_at[code]:
            mine = mine[:-1]  # the position after the symbol's last event is held before none
        held = fills.own_after[mine]
        most = max(0, int(held.max()), -int(held.min())) if held.size else 0
        bounds.append(most * (prices[1] - prices[0]) * sweep.tick_value[code])
    return bounds
