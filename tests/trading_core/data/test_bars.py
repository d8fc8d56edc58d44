"""Bars fold ticks into mid OHLC and volume per interval."""

from __future__ import annotations

from trading_core.data.bars import Bar, BarBuilder
from trading_core.data.ticks import Tick


def test_bars_close_on_the_next_interval() -> None:
    b = BarBuilder("ES", 60)
    mids = [(0, 10.0, 2), (10, 11.0, -1), (59, 9.0, 0), (60, 12.0, 3)]
    done = [b.on_tick(Tick(s * 1_000_000, "ES", m - 0.25, m + 0.25, 1, 1, q)) for s, m, q in mids]
    assert done[:3] == [None, None, None]
    assert done[3] == Bar("ES", 0, 10.0, 11.0, 9.0, 9.0, 3, 3)
    assert b.flush() == Bar("ES", 60_000_000, 12.0, 12.0, 12.0, 12.0, 3, 1)
    assert b.flush() is None
