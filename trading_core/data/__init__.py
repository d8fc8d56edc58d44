"""Market data: the tick and bar model, tick validation and the seeded intraday generator.

    from trading_core.data import Tick, TickValidator, generate_day

Prices on a `Tick` are floats in price units, as a feed delivers them; `TickValidator` turns a tick
into integer ticks of the instrument or a recorded rejection (NaN, crossed or locked quotes, out of
order, unknown symbol, off the tick grid). numpy loads only with the generator.
"""

from __future__ import annotations

from trading_core.data.bars import Bar, BarBuilder
from trading_core.data.ticks import Tick
from trading_core.data.validate import Rejection, TickValidator, ValidTick

__all__ = ["Bar", "BarBuilder", "Rejection", "Tick", "TickValidator", "ValidTick"]
