"""Time bars built from ticks (mid-price OHLC, traded volume), for reports and slower strategies."""

from __future__ import annotations

from dataclasses import dataclass

from trading_core.data.ticks import Tick


@dataclass(frozen=True, slots=True)
class Bar:
    symbol: str
    start_us: int  # inclusive bar start, aligned to the bar length since the epoch
    open: float
    high: float
    low: float
    close: float
    volume: int  # contracts traded (sum of |trade_qty|)
    ticks: int


class BarBuilder:
    """Folds one symbol's ticks into bars of `seconds`; `on_tick` returns the bar a tick closed."""

    def __init__(self, symbol: str, seconds: int) -> None:
        if seconds < 1:
            raise ValueError("bar length must be at least one second")
        self.symbol = symbol
        self.length_us = seconds * 1_000_000
        self._start: int | None = None
        self._ohlc = [0.0, 0.0, 0.0, 0.0]
        self._volume = 0
        self._ticks = 0

    def on_tick(self, tick: Tick) -> Bar | None:
        mid = (tick.bid + tick.ask) / 2
        start = tick.ts_us - tick.ts_us % self.length_us
        done = None
        if self._start is not None and start != self._start:
            done = self.flush()
        if self._start is None:
            self._start = start
            self._ohlc = [mid, mid, mid, mid]
        o = self._ohlc
        o[1], o[2], o[3] = max(o[1], mid), min(o[2], mid), mid
        self._volume += abs(tick.trade_qty)
        self._ticks += 1
        return done

    def flush(self) -> Bar | None:
        """The bar in progress, closed (None when there is none)."""
        if self._start is None:
            return None
        o = self._ohlc
        bar = Bar(self.symbol, self._start, o[0], o[1], o[2], o[3], self._volume, self._ticks)
        self._start, self._volume, self._ticks = None, 0, 0
        return bar
