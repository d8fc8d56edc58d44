"""DATA002 Duplicate timestamp: two bars of one symbol with the same `ts`.

Why: a backtest then sees the same minute twice (volume counted twice, a signal fired twice), and
which of the two a join picks is arbitrary. Twelve Data itself has returned duplicate dates
(twelvedata-python issue 54). Severity high. How to fix: keep one bar per timestamp
(`droid data ingest` does, per policies/data.yaml `cleaning.duplicates`, and counts them).
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID
from droids.data_pipeline.validate.context import BatchContext, Hits

RULE = RuleSpec(
    id="DATA002",
    droid=DROID,
    severity=Severity.HIGH,
    title="Duplicate timestamp",
    description=__doc__ or "",
    fix="Keep one bar per timestamp (cleaning.duplicates: first or last), then re-run the check.",
)


def find(ctx: BatchContext) -> Hits:
    import numpy as np

    idx = np.flatnonzero(ctx.diffs == 0)
    return idx, lambda i: f"{ctx.bar(i)} repeats the timestamp of the bar before it"
