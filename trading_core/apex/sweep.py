"""One walk over the journal in cache-sized blocks: equity, new peaks and the fills' position columns.

Every quantity of the vectorised ledger is a running one (positions, equity, its peak, weighted
exposure, correlated long totals). Computed one numpy pass at a time over a 10-million-event journal,
each pass streams hundreds of MB through memory; walked in blocks of `BLOCK` events, all of a block's
columns are computed while it sits in the CPU cache, and one block hands the next only a few running
totals. The arithmetic is exactly that of columns.py's docstring, in int64 throughout.

Equity is summed block by block only while a bound on every change so far proves no partial sum can
leave int64 (`cumulate`); a journal where that proof fails is walked again without summing, and
columns.py sums it after the float check the original full-array code made.
"""

from __future__ import annotations

import numpy as np

from trading_core.apex.journal import Journal
from trading_core.apex.rules.base import increases
from trading_core.apex.spec import ApexSpec

BLOCK = 1 << 16
INT64_SAFE = 2**62


class LedgerSweep:
    def __init__(self, journal: Journal, spec: ApexSpec, *, cumulate: bool = True) -> None:
        self.journal, self.spec, self.cumulate = journal, spec, cumulate
        symbols, instruments = journal.symbols, spec.policy.instruments
        k = len(symbols)
        code_type = np.int8 if k < 2**7 else np.int16 if k < 2**15 else np.int64
        self.sym = journal.sym.astype(code_type)
        self.tick_value = [instruments.tick_value_units(root) for root in symbols]
        self.weight = np.array([spec.weights[root] for root in symbols], np.int64)
        # correlation groups with two or more of the journal's roots; -1: a root alone (cannot hedge)
        members: dict[str, list[int]] = {}
        for code, root in enumerate(symbols):
            members.setdefault(instruments.group_of[root], []).append(code)
        self.groups = [codes for codes in members.values() if len(codes) > 1]
        self.group = np.full(k, -1, code_type)
        for g, codes in enumerate(self.groups):
            self.group[codes] = g
        # running state handed from block to block
        self.position = [0] * k
        self.last_price: list[int | None] = [None] * k
        self.before_range = [(0, 0)] * k  # (min, max) position held before an event, per symbol
        self.price_range: list[tuple[int, int] | None] = [None] * k
        self.equity = spec.start
        self.peak = -(2**63)
        self.exposure = 0
        self.longs = [0] * len(self.groups)  # per group: contracts long over its roots
        self.nets = [0] * len(self.groups)  # per group: net position over its roots
        self.change_bound = abs(spec.start)  # bound on |equity| so far
        # results
        self.values = np.empty(len(journal), np.int64)  # equity after each event (changes if not cumulate)
        self.records: list[np.ndarray] = []  # positions where equity exceeds every equity before
        fills = int(np.count_nonzero(journal.is_fill))
        self.fills = {name: np.empty(fills, np.int64) for name in ("at", "own_before", "own_after", "exposure")}
        self.fills["sym"] = np.empty(fills, code_type)
        self.fills["grows"] = np.empty(fills, np.bool_)
        self.fills["opposite"] = np.zeros(fills, np.int64)
        self._done = 0  # fills written so far
        self._scratch = [np.empty(BLOCK, np.int64) for _ in range(4)]

    def pnl_bounds(self) -> list[int]:
        """Per symbol: |position before| x price range x tick value bounds any one P&L change."""
        bounds = []
        for (lo, hi), prices, tick_value in zip(self.before_range, self.price_range, self.tick_value, strict=True):
            if prices is not None:
                bounds.append(max(hi, -lo) * (prices[1] - prices[0]) * tick_value)
        return bounds

    def run(self) -> bool:
        """Walk every block; False when `cumulate` could not be kept (sum the changes afterwards)."""
        n = len(self.journal)
        for start in range(0, n, BLOCK):
            if not self._block(start, min(n, start + BLOCK)):
                return False
        return True

    def _block(self, a: int, b: int) -> bool:
        j = self.journal
        sym, qty, price = self.sym[a:b], j.qty[a:b], j.price_ticks[a:b]
        change, after = self.values[a:b], self._scratch[0][: b - a]
        for code in range(len(self.position)):
            idx = np.flatnonzero(sym == code)
            if idx.size:
                change[idx] = self._symbol_changes(code, qty, price, after, idx)
        fee = j.fee_units[a:b]
        change -= fee
        if self.cumulate:
            largest = max(self.pnl_bounds(), default=0) + max(int(fee.max()), -int(fee.min()))
            self.change_bound += (b - a) * largest
            if self.change_bound >= INT64_SAFE:
                return False
            np.cumsum(change, out=change)
            change += self.equity
            self.equity = int(change[-1])
            self._records(a, change)
        self._fills(a, sym, qty, after)
        return True

    def _symbol_changes(
        self, code: int, qty: np.ndarray, price: np.ndarray, after: np.ndarray, idx: np.ndarray
    ) -> np.ndarray:
        m = idx.size
        q = np.take(qty, idx, out=self._scratch[1][:m], mode="clip")
        p = np.take(price, idx, out=self._scratch[2][:m], mode="clip")
        held = np.cumsum(q, out=self._scratch[3][:m])
        held += self.position[code]
        after[idx] = held
        self.position[code] = int(held[-1])
        held -= q  # the position held before each of this symbol's events
        lo, hi = self.before_range[code]
        self.before_range[code] = (min(lo, int(held.min())), max(hi, int(held.max())))
        prices = self.price_range[code]
        p_lo, p_hi = int(p.min()), int(p.max())
        self.price_range[code] = (p_lo, p_hi) if prices is None else (min(prices[0], p_lo), max(prices[1], p_hi))
        last = self.last_price[code]
        self.last_price[code] = int(p[-1])
        move = q  # price change since the symbol's previous event (0 at its first)
        np.subtract(p[1:], p[:-1], out=move[1:])
        move[0] = 0 if last is None else int(p[0]) - last
        held *= move
        held *= self.tick_value[code]
        return held

    def _records(self, a: int, equity: np.ndarray) -> None:
        top = int(equity.max())
        if top <= self.peak:
            return
        peak = np.maximum.accumulate(equity)
        np.maximum(peak, self.peak, out=peak)
        found = np.flatnonzero(equity[1:] > peak[:-1]) + 1
        if int(equity[0]) > self.peak:
            found = np.concatenate(([0], found))
        self.records.append(found + a)
        self.peak = int(peak[-1])

    def _fills(self, a: int, sym: np.ndarray, qty: np.ndarray, after: np.ndarray) -> None:
        fi = np.flatnonzero(self.journal.is_fill[a : a + len(sym)])
        if not fi.size:
            return
        rows = slice(self._done, self._done + fi.size)
        self._done += fi.size
        out = {name: column[rows] for name, column in self.fills.items()}
        np.add(fi, a, out=out["at"])
        fs = np.take(sym, fi, out=out["sym"], mode="clip")
        fq = np.take(qty, fi, mode="clip")
        own_after = np.take(after, fi, out=out["own_after"], mode="clip")
        own_before = np.subtract(own_after, fq, out=out["own_before"])
        out["grows"][:] = increases(own_before, own_after)
        change = np.abs(own_after)
        change -= np.abs(own_before)
        change *= self.weight[fs]
        exposure = np.cumsum(change, out=out["exposure"])
        exposure += self.exposure
        self.exposure = int(exposure[-1])
        if self.groups:
            self._opposite(out["opposite"], fs, fq, own_before, own_after)

    def _opposite(
        self, opposite: np.ndarray, fs: np.ndarray, fq: np.ndarray, before: np.ndarray, after: np.ndarray
    ) -> None:
        """Per fill: contracts on the other side of its correlation group after it.

        Long after the fill, the other side is the group's short total (its own root holds none of
        it); short after it, the group's long total. Shorts = longs - net position, both running sums
        over the group's fills.
        """
        group = self.group[fs]
        long_change = np.maximum(after, 0)
        long_change -= np.maximum(before, 0)
        for g in range(len(self.groups)):
            rows = np.flatnonzero(group == g)
            if not rows.size:
                continue
            longs = np.cumsum(long_change[rows])
            longs += self.longs[g]
            self.longs[g] = int(longs[-1])
            nets = np.cumsum(fq[rows])
            nets += self.nets[g]
            self.nets[g] = int(nets[-1])
            nets *= after[rows] > 0  # long after the fill: the shorts are what is against it
            longs -= nets
            opposite[rows] = longs
