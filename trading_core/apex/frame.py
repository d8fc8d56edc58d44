"""The vectorised ledger: a whole journal replayed at once into numpy int64 columns.

How it stays exact and fast: a symbol's mark-to-market P&L changes only at that symbol's own events,
by tick value x (position held before the event) x (price now - the symbol's previous price), since
fills and marks both set the last price and contracts filled now start at zero P&L. That change is an
integer; per symbol it needs only a cumsum of qty and a diff of prices over the symbol's own events.
Scattering the changes back to their rows and taking one cumsum gives equity at every event (the same
integer the ledger's `tick value x (position x last - cash)` gives). Work is O(n), not O(n x symbols).
The magnitudes are checked before trusting int64 (`_check_fits`); a journal that could overflow is
refused rather than answered wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from trading_core.apex.journal import Journal
from trading_core.apex.rules.base import DayClose, increases
from trading_core.apex.session import DayBounds, SessionCalendar
from trading_core.apex.spec import ApexSpec
from trading_core.errors import TradingCoreError

_INT64_SAFE = 2**62


@dataclass
class Frame:
    spec: ApexSpec
    journal: Journal
    days: list[DayBounds]
    day: np.ndarray  # per event: index into `days`
    day_first: np.ndarray  # per day: first event position
    day_last: np.ndarray  # per day: last event position
    own_before: np.ndarray
    own_after: np.ndarray
    equity: np.ndarray  # money units after each event
    peak: np.ndarray  # running max of equity (and the start)
    hwm: np.ndarray  # what the threshold trails: the peak, or (EOD) the best session close so far
    threshold: np.ndarray  # scaled by spec.dd.scale
    exposure_before: np.ndarray  # weighted contracts x spec.weight_scale
    exposure: np.ndarray
    cap: np.ndarray
    open_count: np.ndarray  # symbols with an open position after each event
    sod_equity: np.ndarray  # per day: equity at the previous close (start-of-day equity)
    sym_events: list[np.ndarray] = field(default_factory=list)  # per symbol code: its event positions
    sym_pos: list[np.ndarray] = field(default_factory=list)  # per symbol code: position after each
    _grows: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.journal)

    def deadline_of(self, day_idx: np.ndarray) -> np.ndarray:
        return np.fromiter((b.deadline_us for b in self.days), np.int64, len(self.days))[day_idx]

    def cutoff_of(self, day_idx: np.ndarray) -> np.ndarray:
        return np.fromiter((b.cutoff_us for b in self.days), np.int64, len(self.days))[day_idx]

    def position_at(self, code: int, positions: np.ndarray) -> np.ndarray:
        """Position of symbol `code` after the events at `positions` (0 before its first event)."""
        events, pos = self.sym_events[code], self.sym_pos[code]
        k = np.searchsorted(events, positions, side="right") - 1
        return np.where(k >= 0, pos[np.maximum(k, 0)], 0)

    def grows(self) -> np.ndarray:
        """Per event: a fill that opens or increases its symbol's position (computed once)."""
        if self._grows is None:
            self._grows = self.journal.is_fill & increases(self.own_before, self.own_after)
        return self._grows

    def opposite_at(self, positions: np.ndarray) -> np.ndarray:
        """Contracts held on the other side of the event symbol's correlation group, after those events."""
        j = self.journal
        group_of = self.spec.policy.instruments.group_of
        groups = [group_of[root] for root in j.symbols]
        own = self.own_after[positions]
        code = j.sym[positions]
        opposite = np.zeros(len(positions), np.int64)
        for other, group in enumerate(groups):
            mates = [c for c, g in enumerate(groups) if g == group and c != other]
            if not mates:
                continue  # a root alone cannot be long and short at once in one net account
            rows = np.flatnonzero(np.isin(code, mates))
            held = self.position_at(other, positions[rows])
            against = np.where(own[rows] > 0, np.maximum(-held, 0), np.maximum(held, 0))
            opposite[rows] += against
        return opposite

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


def _check_fits(what: str, bound: int, source: str) -> None:
    if bound >= _INT64_SAFE:
        raise TradingCoreError(f"{source}: {what} too large for exact 64-bit arithmetic; split the journal")


def build_frame(journal: Journal, spec: ApexSpec, calendar: SessionCalendar) -> Frame:
    n, src = len(journal), journal.source
    instruments = spec.policy.instruments
    qty, price, sym = journal.qty, journal.price_ticks, journal.sym
    k = len(journal.symbols)
    counts = np.bincount(sym, minlength=k)
    order = np.argsort(sym.astype(np.int16 if k < 2**15 else np.int64), kind="stable")
    groups = np.split(order, np.cumsum(counts)[:-1])

    d_pnl = np.empty(n, np.int64)
    own_after = np.empty(n, np.int64)
    sym_pos: list[np.ndarray] = []
    for code, idx in enumerate(groups):
        q, p = qty[idx], price[idx]
        pos = np.cumsum(q)
        # P&L change at each of this symbol's events: the position held before it, marked from the
        # symbol's previous price to this one (contracts filled now start at this price: no change)
        move = np.diff(p, prepend=p[:1])
        before = pos - q
        tick_value = instruments.tick_value_units(journal.symbols[code])
        _check_fits("P&L", max(int(before.max()), -int(before.min())) * (int(p.max()) - int(p.min())) * tick_value, src)
        before *= move
        before *= tick_value
        d_pnl[idx] = before
        own_after[idx] = pos
        sym_pos.append(pos)
    own_before = own_after - qty
    weight = np.array([spec.weights[root] for root in journal.symbols], np.int64)[sym]
    d_exp = np.abs(own_after) - np.abs(own_before)
    d_exp *= weight
    d_open = (own_after != 0).view(np.int8).astype(np.int64) - (own_before != 0).view(np.int8)
    d_pnl -= journal.fee_units

    running = np.cumsum(d_pnl, dtype=np.float64)  # no single change overflows; this bounds their sums
    _check_fits("equity", int(max(running.max(), -running.min()) * 4 * spec.dd.scale) + 2**53, src)
    equity = np.cumsum(d_pnl)
    equity += spec.start
    exposure = np.cumsum(d_exp)
    day, days = calendar.day_index(journal.ts_us)
    day_first = np.searchsorted(day, np.arange(len(days)), side="left")
    day_last = np.append(day_first[1:], n) - 1
    peak = np.maximum(np.maximum.accumulate(equity), spec.start)
    prior_closes = np.concatenate(([spec.start], equity[day_last][:-1]))
    # EOD trail: the threshold follows the best session close before today, not today's peak
    hwm = np.maximum.accumulate(prior_closes)[day] if spec.eod_trail else peak
    return Frame(
        spec=spec,
        journal=journal,
        days=days,
        day=day,
        day_first=day_first,
        day_last=day_last,
        own_before=own_before,
        own_after=own_after,
        equity=equity,
        peak=peak,
        hwm=hwm,
        threshold=spec.dd.threshold(hwm, np.minimum),
        exposure_before=exposure - d_exp,
        exposure=exposure,
        cap=spec.cap(hwm, np.where),
        open_count=np.cumsum(d_open),
        sod_equity=prior_closes,
        sym_events=groups,
        sym_pos=sym_pos,
    )
