"""DATA001 Bar out of order: a bar whose timestamp is earlier than the bar before it (same symbol).

Why: every rolling feature, every fill and every P&L assumes time moves forward; a bar from the past
in the middle of a series is replayed after bars that happened later, a silent look-ahead. Severity
high. How to fix: sort the series by `ts` (and find why the writer produced it out of order: two
sources merged without a sort, a time-zone slip of a few hours).
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID, iso_utc
from droids.data_pipeline.validate.context import BatchContext, Hits

RULE = RuleSpec(
    id="DATA001",
    droid=DROID,
    severity=Severity.HIGH,
    title="Bar out of order",
    description=__doc__ or "",
    fix="Sort the series by ts; find the source that wrote it out of order (a merge without a sort, a time-zone slip).",
)


def find(ctx: BatchContext) -> Hits:
    import numpy as np

    idx = np.flatnonzero(ctx.diffs < 0)

    def say(i: int) -> str:
        before = ctx.previous_ts(i)
        return f"{ctx.bar(i)} is earlier than the bar before it ({iso_utc(before or 0)}): timestamps must increase"

    return idx, say
