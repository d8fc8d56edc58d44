"""Two walks over the journal in cache-sized blocks: equity at every event, positions at every fill.

Every quantity of the vectorised ledger is a running one (positions, equity, its peak, weighted
exposure, correlated long totals). Computed one numpy pass at a time over a 10-million-event journal,
each pass streams hundreds of MB through memory; walked in blocks of `BLOCK` events, all of a block's
columns are computed while it sits in the CPU cache, and one block hands the next only a few running
totals. The same running totals carry a streamed journal from one chunk to the next: a sweep object
lives for the whole journal and `run(chunk)` continues where the previous chunk ended (symbols first
seen in a later chunk are added then). The arithmetic is exactly that of columns.py's docstring, in
int64 throughout.

The two walks share nothing but the journal. (Run on two threads, they were slower on this shared
2-core machine: under load the GIL hand-offs cost more than the second core gave.) With `cumulate`
(the default) equity is summed block by block; columns.py then proves from the journal's bounds that
no partial sum can have left int64, or walks again without summing and sums after a float check of
the whole.
"""

from __future__ import annotations

import numpy as np

from trading_core.apex.journal import Journal
from trading_core.apex.rules.base import increases
from trading_core.apex.spec import ApexSpec

BLOCK = 1 << 16


def small_codes(journal: Journal) -> np.ndarray:
    """The symbol codes in the narrowest integer type (cheaper to compare and to gather)."""
    k = len(journal.symbols)
    return journal.sym.astype(np.int8 if k < 2**7 else np.int16 if k < 2**15 else np.int64)


class EquitySweep:
    """Equity after every event, and where it makes a new high; state carried from chunk to chunk."""

    def __init__(self, spec: ApexSpec) -> None:
        self.spec = spec
        self.tick_value: list[int] = []  # per symbol code
        self.position: list[int] = []  # running state handed from block to block, per symbol
        self.last_price: list[int | None] = []
        self.price_range: list[tuple[int, int] | None] = []  # (min, max) over every chunk so far
        self.equity = spec.start
        self.peak = -(2**63)
        self._scratch = [np.empty(BLOCK, np.int64) for _ in range(3)]

    def grow(self, symbols: tuple[str, ...]) -> None:
        for root in symbols[len(self.position) :]:  # codes are handed out in order of first appearance
            self.tick_value.append(self.spec.policy.instruments.tick_value_units(root))
            self.position.append(0)
            self.last_price.append(None)
            self.price_range.append(None)

    def state(self) -> tuple[object, ...]:
        """The running totals, to walk a chunk again (columns.py's overflow fallback)."""
        return (list(self.position), list(self.last_price), list(self.price_range), self.equity, self.peak)

    def restore(self, state: tuple[object, ...]) -> None:
        position, last_price, price_range, self.equity, self.peak = state  # type: ignore[assignment]
        self.position, self.last_price, self.price_range = list(position), list(last_price), list(price_range)  # type: ignore[call-overload]

    def run(self, journal: Journal, sym: np.ndarray, *, cumulate: bool = True) -> EquitySweep:
        """Walk one chunk: `values` (equity after each event, or its changes without `cumulate`), `records`."""
        self.grow(journal.symbols)
        self.journal, self.sym, self.cumulate = journal, sym, cumulate
        self.last_at = [-1] * len(self.position)  # position of each symbol's last event in this chunk
        self.values = np.empty(len(journal), np.int64)
        self.records: list[np.ndarray] = []  # positions where equity exceeds every equity before
        n = len(journal)
        for start in range(0, n, BLOCK):
            self._block(start, min(n, start + BLOCK))
        return self

    def _block(self, a: int, b: int) -> None:
        j = self.journal
        sym, qty, price, change = self.sym[a:b], j.qty[a:b], j.price_ticks[a:b], self.values[a:b]
        for code in range(len(self.position)):
            idx = np.flatnonzero(sym == code)
            if idx.size:
                change[idx] = self._symbol_changes(code, qty, price, idx)
                self.last_at[code] = a + int(idx[-1])
        change -= j.fee_units[a:b]
        if self.cumulate:
            np.cumsum(change, out=change)
            change += self.equity
            self.equity = int(change[-1])
            self._records(a, change)

    def _symbol_changes(self, code: int, qty: np.ndarray, price: np.ndarray, idx: np.ndarray) -> np.ndarray:
        m = idx.size
        q = np.take(qty, idx, out=self._scratch[0][:m], mode="clip")
        p = np.take(price, idx, out=self._scratch[1][:m], mode="clip")
        held = np.cumsum(q, out=self._scratch[2][:m])
        held += self.position[code]
        self.position[code] = int(held[-1])
        held -= q  # the position held before each of this symbol's events
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
        if int(equity.max()) <= self.peak:
            return
        peak = np.maximum.accumulate(equity)
        np.maximum(peak, self.peak, out=peak)
        found = np.flatnonzero(equity[1:] > peak[:-1]) + 1
        if int(equity[0]) > self.peak:
            found = np.concatenate(([0], found))
        self.records.append(found + a)
        self.peak = int(peak[-1])


