"""The quote/trade tick: the one market event the OnTick pipeline consumes.

A NamedTuple because a replay builds millions of them: construction and field access are the
cheapest Python offers, and a tick is a value that never changes.
"""

from __future__ import annotations

from typing import NamedTuple


class Tick(NamedTuple):
    """Top of book after one market event, plus the trade that caused it, if any.

    ts_us: microseconds since the Unix epoch (UTC); bid/ask: prices in price units (floats, as a feed
    sends them); bid_size/ask_size: contracts at the touch; trade_qty: signed size of the aggressor
    trade at this event (+ bought at the ask, - sold at the bid, 0 = quote update only).
    """

    ts_us: int
    symbol: str
    bid: float
    ask: float
    bid_size: int
    ask_size: int
    trade_qty: int = 0
