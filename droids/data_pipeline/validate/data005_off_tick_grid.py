"""DATA005 Price off the tick grid: an open, high, low or close that is not a multiple of the
instrument's tick size (policies/instruments.yaml, or `symbols.<S>.tick_size` in data.yaml).

Why: CME prices move in ticks (ES 0.25); a price between ticks is a bad print, a wrong instrument or
a currency/scale slip, and the trading core rejects such prices live, so a backtest on them trades
what the engine never could. Severity medium. Skipped, with a note, for a symbol with no tick size.
How to fix: re-ingest the range, or check the symbol mapping and the price scale.
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID
from droids.data_pipeline.validate.context import GRID_TOLERANCE, BatchContext, Hits, number

RULE = RuleSpec(
    id="DATA005",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Price off the tick grid",
    description=__doc__ or "",
    fix="Re-ingest the range; check the symbol mapping and the price scale (a feed in cents, a wrong root).",
)
_PRICES = ("open", "high", "low", "close")


def find(ctx: BatchContext) -> Hits:
    import numpy as np

    tick = ctx.tick
    if tick is None or not len(ctx.bars):
        return np.empty(0, dtype=np.int64), str
    inv = 1.0 / tick
    n = len(ctx.bars)
    q, r = np.empty(n), np.empty(n)
    bad = np.zeros(n, dtype=bool)
    for col in _PRICES:  # in place: four passes of one buffer instead of new arrays per step
        np.multiply(getattr(ctx.bars, col), inv, out=q)
        np.rint(q, out=r)
        np.subtract(q, r, out=q)
        np.abs(q, out=q)
        bad |= q > GRID_TOLERANCE
    idx = np.flatnonzero(bad)

    def say(i: int) -> str:
        for col in _PRICES:
            x = float(getattr(ctx.bars, col)[i])
            if abs(x * inv - round(x * inv)) > GRID_TOLERANCE:
                return f"{ctx.bar(i)}: {col} {number(x)} is not a multiple of the tick size {number(tick)}"
        return f"{ctx.bar(i)}: off the tick grid"

    return idx, say
