"""Tick validation: a tick becomes exact integer prices or a recorded rejection, never an exception.

Checks, in order (the first that fails names the rejection): unknown symbol, NaN or infinite price,
non-positive price or negative size, crossed or locked quote (bid >= ask), out of order (earlier than
the symbol's previous tick), price off the instrument's tick grid. A rejected tick never reaches the
features, the model or an order. Rejections are counted by reason and the latest few are kept in a
fixed-size buffer, so a bad feed cannot grow memory.
"""

from __future__ import annotations

import math
from collections import deque
from typing import NamedTuple

from trading_core.data.ticks import Tick

GRID_TOLERANCE = 1e-6  # of a tick: float prices from a feed are decimal strings parsed to binary
KEEP_RECENT = 256
_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__: this runs once per tick


class ValidTick(NamedTuple):
    """A checked tick with prices as integer ticks of the instrument."""

    ts_us: int
    symbol: str
    bid: int
    ask: int
    bid_size: int
    ask_size: int
    trade_qty: int


class Rejection(NamedTuple):
    ts_us: int
    symbol: str
    reason: str  # unknown_symbol | nan | non_positive | crossed | out_of_order | off_grid
    detail: str


class TickValidator:
    """Validates ticks for a fixed set of symbols (root -> tick size in price units)."""

    def __init__(self, tick_sizes: dict[str, float]) -> None:
        self.tick_sizes = dict(tick_sizes)
        self._last_ts: dict[str, int] = dict.fromkeys(tick_sizes, -1)
        self.bad_in_row: dict[str, int] = dict.fromkeys(tick_sizes, 0)
        self.counts: dict[str, int] = {}
        self.recent: deque[Rejection] = deque(maxlen=KEEP_RECENT)
        self.accepted = 0

    def check(self, t: Tick) -> ValidTick | Rejection:
        size = self.tick_sizes.get(t.symbol)
        if size is None:
            return self._reject(t, "unknown_symbol", f"symbol {t.symbol!r} is not traded here")
        bid, ask = t.bid, t.ask
        if not (math.isfinite(bid) and math.isfinite(ask)):
            return self._reject(t, "nan", f"bid {bid} / ask {ask}: expected finite prices")
        if bid <= 0 or ask <= 0 or t.bid_size < 0 or t.ask_size < 0:
            return self._reject(t, "non_positive", f"bid {bid} x {t.bid_size} / ask {ask} x {t.ask_size}")
        if bid >= ask:
            return self._reject(t, "crossed", f"bid {bid} >= ask {ask}")
        if t.ts_us < self._last_ts[t.symbol]:
            return self._reject(t, "out_of_order", f"ts {t.ts_us} before the previous {self._last_ts[t.symbol]}")
        b, a = bid / size, ask / size
        bi, ai = int(b + 0.5), int(a + 0.5)  # positive here: faster than round()
        if abs(b - bi) > GRID_TOLERANCE or abs(a - ai) > GRID_TOLERANCE:
            return self._reject(t, "off_grid", f"bid {bid} / ask {ask} not multiples of the tick size {size}")
        self._last_ts[t.symbol] = t.ts_us
        self.bad_in_row[t.symbol] = 0
        self.accepted += 1
        return _new(ValidTick, (t.ts_us, t.symbol, bi, ai, t.bid_size, t.ask_size, t.trade_qty))

    def _reject(self, t: Tick, reason: str, detail: str) -> Rejection:
        r = Rejection(t.ts_us, t.symbol, reason, detail)
        self.counts[reason] = self.counts.get(reason, 0) + 1
        self.recent.append(r)
        if t.symbol in self.bad_in_row:
            self.bad_in_row[t.symbol] += 1
        return r

    @property
    def rejected(self) -> int:
        return sum(self.counts.values())
