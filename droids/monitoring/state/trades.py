"""Round trips from the fills: which trades closed, when, and what each made (for win rate and SQN).

A trade runs from the fill that opens a position (from flat, or the opening side of a flip) to the
fill that brings it back to flat or flips it. Its P&L is the change of the symbol's value between
those two fills, value = cash so far (fills at their prices, fees paid) + the position left, valued
at the fill's own price; a flipping fill's fee is charged to the trade it closes. Vectorised per
symbol (cumulative sums over the symbol's fills), with the running cash and the value at the last
close carried from chunk to chunk. Opening and closing fills also give the open positions and their
age (stuck positions, MON004).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from droids.monitoring.state.account import AccountChunk
    from trading_core.market.instruments import Instruments


@dataclass(frozen=True)
class ClosedTrades:
    """Trades closed in one chunk, in event order."""

    position: np.ndarray  # chunk position of the closing fill
    ts_us: np.ndarray
    symbol: np.ndarray  # code
    pnl: np.ndarray  # int64 money units


@dataclass(frozen=True)
class PositionSpan:
    """A position opened in a chunk, and when it closed (-1: still open at the chunk's end)."""

    symbol: np.ndarray
    open_ts: np.ndarray
    open_row: np.ndarray
    close_ts: np.ndarray  # -1 while open
    qty: np.ndarray  # signed contracts right after it opened
    first_close: dict[int, int] = field(default_factory=dict)  # code -> time of its first closing fill here


@dataclass
class OpenPosition:
    symbol: str
    qty: int
    open_ts: int
    open_row: int


@dataclass
class TradeBook:
    instruments: Instruments
    cash: list[int] = field(default_factory=list)  # per symbol code: cash so far, money units
    base: list[int] = field(default_factory=list)  # value at the symbol's last close
    open: dict[int, OpenPosition] = field(default_factory=dict)  # code -> the position open now
    trades: int = 0
    wins: int = 0

    def feed(self, chunk: AccountChunk) -> tuple[ClosedTrades, PositionSpan]:
        import numpy as np

        while len(self.cash) < len(chunk.symbols):
            self.cash.append(0)
            self.base.append(0)
        closed, spans = [], []
        for code in np.unique(chunk.fill_sym).tolist():
            mine = np.flatnonzero(chunk.fill_sym == code)
            closed.append(self._closes(chunk, code, mine))
            spans.append(self._spans(chunk, code, mine))
        out = ClosedTrades(*(_cat([c[i] for c in closed]) for i in range(4)))
        order = np.argsort(out.position, kind="stable")
        out = ClosedTrades(*(a[order] for a in (out.position, out.ts_us, out.symbol, out.pnl)))
        self.trades += len(out.pnl)
        self.wins += int((out.pnl > 0).sum())
        span = PositionSpan(*(_cat([s[i] for s in spans]) for i in range(5)))
        codes, first = np.unique(out.symbol, return_index=True)  # `out` is in event order
        span.first_close.update(zip(codes.tolist(), out.ts_us[first].tolist(), strict=True))
        return out, span

    def _closes(self, chunk: AccountChunk, code: int, mine: np.ndarray) -> tuple[np.ndarray, ...]:
        import numpy as np

        tv = self.instruments.tick_value_units(chunk.symbols[code])
        qty, price, fee = chunk.fill_qty[mine], chunk.fill_price[mine], chunk.fill_fee[mine]
        before, after = chunk.fill_before[mine], chunk.fill_after[mine]
        cash = np.cumsum(-qty * price * tv - fee) + self.cash[code]
        value = cash + after * price * tv
        closes = (before != 0) & ((after == 0) | (np.sign(after) != np.sign(before)))
        at = np.flatnonzero(closes)
        marks = np.concatenate(([self.base[code]], value[at]))
        self.cash[code] = int(cash[-1])
        if at.size:
            self.base[code] = int(value[at[-1]])
        pos = chunk.fill_at[mine[at]]
        return pos, chunk.ts_us[pos], np.full(at.size, code, np.int64), np.diff(marks)

    def _spans(self, chunk: AccountChunk, code: int, mine: np.ndarray) -> tuple[np.ndarray, ...]:
        import numpy as np

        before, after = chunk.fill_before[mine], chunk.fill_after[mine]
        ts, rows = chunk.ts_us[chunk.fill_at[mine]], chunk.row[chunk.fill_at[mine]]
        opens = (after != 0) & ((before == 0) | (np.sign(after) != np.sign(before)))
        closes = (before != 0) & ((after == 0) | (np.sign(after) != np.sign(before)))
        open_at, close_at = np.flatnonzero(opens), np.flatnonzero(closes)
        # the close of each open: the first closing fill after it (a flip closes and opens at once)
        k = np.searchsorted(close_at, open_at, side="right")
        has = k < close_at.size
        close_ts = np.full(open_at.size, -1, np.int64)
        close_ts[has] = ts[close_at[k[has]]]
        root = chunk.symbols[code]
        carried = self.open.get(code)
        if carried is not None and close_at.size:
            del self.open[code]
        if open_at.size and not has[-1]:
            last = int(open_at[-1])
            self.open[code] = OpenPosition(root, int(after[last]), int(ts[last]), int(rows[last]))
        elif open_at.size == 0 and carried is not None and not close_at.size:
            self.open[code] = carried
        if code in self.open and after.size:
            self.open[code].qty = int(after[-1])  # added to or reduced since it opened
        return np.full(open_at.size, code, np.int64), ts[open_at], rows[open_at], close_ts, after[open_at]

    @property
    def win_rate(self) -> float | None:
        return self.wins / self.trades if self.trades else None


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    import numpy as np

    return np.concatenate(parts) if parts else np.zeros(0, np.int64)
