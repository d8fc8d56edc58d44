"""DATA004 OHLC integrity: a bar whose high is below its open, close or low, or whose low is above its
open or close.

Why: such a bar cannot have traded; a stop or a limit judged against it fills at a price that never
existed. Usually columns swapped by a writer or a bad print. Severity high. How to fix: correct the
source (re-ingest the range); never "fix" by clipping, which hides the bad print.
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID
from droids.data_pipeline.validate.context import BatchContext, Hits, number

RULE = RuleSpec(
    id="DATA004",
    droid=DROID,
    severity=Severity.HIGH,
    title="OHLC integrity",
    description=__doc__ or "",
    fix="Re-ingest the range or correct the source (columns swapped, a bad print); do not clip.",
)
_PAIRS = (
    ("high", "open", "below"),
    ("high", "close", "below"),
    ("high", "low", "below"),
    ("low", "open", "above"),
    ("low", "close", "above"),
)


def find(ctx: BatchContext) -> Hits:
    import numpy as np

    b = ctx.bars
    o, h, low, c = b.open, b.high, b.low, b.close
    bad = (h < o) | (h < c) | (h < low) | (low > o) | (low > c)
    idx = np.flatnonzero(bad)

    def say(i: int) -> str:
        for left, right, how in _PAIRS:
            x, y = float(getattr(b, left)[i]), float(getattr(b, right)[i])
            if (how == "below" and x < y) or (how == "above" and x > y):
                return f"{ctx.bar(i)}: {left} {number(x)} is {how} {right} {number(y)}"
        return f"{ctx.bar(i)}: OHLC out of order"

    return idx, say
