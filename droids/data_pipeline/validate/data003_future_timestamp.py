"""DATA003 Bar in the future: a bar that opens after the time of the check.

Why: a bar from the future is a clock or time-zone error (a local time written as UTC) or a test
fixture that leaked into real data; either way everything joined on time is shifted. Severity high.
How to fix: write `ts` in UTC or with its offset; find the writer's time-zone slip.
`validation.future_tolerance_s` allows for clock skew (default 0).
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID, iso_utc
from droids.data_pipeline.validate.context import BatchContext, Hits

RULE = RuleSpec(
    id="DATA003",
    droid=DROID,
    severity=Severity.HIGH,
    title="Bar in the future",
    description=__doc__ or "",
    fix="Write ts in UTC or with its offset; a future bar is usually local time written as UTC.",
)


def find(ctx: BatchContext) -> Hits:
    import numpy as np

    limit = ctx.now_ns + ctx.future_tolerance_ns
    ts = ctx.bars.ts
    idx = np.flatnonzero(ts > limit) if len(ts) and ts.max() > limit else np.empty(0, dtype=np.int64)
    return idx, lambda i: f"{ctx.bar(i)} is in the future (checked at {iso_utc(ctx.now_ns)})"