class FillSweep:
    """Per fill: where it is, the symbol's position before and after, exposure, the other side."""

    def __init__(self, spec: ApexSpec) -> None:
        self.spec = spec
        self.symbols: tuple[str, ...] = ()
        self.weight = np.zeros(0, np.int64)
        self.groups: list[list[int]] = []
        self.position: list[int] = []  # running state handed from block to block (and chunk to chunk)
        self.exposure = 0
        self.longs: list[int] = []  # per group: contracts long over its roots
        self.nets: list[int] = []  # per group: net position over its roots

    def grow(self, symbols: tuple[str, ...]) -> None:
        if len(symbols) == len(self.symbols):
            return
        instruments = self.spec.policy.instruments
        self.position += [0] * (len(symbols) - len(self.symbols))
        self.symbols = symbols
        self.weight = np.array([self.spec.weights[root] for root in symbols], np.int64)
        # correlation groups with two or more of the journal's roots (a root alone cannot hedge)
        members: dict[str, list[int]] = {}
        for code, root in enumerate(symbols):
            members.setdefault(instruments.group_of[root], []).append(code)
        self.groups = [codes for codes in members.values() if len(codes) > 1]
        # a group's totals are functions of its roots' positions: a group that just gained its second
        # root starts from the positions its first root already holds
        self.longs = [sum(max(self.position[c], 0) for c in codes) for codes in self.groups]
        self.nets = [sum(self.position[c] for c in codes) for codes in self.groups]

    def run(self, journal: Journal, sym: np.ndarray) -> FillSweep:
        """Walk one chunk into `columns` (per fill of the chunk); `position`, `exposure` carry on."""
        self.grow(journal.symbols)
        self.journal, self.sym = journal, sym
        count = int(np.count_nonzero(journal.is_fill))
        self.columns = {name: np.empty(count, np.int64) for name in ("at", "own_before", "own_after", "exposure")}
        self.columns["sym"] = np.empty(count, sym.dtype)
        self.columns["grows"] = np.empty(count, np.bool_)
        self.columns["opposite"] = np.zeros(count, np.int64)
        self._done = 0  # fills written so far
        n = len(journal)
        for start in range(0, n, BLOCK):
            self._block(start, min(n, start + BLOCK))
        return self

    def _block(self, a: int, b: int) -> None:
        fi = np.flatnonzero(self.journal.is_fill[a:b])
        if not fi.size:
            return
        rows = slice(self._done, self._done + fi.size)
        self._done += fi.size
        out = {name: column[rows] for name, column in self.columns.items()}
        np.add(fi, a, out=out["at"])
        fs = np.take(self.sym[a:b], fi, out=out["sym"], mode="clip")
        fq = np.take(self.journal.qty[a:b], fi, mode="clip")
        own_after = out["own_after"]
        for code in range(len(self.position)):
            mine = np.flatnonzero(fs == code)
            if mine.size:
                held = np.cumsum(fq[mine])
                held += self.position[code]
                self.position[code] = int(held[-1])
                own_after[mine] = held
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
        long_change = np.maximum(after, 0)
        long_change -= np.maximum(before, 0)
        for g, codes in enumerate(self.groups):
            member = fs == codes[0]
            for code in codes[1:]:
                member |= fs == code
            rows = np.flatnonzero(member)
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
