"""DATA008 Missing or infinite value: an open, high, low, close or volume that is NaN, empty or inf.

Why: NaN spreads through every rolling feature it touches (one NaN close blanks a 20-bar average for
20 bars) and inf breaks normalisation; numpy does not complain. Severity high. How to fix: fill or
drop per policy (`droid data ingest` fills gaps per column, `cleaning.gaps`, and counts what it
filled), or re-ingest the range.
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID
from droids.data_pipeline.validate.context import BatchContext, Hits

RULE = RuleSpec(
    id="DATA008",
    droid=DROID,
    severity=Severity.HIGH,
    title="Missing or infinite value",
    description=__doc__ or "",
    fix="Re-ingest the range, or fill per column (cleaning.gaps: ffill, interpolate) and keep the count.",
)
_COLUMNS = ("open", "high", "low", "close", "volume")


def find(ctx: BatchContext) -> Hits:
    import numpy as np

    b = ctx.bars
    total = b.open + b.high + b.low + b.close + b.volume  # one NaN or inf anywhere makes the sum non-finite
    if np.isfinite(total).all():
        return np.empty(0, dtype=np.int64), str
    bad = np.zeros(len(b), dtype=bool)
    for col in _COLUMNS:
        bad |= ~np.isfinite(getattr(b, col))
    idx = np.flatnonzero(bad)

    def say(i: int) -> str:
        cells = [
            f"{c} is {'NaN or empty' if np.isnan(getattr(b, c)[i]) else 'inf'}"
            for c in _COLUMNS
            if not np.isfinite(getattr(b, c)[i])
        ]
        return f"{ctx.bar(i)}: {', '.join(cells)}"

    return idx, say
