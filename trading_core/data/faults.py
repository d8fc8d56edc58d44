"""Bad market data on purpose: wrap a tick stream and slip in the faults a real feed produces.

Every `every`-th tick is followed by one faulty tick, cycling through: a NaN bid, a crossed quote
(bid above ask), a tick stamped before the previous one (out of order), a symbol nobody trades, and
a price off the tick grid. The good ticks pass through unchanged, so a run with faults must trade
exactly like a run without them (the faults are rejected and recorded, never acted on).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from trading_core.data.ticks import Tick

FAULTS = ("nan", "crossed", "out_of_order", "unknown_symbol", "off_grid")


def with_faults(ticks: Iterable[Tick], every: int) -> Iterator[Tick]:
    k = 0
    for t in ticks:
        yield t
        k += 1
        if k % every:
            continue
        fault = FAULTS[(k // every) % len(FAULTS)]
        if fault == "nan":
            yield t._replace(bid=float("nan"))
        elif fault == "crossed":
            yield t._replace(bid=t.ask + (t.ask - t.bid), ask=t.bid)
        elif fault == "out_of_order":
            yield t._replace(ts_us=t.ts_us - 5_000_000)
        elif fault == "unknown_symbol":
            yield t._replace(symbol="ZZ")
        else:
            yield t._replace(bid=t.bid + 0.01)
